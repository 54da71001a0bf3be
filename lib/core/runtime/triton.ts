import { ModelArtifact } from '../artifact/artifact';
import { checkOneOf } from '../checks';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { ModelImage } from '../image';
import { checkModelAndImage, effectiveModel } from './model-and-image';
import { IRuntime, PortRole, RuntimeDefaults, RuntimeProfile, RuntimeRenderContext } from './contract';

/** Options for {@link Runtime.triton}. */
export interface TritonOptions {
  /**
   * The model repository: one directory per model, each with `config.pbtxt` and numeric version directories.
   * Required unless `image` is built from a model directory, which holds the model itself.
   * @default - the model baked into `image` by ModelImage.fromModelDirectory
   */
  readonly model?: ModelArtifact;
  /**
   * The server image.
   * @default - `nvcr.io/nvidia/tritonserver:24.10-py3`
   */
  readonly image?: ModelImage;
  /**
   * Expose the gRPC API (port 8001) besides HTTP (8000).
   * @default true
   */
  readonly grpc?: boolean;
}

export const TRITON_IMAGE = 'nvcr.io/nvidia/tritonserver:24.10-py3';
const PORTS = { http: 8000, grpc: 8001, metrics: 8002 } as const;

/**
 * NVIDIA Triton Inference Server. Models load once at start (`--model-control-mode=none`):
 * the repository API that could load arbitrary code is off, and `--strict-readiness` makes
 * `/v2/health/ready` wait for every model.
 */
export class TritonRuntime implements IRuntime {
  public readonly kind = 'triton';
  public constructor(private readonly options: TritonOptions) {}

  public get model(): ModelArtifact | undefined {
    return effectiveModel(this.options.model, this.options.image);
  }

  public get image(): ModelImage | undefined {
    return this.options.image;
  }

  public validate(problems: Problems): void {
    const o = this.options;
    checkModelAndImage(problems, o.model, o.image, 'expected a ModelArtifact holding a Triton model repository');
    checkOneOf(problems, 'grpc', o.grpc, [true, false]);
  }

  public validateModelPath(modelPath: string, problems: Problems, source?: string): void {
    if (/\.(mar|onnx|plan|pt|zip)$/.test(modelPath)) problems.add('', source ?? modelPath, 'expected a model repository directory (a prefix or archive), not a single model file');
  }

  public defaults(): RuntimeDefaults {
    return {
      image: TRITON_IMAGE,
      defaultImagePath: '/models',
      hasHuggingFaceCli: false,
      modelLoadTime: Duration.minutes(3),
      user: { uid: 1000, gid: 1000 },
    };
  }

  public render(ctx: RuntimeRenderContext): RuntimeProfile {
    const grpc = this.options.grpc ?? true;
    return {
      command: ['tritonserver'],
      args: [
        `--model-repository=${ctx.modelPath}`,
        '--model-control-mode=none',
        '--strict-readiness=true',
        '--exit-on-error=true',
        `--http-port=${PORTS.http}`,
        `--grpc-port=${PORTS.grpc}`,
        `--allow-grpc=${grpc}`,
        `--metrics-port=${PORTS.metrics}`,
        '--allow-metrics=true',
        `--allow-gpu-metrics=${ctx.gpus > 0}`,
      ],
      env: [],
      ports: [
        { name: 'http', port: PORTS.http, role: PortRole.HTTP },
        ...(grpc ? [{ name: 'grpc', port: PORTS.grpc, role: PortRole.GRPC }] : []),
        { name: 'metrics', port: PORTS.metrics, role: PortRole.METRICS },
      ],
      configFiles: {},
      startupProbe: { kind: 'http', path: '/v2/health/ready', port: 'http' },
      readinessProbe: { kind: 'http', path: '/v2/health/ready', port: 'http' },
      livenessProbe: { kind: 'http', path: '/v2/health/live', port: 'http' },
      metrics: { port: 'metrics', path: '/metrics' },
      writablePaths: [{ path: '/tmp' }],
      scalingSignal: { metric: 'nv_inference_queue_duration_us', description: 'cumulative microseconds requests waited in Triton scheduler queues' },
    };
  }
}
