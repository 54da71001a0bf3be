/**
 * The example serving stack, defined once and deployed by both front ends:
 * examples/cdk8s/main.ts (`cdk8s synth`) and examples/pulumi/index.ts (`pulumi up`).
 * In your own code, import from "modelship" (or "modelship/core") instead of "../lib/core".
 */
import {
  Accelerator,
  ArtifactCredentials,
  Duration,
  InferenceClients,
  ModelArtifact,
  ModelImage,
  ModelServiceProps,
  PortRole,
  Runtime,
  Size,
  VersionPolicy,
} from '../lib/core';

/** The namespace every model of the example runs in, enforcing Pod Security "restricted". */
export const NAMESPACE = 'serving';

/** Labels of that namespace. */
export const NAMESPACE_LABELS = { 'pod-security.kubernetes.io/enforce': 'restricted', 'pod-security.kubernetes.io/enforce-version': 'v1.28' };

/** Every model of the example, by service name. */
export function servingStack(): Record<string, ModelServiceProps> {
  return {
    // TorchServe: a .mar fetched from S3 with an IAM role (no secret), CPU only.
    fraud: {
      runtime: Runtime.torchServe({
        model: ModelArtifact.fromS3('s3://acme-models/fraud/v7/fraud.mar', {
          size: Size.mebibytes(600),
          credentials: ArtifactCredentials.fromServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/model-reader' }),
        }),
        workers: 2,
        batchSize: 8,
        maxBatchDelay: Duration.millis(20),
      }),
      resources: { cpu: '2', memory: '4Gi' },
      modelLoadTime: Duration.minutes(2),
      inferenceClients: InferenceClients.namespaces('payments'),
    },

    // TF Serving: a SavedModel archive over HTTPS, pinned by sha256, two versions with labels, batching on.
    recommender: {
      runtime: Runtime.tensorflowServing({
        model: ModelArtifact.fromHttps('https://models.acme.example/recommender/savedmodel-v42-v43.tar.gz', {
          sha256: '3f1c9a57d0e2b7c4a9e18f6d2b5c7e9a0f4d6b8c1e3a5f7d9b2c4e6a8f0d1b3c',
          size: Size.gibibytes(2),
        }),
        versionPolicy: VersionPolicy.specific([42, 43]),
        versionLabels: { stable: 42, canary: 43 },
        batching: { maxBatchSize: 64, batchTimeout: Duration.millis(2), numBatchThreads: 4 },
      }),
      resources: { cpu: '4', memory: '8Gi' },
      replicas: 3,
    },

    // Triton: a model repository on a ReadOnlyMany volume, on one MIG slice of an A100.
    vision: {
      runtime: Runtime.triton({ model: ModelArtifact.fromPersistentVolumeClaim('triton-models', { path: 'vision' }) }),
      accelerator: Accelerator.nvidiaGpu({ count: 1, migProfile: '3g.20gb', product: 'NVIDIA-A100-SXM4-40GB' }),
      resources: { cpu: '4', memory: '16Gi' },
      modelLoadTime: Duration.minutes(4),
    },

    // vLLM: an LLM from Hugging Face at a pinned commit, sharded over two GPUs.
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

    // Custom: the team's own server image, with its own ports and metrics.
    churn: {
      runtime: Runtime.custom({
        image: ModelImage.fromRegistry('ghcr.io/acme/churn-server:2.3.1'),
        ports: [
          { name: 'http', port: 8080 },
          { name: 'metrics', port: 9090, role: PortRole.METRICS },
        ],
        healthPath: '/healthz',
        readinessPath: '/ready',
        metricsPath: '/metrics',
      }),
      resources: { cpu: '500m', memory: '1Gi' },
      replicas: 2,
    },
  };
}
