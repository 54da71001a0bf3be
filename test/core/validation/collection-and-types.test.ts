import {
  Accelerator,
  ArtifactCredentials,
  Duration,
  ModelArtifact,
  ModelImage,
  renderModelService,
  Runtime,
  ValidationError,
  VersionPolicy,
  type ModelServiceProps,
} from '../../../lib/core';
import { HF_REVISION, MINIMAL_PROPS, render } from '../../support/fixtures';
import { expectProblems, PATH, problemsOf, validationErrorOf } from '../../support/problems';

/* eslint-disable @typescript-eslint/no-explicit-any -- wrong types are the point of this file */

const base = MINIMAL_PROPS.torchserve;
const mar = () => ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar');
const image = ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2');

describe('every problem at once', () => {
  test('service, accelerator, runtime and artifact problems are all listed, in prop order', () => {
    const props: ModelServiceProps = {
      name: 'Fraud',
      namespace: 'Serving',
      replicas: -1,
      resources: { cpu: 'lots', memory: '4Gi', memoryLimit: '1Gi' },
      accelerator: Accelerator.nvidiaGpu({ count: 0 }),
      labels: { 'app.kubernetes.io/name': 'x' },
      runtime: Runtime.torchServe({ model: ModelArtifact.fromHttps('https://models.example.com/fraud.mar', { sha256: 'abc' }), image: ModelImage.fromRegistry('pytorch/torchserve:latest'), workers: 0 }),
    };
    expectProblems(props, [
      ['name', '"Fraud"', 'expected a DNS-1035 label: at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit'],
      ['namespace', '"Serving"', 'expected a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit'],
      ['replicas', '-1', 'expected an integer from 0 to 10000'],
      ['resources.cpu', '"lots"', 'expected a CPU quantity such as "500m" or "2", greater than zero'],
      ['resources.memoryLimit', '"1Gi"', 'expected at least the request memory="4Gi": Kubernetes rejects a limit below its request'],
      ['accelerator.count', '0', 'expected a positive integer number of GPUs (fractions of a GPU need a MIG profile)'],
      ['labels.app.kubernetes.io/name', '"x"', "expected a key other than app.kubernetes.io/name, app.kubernetes.io/component, app.kubernetes.io/managed-by, modelship.dev/runtime: modelship sets these to select the service's pods"],
      ['runtime.image', '"pytorch/torchserve:latest"', 'expected a pinned image: "latest" changes under a running Deployment; use a version tag or a digest'],
      ['runtime.model.sha256', '"abc"', 'expected 64 lowercase hex digits'],
      ['runtime.workers', '0', 'expected an integer from 1 to 1024'],
    ]);
  });

  test('the message counts and lists them all', () => {
    const error = validationErrorOf(() => render({ ...base(), namespace: 'A', replicas: 1.5, maxSurge: 0 }));
    expect(error.message).toBe(
      [
        '3 problems in modelship props:',
        `  - ${PATH}: namespace: got "A"; expected a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit`,
        `  - ${PATH}: replicas: got 1.5; expected an integer from 0 to 10000`,
        `  - ${PATH}: maxSurge: got 0; expected an integer from 1 to 1000`,
      ].join('\n'),
    );
    expect(error.name).toBe('ValidationError');
  });

  test('problems found after rendering the runtime (ports, env) are collected together', () => {
    const runtime = Runtime.custom({ image, model: ModelArtifact.fromPersistentVolumeClaim('models'), writablePaths: ['/mnt/models'] });
    expectProblems({ runtime, env: { MODEL_PATH: '/x' } }, [
      ['runtime.writablePaths[0]', '"/mnt/models"', 'expected a directory not mounted already (/mnt/models)'],
      ['env.MODEL_PATH', '"MODEL_PATH"', 'expected a name the custom runtime does not set itself (it sets MODEL_PATH)'],
    ]);
  });
});

