/**
 * fast-check arbitraries for random VALID ModelService props: every runtime, every artifact
 * kind, random names, quantities, GPUs, tolerations, labels and durations, each within what the
 * library documents as accepted. Shrinking keeps counterexamples readable.
 */
import fc from 'fast-check';
import {
  Accelerator,
  ArtifactCredentials,
  Duration,
  InferenceClients,
  MIG_PROFILES,
  ModelArtifact,
  ModelImage,
  PortRole,
  Runtime,
  Size,
  TopologySpread,
  VersionPolicy,
  parseQuantity,
  type CustomPort,
  type FetchOptions,
  type IRuntime,
  type ModelServiceProps,
  type Toleration,
} from '../../../lib/core';

const DAY = 24 * 3600;

// ---- names and labels ---------------------------------------------------------------------

export const serviceName = fc.stringMatching(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
export const dnsLabel = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
export const dnsSubdomain = fc.stringMatching(/^[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?){0,3}$/);
const labelName = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
export const labelValue = fc.stringMatching(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/);
export const labelKey = fc.tuple(fc.option(dnsSubdomain, { nil: undefined }), labelName).map(([prefix, name]) => (prefix ? `${prefix}/${name}` : name));
const RESERVED = new Set(['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'modelship.dev/runtime']);
const userLabels = fc.dictionary(labelKey.filter((k) => !RESERVED.has(k)), labelValue, { maxKeys: 4 });

/** Names the built-in runtimes set themselves; user env may not repeat them. */
const RUNTIME_ENV = new Set(['LOG_LOCATION', 'METRICS_LOCATION', 'TEMP', 'HOME', 'HF_HOME', 'HF_HUB_OFFLINE', 'XDG_CACHE_HOME', 'VLLM_NO_USAGE_STATS', 'DO_NOT_TRACK', 'MODEL_PATH']);
const envName = fc.stringMatching(/^[-._a-zA-Z][-._a-zA-Z0-9]{0,20}$/).filter((n) => !RUNTIME_ENV.has(n) && n !== '.' && !n.startsWith('..'));
const secretKey = fc.stringMatching(/^[-._a-zA-Z0-9]{1,30}$/);

// ---- quantities and durations -------------------------------------------------------------

/** A duration of whole seconds, minutes or milliseconds between the bounds (inclusive, in seconds). */
export const duration = (minSeconds: number, maxSeconds: number): fc.Arbitrary<Duration> =>
  fc.oneof(
    fc.integer({ min: minSeconds, max: maxSeconds }).map((s) => Duration.seconds(s)),
    fc.integer({ min: Math.ceil(minSeconds / 60), max: Math.floor(maxSeconds / 60) }).map((m) => Duration.minutes(m)),
    fc.integer({ min: minSeconds * 1000, max: maxSeconds * 1000 }).map((ms) => Duration.millis(ms)),
  );

const cpuQuantity = (millicores: number) => (millicores % 1000 === 0 ? fc.constantFrom(String(millicores / 1000), `${millicores}m`) : fc.constant(`${millicores}m`));
const memoryQuantity = (mebibytes: number) => (mebibytes % 1024 === 0 ? fc.constantFrom(`${mebibytes / 1024}Gi`, `${mebibytes}Mi`) : fc.constant(`${mebibytes}Mi`));

/** Requests, and limits at or above them (a limit only with its request). */
const resources = fc
  .record({ cpu: fc.integer({ min: 1, max: 64_000 }), cpuExtra: fc.option(fc.integer({ min: 0, max: 8000 }), { nil: undefined }), memory: fc.integer({ min: 64, max: 512 * 1024 }), memoryExtra: fc.option(fc.integer({ min: 0, max: 64 * 1024 }), { nil: undefined }), omit: fc.constantFrom('none', 'cpu', 'memory') })
  .chain(({ cpu, cpuExtra, memory, memoryExtra, omit }) =>
    fc.record({
      ...(omit !== 'cpu' ? { cpu: cpuQuantity(cpu), ...(cpuExtra !== undefined ? { cpuLimit: cpuQuantity(cpu + cpuExtra) } : {}) } : {}),
      ...(omit !== 'memory' ? { memory: memoryQuantity(memory), ...(memoryExtra !== undefined ? { memoryLimit: memoryQuantity(memory + memoryExtra) } : {}) } : {}),
    }),
  );

// ---- images and artifacts -----------------------------------------------------------------

const repository = fc.tuple(fc.constantFrom('', 'ghcr.io/', 'registry.example.com:5000/', '123456789012.dkr.ecr.us-east-1.amazonaws.com/'), fc.stringMatching(/^[a-z0-9]{1,10}(\/[a-z0-9]{1,10}){0,2}$/)).map(([host, path]) => `${host}${path}`);
const tag = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}$/).filter((t) => t !== 'latest');
const digest = fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`);
/** A pinned image: a tag other than latest, or a digest (optionally after a tag). */
export const pinnedImage = fc
  .tuple(repository, fc.option(tag, { nil: undefined }), fc.option(digest, { nil: undefined }))
  .filter(([, t, d]) => t !== undefined || d !== undefined)
  .map(([repo, t, d]) => ModelImage.fromRegistry(`${repo}${t ? `:${t}` : ''}${d ? `@${d}` : ''}`));

const sha256 = fc.stringMatching(/^[a-f0-9]{64}$/);
const bucket = fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,20}[a-z0-9]$/);
const pathSegments = fc.array(fc.stringMatching(/^[A-Za-z0-9_-]{1,12}$/), { minLength: 0, maxLength: 3 }).map((s) => s.map((x) => `${x}/`).join(''));
const fileStem = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);

const credentials: fc.Arbitrary<ArtifactCredentials> = fc.oneof(
  fc.tuple(dnsSubdomain, fc.dictionary(envName, secretKey, { minKeys: 1, maxKeys: 3 })).map(([name, env]) => ArtifactCredentials.fromSecret(name, env)),
  fc.dictionary(labelKey, fc.string({ maxLength: 40 }), { minKeys: 1, maxKeys: 2 }).map((a) => ArtifactCredentials.fromServiceAccountAnnotations(a)),
);

/** Options every fetched artifact takes; sizes up to 1 TiB keep the derived deadline in range. */
const fetchOptions: fc.Arbitrary<FetchOptions> = fc.record(
  {
    size: fc.oneof(fc.integer({ min: 1, max: 1024 * 1024 }).map((mib) => Size.mebibytes(mib)), fc.integer({ min: 1, max: 1024 }).map((gib) => Size.parse(`${gib}Gi`))),
    downloadTime: duration(1, DAY),
    credentials,
    fetchImage: pinnedImage,
  },
  { requiredKeys: [] },
);

type ArtifactShape = 'file' | 'directory';
const s3 = (shape: ArtifactShape, ext: string) =>
  fc.tuple(bucket, pathSegments, fileStem, fetchOptions, fc.option(sha256, { nil: undefined })).map(([b, dir, stem, options, sha]) =>
    shape === 'file' ? ModelArtifact.fromS3(`s3://${b}/${dir}${stem}${ext}`, { ...options, ...(sha ? { sha256: sha } : {}) }) : ModelArtifact.fromS3(`s3://${b}/${dir}${stem}/`, options),
  );
