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
  Duration,
  InferenceClients,
  ModelArtifact,
  ModelImage,
  ModelServiceProps,
  PortRole,
  Runtime,
  ScalingTarget,
  Size,
  VersionPolicy,
} from '../lib/core';

/** The namespace every model of the example runs in, enforcing Pod Security "restricted". */
export const NAMESPACE = 'serving';

/** Labels of that namespace. */
export const NAMESPACE_LABELS = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.28' };

/** Where the example's model directories are, relative to the repository root (where synth runs). */
export const EXAMPLE_MODELS_DIR = 'examples/models';

/**
 * Every model of the example, by service name.
 *
 * @param modelsDir where the model directories are; the e2e suite passes a copy to change a file
 */
export function servingStack(modelsDir: string = EXAMPLE_MODELS_DIR): Record<string, ModelServiceProps> {
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
      inferenceClients: InferenceClients.namespaces('payments'),
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
    },
  };
}

/**
 * The example's autoscalers, by service name: fraud on TorchServe's own queue signal, and
 * anomaly scaled to zero through KEDA, woken by its ingress request rate.
 */
export function servingAutoscalers(): Record<string, AutoscalerOptions> {
  return {
    fraud: { target: ScalingTarget.runtimeQueue(), minReplicas: 2, maxReplicas: 12 },
    anomaly: {
      target: ScalingTarget.runtimeQueue(),
      maxReplicas: 4,
      scaleToZero: { activation: ActivationSignal.prometheus(`sum(rate(nginx_ingress_controller_requests{exported_namespace="${NAMESPACE}",exported_service="anomaly"}[2m]))`) },
    },
  };
}
