/** The documented defaults of the runtime options (runtime/*.ts). */
import { Accelerator, Duration, ModelArtifact, ModelImage, PortRole, Runtime, type ModelServiceProps, type RenderedModelService } from '../../../lib/core';
import { configFilesOf, HF_REVISION, MINIMAL_PROPS, parseProperties, podSpecOf, render, serverOf, servicePortsOf } from '../../support/fixtures';
import { documented, type DefaultCases } from './cases';
import { bakedModelCase } from './build.cases';

/** The value of the server's single `<prefix>…` argument. */
const argValue = (rendered: RenderedModelService, prefix: string): string => {
  const args = serverOf(rendered).args!.filter((a) => a.startsWith(prefix));
  expect(args).toHaveLength(1);
  return args[0]!.slice(prefix.length);
};

// ---- TorchServe -------------------------------------------------------------------------

const mar = () => ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar');
const torchserve = (options: Record<string, unknown> = {}, extra: Partial<ModelServiceProps> = {}) => render({ runtime: Runtime.torchServe({ model: mar(), ...options }), ...extra });
const properties = (rendered: RenderedModelService) => parseProperties(configFilesOf(rendered)['config.properties']!);
/** TorchServe's `models` property: model name → version → settings. */
const models = (rendered: RenderedModelService) => JSON.parse(properties(rendered).get('models')!) as Record<string, Record<string, Record<string, unknown>>>;
const fraudV1 = (rendered: RenderedModelService) => models(rendered)['fraud']!['1.0']!;

const TS = 'runtime/torchserve.ts:TorchServeOptions';
const TORCHSERVE: DefaultCases = {
  [`${TS}.model`]: documented('- the model baked into `image` by ModelImage.fromModelDirectory', bakedModelCase(
    'torchserve',
    '/home/model-server/model-store/fraud.mar',
    (r) => `${properties(r).get('model_store')}/${properties(r).get('load_models')!.split('=')[1]}`,
    'expected a ModelArtifact holding a .mar archive, e.g. ModelArtifact.fromS3("s3://bucket/fraud.mar"), or an image built with ModelImage.fromModelDirectory(...)',
  )),
  [`${TS}.image`]: documented('- `pytorch/torchserve:0.12.0-cpu`, or `-gpu` with an accelerator', () => {
    expect(serverOf(torchserve()).image).toBe('pytorch/torchserve:0.12.0-cpu');
    expect(serverOf(torchserve({}, { accelerator: Accelerator.nvidiaGpu() })).image).toBe('pytorch/torchserve:0.12.0-gpu');
  }),
  [`${TS}.modelName`]: documented('- the service name', () => {
    const rendered = render({ runtime: Runtime.torchServe({ model: mar() }) }, 'scorer');
    expect(Object.keys(models(rendered))).toEqual(['scorer']);
    expect(properties(rendered).get('load_models')).toBe('scorer=fraud.mar');
  }),
  [`${TS}.modelVersion`]: documented('"1.0"', () => {
    expect(Object.keys(models(torchserve())['fraud']!)).toEqual(['1.0']);
  }),
  [`${TS}.workers`]: documented('1', () => {
    const rendered = torchserve();
    expect(fraudV1(rendered)).toMatchObject({ minWorkers: 1, maxWorkers: 1 });
    expect(properties(rendered).get('default_workers_per_model')).toBe('1');
  }),
  [`${TS}.batchSize`]: documented('1', () => {
    expect(fraudV1(torchserve())['batchSize']).toBe(1);
  }),
  [`${TS}.maxBatchDelay`]: documented('Duration.millis(100)', () => {
    expect(fraudV1(torchserve())['maxBatchDelay']).toBe(100);
  }),
  [`${TS}.responseTimeout`]: documented('Duration.seconds(120)', () => {
    expect(fraudV1(torchserve())['responseTimeout']).toBe(120);
  }),
  [`${TS}.jobQueueSize`]: documented('100', () => {
    expect(properties(torchserve()).get('job_queue_size')).toBe('100');
  }),
  [`${TS}.grpc`]: documented('false', () => {
    const rendered = torchserve();
    expect(serverOf(rendered).ports!.map((p) => p.name)).toEqual(['http', 'metrics']);
    expect(properties(rendered).get('grpc_inference_address')).toBe('127.0.0.1');
  }),
};

// ---- TensorFlow Serving -------------------------------------------------------------------

const savedModel = () => ModelArtifact.fromGcs('gs://models/ranker/');
const tfserving = (options: Record<string, unknown> = {}, extra: Partial<ModelServiceProps> = {}) => render({ runtime: Runtime.tensorflowServing({ model: savedModel(), ...options }), ...extra });
const batchingConfig = (batching: Record<string, unknown>, cpu = '1') => configFilesOf(tfserving({ batching }, { resources: { cpu } }))['batching.config']!.split('\n');