const gcs = (shape: ArtifactShape, ext: string) =>
  fc.tuple(bucket, pathSegments, fileStem, fetchOptions, fc.option(sha256, { nil: undefined })).map(([b, dir, stem, options, sha]) =>
    shape === 'file' ? ModelArtifact.fromGcs(`gs://${b}/${dir}${stem}${ext}`, { ...options, ...(sha ? { sha256: sha } : {}) }) : ModelArtifact.fromGcs(`gs://${b}/${dir}${stem}/`, options),
  );
const https = (ext: string) =>
  fc.tuple(fc.constantFrom('models.example.com', 'cdn.example.org:8443'), pathSegments, fileStem, fetchOptions, sha256, fc.constantFrom('', '?download=1')).map(([host, dir, stem, options, sha, query]) =>
    ModelArtifact.fromHttps(`https://${host}/${dir}${stem}${ext}${query}`, { ...options, sha256: sha }),
  );
const claim = (shape: ArtifactShape, ext: string) =>
  fc.tuple(dnsSubdomain, pathSegments, fileStem, fc.boolean()).map(([name, dir, stem, root]) =>
    shape === 'file' ? ModelArtifact.fromPersistentVolumeClaim(name, { path: `${dir}${stem}${ext}` }) : ModelArtifact.fromPersistentVolumeClaim(name, root ? {} : { path: `${dir}${stem}` }),
  );