/** [description, props, a prop path the error must name]. */
type WrongType = [string, () => unknown, string];
const svc = (extra: Record<string, unknown>) => () => ({ ...base(), ...extra });
const ts = (options: Record<string, unknown>) => () => ({ runtime: Runtime.torchServe({ model: mar(), ...options } as any) });
const s3 = (options: unknown) => () => ({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud.mar', options as any) }) });
const tfs = (options: Record<string, unknown>) => () => ({ runtime: Runtime.tensorflowServing({ model: ModelArtifact.fromGcs('gs://models/ranker/'), ...options } as any) });
const vllm = (options: Record<string, unknown>) => () => ({ ...MINIMAL_PROPS.vllm(), runtime: Runtime.vllm({ model: ModelArtifact.fromHuggingFace('acme/llm', { revision: HF_REVISION }), ...options } as any) });
const custom = (options: Record<string, unknown>) => () => ({ runtime: Runtime.custom({ image, ...options } as any) });

const WRONG_TYPES: WrongType[] = [
  // the props object and the runtime
  ['props undefined', () => undefined, 'props'],
  ['props a string', () => 'torchserve', 'props'],
  ['runtime a string', () => ({ runtime: 'torchserve' }), 'runtime'],
  ['runtime missing', () => ({}), 'runtime'],
  ['runtime an options object', () => ({ runtime: { model: mar() } }), 'runtime'],
  ['runtime options undefined', () => ({ runtime: Runtime.torchServe(undefined as any) }), 'runtime.model'],
  // service props
  ['name a number', svc({ name: 42 }), 'name'],
  ['namespace a number', svc({ namespace: 1 }), 'namespace'],
  ['replicas a string', svc({ replicas: '2' }), 'replicas'],
  ['resources a string', svc({ resources: '2 cpu' }), 'resources'],
  ['resources.cpu a number', svc({ resources: { cpu: 2 } }), 'resources.cpu'],
  ['resources.memory null', svc({ resources: { memory: null } }), 'resources.memory'],
  ['accelerator {}', svc({ accelerator: {} }), 'accelerator'],
  ['accelerator a string', svc({ accelerator: 'a100' }), 'accelerator'],
  ['accelerator count a string', svc({ accelerator: Accelerator.nvidiaGpu({ count: '2' as any }) }), 'accelerator.count'],
  ['accelerator product a number', svc({ accelerator: Accelerator.nvidiaGpu({ product: 10 as any }) }), 'accelerator.product'],
  ['accelerator migProfile a number', svc({ accelerator: Accelerator.nvidiaGpu({ migProfile: 1 as any }) }), 'accelerator.migProfile'],
  ['accelerator tolerations a string', svc({ accelerator: Accelerator.nvidiaGpu({ tolerations: 'gpu' as any }) }), 'accelerator.tolerations'],
  ['modelLoadTime a number', svc({ modelLoadTime: 120 }), 'modelLoadTime'],
  ['modelLoadTime a plain object', svc({ modelLoadTime: { seconds: 120 } }), 'modelLoadTime'],
  ['modelLoadTime NaN', svc({ modelLoadTime: Duration.seconds(Number.NaN) }), 'modelLoadTime'],
  ['imagePullTime a string', svc({ imagePullTime: '5m' }), 'imagePullTime'],
  ['progressDeadline a number', svc({ progressDeadline: 600 }), 'progressDeadline'],
  ['startupProbe a string', svc({ startupProbe: 'slow' }), 'startupProbe'],
  ['startupProbe.periodSeconds a string', svc({ startupProbe: { periodSeconds: '10' } }), 'startupProbe.periodSeconds'],
  ['nodeSelector a string', svc({ nodeSelector: 'gpu' }), 'nodeSelector'],
  ['nodeSelector value a number', svc({ nodeSelector: { pool: 1 } }), 'nodeSelector.pool'],
  ['tolerations an object', svc({ tolerations: { key: 'gpu' } }), 'tolerations'],
  ['tolerations a string', svc({ tolerations: 'gpu' }), 'tolerations'],
  ['tolerations [null]', svc({ tolerations: [null] }), 'tolerations[0]'],
  ['tolerations ["gpu"]', svc({ tolerations: ['gpu'] }), 'tolerations[0]'],
  ['tolerationSeconds a string', svc({ tolerations: [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: '60' }] }), 'tolerations[0].tolerationSeconds'],
  ['spread a string', svc({ spread: 'zones' }), 'spread'],
  ['priorityClassName a number', svc({ priorityClassName: 1 }), 'priorityClassName'],
  ['env an array', svc({ env: ['A=1'] }), 'env'],
  ['env a string', svc({ env: 'A=1' }), 'env'],
  ['env value a number', svc({ env: { WORKERS: 4 } }), 'env.WORKERS'],
  ['secretEnv a string', svc({ secretEnv: 'token' }), 'secretEnv'],
  ['secretEnv entry a string', svc({ secretEnv: { TOKEN: 'api/token' } }), 'secretEnv.TOKEN.secretName'],
  ['secretEnv entry null', svc({ secretEnv: { TOKEN: null } }), 'secretEnv.TOKEN.key'],
  ['labels a string', svc({ labels: 'team=risk' }), 'labels'],
  ['label value a number', svc({ labels: { version: 7 } }), 'labels.version'],
  ['serviceAccountAnnotations a string', svc({ serviceAccountAnnotations: 'role' }), 'serviceAccountAnnotations'],
  ['annotation value a number', svc({ serviceAccountAnnotations: { 'example.com/id': 7 } }), 'serviceAccountAnnotations.example.com/id'],
  ['inferenceClients a string', svc({ inferenceClients: 'any' }), 'inferenceClients'],
  ['monitoringNamespace a number', svc({ monitoringNamespace: 1 }), 'monitoringNamespace'],
  ['terminationGracePeriod a number', svc({ terminationGracePeriod: 60 }), 'terminationGracePeriod'],
  ['preStopDrain a number', svc({ preStopDrain: 15 }), 'preStopDrain'],
  ['maxSurge a percentage', svc({ maxSurge: '25%' }), 'maxSurge'],
  // runtime options
  ['TorchServe model a URL string', ts({ model: 's3://models/fraud.mar' }), 'runtime.model'],
  ['TorchServe image a string', ts({ image: 'pytorch/torchserve:0.12.0-cpu' }), 'runtime.image'],
  ['TorchServe workers a string', ts({ workers: '2' }), 'runtime.workers'],
  ['TorchServe maxBatchDelay a number', ts({ maxBatchDelay: 100 }), 'runtime.maxBatchDelay'],
  ['TorchServe grpc a string', ts({ grpc: 'no' }), 'runtime.grpc'],
  ['TF Serving versionPolicy a string', tfs({ versionPolicy: 'latest' }), 'runtime.versionPolicy'],
  ['TF Serving versionPolicy a look-alike object', tfs({ versionPolicy: { kind: 'specific', versions: 'x' } }), 'runtime.versionPolicy'],
  ['TF Serving specific versions a string', tfs({ versionPolicy: VersionPolicy.specific('1' as any) }), 'runtime.versionPolicy.versions'],
  ['TF Serving versionLabels a string', tfs({ versionLabels: 'stable' }), 'runtime.versionLabels'],
  ['TF Serving batching a number', tfs({ batching: 8 }), 'runtime.batching'],
  ['TF Serving batching null', tfs({ batching: null }), 'runtime.batching'],
  ['TF Serving allowedBatchSizes a string', tfs({ batching: { maxBatchSize: 8, allowedBatchSizes: '8' } }), 'runtime.batching.allowedBatchSizes'],
  ['TF Serving padVariableLengthInputs a string', tfs({ batching: { maxBatchSize: 8, padVariableLengthInputs: 'yes' } }), 'runtime.batching.padVariableLengthInputs'],
  ['TF Serving grpc a string', tfs({ grpc: 'false' }), 'runtime.grpc'],
  ['Triton grpc a number', () => ({ runtime: Runtime.triton({ model: ModelArtifact.fromS3('s3://models/repo/'), grpc: 0 as any }) }), 'runtime.grpc'],
  ['vLLM tensorParallelSize a string', vllm({ tensorParallelSize: '1' }), 'runtime.tensorParallelSize'],
  ['vLLM gpuMemoryUtilization a string', vllm({ gpuMemoryUtilization: '0.9' }), 'runtime.gpuMemoryUtilization'],
  ['vLLM sharedMemory a number', vllm({ sharedMemory: 2 }), 'runtime.sharedMemory'],
  ['vLLM servedModelName a number', vllm({ servedModelName: 7 }), 'runtime.servedModelName'],
  ['custom image a string', () => ({ runtime: Runtime.custom({ image: 'ghcr.io/acme/scorer:1.4.2' as any }) }), 'runtime.image'],
  ['custom ports a string', custom({ ports: 'http' }), 'runtime.ports'],
  ['custom ports [null]', custom({ ports: [null] }), 'runtime.ports[0]'],
  ['custom port number a string', custom({ ports: [{ name: 'http', port: '8080' }] }), 'runtime.ports[0].port'],
  ['custom port name a number', custom({ ports: [{ name: 8080, port: 8080 }] }), 'runtime.ports[0].name'],
  ['custom writablePaths a string', custom({ writablePaths: '/tmp' }), 'runtime.writablePaths'],
  ['custom command a string', custom({ command: 'serve --port 8080' }), 'runtime.command'],
  ['custom runAsUser a string', custom({ runAsUser: '1000' }), 'runtime.runAsUser'],
  ['custom healthPath a number', custom({ healthPath: 200 }), 'runtime.healthPath'],
  ['custom defaultModelLoadTime a number', custom({ defaultModelLoadTime: 60 }), 'runtime.defaultModelLoadTime'],
  ['custom model a string', custom({ model: '/models' }), 'runtime.model'],
  // artifacts
  ['S3 URI a number', () => ({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3(42 as any) }) }), 'runtime.model.uri'],
  ['S3 size a number', s3({ size: 12 }), 'runtime.model.size'],
  ['S3 size a string', s3({ size: '12Gi' }), 'runtime.model.size'],
  ['S3 downloadTime a number', s3({ downloadTime: 300 }), 'runtime.model.downloadTime'],
  ['S3 sha256 a number', s3({ sha256: 123 }), 'runtime.model.sha256'],
  ['S3 credentials {}', s3({ credentials: {} }), 'runtime.model.credentials'],
  ['S3 credentials a string', s3({ credentials: 's3-reader' }), 'runtime.model.credentials'],
  ['S3 credential mapping null', s3({ credentials: ArtifactCredentials.fromSecret('s3-reader', null as any) }), 'runtime.model.credentials.env'],
  ['S3 credential annotation value a number', s3({ credentials: ArtifactCredentials.fromServiceAccountAnnotations({ 'example.com/role': 1 } as any) }), 'runtime.model.credentials.annotations.example.com/role'],
  ['S3 fetchImage a string', s3({ fetchImage: 'amazon/aws-cli:2' }), 'runtime.model.fetchImage'],
  ['HTTPS options a string', () => ({ runtime: Runtime.torchServe({ model: ModelArtifact.fromHttps('https://example.com/fraud.mar', 'sha' as any) }) }), 'runtime.model.sha256'],
  ['Hugging Face repo a number', vllm({ model: ModelArtifact.fromHuggingFace(42 as any, { revision: HF_REVISION }) }), 'runtime.model.repo'],
  ['Hugging Face options a string', vllm({ model: ModelArtifact.fromHuggingFace('acme/llm', 'main' as any) }), 'runtime.model.revision'],
  ['claim name a number', () => ({ runtime: Runtime.triton({ model: ModelArtifact.fromPersistentVolumeClaim(42 as any) }) }), 'runtime.model.claimName'],
  ['claim path a number', () => ({ runtime: Runtime.triton({ model: ModelArtifact.fromPersistentVolumeClaim('models', { path: 5 as any }) }) }), 'runtime.model.path'],
  ['in-image path a number', () => ({ runtime: Runtime.triton({ model: ModelArtifact.inImage(5 as any) }) }), 'runtime.model.path'],
];

