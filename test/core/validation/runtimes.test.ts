import { Accelerator, Duration, ModelArtifact, ModelImage, PortRole, Runtime, VersionPolicy, type CustomPort } from '../../../lib/core';
import { expectValidObjects, HF_REVISION, MINIMAL_PROPS, podSpecOf, render, SHA256 } from '../../support/fixtures';
import { expectAccepted, expectProblems } from '../../support/problems';

const PORT_NAME = 'expected a port name of at most 15 lowercase letters, digits and "-", with at least one letter, no "--", starting and ending alphanumeric';
const image = ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2');
const custom = (ports: CustomPort[]) => ({ runtime: Runtime.custom({ image, ports }) });

describe('custom runtime ports', () => {
  test('duplicate port names', () => {
    expectProblems(custom([{ name: 'http', port: 8080 }, { name: 'http', port: 8081, role: PortRole.METRICS }]), [['runtime.ports[1].name', '"http"', 'expected a name not used by another port']]);
  });

  test('duplicate port numbers', () => {
    expectProblems(custom([{ name: 'http', port: 8080 }, { name: 'metrics', port: 8080, role: PortRole.METRICS }]), [['runtime.ports[1].port', '8080', 'expected a port number not used by another port']]);
  });

  test.each([['inference-http-port'], ['http-inference-1'], ['HTTP'], ['8080'], ['http--api'], ['-http']])('port name %j', (name) => {
    expectProblems(custom([{ name, port: 8080 }]), [['runtime.ports[0].name', JSON.stringify(name), PORT_NAME]]);
  });

  test('a 15-character name is the longest accepted', () => {
    expectAccepted(custom([{ name: 'http-inference1', port: 8080 }]));
  });

  test.each([[0], [65536], [80.5]])('port number %p', (port) => {
    expectProblems(custom([{ name: 'http', port }]), [['runtime.ports[0].port', String(port), 'expected an integer from 1 to 65535']]);
  });

  test('no HTTP port', () => {
    expectProblems(custom([{ name: 'grpc', port: 9000, role: PortRole.GRPC }]), [['runtime.ports', '"grpc:grpc"', 'expected exactly one port with role PortRole.HTTP (found 0)']]);
  });

  test('two HTTP ports', () => {
    expectProblems(custom([{ name: 'http', port: 8080 }, { name: 'http2', port: 8081 }]), [['runtime.ports', '"http:http, http2:http"', 'expected exactly one port with role PortRole.HTTP (found 2)']]);
  });

  test('two metrics ports', () => {
    expectProblems(
      custom([
        { name: 'http', port: 8080 },
        { name: 'metrics', port: 9090, role: PortRole.METRICS },
        { name: 'metrics2', port: 9091, role: PortRole.METRICS },
      ]),
      [['runtime.ports', '"http, metrics, metrics2"', 'expected at most one port with role PortRole.METRICS']],
    );
  });

  test('an empty list', () => {
    expectProblems(custom([]), [['runtime.ports', '[]', 'expected at least one port with role PortRole.HTTP']]);
  });

  test('an unknown role', () => {
    expectProblems(custom([{ name: 'http', port: 8080 }, { name: 'debug', port: 9999, role: 'debug' as PortRole }]), [['runtime.ports[1].role', '"debug"', 'expected one of http, grpc, metrics, admin']]);
  });

  test('writable paths that would mount twice at one place', () => {
    const model = ModelArtifact.fromPersistentVolumeClaim('models');
    expectProblems({ runtime: Runtime.custom({ image, model, writablePaths: ['/tmp', '/tmp/', '/mnt/models'] }) }, [
      ['runtime.writablePaths[1]', '"/tmp/"', 'expected a directory not mounted already (/mnt/models, /tmp)'],
      ['runtime.writablePaths[2]', '"/mnt/models"', 'expected a directory not mounted already (/mnt/models, /tmp)'],
    ]);
  });

  test('writable paths whose volume names would collide get distinct volumes the API server accepts', () => {
    const long = `/${'a'.repeat(70)}`;
    const rendered = render({ runtime: Runtime.custom({ image, writablePaths: ['/var/cache/app', '/var-cache/app', '/var/cache-app', '/var/cache/app-2', `${long}/x`, `${long}/y`] }) });
    expectValidObjects(rendered.objects);
    const names = podSpecOf(rendered).volumes!.map((v) => v.name);
    expect(names.slice(0, 4)).toEqual(['scratch-var-cache-app', 'scratch-var-cache-app-2', 'scratch-var-cache-app-3', 'scratch-var-cache-app-2-2']);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(63);
  });

  test('other options', () => {
    expectProblems({ runtime: Runtime.custom({ image, healthPath: 'healthz', runAsUser: 0, writablePaths: ['/', 'tmp', '/a/../etc'], scalingMetric: 'queue-depth', args: [1 as unknown as string] }) }, [
      ['runtime.healthPath', '"healthz"', 'expected an absolute URL path such as "/healthz"'],
      ['runtime.runAsUser', '0', 'expected an integer from 1 to 2147483647'],
      ['runtime.writablePaths[0]', '"/"', 'expected an absolute directory other than "/", without ".."'],
      ['runtime.writablePaths[1]', '"tmp"', 'expected an absolute directory other than "/", without ".."'],
      ['runtime.writablePaths[2]', '"/a/../etc"', 'expected an absolute directory other than "/", without ".."'],
      ['runtime.args', '[1]', 'expected an array of strings'],
      ['runtime.scalingMetric', '"queue-depth"', 'expected a Prometheus metric name'],
    ]);
  });

  test('no image', () => {
    expectProblems({ runtime: Runtime.custom({} as { image: ModelImage }) }, [
      ['runtime.image', 'nothing', 'expected ModelImage.fromRegistry("<repo>:<version>") or ModelImage.fromModelDirectory(...): a custom runtime has no default image'],
    ]);
  });
});