const inImage = (shape: ArtifactShape, ext: string) =>
  fc.option(fc.tuple(pathSegments, fileStem).map(([dir, stem]) => `/opt/${dir}${stem}${shape === 'file' ? ext : ''}`), { nil: undefined }).map((path) => ModelArtifact.inImage(path));
const huggingFace = (withFetchImage: boolean) =>
  fc
    .tuple(fc.stringMatching(/^[A-Za-z0-9][\w.-]{0,20}$/), fc.stringMatching(/^[A-Za-z0-9][\w.-]{0,20}$/), fc.stringMatching(/^[a-f0-9]{40}$/), fetchOptions, pinnedImage)
    .map(([org, name, revision, options, image]) => ModelArtifact.fromHuggingFace(`${org}/${name}`, { ...options, revision, ...(withFetchImage ? { fetchImage: image } : {}) }));

/** A `.mar` archive (TorchServe) from any source. */
const marArtifact = fc.oneof(s3('file', '.mar'), gcs('file', '.mar'), https('.mar'), claim('file', '.mar'), inImage('file', '.mar'));
/** A directory (SavedModel base path, Triton repository) from any source. */
const directoryArtifact = fc.oneof(s3('directory', ''), gcs('directory', ''), https('.tar.gz'), https('.tgz'), claim('directory', ''), inImage('directory', ''), huggingFace(true));
/** Any artifact a custom server might load. */
const anyArtifact = fc.oneof(s3('file', '.bin'), s3('directory', ''), gcs('file', '.onnx'), https('.pt'), claim('directory', ''), inImage('file', '.bin'), huggingFace(true));

// ---- accelerators and scheduling ----------------------------------------------------------

const effect = fc.constantFrom<Toleration['effect']>('NoSchedule', 'PreferNoSchedule', 'NoExecute');
export const toleration: fc.Arbitrary<Toleration> = fc.oneof(
  fc.record({ key: labelKey, operator: fc.constant<'Exists'>('Exists'), effect }, { requiredKeys: ['key', 'operator'] }),
  fc.record({ key: labelKey, operator: fc.constant<'Equal'>('Equal'), value: labelValue, effect }, { requiredKeys: ['key', 'value'] }),
  fc.record({ operator: fc.constant<'Exists'>('Exists'), effect }, { requiredKeys: ['operator'] }),
  fc.record({ key: labelKey, operator: fc.constant<'Exists'>('Exists'), effect: fc.constant<'NoExecute'>('NoExecute'), tolerationSeconds: fc.integer({ min: 0, max: DAY }) }),
);

export const accelerator = fc
  .record(
    {
      count: fc.integer({ min: 1, max: 8 }),
      product: fc.constantFrom('NVIDIA-A10G', 'NVIDIA-H100-80GB-HBM3', 'NVIDIA-L4', 'Tesla-T4'),
      migProfile: fc.constantFrom(...MIG_PROFILES),
      tolerations: fc.array(toleration, { maxLength: 2 }),
    },
    { requiredKeys: [] },
  )
  .map((options) => ({ options, accelerator: Accelerator.nvidiaGpu(options) }));

const spread = fc.constantFrom(TopologySpread.zonesAndNodes(), TopologySpread.nodes(), TopologySpread.none());
const inferenceClients = fc.oneof(
  fc.constant(InferenceClients.any()),
  fc.uniqueArray(dnsLabel, { minLength: 1, maxLength: 3 }).map((names) => InferenceClients.namespaces(...names)),
  fc.dictionary(labelKey, labelValue, { minKeys: 1, maxKeys: 3 }).map((labels) => InferenceClients.podsWithLabels(labels)),
);