const TB = 'runtime/tfserving.ts:TfServingBatchingOptions';
const TO = 'runtime/tfserving.ts:TensorFlowServingOptions';
const TFSERVING: DefaultCases = {
  [`${TO}.model`]: documented('- the model baked into `image` by ModelImage.fromModelDirectory', bakedModelCase(
    'tfserving',
    '/models/fraud',
    (r) => /base_path: '([^']+)'/.exec(configFilesOf(r)['models.config']!)![1]!,
    'expected a ModelArtifact holding a SavedModel base path with integer version directories, or an image built with ModelImage.fromModelDirectory(...)',
  )),
  [`${TB}.batchTimeout`]: documented('Duration.millis(0)', () => {
    expect(batchingConfig({ maxBatchSize: 8 })).toContain('batch_timeout_micros { value: 0 }');
  }),
  [`${TB}.maxEnqueuedBatches`]: documented('- equal to `numBatchThreads` (the upstream advice for online serving)', () => {
    expect(batchingConfig({ maxBatchSize: 8, numBatchThreads: 6 })).toEqual(expect.arrayContaining(['max_enqueued_batches { value: 6 }', 'num_batch_threads { value: 6 }']));
    expect(batchingConfig({ maxBatchSize: 8 }, '3')).toEqual(expect.arrayContaining(['max_enqueued_batches { value: 3 }', 'num_batch_threads { value: 3 }']));
  }),
  [`${TB}.numBatchThreads`]: documented('- the CPU request rounded up, at least 1', () => {
    expect(batchingConfig({ maxBatchSize: 8 }, '2.5')).toContain('num_batch_threads { value: 3 }');
    expect(batchingConfig({ maxBatchSize: 8 }, '1200m')).toContain('num_batch_threads { value: 2 }');
    expect(batchingConfig({ maxBatchSize: 8 }, '4')).toContain('num_batch_threads { value: 4 }');
    expect(batchingConfig({ maxBatchSize: 8 }, '250m')).toContain('num_batch_threads { value: 1 }');
    expect(batchingConfig({ maxBatchSize: 8 }, '1')).toContain('num_batch_threads { value: 1 }');
  }),
  [`${TB}.allowedBatchSizes`]: documented('- any size up to `maxBatchSize`', () => {
    expect(batchingConfig({ maxBatchSize: 8 }).filter((l) => l.startsWith('allowed_batch_sizes'))).toEqual([]);
  }),
  [`${TB}.padVariableLengthInputs`]: documented('false', () => {
    expect(batchingConfig({ maxBatchSize: 8 }).filter((l) => l.includes('pad_variable_length_inputs'))).toEqual([]);
  }),
  [`${TO}.image`]: documented('- `tensorflow/serving:2.18.0`, or `-gpu` with an accelerator', () => {
    expect(serverOf(tfserving()).image).toBe('tensorflow/serving:2.18.0');
    expect(serverOf(tfserving({}, { accelerator: Accelerator.nvidiaGpu() })).image).toBe('tensorflow/serving:2.18.0-gpu');
  }),
  [`${TO}.modelName`]: documented('- the service name', () => {
    const rendered = render({ runtime: Runtime.tensorflowServing({ model: savedModel() }) }, 'ranker');
    expect(configFilesOf(rendered)['models.config']).toContain("    name: 'ranker'\n");
    expect(serverOf(rendered).readinessProbe!.httpGet!.path).toBe('/v1/models/ranker/metadata');
  }),
  [`${TO}.versionPolicy`]: documented('VersionPolicy.latest(1)', () => {
    // TF Serving's own default, the single highest version, written out explicitly.
    const config = configFilesOf(tfserving())['models.config']!;
    expect(config).toContain(['    model_version_policy {', '      latest {', '        num_versions: 1', '      }', '    }'].join('\n'));
    expect(config.match(/model_version_policy/g)).toHaveLength(1);
    expect(config).not.toContain('all {}');
    expect(config).not.toContain('specific {');
  }),
  [`${TO}.versionLabels`]: documented('- none', () => {
    expect(configFilesOf(tfserving())['models.config']).not.toContain('version_labels');
  }),
  [`${TO}.batching`]: documented('- off', () => {
    const rendered = tfserving();
    expect(Object.keys(configFilesOf(rendered)).sort()).toEqual(['models.config', 'monitoring.config']);
    expect(serverOf(rendered).args!.filter((a) => a.includes('batching'))).toEqual([]);
  }),
  [`${TO}.grpc`]: documented('true', () => {
    const rendered = tfserving();
    expect(serverOf(rendered).ports).toEqual([{ name: 'http', containerPort: 8501, protocol: 'TCP' }, { name: 'grpc', containerPort: 8500, protocol: 'TCP' }]);
    expect(servicePortsOf(rendered).map((p) => [p.name, p.appProtocol])).toEqual([['http', 'http'], ['grpc', 'kubernetes.io/h2c']]);
  }),
};

