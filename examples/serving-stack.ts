/**
 * The example serving stack, defined once and deployed by both front ends:
 * examples/cdk8s/main.ts (`cdk8s synth`) and examples/pulumi/index.ts (`pulumi up`).
 * In your own code, import from "modelship" (or "modelship/core") instead of "../lib/core".
 */
import {
  Accelerator,
  ActivationSignal,
  ArtifactCredentials,
  AutoscalerOptions,
  ClusterModelProps,
  ClusterRouting,
  Duration,
  InferenceClients,
  ModelArtifact,
  ModelImage,
  ModelRoute,
  NodePool,
  PortRole,
  Priority,
  Runtime,
  ScalingTarget,
  ServingClusterProps,
  Size,
  VersionPolicy,
} from '../lib/core';

/** The namespace every model of the example runs in: the ServingCluster's, Pod Security "restricted" enforced. */
export const NAMESPACE = 'serving';

/**
 * The cluster the models share: its node pools (sized so every model fits at minReplicas, at
 * maxReplicas and while all of them roll out at once; see reports/capacity-serving.md after a
 * synth), one Gateway API entry point, and a ResourceQuota computed from the models.
 */
export function servingCluster(): ServingClusterProps {
  return {
    namespace: NAMESPACE,
    nodePools: [
      NodePool.cpu('general', { count: 8, cpu: '16', memory: '64Gi' }),
      NodePool.gpu('l4', { count: 3, cpu: '32', memory: '128Gi', gpus: 4, gpuProduct: 'NVIDIA-L4' }),
      // Eight A100 40GB per node, each cut into two 3g.20gb MIG slices (the device plugin's mixed strategy).
      NodePool.gpu('a100', { count: 1, cpu: '32', memory: '256Gi', gpus: 0, migSlices: { '3g.20gb': 16 }, gpuProduct: 'NVIDIA-A100-SXM4-40GB' }),
    ],
    // A Gateway named "public" in the "gateway" namespace (Envoy Gateway, Istio, Cilium, …) must exist.
    routing: ClusterRouting.gateway({ gatewayName: 'public', gatewayNamespace: 'gateway', hostnames: ['models.example.com'] }),
  };
}

/** Where the example's model directories are, relative to the repository root (where synth runs). */
export const EXAMPLE_MODELS_DIR = 'examples/models';

/**
 * Every model of the example, by service name.
 *
 * @param modelsDir where the model directories are; the e2e suite passes a copy to change a file
 */