// ---- runtimes -----------------------------------------------------------------------------

const torchServe = fc
  .record(
    {
      model: marArtifact,
      image: pinnedImage,
      modelName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,30}$/),
      modelVersion: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/),
      workers: fc.integer({ min: 1, max: 16 }),
      batchSize: fc.integer({ min: 1, max: 256 }),
      maxBatchDelay: duration(0, 60),
      responseTimeout: duration(1, 3600),
      jobQueueSize: fc.integer({ min: 1, max: 10_000 }),
      grpc: fc.boolean(),
    },
    { requiredKeys: ['model'] },
  )
  .map((o) => Runtime.torchServe(o));

/** A version policy and labels consistent with it (labels need their versions loaded). */
const versions = fc.oneof(
  fc.record({ versionPolicy: fc.integer({ min: 1, max: 5 }).map((n) => VersionPolicy.latest(n)) }),
  fc.record({ versionPolicy: fc.constant(VersionPolicy.all()), versionLabels: fc.dictionary(fc.stringMatching(/^[a-zA-Z0-9_]{1,12}$/), fc.integer({ min: 0, max: 1000 }), { maxKeys: 3 }) }, { requiredKeys: ['versionPolicy'] }),
  fc
    .uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 4 })
    .chain((vs) => fc.record({ versionPolicy: fc.constant(VersionPolicy.specific(vs)), versionLabels: fc.dictionary(fc.stringMatching(/^[a-zA-Z0-9_]{1,12}$/), fc.constantFrom(...vs), { maxKeys: 3 }) }, { requiredKeys: ['versionPolicy'] })),
  fc.constant({}),
);
const batching = fc.integer({ min: 1, max: 512 }).chain((maxBatchSize) =>
  fc.record(
    {
      maxBatchSize: fc.constant(maxBatchSize),
      batchTimeout: duration(0, 60),
      maxEnqueuedBatches: fc.integer({ min: 1, max: 1000 }),
      numBatchThreads: fc.integer({ min: 1, max: 64 }),
      allowedBatchSizes: fc.uniqueArray(fc.integer({ min: 1, max: maxBatchSize }), { maxLength: 4 }).map((sizes) => [...new Set([...sizes, maxBatchSize])].sort((a, b) => a - b)),
      padVariableLengthInputs: fc.boolean(),
    },
    { requiredKeys: ['maxBatchSize'] },
  ),
);
const tensorflowServing = fc
  .tuple(fc.record({ model: directoryArtifact, image: pinnedImage, modelName: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,30}$/), batching, grpc: fc.boolean() }, { requiredKeys: ['model'] }), versions)
  .map(([o, v]) => Runtime.tensorflowServing({ ...o, ...v }));

const triton = fc.record({ model: directoryArtifact, image: pinnedImage, grpc: fc.boolean() }, { requiredKeys: ['model'] }).map((o) => Runtime.triton(o));

/** vLLM's default /dev/shm, in MiB. */
const VLLM_DEFAULT_SHM_MIB = 2048;

/**
 * vLLM with `gpus` devices: tensorParallelSize, when given, must equal the device count; without
 * a GPU the default image is refused, so an image is given. /dev/shm (in RAM) stays below the
 * container's memory limit (`memoryLimitMiB`), so it is given whenever the 2Gi default would not fit.
 */
