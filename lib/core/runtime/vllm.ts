import { ModelArtifact } from '../artifact/artifact';
import { Accelerator } from '../accelerator';
import { checkInteger } from '../checks';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { ModelImage } from '../image';
import { checkModelAndImage, effectiveModel } from './model-and-image';
import { IRuntime, PortRole, RuntimeDefaults, RuntimeProfile, RuntimeRenderContext } from './contract';

/** Options for {@link Runtime.vllm}. */
export interface VllmOptions {
  /**
   * The model: a Hugging Face repository at a pinned commit, a volume, or a path in the image.
   * Required unless `image` is built from a model directory, which holds the model itself.
   * @default - the model baked into `image` by ModelImage.fromModelDirectory
   */
  readonly model?: ModelArtifact;
  /**
   * The server image (its entrypoint must be vLLM's OpenAI-compatible API server).
   * @default - `vllm/vllm-openai:v0.6.6`
   */
  readonly image?: ModelImage;
  /**
   * Model name clients send in OpenAI requests.
   * @default - the service name
   */
  readonly servedModelName?: string;
  /**
   * GPUs to shard the model over. Must equal the accelerator's GPU count: fewer wastes GPUs the
   * pod holds, more fails at start.
   * @default - the accelerator's GPU count
   */
  readonly tensorParallelSize?: number;
  /**
   * Longest context (prompt + output tokens).
   * @default - the model's own maximum
   */
  readonly maxModelLen?: number;
  /**
   * Fraction of GPU memory vLLM may use for weights and KV cache.
   * @default 0.9
   */
  readonly gpuMemoryUtilization?: number;
  /**
   * Shared memory for NCCL between tensor-parallel workers (`/dev/shm`, in RAM; counts against the memory limit).
   * @default "2Gi"
   */
  readonly sharedMemory?: string;
}

export const VLLM_IMAGE = 'vllm/vllm-openai:v0.6.6';
const PORT = 8000;

/**
 * vLLM's OpenAI-compatible server. Weights come from a pinned artifact and the server runs
 * with `HF_HUB_OFFLINE=1`, so it never downloads code or weights at run time.
 */
export class VllmRuntime implements IRuntime {
  public readonly kind = 'vllm';
  public constructor(private readonly options: VllmOptions) {}

  public get model(): ModelArtifact | undefined {
    return effectiveModel(this.options.model, this.options.image);
  }

  public get image(): ModelImage | undefined {
    return this.options.image;
  }

  public validate(problems: Problems, gpus: number, accelerator?: Accelerator): void {
    const o = this.options;
    // NCCL cannot shard a model across MIG instances: several slices are a mistake, reported once.
    const migSlices = accelerator?.migProfile !== undefined && gpus > 1;
    if (accelerator === undefined && o.image === undefined) {
      problems.add('image', undefined, 'expected an accelerator (Accelerator.nvidiaGpu(...)) on the service: the default vLLM image needs an NVIDIA GPU; give a CPU build of vLLM as image to run without one');
    }
    if (migSlices) {
      problems.add('tensorParallelSize', o.tensorParallelSize ?? gpus, `expected 1 MIG slice: NCCL cannot shard a model across MIG instances (the accelerator asks for ${gpus} ${accelerator.migProfile} slices); use whole GPUs for tensor parallelism`);
    }
    checkModelAndImage(problems, o.model, o.image, 'expected a ModelArtifact, e.g. ModelArtifact.fromHuggingFace("org/model", { revision: "<40-hex commit>" })');
    if (o.servedModelName !== undefined && !(typeof o.servedModelName === 'string' && /^[A-Za-z0-9][A-Za-z0-9_./-]{0,127}$/.test(o.servedModelName))) {
      problems.add('servedModelName', o.servedModelName, 'expected letters, digits, "_", "-", "." and "/"');
    }
    checkInteger(problems, 'tensorParallelSize', o.tensorParallelSize, 1, 64);
    if (!migSlices && o.tensorParallelSize !== undefined && Number.isInteger(o.tensorParallelSize) && o.tensorParallelSize !== Math.max(gpus, 1)) {
      problems.add('tensorParallelSize', o.tensorParallelSize, `expected the accelerator's GPU count (${gpus}): vLLM shards the model over every GPU the pod holds`);
    }
    checkInteger(problems, 'maxModelLen', o.maxModelLen, 1);
    const u = o.gpuMemoryUtilization;
    if (u !== undefined && !(typeof u === 'number' && u > 0 && u <= 1)) problems.add('gpuMemoryUtilization', u, 'expected a fraction greater than 0 and at most 1');
    if (o.sharedMemory !== undefined && !/^[1-9][0-9]*(Mi|Gi)$/.test(o.sharedMemory)) problems.add('sharedMemory', o.sharedMemory, 'expected a positive size in Mi or Gi such as "2Gi"');
  }

  public defaults(_gpus: number, name: string): RuntimeDefaults {
    return {
      image: VLLM_IMAGE,
      defaultImagePath: `/models/${name}`,
      hasHuggingFaceCli: true,
      modelLoadTime: Duration.minutes(10),
      user: { uid: 1000, gid: 1000 },
    };
  }

  public render(ctx: RuntimeRenderContext): RuntimeProfile {
    const o = this.options;
    const tp = o.tensorParallelSize ?? Math.max(ctx.gpus, 1);
    return {
      command: ['python3', '-m', 'vllm.entrypoints.openai.api_server'],
      args: [
        '--host=0.0.0.0',
        `--port=${PORT}`,
        `--model=${ctx.modelPath}`,
        `--served-model-name=${o.servedModelName ?? ctx.name}`,
        `--tensor-parallel-size=${tp}`,
        `--gpu-memory-utilization=${o.gpuMemoryUtilization ?? 0.9}`,
        ...(o.maxModelLen !== undefined ? [`--max-model-len=${o.maxModelLen}`] : []),
      ],
      env: [
        { name: 'HOME', value: '/tmp' },
        { name: 'HF_HOME', value: '/tmp/hf' },
        { name: 'HF_HUB_OFFLINE', value: '1' },
        { name: 'XDG_CACHE_HOME', value: '/tmp/cache' },
        { name: 'VLLM_NO_USAGE_STATS', value: '1' },
        { name: 'DO_NOT_TRACK', value: '1' },
      ],
      ports: [{ name: 'http', port: PORT, role: PortRole.HTTP }],
      configFiles: {},
      // vLLM starts answering HTTP only after the weights are loaded, so /health means ready.
      startupProbe: { kind: 'http', path: '/health', port: 'http' },
      readinessProbe: { kind: 'http', path: '/health', port: 'http' },
      livenessProbe: { kind: 'http', path: '/health', port: 'http' },
      metrics: { port: 'http', path: '/metrics' },
      writablePaths: [{ path: '/tmp', sizeLimit: '10Gi' }, { path: '/dev/shm', medium: 'Memory', sizeLimit: o.sharedMemory ?? '2Gi' }],
      scalingSignal: { metric: 'vllm:num_requests_waiting', description: 'requests waiting to be scheduled by the vLLM engine' },
    };
  }
}
