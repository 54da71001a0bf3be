/**
 * One definition, two front ends: for the same props, the objects the Pulumi ModelService
 * registers under mocks equal the manifests the cdk8s ModelService synthesizes, for every
 * runtime, with a registry image, autoscaled (HPA and KEDA), and with an image built from a
 * model directory. The one
 * intended difference is the built image's reference: cdk8s deploys the content-hash tag it
 * writes into docker-bake.json, Pulumi the digest it pushed.
 */
import * as path from 'path';
import { ModelService as Cdk8sModelService } from '../../lib/cdk8s';
import { ActivationSignal, ScalingTarget, type AutoscalerOptions, type KubeObject } from '../../lib/core';
import { ModelService, type ModelServiceArgs } from '../../lib/pulumi';
import { expectValidObjects, MINIMAL_PROPS, RUNTIME_KINDS, synthChart } from '../support/fixtures';
import { childName, containersOf, kubernetesType, withServerImage } from './support/expected';
import { mockDigest, startMocks } from './support/mocks';
import { directoryProps } from '../core/images/support';
import { tempDir } from './support/temp';

const contextRoot = tempDir();

/** The objects the Pulumi ModelService `name` registers, in the order of `manifests`, checked to be typed children of the component. */
async function registeredObjects(name: string, props: ModelServiceArgs, manifests: KubeObject[]): Promise<{ objects: KubeObject[]; service: ModelService }> {
  const mocks = await startMocks();
  const service = new ModelService(name, { ...props, imageBuildOptions: { contextDirectory: path.join(contextRoot, name) } });
  await mocks.settle();
  // The autoscaler's resource is a child of the Autoscaler component.
  const autoscaler = mocks.registrations.some((r) => r.name === `${name}-autoscaler`) ? mocks.childrenOf(`${name}-autoscaler`) : [];
  const kubernetes = [...mocks.childrenOf(name), ...autoscaler].filter((c) => c.type.startsWith('kubernetes:'));
  expect(kubernetes).toHaveLength(manifests.length);
  const objects = manifests.map((manifest) => {
    const isAutoscaler = manifest.kind === 'HorizontalPodAutoscaler' || manifest.kind === 'ScaledObject';
    const child = mocks.byName(childName(isAutoscaler ? `${name}-autoscaler` : name, manifest));
    expect(child.type).toBe(kubernetesType(manifest));
    return child.inputs as KubeObject;
  });
  return { objects, service };
}

describe.each(RUNTIME_KINDS)('%s', (kind) => {
  test.each([
    ['a registry image, no namespace', () => MINIMAL_PROPS[kind]()],
    ['a registry image, a namespace', () => ({ ...MINIMAL_PROPS[kind](), namespace: 'serving' })],
  ])('%s: Pulumi registers exactly what cdk8s synthesizes', async (_, props) => {
    const manifests = synthChart((chart) => new Cdk8sModelService(chart, 'model', props()));
    expectValidObjects(manifests);
    const { objects, service } = await registeredObjects('model', props(), manifests);
    expect(objects).toEqual(manifests);
    expect(service.builtImage).toBeUndefined();
  });

  test.each([
    ['a HorizontalPodAutoscaler', { target: ScalingTarget.cpuUtilization(80), maxReplicas: 4 }],
    ['a KEDA ScaledObject to scale to zero', { target: ScalingTarget.cpuUtilization(80), maxReplicas: 4, scaleToZero: { activation: ActivationSignal.prometheus('sum(rate(http_requests_total{service="model"}[2m]))') } }],
  ])('autoscaled by %s: the same objects, the Deployment without replicas', async (_, autoscale: AutoscalerOptions) => {
    const props = () => ({ ...MINIMAL_PROPS[kind](), namespace: 'serving' });
    const manifests = synthChart((chart) => {
      new Cdk8sModelService(chart, 'model', props()).autoscale(autoscale);
    });
    const { objects } = await registeredObjects('model', { ...props(), autoscale }, manifests);
    expect(objects).toEqual(manifests);
    expect(objects.find((o) => o.kind === 'Deployment')!['spec']).not.toHaveProperty('replicas');
  });

  test('an image built from the model directory: the same objects, the server pinned by the pushed digest instead of the tag', async () => {
    let cdk8s!: Cdk8sModelService;
    const props = () => ({ ...directoryProps(kind), namespace: 'serving' });
    const manifests = synthChart((chart) => {
      cdk8s = new Cdk8sModelService(chart, 'model', props());
    });
    expectValidObjects(manifests);
    const { objects, service } = await registeredObjects('model', props(), manifests);

    const build = cdk8s.imageBuild!;
    expect(service.imageBuild).toEqual(build);
    const pinned = `${build.repository}@${mockDigest('model-image')}`;
    const deployment = (list: KubeObject[]) => list.find((o) => o.kind === 'Deployment')!;
    expect(containersOf(deployment(manifests)).find((c) => c.name === 'server')!.image).toBe(build.reference);
    expect(containersOf(deployment(objects)).find((c) => c.name === 'server')!.image).toBe(pinned);
    expect(objects).toEqual(withServerImage(manifests, pinned));
  });
});
