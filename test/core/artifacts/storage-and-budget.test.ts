import { Duration, ModelArtifact, ModelImage, Runtime, Size, type Container, type ModelServiceProps, type PodSpec } from '../../../lib/core';
import { parseQuantity } from '../../../lib/core/quantity';
import { CUSTOM_IMAGE, fetcherOf, podSpecOf, render, renderValid, serverOf, SHA256 } from '../../support/fixtures';

/** A custom server (1-minute default load, only /tmp writable, unsized) so the numbers are the artifact's own. */
const withModel = (model: ModelArtifact, extra: Partial<ModelServiceProps> = {}): ModelServiceProps => ({ runtime: Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), model }), ...extra });
const modelVolumeOf = (spec: PodSpec) => spec.volumes!.find((v) => v.name === 'model')!;
const ephemeral = (c: Container) => [c.resources.requests['ephemeral-storage'], c.resources.limits?.['ephemeral-storage']];

/**
 * The pod-level ephemeral-storage limit the kubelet enforces (eviction manager, `PodLimits`):
 * regular containers summed, then the max with each init container. Undefined when no container sets one.
 */
function kubeletPodEphemeralLimit(spec: PodSpec): number | undefined {
  const limitOf = (c: Container) => c.resources.limits?.['ephemeral-storage'];
  let total: number | undefined;
  for (const c of spec.containers) if (limitOf(c)) total = (total ?? 0) + parseQuantity(limitOf(c)!)!;
  for (const c of spec.initContainers ?? []) if (limitOf(c)) total = Math.max(total ?? 0, parseQuantity(limitOf(c)!)!);
  return total;
}