const vllm = (gpus: number, memoryLimitMiB: number) => {
  const maxShmMiB = Math.min(65536, memoryLimitMiB - 1);
  const sharedMemory = fc.oneof(
    ...(maxShmMiB >= 1024 ? [fc.integer({ min: 1, max: Math.floor(maxShmMiB / 1024) }).map((n) => `${n}Gi`)] : []),
    fc.integer({ min: 1, max: maxShmMiB }).map((n) => `${n}Mi`),
  );
  const requiredKeys: ('model' | 'image' | 'sharedMemory')[] = ['model', ...(gpus === 0 ? (['image'] as const) : []), ...(memoryLimitMiB <= VLLM_DEFAULT_SHM_MIB ? (['sharedMemory'] as const) : [])];
  return fc
    .record(
      {
        model: fc.oneof(huggingFace(false), huggingFace(true), claim('directory', ''), inImage('directory', ''), s3('directory', '')),
        image: pinnedImage,
        servedModelName: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_./-]{0,30}$/),
        tensorParallelSize: fc.constant(Math.max(gpus, 1)),
        maxModelLen: fc.integer({ min: 1, max: 131_072 }),
        gpuMemoryUtilization: fc.double({ min: 0.05, max: 1, noNaN: true }),
        sharedMemory,
      },
      { requiredKeys },
    )
    .map((o) => Runtime.vllm(o));
};

// The last three share a volume-name slug (scratch-var-cache-app): names must still come out unique.
const WRITABLE = ['/tmp', '/home/app/.cache', '/data/scratch', '/run/app', '/var/log/app', '/var/cache/app', '/var-cache/app', '/var/cache-app'];
const customPorts: fc.Arbitrary<CustomPort[]> = fc
  .tuple(
    fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,14}$/), { minLength: 4, maxLength: 4 }),
    fc.uniqueArray(fc.integer({ min: 1, max: 65535 }), { minLength: 4, maxLength: 4 }),
    fc.subarray([PortRole.GRPC, PortRole.METRICS, PortRole.ADMIN]),
    fc.boolean(),
  )
  .map(([names, numbers, extra, explicitHttp]) => [
    { name: names[0]!, port: numbers[0]!, ...(explicitHttp ? { role: PortRole.HTTP } : {}) },
    ...extra.map((role, i) => ({ name: names[i + 1]!, port: numbers[i + 1]!, role })),
  ]);
const urlPath = fc.stringMatching(/^\/[A-Za-z0-9._~-]{0,12}(\/[A-Za-z0-9._~-]{1,12}){0,2}$/);
const custom = fc
  .record(
    {
      image: pinnedImage,
      ports: customPorts,
      healthPath: urlPath,
      readinessPath: urlPath,
      metricsPath: urlPath,
      command: fc.array(fc.string({ maxLength: 20 }), { minLength: 1, maxLength: 3 }),
      args: fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
      model: anyArtifact,
      runAsUser: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      runAsGroup: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      writablePaths: fc.subarray(WRITABLE),
      defaultModelLoadTime: duration(1, DAY),
      scalingMetric: fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,30}$/),
    },
    { requiredKeys: ['image'] },
  )
  .map((o) => Runtime.custom(o));

export type RuntimeKind = 'torchserve' | 'tfserving' | 'triton' | 'vllm' | 'custom';

// ---- the service --------------------------------------------------------------------------

/** Termination grace and drain: the drain is shorter, in the whole seconds they render as. */
const lifecycle = fc.oneof(
  fc.constant({}),
  fc.integer({ min: 0, max: 59 }).map((s) => ({ preStopDrain: Duration.seconds(s) })),
  fc.integer({ min: 16, max: 3600 }).map((s) => ({ terminationGracePeriod: Duration.seconds(s) })),
  fc.integer({ min: 1, max: 3600 }).chain((grace) => fc.integer({ min: 0, max: grace - 1 }).map((drain) => ({ terminationGracePeriod: Duration.seconds(grace), preStopDrain: Duration.seconds(drain) }))),
);

/** Startup probe overrides that cover any modelLoadTime up to a day: (failureThreshold − 1) × periodSeconds ≥ 1 day. */
const startupProbe = fc.integer({ min: 1, max: 3600 }).chain((periodSeconds) =>
  fc.oneof(fc.constant({ periodSeconds }), fc.integer({ min: Math.ceil(DAY / periodSeconds) + 1, max: Math.ceil(DAY / periodSeconds) + 101 }).map((failureThreshold) => ({ periodSeconds, failureThreshold }))),
);