export function servingStack(modelsDir: string = EXAMPLE_MODELS_DIR): Record<string, ClusterModelProps> {
  return {
    // TorchServe, image built from examples/models/fraud: modelship packs the .mar itself.
    fraud: {
      runtime: Runtime.torchServe({
        image: ModelImage.fromModelDirectory(`${modelsDir}/fraud`, {
          repository: 'registry.example.com/ml/fraud',
          archive: { handler: 'handler.py', modelFile: 'model.py', serializedFile: 'model.pt', extraFiles: ['index_to_name.json'], configFile: 'model-config.yaml' },
        }),
        workers: 2,
        batchSize: 8,
        maxBatchDelay: Duration.millis(20),
      }),
      resources: { cpu: '2', memory: '4Gi' },
      modelLoadTime: Duration.minutes(2),
      // The payments namespace calls it in-cluster; the cluster adds the Gateway's namespace.
      inferenceClients: InferenceClients.namespaces('payments'),
      priority: Priority.critical(),
    },

    // The next fraud model, a canary taking 10 % of /fraud: promote it by setting weight to 100.
    'fraud-v8': {
      runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://acme-models/fraud/v8/fraud.mar', { size: Size.mebibytes(200) }) }),
      resources: { cpu: '2', memory: '4Gi' },
      canary: { of: 'fraud', weight: 10 },
    },

    // TorchServe again, this time a .mar fetched from S3 at start with an IAM role (no secret).
    anomaly: {
      runtime: Runtime.torchServe({
        model: ModelArtifact.fromS3('s3://acme-models/anomaly/v3/anomaly.mar', {
          size: Size.mebibytes(600),
          credentials: ArtifactCredentials.fromServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/model-reader' }),
        }),
      }),
      resources: { cpu: '1', memory: '2Gi' },
    },

    // TF Serving, image built from a SavedModel base path, with server-side batching.
    recommender: {
      runtime: Runtime.tensorflowServing({
        image: ModelImage.fromModelDirectory(`${modelsDir}/recommender`, { repository: 'registry.example.com/ml/recommender' }),
        batching: { maxBatchSize: 64, batchTimeout: Duration.millis(2), numBatchThreads: 4 },
      }),
      resources: { cpu: '4', memory: '8Gi' },
      replicas: 3,
    },

    // A retrained recommender in shadow: a copy of a fifth of /recommender's requests, its responses discarded.
    'recommender-shadow': {
      runtime: Runtime.tensorflowServing({ model: ModelArtifact.fromGcs('gs://acme-models/recommender/v2/', { size: Size.mebibytes(300) }) }),
      resources: { cpu: '4', memory: '8Gi' },
      replicas: 1,
      mirror: { of: 'recommender', percent: 20 },
      priority: Priority.batch(),
    },

    // TF Serving from an HTTPS archive pinned by sha256: two versions, labelled stable and canary.
    ranking: {
      runtime: Runtime.tensorflowServing({
        model: ModelArtifact.fromHttps('https://models.acme.example/ranking/savedmodel-v42-v43.tar.gz', {
          sha256: '3f1c9a57d0e2b7c4a9e18f6d2b5c7e9a0f4d6b8c1e3a5f7d9b2c4e6a8f0d1b3c',
          size: Size.gibibytes(2),
        }),
        versionPolicy: VersionPolicy.specific([42, 43]),
        versionLabels: { stable: 42, canary: 43 },
      }),
      resources: { cpu: '2', memory: '4Gi' },
    },

    // Triton, image built from a model repository, on one MIG slice of an A100.
    vision: {
      runtime: Runtime.triton({ image: ModelImage.fromModelDirectory(`${modelsDir}/vision`, { repository: 'registry.example.com/ml/vision' }) }),
      accelerator: Accelerator.nvidiaGpu({ count: 1, migProfile: '3g.20gb', product: 'NVIDIA-A100-SXM4-40GB' }),
      resources: { cpu: '4', memory: '16Gi' },
      modelLoadTime: Duration.minutes(4),
    },

    // vLLM, image built from a (tiny) Hugging Face snapshot, on one GPU.
    summarizer: {
      runtime: Runtime.vllm({
        image: ModelImage.fromModelDirectory(`${modelsDir}/summarizer`, { repository: 'registry.example.com/ml/summarizer' }),
        maxModelLen: 2048,
      }),
      accelerator: Accelerator.nvidiaGpu({ count: 1, product: 'NVIDIA-L4' }),
      resources: { cpu: '4', memory: '16Gi' },
      modelLoadTime: Duration.minutes(5),
    },

    // vLLM, an LLM fetched from Hugging Face at a pinned commit, sharded over two GPUs.
    chat: {
      runtime: Runtime.vllm({
        model: ModelArtifact.fromHuggingFace('mistralai/Mistral-7B-Instruct-v0.3', {
          revision: 'e0bc86c23ce5aae1db576c8cca6f06f1f73af2db',
          size: Size.gibibytes(15),
          credentials: ArtifactCredentials.fromSecret('huggingface', { HF_TOKEN: 'token' }),
        }),
        maxModelLen: 8192,
      }),
      accelerator: Accelerator.nvidiaGpu({ count: 2, product: 'NVIDIA-L4' }),
      resources: { cpu: '8', memory: '48Gi' },
      modelLoadTime: Duration.minutes(8),
      // Served on its own host, the OpenAI API paths unchanged.
      route: ModelRoute.host('chat.example.com'),
    },

    // Custom: the team's own standard-library Python server (examples/models/churn), built on a pinned Python base.
    churn: {
      runtime: Runtime.custom({
        image: ModelImage.fromModelDirectory(`${modelsDir}/churn`, {
          repository: 'registry.example.com/ml/churn',
          baseImage: 'python:3.11.11-slim-bookworm',
          exclude: ['training/**'],
        }),
        command: ['python3', '/models/server.py'],
        args: ['--port=8080', '--metrics-port=9090'],
        ports: [
          { name: 'http', port: 8080 },
          { name: 'metrics', port: 9090, role: PortRole.METRICS },
        ],
        healthPath: '/healthz',
        readinessPath: '/ready',
        metricsPath: '/metrics',
        scalingMetric: 'churn_requests_in_flight',
      }),
      resources: { cpu: '500m', memory: '512Mi' },
      modelLoadTime: Duration.seconds(30),
      // Called by batch jobs in-cluster only.
      route: ModelRoute.none(),
      priority: Priority.batch(),
    },
  };
}

/**
 * The example's autoscalers, by service name: fraud on TorchServe's own queue signal, and
 * anomaly scaled to zero through KEDA, awake only for the nightly batch window that calls it.
 */
export function servingAutoscalers(): Record<string, AutoscalerOptions> {
  return {
    fraud: { target: ScalingTarget.runtimeQueue(), minReplicas: 2, maxReplicas: 12 },
    anomaly: {
      target: ScalingTarget.runtimeQueue(),
      maxReplicas: 4,
      // Only the nightly batch jobs call it, in-cluster (no route): awake for their window.
      scaleToZero: { activation: ActivationSignal.schedule('Etc/UTC', '0 1 * * *', '0 5 * * *') },
    },
  };
}