describe('TorchServe', () => {
  const MAR = 'expected the model to be a .mar archive (a single object or file ending in ".mar", not a prefix or directory)';

  test.each([
    // A fetched model is reported by the URL the user wrote; a claim or image path by where the server finds it.
    ['an S3 prefix', ModelArtifact.fromS3('s3://models/fraud/'), '"s3://models/fraud/"'],
    ['a file that is not a .mar', ModelArtifact.fromS3('s3://models/fraud/model.pt'), '"s3://models/fraud/model.pt"'],
    ['an HTTPS archive (unpacked into a directory)', ModelArtifact.fromHttps('https://models.example.com/fraud.tar.gz', { sha256: SHA256 }), '"https://models.example.com/fraud.tar.gz"'],
    ['a GCS prefix', ModelArtifact.fromGcs('gs://models/fraud/'), '"gs://models/fraud/"'],
    ['a whole claim', ModelArtifact.fromPersistentVolumeClaim('models'), '"/mnt/models"'],
    ['a directory in the image', ModelArtifact.inImage('/home/model-server/model-store'), '"/home/model-server/model-store"'],
  ])('%s is not a .mar', (_why, model, given) => {
    expectProblems({ runtime: Runtime.torchServe({ model }) }, [['runtime.model', given, MAR]]);
  });

  test.each([
    ['an S3 object', ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar')],
    ['a file on a claim', ModelArtifact.fromPersistentVolumeClaim('models', { path: 'fraud/v7/fraud.mar' })],
    ['the default in-image path', ModelArtifact.inImage()],
  ])('%s is a .mar', (_why, model) => {
    expectAccepted({ runtime: Runtime.torchServe({ model }) });
  });

  test('options', () => {
    const model = ModelArtifact.fromS3('s3://models/fraud.mar');
    expectProblems({ runtime: Runtime.torchServe({ model, modelName: '1fraud', modelVersion: 'v 1', workers: 0, batchSize: 4097, jobQueueSize: 0, maxBatchDelay: Duration.seconds(61), responseTimeout: Duration.millis(500) }) }, [
      ['runtime.modelName', '"1fraud"', 'expected a TorchServe model name: a letter, then letters, digits, "_", "-" or "."'],
      ['runtime.modelVersion', '"v 1"', 'expected a version such as "1.0" (letters, digits, "_", "-", ".")'],
      ['runtime.workers', '0', 'expected an integer from 1 to 1024'],
      ['runtime.batchSize', '4097', 'expected an integer from 1 to 4096'],
      ['runtime.jobQueueSize', '0', 'expected an integer at least 1'],
      ['runtime.maxBatchDelay', '61 s', 'expected a Duration from 0 s to 60 s'],
      ['runtime.responseTimeout', '500 ms', 'expected a Duration at least 1 s'],
    ]);
  });
});

describe('Triton', () => {
  test.each([['model.onnx'], ['model.plan'], ['model.pt']])('a single %s file is not a repository', (file) => {
    expectProblems({ runtime: Runtime.triton({ model: ModelArtifact.fromS3(`s3://models/${file}`) }) }, [
      ['runtime.model', JSON.stringify(`s3://models/${file}`), 'expected a model repository directory (a prefix or archive), not a single model file'],
    ]);
  });

  test('a single model file on a claim is reported at its path in the pod', () => {
    expectProblems({ runtime: Runtime.triton({ model: ModelArtifact.fromPersistentVolumeClaim('models', { path: 'detector/model.onnx' }) }) }, [
      ['runtime.model', '"/mnt/models/detector/model.onnx"', 'expected a model repository directory (a prefix or archive), not a single model file'],
    ]);
  });
});

describe('all problems at once', () => {
  const MAR = 'expected the model to be a .mar archive (a single object or file ending in ".mar", not a prefix or directory)';

  test('service-prop problems are reported together with the model path problem', () => {
    expectProblems({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/') }), name: 'Fraud', replicas: -1 }, [
      ['name', '"Fraud"', 'expected a DNS-1035 label: at most 63 lowercase letters, digits and "-", starting with a letter and ending with a letter or digit'],
      ['replicas', '-1', 'expected an integer from 0 to 10000'],
      ['runtime.model', '"s3://models/fraud/"', MAR],
    ]);
  });

  test('service-prop problems are reported together with the artifact\'s own problems', () => {
    expectProblems({ runtime: Runtime.triton({ model: ModelArtifact.fromHuggingFace('acme/repo', { revision: HF_REVISION }) }), replicas: -1 }, [
      ['replicas', '-1', 'expected an integer from 0 to 10000'],
      ['runtime.model.fetchImage', 'nothing', 'expected an image with huggingface-cli to fetch the model: the triton image has none'],
    ]);
  });

  test('runtime option problems still stop before the artifact is bound: no model path problem yet', () => {
    expectProblems({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/'), workers: 0 }), replicas: -1 }, [
      ['replicas', '-1', 'expected an integer from 0 to 10000'],
      ['runtime.workers', '0', 'expected an integer from 1 to 1024'],
    ]);
  });
});

describe('TensorFlow Serving', () => {
  const model = ModelArtifact.fromGcs('gs://models/ranker/');
  const LATEST_LABELS = 'expected VersionPolicy.specific([...]) or VersionPolicy.all(): labels need their versions loaded, and "latest" picks versions at run time';

  test('version labels with the default policy (latest)', () => {
    expectProblems({ runtime: Runtime.tensorflowServing({ model, versionLabels: { stable: 1 } }) }, [['runtime.versionLabels.stable', '1', LATEST_LABELS]]);
  });

  test('version labels with an explicit latest policy', () => {
    expectProblems({ runtime: Runtime.tensorflowServing({ model, versionPolicy: VersionPolicy.latest(2), versionLabels: { canary: 2 } }) }, [['runtime.versionLabels.canary', '2', LATEST_LABELS]]);
  });

  test('a label on a version that is not served, a bad label name and a bad version', () => {
    expectProblems({ runtime: Runtime.tensorflowServing({ model, versionPolicy: VersionPolicy.specific([41, 42]), versionLabels: { stable: 42, canary: 43, 'pre-prod': 41, old: -1 } }) }, [
      ['runtime.versionLabels.canary', '43', 'expected one of the served versions 41, 42: TF Serving only labels loaded versions'],
      ['runtime.versionLabels.pre-prod', '"pre-prod"', 'expected a label of letters, digits and "_"'],
      ['runtime.versionLabels.old', '-1', 'expected an integer at least 0'],
      ['runtime.versionLabels.old', '-1', 'expected one of the served versions 41, 42: TF Serving only labels loaded versions'],
    ]);
  });

  test('labels with VersionPolicy.all() are accepted', () => {
    expectAccepted({ runtime: Runtime.tensorflowServing({ model, versionPolicy: VersionPolicy.all(), versionLabels: { stable: 1, canary: 2 } }) });
  });

  test('version policies', () => {
    expectProblems({ runtime: Runtime.tensorflowServing({ model, versionPolicy: VersionPolicy.latest(0) }) }, [['runtime.versionPolicy.count', '0', 'expected an integer at least 1']]);
    expectProblems({ runtime: Runtime.tensorflowServing({ model, versionPolicy: VersionPolicy.specific([]) }) }, [['runtime.versionPolicy.versions', '[]', 'expected at least one version']]);
    expectProblems({ runtime: Runtime.tensorflowServing({ model, versionPolicy: VersionPolicy.specific([1, 1.5]) }) }, [['runtime.versionPolicy.versions[1]', '1.5', 'expected an integer at least 0']]);
  });

  test('batching', () => {
    expectProblems({ runtime: Runtime.tensorflowServing({ model, batching: { maxBatchSize: 8, allowedBatchSizes: [2, 4], numBatchThreads: 0, maxEnqueuedBatches: 1.5, batchTimeout: Duration.seconds(61) } }) }, [
      ['runtime.batching.maxEnqueuedBatches', '1.5', 'expected an integer at least 1'],
      ['runtime.batching.numBatchThreads', '0', 'expected an integer at least 1'],
      ['runtime.batching.batchTimeout', '61 s', 'expected a Duration from 0 s to 60 s'],
      ['runtime.batching.allowedBatchSizes', '[2,4]', 'expected increasing positive integers ending with maxBatchSize (8)'],
    ]);
  });

  test('batching without maxBatchSize', () => {
    expectProblems({ runtime: Runtime.tensorflowServing({ model, batching: {} as { maxBatchSize: number } }) }, [['runtime.batching.maxBatchSize', 'nothing', 'expected a positive integer']]);
  });

  test.each([[[4, 2, 8]], [[2, 2, 8]], [[0, 8]]])('allowedBatchSizes %j are not increasing positive integers', (allowedBatchSizes) => {
    expectProblems({ runtime: Runtime.tensorflowServing({ model, batching: { maxBatchSize: 8, allowedBatchSizes } }) }, [
      ['runtime.batching.allowedBatchSizes', JSON.stringify(allowedBatchSizes), 'expected increasing positive integers ending with maxBatchSize (8)'],
    ]);
  });
});

describe('vLLM', () => {
  const model = ModelArtifact.fromHuggingFace('meta-llama/Llama-3.1-70B-Instruct', { revision: HF_REVISION });
  const vllm = (tensorParallelSize: number | undefined, count?: number) => ({
    runtime: Runtime.vllm({ model, ...(tensorParallelSize === undefined ? {} : { tensorParallelSize }) }),
    ...(count === undefined ? {} : { accelerator: Accelerator.nvidiaGpu({ count }) }),
    resources: { cpu: '8', memory: '64Gi' },
  });
  const TP = (gpus: number) => `expected the accelerator's GPU count (${gpus}): vLLM shards the model over every GPU the pod holds`;
  const NO_GPU = 'expected an accelerator (Accelerator.nvidiaGpu(...)) on the service: the default vLLM image needs an NVIDIA GPU; give a CPU build of vLLM as image to run without one';

  test.each([
    [2, 4],
    [8, 4],
    [1, 2],
    [4, 1],
  ])('tensorParallelSize %p with %p GPUs', (tp, gpus) => {
    expectProblems(vllm(tp, gpus), [['runtime.tensorParallelSize', String(tp), TP(gpus)]]);
  });

  test('tensorParallelSize 2 without an accelerator', () => {
    expectProblems(vllm(2), [
      ['runtime.image', 'nothing', NO_GPU],
      ['runtime.tensorParallelSize', '2', TP(0)],
    ]);
  });

  test('tensorParallelSize 2 without an accelerator, with a CPU image', () => {
    expectProblems({ ...vllm(2), runtime: Runtime.vllm({ model, image: ModelImage.fromRegistry('ghcr.io/acme/vllm-cpu:0.6.6'), tensorParallelSize: 2 }) }, [['runtime.tensorParallelSize', '2', TP(0)]]);
  });

  test('no accelerator and the default image', () => {
    expectProblems(vllm(undefined), [['runtime.image', 'nothing', NO_GPU]]);
  });

  test('MIG slices cannot be sharded over', () => {
    expectProblems({ ...vllm(undefined), accelerator: Accelerator.nvidiaGpu({ count: 2, migProfile: '2g.20gb' }) }, [
      ['runtime.tensorParallelSize', '2', 'expected 1 MIG slice: NCCL cannot shard a model across MIG instances (the accelerator asks for 2 2g.20gb slices); use whole GPUs for tensor parallelism'],
    ]);
  });

  test('/dev/shm as large as the memory limit', () => {
    const MEMORY = 'expected more than the memory-backed volumes the runtime mounts (/dev/shm 64Gi), which count against the memory limit';
    expectProblems({ ...vllm(undefined, 1), runtime: Runtime.vllm({ model, sharedMemory: '64Gi' }) }, [['resources.memory', '"64Gi"', MEMORY]]);
    expectProblems({ ...vllm(undefined, 1), runtime: Runtime.vllm({ model, sharedMemory: '64Gi' }), resources: { memory: '32Gi', memoryLimit: '64Gi' } }, [['resources.memoryLimit', '"64Gi"', MEMORY]]);
  });

  test('tensorParallelSize equal to the GPU count is accepted, and the default follows the GPU count', () => {
    expectAccepted(vllm(4, 4));
    expect(render(vllm(undefined, 4)).deployment).toMatchObject({ spec: { template: { spec: { containers: [{ args: expect.arrayContaining(['--tensor-parallel-size=4']) }] } } } });
  });

  test('tensorParallelSize with an invalid GPU count reports the count, not a mismatch', () => {
    expectProblems(vllm(2, 0), [
      ['accelerator.count', '0', 'expected a positive integer number of GPUs (fractions of a GPU need a MIG profile)'],
      // An accelerator was given, so vLLM does not also ask for one.
      ['runtime.tensorParallelSize', '2', TP(0)],
    ]);
  });

  test('other options', () => {
    expectProblems({ ...vllm(undefined, 1), runtime: Runtime.vllm({ model, servedModelName: 'llama 3', maxModelLen: 0, gpuMemoryUtilization: 1.1, sharedMemory: '2G' }) }, [
      ['runtime.servedModelName', '"llama 3"', 'expected letters, digits, "_", "-", "." and "/"'],
      ['runtime.maxModelLen', '0', 'expected an integer at least 1'],
      ['runtime.gpuMemoryUtilization', '1.1', 'expected a fraction greater than 0 and at most 1'],
      ['runtime.sharedMemory', '"2G"', 'expected a positive size in Mi or Gi such as "2Gi"'],
    ]);
  });

  test.each([[0], [-0.5]])('gpuMemoryUtilization %p', (gpuMemoryUtilization) => {
    expectProblems({ ...vllm(undefined, 1), runtime: Runtime.vllm({ model, gpuMemoryUtilization }) }, [['runtime.gpuMemoryUtilization', String(gpuMemoryUtilization), 'expected a fraction greater than 0 and at most 1']]);
  });

  test('sharedMemory "0Gi" (an empty /dev/shm) is refused', () => {
    expectProblems({ ...vllm(undefined, 1), runtime: Runtime.vllm({ model, sharedMemory: '0Gi' }) }, [['runtime.sharedMemory', '"0Gi"', 'expected a positive size in Mi or Gi such as "2Gi"']]);
  });

  test('the minimal vLLM props render', () => {
    expectAccepted(MINIMAL_PROPS.vllm());
  });
});
