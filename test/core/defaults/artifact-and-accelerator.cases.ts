/** The documented defaults of artifacts (artifact/artifact.ts), accelerators (accelerator.ts) and the Pod Security checker (policy/). */
import { Accelerator, ModelArtifact, ModelImage, Runtime, Size, type ModelServiceProps, type RenderedModelService } from '../../../lib/core';
import { checkPodSecurityRestricted, type PodLike } from '../../../lib/core/policy';
import { configFilesOf, fetcherOf, MINIMAL_PROPS, parseProperties, podSpecOf, render, scriptLines, serverOf } from '../../support/fixtures';
import { documented, type DefaultCases } from './cases';

// ---- artifacts ----------------------------------------------------------------------------

/** Triton over an S3 prefix: nothing else in the pod asks for ephemeral storage. */
const triton = (model: ModelArtifact) => render({ runtime: Runtime.triton({ model }) });
const downloadSeconds = (size?: Size) => triton(ModelArtifact.fromS3('s3://models/repository/', size ? { size } : {})).budget.downloadSeconds;
const modelVolume = (rendered: RenderedModelService) => podSpecOf(rendered).volumes!.find((v) => v.name === 'model')!;

const AF = 'artifact/artifact.ts:FetchOptions';
const ARTIFACT: DefaultCases = {
  [`${AF}.size`]: documented('- no size limit and no ephemeral-storage request for the model', () => {
    const rendered = triton(ModelArtifact.fromS3('s3://models/repository/'));
    expect(modelVolume(rendered)).toEqual({ name: 'model', emptyDir: {} });
    expect(fetcherOf(rendered).resources.requests).not.toHaveProperty('ephemeral-storage');
    expect(fetcherOf(rendered).resources.limits).not.toHaveProperty('ephemeral-storage');
    expect(serverOf(rendered).resources.requests).not.toHaveProperty('ephemeral-storage');
  }),
  [`${AF}.downloadTime`]: documented('- `size` at 25 MiB/s, at least 60 s; 5 minutes when `size` is not declared', () => {
    expect(downloadSeconds()).toBe(300);
    expect(downloadSeconds(Size.gibibytes(10))).toBe(410); // 10240 MiB / 25 = 409.6, rounded up
    expect(downloadSeconds(Size.mebibytes(25 * 61))).toBe(61);
    expect(downloadSeconds(Size.mebibytes(25 * 60))).toBe(60);
    expect(downloadSeconds(Size.gibibytes(1))).toBe(60); // 41 s, raised to the 60 s floor
    expect(downloadSeconds(Size.mebibytes(1))).toBe(60);
    // …and it reaches the rollout deadline.
    const rendered = triton(ModelArtifact.fromS3('s3://models/repository/', { size: Size.gibibytes(10) }));
    expect((rendered.deployment['spec'] as { progressDeadlineSeconds: number }).progressDeadlineSeconds).toBe(300 + 410 + 180 + 10 + 5 + 60);
  }),
  [`${AF}.credentials`]: documented('- none: public objects, or credentials the node or ServiceAccount already has', () => {
    const rendered = triton(ModelArtifact.fromS3('s3://models/repository/'));
    expect(fetcherOf(rendered).env).toEqual([{ name: 'HOME', value: '/tmp' }]);
    expect(rendered.serviceAccount.metadata).not.toHaveProperty('annotations');
  }),
  [`${AF}.fetchImage`]: documented('- a pinned official CLI image for the source (aws-cli, cloud-sdk, curl), or the server\'s own image for Hugging Face', () => {
    const images = [
      fetcherOf(triton(ModelArtifact.fromS3('s3://models/repository/'))).image,
      fetcherOf(triton(ModelArtifact.fromGcs('gs://models/repository/'))).image,
      fetcherOf(triton(ModelArtifact.fromHttps('https://models.example.com/repository.tar.gz', { sha256: 'a'.repeat(64) }))).image,
    ];
    expect(images).toEqual(['amazon/aws-cli:2.22.35', 'google/cloud-sdk:502.0.0-slim', 'curlimages/curl:8.11.1']);
    for (const image of images) expect(image).toMatch(/^[a-z/-]+:\d[\w.-]*$/); // a version tag, never latest
    const vllm = render(MINIMAL_PROPS.vllm());
    expect(fetcherOf(vllm).image).toBe(serverOf(vllm).image);
  }),
  ['artifact/artifact.ts:ObjectStoreOptions.sha256']: documented('- not checked (object storage is authenticated; use `sha256` to pin contents too)', () => {
    const lines = scriptLines(fetcherOf(render(MINIMAL_PROPS.torchserve())));
    expect(lines.filter((l) => l.includes('sha256sum'))).toEqual([]);
    // With one, it is checked.
    const pinned = render({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar', { sha256: 'b'.repeat(64) }) }) });
    expect(scriptLines(fetcherOf(pinned)).filter((l) => l.includes('sha256sum'))).toHaveLength(1);
  }),
  ['artifact/artifact.ts:PersistentVolumeClaimOptions.path']: documented('- the volume\'s root', () => {
    const rendered = triton(ModelArtifact.fromPersistentVolumeClaim('models'));
    expect(serverOf(rendered).args).toContain('--model-repository=/mnt/models');
    expect(serverOf(rendered).volumeMounts).toContainEqual({ name: 'model', mountPath: '/mnt/models', readOnly: true });
  }),
  ['artifact/artifact.ts:ModelArtifact.inImage']: documented('path - the runtime\'s model directory (e.g. `/home/model-server/model-store/<name>.mar` for TorchServe)', () => {
    const inImage = ModelArtifact.inImage();
    const ts = parseProperties(configFilesOf(render({ runtime: Runtime.torchServe({ model: inImage }) }))['config.properties']!);
    expect([ts.get('model_store'), ts.get('load_models')]).toEqual(['/home/model-server/model-store', 'fraud=fraud.mar']);
    expect(configFilesOf(render({ runtime: Runtime.tensorflowServing({ model: inImage }) }))['models.config']).toContain("base_path: '/models/fraud'");
    expect(serverOf(render({ runtime: Runtime.triton({ model: inImage }) })).args).toContain('--model-repository=/models');
    expect(serverOf(render({ ...MINIMAL_PROPS.vllm(), runtime: Runtime.vllm({ model: inImage }) })).args).toContain('--model=/models/fraud');
    const custom = render({ runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2'), model: inImage }) });
    expect(serverOf(custom).env).toEqual([{ name: 'MODEL_PATH', value: '/models' }]);
    // Nothing is fetched or mounted for a model in the image.
    expect(podSpecOf(custom).initContainers).toBeUndefined();
  }),
};

// ---- accelerators -------------------------------------------------------------------------

const gpu = (options?: Parameters<typeof Accelerator.nvidiaGpu>[0], props: ModelServiceProps = MINIMAL_PROPS.triton()) => render({ ...props, accelerator: Accelerator.nvidiaGpu(options) });
const gpuResources = (rendered: RenderedModelService) => {
  const { requests, limits } = serverOf(rendered).resources;
  const pick = (r: Record<string, string> = {}) => Object.fromEntries(Object.entries(r).filter(([k]) => k.startsWith('nvidia.com/')));
  return { requests: pick(requests), limits: pick(limits) };
};

const NG = 'accelerator.ts:NvidiaGpuOptions';
const ACCELERATOR: DefaultCases = {
  [`${NG}.count`]: documented('1', () => {
    expect(gpuResources(gpu())).toEqual({ requests: { 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } });
    expect(gpuResources(gpu({ migProfile: '1g.10gb' }))).toEqual({ requests: { 'nvidia.com/mig-1g.10gb': '1' }, limits: { 'nvidia.com/mig-1g.10gb': '1' } });
  }),
  [`${NG}.product`]: documented('- any product', () => {
    expect(podSpecOf(gpu()).nodeSelector).toBeUndefined();
  }),
  [`${NG}.migProfile`]: documented('- whole GPUs', () => {
    expect(Object.keys(gpuResources(gpu({ count: 2 })).limits)).toEqual(['nvidia.com/gpu']);
  }),
  [`${NG}.tolerations`]: documented('- tolerate `nvidia.com/gpu` with any value and effect `NoSchedule`', () => {
    expect(podSpecOf(gpu()).tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    // Explicit tolerations replace it; the service's are added after.
    const own = [{ key: 'gpu-pool', operator: 'Equal' as const, value: 'h100', effect: 'NoSchedule' as const }];
    expect(podSpecOf(gpu({ tolerations: own })).tolerations).toEqual(own);
  }),
};

// ---- Pod Security checker -----------------------------------------------------------------

/** A restricted pod that sets a sysctl safe only from Kubernetes 1.29. */
const podWithSysctl: PodLike = {
  metadata: { name: 'p' },
  spec: {
    securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '600' }] },
    containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  },
};

const POLICY: DefaultCases = {
  ['policy/pod-security.ts:PodSecurityOptions.version']: documented('"1.28"', () => {
    const checks = (version?: string) => checkPodSecurityRestricted(podWithSysctl, version === undefined ? {} : { version }).map((v) => v.check);
    expect(checks()).toEqual(['sysctls']);
    expect(checks()).toEqual(checks('1.28'));
    expect(checks('1.29')).toEqual([]);
  }),
};

export const ARTIFACT_AND_ACCELERATOR_DEFAULTS: DefaultCases = { ...ARTIFACT, ...ACCELERATOR, ...POLICY };