// ---- Triton -------------------------------------------------------------------------------

const TR = 'runtime/triton.ts:TritonOptions';
const TRITON: DefaultCases = {
  [`${TR}.model`]: documented('- the model baked into `image` by ModelImage.fromModelDirectory', bakedModelCase(
    'triton',
    '/models',
    (r) => argValue(r, '--model-repository='),
    'expected a ModelArtifact holding a Triton model repository, or an image built with ModelImage.fromModelDirectory(...)',
  )),
  [`${TR}.image`]: documented('- `nvcr.io/nvidia/tritonserver:24.10-py3`', () => {
    expect(serverOf(render(MINIMAL_PROPS.triton())).image).toBe('nvcr.io/nvidia/tritonserver:24.10-py3');
    expect(serverOf(render({ ...MINIMAL_PROPS.triton(), accelerator: Accelerator.nvidiaGpu() })).image).toBe('nvcr.io/nvidia/tritonserver:24.10-py3');
  }),
  [`${TR}.grpc`]: documented('true', () => {
    const rendered = render(MINIMAL_PROPS.triton());
    expect(serverOf(rendered).args).toContain('--allow-grpc=true');
    expect(servicePortsOf(rendered).map((p) => p.name)).toEqual(['http', 'grpc', 'metrics']);
  }),
};

// ---- vLLM ---------------------------------------------------------------------------------

const llm = () => ModelArtifact.fromHuggingFace('meta-llama/Llama-3.1-8B-Instruct', { revision: HF_REVISION });
const vllm = (count?: number) => render({ ...MINIMAL_PROPS.vllm(), runtime: Runtime.vllm({ model: llm() }), ...(count ? { accelerator: Accelerator.nvidiaGpu({ count }) } : {}) });
const vllmArgs = (count?: number) => serverOf(vllm(count)).args!;

const VL = 'runtime/vllm.ts:VllmOptions';
const VLLM: DefaultCases = {
  [`${VL}.model`]: documented('- the model baked into `image` by ModelImage.fromModelDirectory', bakedModelCase(
    'vllm',
    '/models/fraud',
    (r) => argValue(r, '--model='),
    'expected a ModelArtifact, e.g. ModelArtifact.fromHuggingFace("org/model", { revision: "<40-hex commit>" }), or an image built with ModelImage.fromModelDirectory(...)',
  )),
  [`${VL}.image`]: documented('- `vllm/vllm-openai:v0.6.6`', () => {
    expect(serverOf(vllm()).image).toBe('vllm/vllm-openai:v0.6.6');
  }),
  [`${VL}.servedModelName`]: documented('- the service name', () => {
    expect(serverOf(render({ ...MINIMAL_PROPS.vllm(), runtime: Runtime.vllm({ model: llm() }) }, 'chat')).args).toContain('--served-model-name=chat');
  }),
  [`${VL}.tensorParallelSize`]: documented('- the accelerator\'s GPU count', () => {
    expect(vllmArgs()).toContain('--tensor-parallel-size=1');
    expect(vllmArgs(4)).toContain('--tensor-parallel-size=4');
    expect(serverOf(vllm(4)).resources.limits!['nvidia.com/gpu']).toBe('4');
  }),
  [`${VL}.maxModelLen`]: documented('- the model\'s own maximum', () => {
    expect(vllmArgs().filter((a) => a.startsWith('--max-model-len'))).toEqual([]);
  }),
  [`${VL}.gpuMemoryUtilization`]: documented('0.9', () => {
    expect(vllmArgs()).toContain('--gpu-memory-utilization=0.9');
  }),
  [`${VL}.sharedMemory`]: documented('"2Gi"', () => {
    const rendered = vllm();
    const shm = serverOf(rendered).volumeMounts!.find((m) => m.mountPath === '/dev/shm')!;
    expect(podSpecOf(rendered).volumes!.find((v) => v.name === shm.name)).toEqual({ name: shm.name, emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } });
  }),
};

// ---- custom -------------------------------------------------------------------------------

const image = ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2');
const custom = (options: Record<string, unknown> = {}) => render({ runtime: Runtime.custom({ image, ...options }) });