/** Service props that do not depend on the runtime. */
const serviceProps = fc.record(
  {
    name: serviceName,
    namespace: dnsLabel,
    replicas: fc.integer({ min: 0, max: 50 }),
    resources,
    modelLoadTime: duration(1, DAY),
    imagePullTime: duration(0, DAY),
    startupProbe,
    // Covers pull (≤ 1 day) + load (≤ 1 day) + any download generated here (≤ 1 day, or 1 TiB at 25 MiB/s)
    // + one startup period (≤ 3600 s) + one readiness period (5 s).
    progressDeadline: fc.integer({ min: 3 * DAY + 3600 + 5, max: 2_147_483 }).map((s) => Duration.seconds(s)),
    nodeSelector: fc.dictionary(labelKey, labelValue, { maxKeys: 3 }),
    tolerations: fc.array(toleration, { maxLength: 3 }),
    spread,
    priorityClassName: dnsSubdomain,
    labels: userLabels,
    serviceAccountAnnotations: fc.dictionary(labelKey, fc.string({ maxLength: 40 }), { maxKeys: 3 }),
    inferenceClients,
    monitoringNamespace: dnsLabel,
    maxSurge: fc.integer({ min: 1, max: 10 }),
  },
  { requiredKeys: [] },
);

const envs = fc
  .uniqueArray(envName, { maxLength: 6 })
  .chain((names) =>
    fc.tuple(
      fc.tuple(...names.map((n) => fc.tuple(fc.constant(n), fc.string({ maxLength: 30 })))),
      fc.tuple(...names.map(() => fc.boolean())),
      fc.tuple(...names.map(() => fc.tuple(dnsSubdomain, secretKey))),
    ),
  )
  .map(([pairs, secret, refs]) => {
    const env: Record<string, string> = {};
    const secretEnv: Record<string, { secretName: string; key: string }> = {};
    pairs.forEach(([name, value], i) => {
      if (secret[i]) secretEnv[name] = { secretName: refs[i]![0], key: refs[i]![1] };
      else env[name] = value;
    });
    return { ...(Object.keys(env).length ? { env } : {}), ...(Object.keys(secretEnv).length ? { secretEnv } : {}) };
  });

/** A runtime for the accelerator and memory limit chosen (vLLM's tensor parallelism follows the GPU count; its /dev/shm stays below the limit). */
const runtimeFor = (kind: RuntimeKind, gpus: number, memoryLimitMiB: number): fc.Arbitrary<IRuntime> =>
  ({ torchserve: torchServe, tfserving: tensorflowServing, triton, vllm: vllm(gpus, memoryLimitMiB), custom })[kind];

export interface GeneratedProps {
  readonly kind: RuntimeKind;
  readonly props: ModelServiceProps;
}

/** Random valid props for a runtime kind (or any of the five). */
export function validProps(kinds: readonly RuntimeKind[] = ['torchserve', 'tfserving', 'triton', 'vllm', 'custom']): fc.Arbitrary<GeneratedProps> {
  return fc
    .record({ kind: fc.constantFrom(...kinds), gpu: fc.option(accelerator, { nil: undefined }), service: serviceProps, lifecycle, envs })
    .chain(({ kind, gpu: generated, service, lifecycle: lc, envs: e }) => {
      // vLLM cannot shard over MIG slices: one slice at most.
      const gpu = kind === 'vllm' && generated?.options.migProfile !== undefined ? { options: { ...generated.options, count: 1 }, accelerator: Accelerator.nvidiaGpu({ ...generated.options, count: 1 }) } : generated;
      const memoryLimitMiB = parseQuantity(service.resources?.memoryLimit ?? service.resources?.memory ?? '2Gi')! / 2 ** 20;
      return runtimeFor(kind, gpu ? (gpu.options.count ?? 1) : 0, memoryLimitMiB).map((runtime) => ({
        kind,
        props: { runtime, ...service, ...lc, ...e, ...(gpu ? { accelerator: gpu.accelerator } : {}) } as ModelServiceProps,
      }));
    });
}
