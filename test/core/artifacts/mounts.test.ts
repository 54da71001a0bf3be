import { ModelArtifact, ModelImage, Runtime, type Container } from '../../../lib/core';
import { CUSTOM_IMAGE, fetcherOf, HF_REVISION, MINIMAL_PROPS, podSpecOf, renderValid, RUNTIME_KINDS, serverOf, SHA256 } from '../../support/fixtures';

const custom = (model: ModelArtifact) => renderValid({ runtime: Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), model }) });
const mountOf = (c: Container, name: string) => (c.volumeMounts ?? []).filter((m) => m.name === name);

const FETCHED: [string, ModelArtifact][] = [
  ['S3 object', ModelArtifact.fromS3('s3://models/a/model.onnx', { sha256: SHA256 })],
  ['S3 prefix', ModelArtifact.fromS3('s3://models/a/')],
  ['GCS object', ModelArtifact.fromGcs('gs://models/a/model.onnx')],
  ['GCS prefix', ModelArtifact.fromGcs('gs://models/a/')],
  ['HTTPS file', ModelArtifact.fromHttps('https://models.example.com/a/model.onnx', { sha256: SHA256 })],
  ['HTTPS .tar.gz', ModelArtifact.fromHttps('https://models.example.com/a/model.tar.gz', { sha256: SHA256 })],
  ['Hugging Face', ModelArtifact.fromHuggingFace('org/model', { revision: HF_REVISION, fetchImage: ModelImage.fromRegistry('ghcr.io/acme/hf-cli:0.26.2') })],
];

describe.each(FETCHED)('%s', (_kind, model) => {
  test('the init container writes the model volume; the server mounts it read-only', () => {
    const r = custom(model);
    expect(mountOf(fetcherOf(r), 'model')).toEqual([{ name: 'model', mountPath: '/mnt/models' }]);
    expect(mountOf(serverOf(r), 'model')).toEqual([{ name: 'model', mountPath: '/mnt/models', readOnly: true }]);
  });

  test('the fetcher has its own /tmp, which the server never sees', () => {
    const r = custom(model);
    expect(mountOf(fetcherOf(r), 'fetch-tmp')).toEqual([{ name: 'fetch-tmp', mountPath: '/tmp' }]);
    expect(mountOf(serverOf(r), 'fetch-tmp')).toEqual([]);
    expect(podSpecOf(r).volumes).toContainEqual({ name: 'fetch-tmp', emptyDir: { sizeLimit: '1024Mi' } });
  });

  test('the fetcher runs restricted, as the server\'s user, with a read-only root', () => {
    const r = custom(model);
    expect(fetcherOf(r).securityContext).toEqual(serverOf(r).securityContext);
    expect(fetcherOf(r).securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, allowPrivilegeEscalation: false });
    expect(fetcherOf(r).env).toContainEqual({ name: 'HOME', value: '/tmp' });
  });
});

test.each(RUNTIME_KINDS)('%s: only the fetching init container mounts the model writable', (kind) => {
  const spec = podSpecOf(renderValid(MINIMAL_PROPS[kind]()));
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    for (const m of mountOf(c, 'model')) expect([c.name, m.readOnly ?? false]).toEqual([c.name, c.name !== 'fetch-model']);
  }
});

test('a claim is mounted read-only at the volume and the mount', () => {
  const r = custom(ModelArtifact.fromPersistentVolumeClaim('shared-models', { path: 'scorer/v3/' }));
  expect(podSpecOf(r).volumes).toContainEqual({ name: 'model', persistentVolumeClaim: { claimName: 'shared-models', readOnly: true } });
  expect(mountOf(serverOf(r), 'model')).toEqual([{ name: 'model', mountPath: '/mnt/models', readOnly: true }]);
  expect(serverOf(r).env).toEqual([{ name: 'MODEL_PATH', value: '/mnt/models/scorer/v3' }]);
});

test('a claim path that climbs out of the volume is refused', () => {
  expect(() => custom(ModelArtifact.fromPersistentVolumeClaim('shared-models', { path: '../etc' }))).toThrow(/runtime\.model\.path/);
});

test('a baked-in model has no model volume', () => {
  const r = custom(ModelArtifact.inImage('/opt/model'));
  expect(podSpecOf(r).volumes!.map((v) => v.name)).toEqual(['scratch-tmp']);
  expect(mountOf(serverOf(r), 'model')).toEqual([]);
});