const CP = 'runtime/custom.ts:CustomPort';
const CO = 'runtime/custom.ts:CustomRuntimeOptions';
const CUSTOM: DefaultCases = {
  [`${CP}.role`]: documented('PortRole.HTTP', () => {
    const rendered = custom({ ports: [{ name: 'api', port: 9000 }, { name: 'metrics', port: 9090, role: PortRole.METRICS }] });
    expect(rendered.profile.ports.find((p) => p.name === 'api')!.role).toBe(PortRole.HTTP);
    expect(serverOf(rendered).readinessProbe!.httpGet!.port).toBe('api');
    expect(servicePortsOf(rendered).find((p) => p.name === 'api')!.appProtocol).toBe('http');
  }),
  [`${CO}.ports`]: documented('[{ name: "http", port: 8080, role: PortRole.HTTP }]', () => {
    const rendered = custom();
    expect(rendered.profile.ports).toEqual([{ name: 'http', port: 8080, role: PortRole.HTTP }]);
    expect(serverOf(rendered).ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  }),
  [`${CO}.healthPath`]: documented('"/healthz"', () => {
    expect(serverOf(custom()).livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
  }),
  [`${CO}.readinessPath`]: documented('"/ready"', () => {
    const server = serverOf(custom());
    expect(server.readinessProbe!.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(server.startupProbe!.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
  }),
  [`${CO}.metricsPath`]: documented('- no metrics', () => {
    const rendered = custom({ ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090, role: PortRole.METRICS }] });
    expect(rendered.profile.metrics).toBeUndefined();
    // Without a metrics path, the monitoring namespace is not admitted.
    expect((rendered.networkPolicy['spec'] as { ingress: unknown[] }).ingress).toHaveLength(1);
  }),
  [`${CO}.command`]: documented('- the image\'s entrypoint', () => {
    expect(serverOf(custom())).not.toHaveProperty('command');
  }),
  [`${CO}.args`]: documented('- the image\'s command', () => {
    expect(serverOf(custom())).not.toHaveProperty('args');
  }),
  [`${CO}.model`]: documented('- none: the server brings its own', () => {
    const rendered = custom();
    expect(podSpecOf(rendered).initContainers).toBeUndefined();
    expect(podSpecOf(rendered).volumes!.map((v) => v.name)).toEqual(['scratch-tmp']);
    expect(serverOf(rendered).env).toBeUndefined();
  }),
  [`${CO}.runAsUser`]: documented('1000', () => {
    const pod = podSpecOf(custom());
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    expect(pod.containers[0]!.securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000 });
  }),
  [`${CO}.runAsGroup`]: documented('- same as `runAsUser`', () => {
    const pod = podSpecOf(custom({ runAsUser: 4242 }));
    expect(pod.securityContext).toMatchObject({ runAsUser: 4242, runAsGroup: 4242, fsGroup: 4242 });
    expect(pod.containers[0]!.securityContext).toMatchObject({ runAsUser: 4242, runAsGroup: 4242 });
  }),
  [`${CO}.writablePaths`]: documented('["/tmp"]', () => {
    const rendered = custom();
    expect(serverOf(rendered).volumeMounts).toEqual([{ name: 'scratch-tmp', mountPath: '/tmp' }]);
    expect(podSpecOf(rendered).volumes).toEqual([{ name: 'scratch-tmp', emptyDir: {} }]);
  }),
  [`${CO}.defaultModelLoadTime`]: documented('Duration.minutes(1)', () => {
    const rendered = custom();
    expect(rendered.budget.modelLoadSeconds).toBe(60);
    expect(serverOf(rendered).startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 7 });
    // The service's modelLoadTime still wins over the runtime's default.
    expect(render({ runtime: Runtime.custom({ image }), modelLoadTime: Duration.minutes(3) }).budget.modelLoadSeconds).toBe(180);
  }),
  [`${CO}.scalingMetric`]: documented('- none', () => {
    expect(custom().profile.scalingSignal).toBeUndefined();
  }),
};

// ---- the runtime contract -----------------------------------------------------------------

const WP = 'runtime/contract.ts:WritablePath';
const CONTRACT: DefaultCases = {
  [`${WP}.sizeLimit`]: documented('- no limit beyond the node\'s ephemeral storage', () => {
    const rendered = custom({ writablePaths: ['/tmp', '/var/cache/scorer'] });
    expect(podSpecOf(rendered).volumes).toEqual([
      { name: 'scratch-tmp', emptyDir: {} },
      { name: 'scratch-var-cache-scorer', emptyDir: {} },
    ]);
    expect(serverOf(rendered).resources.requests).not.toHaveProperty('ephemeral-storage');
  }),
  [`${WP}.medium`]: documented('- node disk', () => {
    for (const volume of podSpecOf(custom({ writablePaths: ['/tmp', '/data'] })).volumes!) expect(volume.emptyDir).not.toHaveProperty('medium');
  }),
};

export const RUNTIME_DEFAULTS: DefaultCases = { ...TORCHSERVE, ...TFSERVING, ...TRITON, ...VLLM, ...CUSTOM, ...CONTRACT };
