import { Accelerator, ArtifactCredentials, ModelArtifact, Runtime, type ModelServiceProps } from '../../../lib/core';
import { fetcherOf, HF_REVISION, render, renderValid, serverOf } from '../../support/fixtures';

const s3Secret = ArtifactCredentials.fromSecret('s3-reader', { AWS_ACCESS_KEY_ID: 'access-key', AWS_SECRET_ACCESS_KEY: 'secret-key' });
const torchServe = (credentials: ArtifactCredentials, extra: Partial<ModelServiceProps> = {}) =>
  renderValid({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar', { credentials }) }), ...extra });
const annotationsOf = (r: ReturnType<typeof render>) => (r.serviceAccount.metadata.annotations);

describe('fromSecret', () => {
  test('keys become secretKeyRef env of the init container', () => {
    expect(fetcherOf(torchServe(s3Secret)).env).toEqual([
      { name: 'HOME', value: '/tmp' },
      { name: 'AWS_ACCESS_KEY_ID', valueFrom: { secretKeyRef: { name: 's3-reader', key: 'access-key' } } },
      { name: 'AWS_SECRET_ACCESS_KEY', valueFrom: { secretKeyRef: { name: 's3-reader', key: 'secret-key' } } },
    ]);
  });

  test('the server never sees the secret, and the ServiceAccount gets no annotations', () => {
    const r = torchServe(s3Secret);
    const server = serverOf(r);
    expect((server.env ?? []).filter((e) => e.valueFrom)).toEqual([]);
    expect(JSON.stringify(server)).not.toContain('s3-reader');
    expect(JSON.stringify(r.objects.filter((o) => o.kind !== 'Deployment'))).not.toContain('s3-reader');
    expect(annotationsOf(r)).toBeUndefined();
  });

  test('a Hugging Face token reaches only the fetcher; the server stays offline', () => {
    const credentials = ArtifactCredentials.fromSecret('hf', { HF_TOKEN: 'token' });
    const r = renderValid({ runtime: Runtime.vllm({ model: ModelArtifact.fromHuggingFace('org/gated', { revision: HF_REVISION, credentials }) }), accelerator: Accelerator.nvidiaGpu(), resources: { memory: '16Gi' } });
    expect(fetcherOf(r).env).toContainEqual({ name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } });
    expect(serverOf(r).env!.map((e) => e.name)).not.toContain('HF_TOKEN');
  });

  test('bad secret names, env names and empty mappings are all reported', () => {
    const props = (credentials: ArtifactCredentials): ModelServiceProps => ({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar', { credentials }) }) });
    expect(() => render(props(ArtifactCredentials.fromSecret('Bad_Name', { '1BAD': 'k' })))).toThrow(/runtime\.model\.credentials\.secretName.*\n.*runtime\.model\.credentials\.env\.1BAD/);
    expect(() => render(props(ArtifactCredentials.fromSecret('ok', {})))).toThrow(/runtime\.model\.credentials\.env: got \{\}/);
  });
});

describe('fromServiceAccountAnnotations', () => {
  const irsa = { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/model-reader' };

  test('annotations go on the ServiceAccount; the fetcher gets no credential env', () => {
    const r = torchServe(ArtifactCredentials.fromServiceAccountAnnotations(irsa));
    expect(annotationsOf(r)).toEqual(irsa);
    expect(fetcherOf(r).env).toEqual([{ name: 'HOME', value: '/tmp' }]);
    expect(r.serviceAccount['automountServiceAccountToken']).toBe(false);
  });

  test('they merge with the service\'s own ServiceAccount annotations', () => {
    const r = torchServe(ArtifactCredentials.fromServiceAccountAnnotations(irsa), { serviceAccountAnnotations: { 'example.com/owner': 'fraud-team' } });
    expect(annotationsOf(r)).toEqual({ ...irsa, 'example.com/owner': 'fraud-team' });
  });

  test('no annotations is refused', () => {
    expect(() => render({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/f/fraud.mar', { credentials: ArtifactCredentials.fromServiceAccountAnnotations({}) }) }) })).toThrow(
      /runtime\.model\.credentials\.annotations/,
    );
  });
});