describe('size', () => {
  test('sets the model volume sizeLimit (10 % headroom) and the ephemeral-storage request of both containers', () => {
    const r = renderValid(withModel(ModelArtifact.fromS3('s3://models/a/model.onnx', { size: Size.gibibytes(10) })));
    expect(modelVolumeOf(podSpecOf(r))).toEqual({ name: 'model', emptyDir: { sizeLimit: '11264Mi' } });
    // The fetcher also writes its 1 GiB scratch volume (fetch-tmp).
    expect(fetcherOf(r).resources.requests['ephemeral-storage']).toBe(`${11264 + 1024}Mi`);
    expect(serverOf(r).resources.requests['ephemeral-storage']).toBe('11264Mi');
  });

  test.each([
    ['an object', ModelArtifact.fromS3('s3://models/a/model.onnx', { size: Size.gibibytes(10) })],
    ['an archive', ModelArtifact.fromHttps('https://models.example.com/a.tar.gz', { sha256: SHA256, size: Size.parse('1Gi') })],
  ])('%s: the pod-level ephemeral-storage request (the larger of the init container\'s and the sum of the others\') covers the model volume and fetch-tmp', (_what, model) => {
    const spec = podSpecOf(renderValid(withModel(model)));
    const request = (c: Container) => parseQuantity(c.resources.requests['ephemeral-storage'] ?? '0')!;
    const podRequest = Math.max(...(spec.initContainers ?? []).map(request), spec.containers.reduce((sum, c) => sum + request(c), 0));
    const sizeLimit = (name: string) => parseQuantity(spec.volumes!.find((v) => v.name === name)!.emptyDir!.sizeLimit!)!;
    expect(sizeLimit('fetch-tmp')).toBe(2 ** 30);
    expect(podRequest).toBe(sizeLimit('model') + sizeLimit('fetch-tmp'));
  });

  test('an archive needs room for itself and its contents while unpacking', () => {
    const r = renderValid(withModel(ModelArtifact.fromHttps('https://models.example.com/a.tar.gz', { sha256: SHA256, size: Size.parse('1Gi') })));
    expect(modelVolumeOf(podSpecOf(r))).toEqual({ name: 'model', emptyDir: { sizeLimit: '2253Mi' } });
    expect(serverOf(r).resources.requests['ephemeral-storage']).toBe('2253Mi');
  });

  test('the server request adds the runtime\'s sized scratch directories (TorchServe logs: 1Gi)', () => {
    const r = renderValid({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/f/fraud.mar', { size: Size.mebibytes(500) }) }) });
    expect(serverOf(r).resources.requests['ephemeral-storage']).toBe(`${550 + 1024}Mi`);
  });

  test('without size: no sizeLimit on the model volume and no ephemeral-storage anywhere', () => {
    const r = renderValid(withModel(ModelArtifact.fromGcs('gs://models/a/')));
    expect(modelVolumeOf(podSpecOf(r))).toEqual({ name: 'model', emptyDir: {} });
    expect(ephemeral(fetcherOf(r))).toEqual([undefined, undefined]);
    expect(ephemeral(serverOf(r))).toEqual([undefined, undefined]);
  });

  test('an invalid size is refused', () => {
    expect(() => render(withModel(ModelArtifact.fromS3('s3://models/a/m.onnx', { size: Size.parse('ten gigs') })))).toThrow(/runtime\.model\.size: got ten gigs/);
  });

  test.each([
    ['TorchServe, a sized .mar', { runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/f/fraud.mar', { size: Size.gibibytes(2) }) }) }],
    ['custom, a sized prefix', withModel(ModelArtifact.fromS3('s3://models/a/', { size: Size.gibibytes(2) }))],
    ['custom, a sized archive', withModel(ModelArtifact.fromHttps('https://h.example.com/a.tgz', { sha256: SHA256, size: Size.gibibytes(2) }))],
  ])('%s: the pod-level ephemeral-storage limit the kubelet derives cannot evict a pod whose volumes stay within their own limits', (_what, props) => {
    const spec = podSpecOf(renderValid(props));
    const onDisk = (spec.volumes ?? []).filter((v) => v.emptyDir && !v.emptyDir.medium);
    // An emptyDir without sizeLimit may grow to the node's capacity.
    const mostOnDisk = onDisk.every((v) => v.emptyDir!.sizeLimit) ? onDisk.reduce((sum, v) => sum + parseQuantity(v.emptyDir!.sizeLimit!)!, 0) : Infinity;
    expect(kubeletPodEphemeralLimit(spec) ?? Infinity).toBeGreaterThanOrEqual(mostOnDisk);
  });
});

describe('download budget', () => {
  const IMAGE_PULL = 300;
  const CUSTOM_LOAD = 60;
  const STARTUP_PERIOD = 10;
  const READINESS_PERIOD = 5;
  const MARGIN = 60;
  const deadline = (r: ReturnType<typeof render>) => (r.deployment['spec'] as { progressDeadlineSeconds: number }).progressDeadlineSeconds;

  test.each([
    ['no size: 5 minutes', ModelArtifact.fromS3('s3://models/a/'), 300],
    ['10Gi at 25 MiB/s', ModelArtifact.fromS3('s3://models/a/', { size: Size.gibibytes(10) }), 410],
    ['a small model: at least a minute', ModelArtifact.fromGcs('gs://models/a/', { size: Size.mebibytes(100) }), 60],
    ['an explicit downloadTime wins over size', ModelArtifact.fromHttps('https://h.example.com/m.onnx', { sha256: SHA256, size: Size.gibibytes(10), downloadTime: Duration.minutes(7) }), 420],
    ['a claim downloads nothing', ModelArtifact.fromPersistentVolumeClaim('models'), 0],
    ['a baked-in model downloads nothing', ModelArtifact.inImage('/opt/model'), 0],
  ])('%s', (_what, model, download) => {
    const r = renderValid(withModel(model));
    expect(r.budget.downloadSeconds).toBe(download);
    expect(deadline(r)).toBe(IMAGE_PULL + download + CUSTOM_LOAD + STARTUP_PERIOD + READINESS_PERIOD + MARGIN);
  });

  test('the startup probe covers the load only: it starts after the init container finished', () => {
    const short = serverOf(renderValid(withModel(ModelArtifact.inImage('/opt/model')))).startupProbe;
    const long = serverOf(renderValid(withModel(ModelArtifact.fromS3('s3://models/a/', { downloadTime: Duration.hours(1) })))).startupProbe;
    expect(long).toEqual(short);
    // The first check runs at start; the last allowed failure comes (failureThreshold − 1) periods later.
    expect(long).toMatchObject({ periodSeconds: STARTUP_PERIOD, failureThreshold: CUSTOM_LOAD / STARTUP_PERIOD + 1 });
    expect(long!.periodSeconds * (long!.failureThreshold - 1)).toBe(CUSTOM_LOAD);
  });

  test('a progress deadline shorter than pull + download + load + one startup and one readiness period is refused', () => {
    const props = withModel(ModelArtifact.fromS3('s3://models/a/', { downloadTime: Duration.minutes(10) }), { progressDeadline: Duration.minutes(16) });
    expect(() => render(props)).toThrow(/progressDeadline: .*expected at least 975 s: image pull \(300 s\) \+ download \(600 s\) \+ modelLoadTime \(60 s\) \+ one startup and one readiness probe period \(15 s\)/);
    expect(() => renderValid({ ...props, progressDeadline: Duration.seconds(975) })).not.toThrow();
  });
});
