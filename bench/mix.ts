/**
 * The service mix the benchmark synthesizes: five realistic services, cycled by index.
 * Imported by the worker only; nothing here is timed on its own.
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
} from '../lib/core';

/** Name of the one chart every mode synthesizes into; part of each construct path. */
export const CHART_ID = 'bench';

/** Construct id (and default object name) of service `i`. */
export function serviceId(i: number): string {
  return `m${i}`;
}

/** Construct path of service `i`, as `ModelService` passes it to `renderModelService`. */
export function servicePath(i: number): string {
  return `${CHART_ID}/${serviceId(i)}`;
}

const hex = (i: number, length: number) => ((i * 2654435761) >>> 0).toString(16).padStart(8, '0').repeat(Math.ceil(length / 8)).slice(0, length);

/** Props of service `i`: TorchServe/S3, TF Serving/HTTPS+sha256, Triton/PVC, vLLM/Hugging Face+GPU, custom image. */
export function serviceProps(i: number): ModelServiceProps {
  const team = `team-${i % 7}`;
  switch (i % 5) {
    case 0:
      return {
        runtime: Runtime.torchServe({
          model: ModelArtifact.fromS3(`s3://models/${team}/fraud-${i}/v7/fraud.mar`, {
            size: Size.gibibytes(2),
            credentials: ArtifactCredentials.fromServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': `arn:aws:iam::123456789012:role/${team}-models` }),
          }),
          workers: 2,
          batchSize: 8,
        }),
        namespace: 'serving',
        resources: { cpu: '2', memory: '4Gi' },
        modelLoadTime: Duration.minutes(2),
        labels: { team },
      };
    case 1:
      return {
        runtime: Runtime.tensorflowServing({
          model: ModelArtifact.fromHttps(`https://artifacts.example.com/${team}/ranker-${i}/saved_model.tar.gz`, { sha256: hex(i, 64), size: Size.mebibytes(800) }),
        }),
        namespace: 'serving',
        replicas: 3,
        resources: { cpu: '1', memory: '2Gi' },
        inferenceClients: InferenceClients.namespaces('frontend', 'batch'),
        env: { TF_CPP_MIN_LOG_LEVEL: '2' },
      };
    case 2:
      return {
        runtime: Runtime.triton({ model: ModelArtifact.fromPersistentVolumeClaim(`models-${team}`, { path: `repos/detector-${i}` }) }),
        namespace: 'serving',
        resources: { cpu: '4', memory: '8Gi' },
        modelLoadTime: Duration.minutes(3),
      };
    case 3:
      return {
        runtime: Runtime.vllm({
          model: ModelArtifact.fromHuggingFace('meta-llama/Llama-3.1-8B-Instruct', {
            revision: hex(i, 40),
            size: Size.gibibytes(16),
            credentials: ArtifactCredentials.fromSecret('hf-token', { HF_TOKEN: 'token' }),
          }),
          maxModelLen: 8192,
        }),
        namespace: 'llm',
        accelerator: Accelerator.nvidiaGpu({ count: 1, product: 'NVIDIA-A10G' }),
        resources: { cpu: '4', memory: '24Gi' },
        modelLoadTime: Duration.minutes(10),
      };
    default:
      return {
        runtime: Runtime.custom({
          image: ModelImage.fromRegistry(`registry.example.com/${team}/scorer@sha256:${hex(i + 1, 64)}`),
          ports: [
            { name: 'http', port: 8080, role: PortRole.HTTP },
            { name: 'metrics', port: 9090, role: PortRole.METRICS },
          ],
          metricsPath: '/metrics',
        }),
        namespace: 'serving',
        resources: { cpu: '500m', memory: '1Gi' },
        secretEnv: { API_KEY: { secretName: `${team}-scorer`, key: 'api-key' } },
      };
  }
}
