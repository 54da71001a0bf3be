/** The cdk8s front end with an image built from a model directory. */
import * as path from 'path';
import { ModelService } from '../../../lib/cdk8s';
import { ModelArtifact, ModelImage, type KubeObject } from '../../../lib/core';
import { expectValidObjects, synthChart } from '../../support/fixtures';
import { MODELS } from '../../support/images';
import { validationErrorOf } from '../../support/problems';
import { directoryOptions, directoryProps } from './support';

type Deployment = { spec: { template: { spec: { containers: { name: string; image: string }[]; initContainers?: unknown[] } } } };

test('ModelService exposes the image build, and the synthesized Deployment runs its reference', () => {
  let service!: ModelService;
  const manifests = synthChart((chart) => {
    service = new ModelService(chart, 'ranker', directoryProps('tfserving'));
  });
  expectValidObjects(manifests);
  const build = service.rendered.imageBuild;
  expect(build).toBeDefined();
  expect(service.imageBuild).toBe(build);
  expect(build!.name).toBe('ranker');
  expect(build!.reference).toMatch(/^registry\.example\.com\/ml\/tfserving:[0-9a-f]{20}$/);
  const deployment = manifests.find((m: KubeObject) => m.kind === 'Deployment') as unknown as Deployment;
  const pod = deployment.spec.template.spec;
  expect(pod.containers.map((c) => [c.name, c.image])).toEqual([['server', build!.reference]]);
  expect(pod.initContainers).toBeUndefined();
  // The baked models.config is the synthesized ConfigMap's.
  const configMap = manifests.find((m: KubeObject) => m.kind === 'ConfigMap')!;
  const baked = build!.files.find((f) => f.path === 'config/models.config')!.data.toString('utf8');
  expect((configMap['data'] as Record<string, string>)['models.config']).toBe(baked);
  expect(baked).toContain("base_path: '/models/ranker'");
});

test('ModelService with a registry image holding the model has no image build', () => {
  let service!: ModelService;
  const manifests = synthChart((chart) => {
    service = new ModelService(chart, 'ranker', directoryProps('tfserving', ModelImage.fromRegistry('ghcr.io/acme/ranker:3.1.0'), { model: ModelArtifact.inImage() }));
  });
  expect(service.rendered).not.toHaveProperty('imageBuild');
  const deployment = manifests.find((m: KubeObject) => m.kind === 'Deployment') as unknown as Deployment;
  expect(deployment.spec.template.spec.containers[0]!.image).toBe('ghcr.io/acme/ranker:3.1.0');
});

test('a missing model directory fails the construct with the construct path', () => {
  const missing = path.join(MODELS, 'no-such-model');
  const thrown = validationErrorOf(() => synthChart((chart) => new ModelService(chart, 'ranker', directoryProps('tfserving', ModelImage.fromModelDirectory(missing, directoryOptions('tfserving'))))));
  expect(thrown.problems).toEqual([
    { construct: 'serving/ranker', prop: 'runtime.image.directory', given: JSON.stringify(missing), allowed: 'expected an existing model directory; there is nothing at that path' },
  ]);
});