describe('wrong types are ValidationErrors, never TypeErrors', () => {
  test.each(WRONG_TYPES)('%s', (_why, props, prop) => {
    const problems = problemsOf(props());
    expect(problems.map((p) => p.prop)).toContain(prop);
    for (const p of problems) {
      expect(p.construct).toBe(PATH);
      expect(typeof p.given).toBe('string');
      expect(p.allowed).toMatch(/^expected /);
    }
  });

  test('null options are treated as none rather than crashing', () => {
    expect(() => render({ ...base(), accelerator: Accelerator.nvidiaGpu(null as any) })).not.toThrow();
    expect(() => render({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud.mar', null as any) }) })).not.toThrow();
    expect(() => render({ runtime: Runtime.triton({ model: ModelArtifact.fromPersistentVolumeClaim('models', null as any) }) })).not.toThrow();
  });

  test('values that cannot be printed plainly are still described', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const given = (value: unknown) => problemsOf({ ...base(), spread: value }).find((p) => p.prop === 'spread')!.given;
    expect(given(cyclic)).toBe('[object Object]');
    expect(given(Symbol('zones'))).toBe('[object Symbol]');
    expect(given(() => 'zones')).toBe('[object Function]');
    expect(given(10n)).toBe('[object BigInt]');
    expect(given(['zones'])).toBe('["zones"]');
    expect(given({ toString: 5 })).toBe('{"toString":5}');
  });

  test('renderModelService is the function both front ends call, with the path they pass', () => {
    const error = validationErrorOf(() => renderModelService({ path: 'prod/serving/fraud', defaultName: 'fraud' }, { runtime: 'torchserve' } as any));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.problems).toEqual([
      { construct: 'prod/serving/fraud', prop: 'runtime', given: '"torchserve"', allowed: 'expected a runtime such as Runtime.torchServe({ model }), Runtime.triton(...), Runtime.vllm(...) or Runtime.custom(...)' },
    ]);
  });
});
