import { ModelService } from '../../lib/cdk8s';
import { expectValidObjects, MINIMAL_PROPS, RUNTIME_KINDS, synthChart } from '../support/fixtures';

describe.each(RUNTIME_KINDS)('%s', (kind) => {
  test('synthesizes the core objects unchanged, valid, restricted, and as in the snapshot', () => {
    let service: ModelService | undefined;
    const manifests = synthChart((chart) => {
      service = new ModelService(chart, 'model', { ...MINIMAL_PROPS[kind](), namespace: 'serving' });
    });
    expectValidObjects(manifests);
    expect(manifests).toEqual(service!.rendered.objects);
    expect(manifests.map((m) => m.kind)).toEqual([
      'ServiceAccount',
      ...(kind === 'torchserve' || kind === 'tfserving' ? ['ConfigMap'] : []),
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'NetworkPolicy',
    ]);
    expect(manifests).toMatchSnapshot();
  });
});
