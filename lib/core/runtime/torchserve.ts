import { ModelArtifact } from '../artifact/artifact';
import { checkDuration, checkInteger, checkOneOf } from '../checks';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { ModelImage } from '../image';
import { regexEscape } from '../shell';
import { checkModelAndImage, effectiveModel } from './model-and-image';
import { IRuntime, PortRole, RuntimeDefaults, RuntimeProfile, RuntimeRenderContext } from './contract';

/** Options for {@link Runtime.torchServe}. */
export interface TorchServeOptions {
  /**
   * The model archive (`.mar`).
   * Required unless `image` is built from a model directory, which holds the model itself.
   * @default - the model baked into `image` by ModelImage.fromModelDirectory
   */
  readonly model?: ModelArtifact;
  /**
   * The server image.
   * @default - `pytorch/torchserve:0.12.0-cpu`, or `-gpu` with an accelerator
   */
  readonly image?: ModelImage;
  /**
   * Name the model is served under (`/predictions/<modelName>`).
   * @default - the service name
   */
  readonly modelName?: string;
  /**
   * Version recorded in the `models` property.
   * @default "1.0"
   */
  readonly modelVersion?: string;
  /**
   * Backend workers for the model (TorchServe's minWorkers = maxWorkers, so capacity is fixed
   * and the pod's resources are sized for it; scale with replicas instead).
   * @default 1
   */
  readonly workers?: number;
  /**
   * Largest batch the workers aggregate.
   * @default 1
   */
  readonly batchSize?: number;
  /**
   * Longest a request waits for a batch to fill.
   * @default Duration.millis(100)
   */
  readonly maxBatchDelay?: Duration;
  /**
   * Time a worker may take for one inference before it is restarted.
   * @default Duration.seconds(120)
   */
  readonly responseTimeout?: Duration;
  /**
   * Requests the frontend queues before answering 503.
   * @default 100
   */
  readonly jobQueueSize?: number;
  /**
   * Serve gRPC inference on port 7070 too (the gRPC management API always stays on loopback).
   * @default false
   */
  readonly grpc?: boolean;
}

export const TORCHSERVE_IMAGE = 'pytorch/torchserve:0.12.0';
const HOME = '/home/model-server';
const PORTS = { inference: 8080, management: 8081, metrics: 8082, grpc: 7070, grpcManagement: 7071 } as const;

/**
 * TorchServe. Hardened against the ShellTorch class of attacks (CVE-2023-43654): the model
 * registration API is off, `allowed_urls` is pinned to the model's own source, and both
 * management listeners bind loopback only, so nothing outside the pod can reach them.
 *
 * Token authorization is turned off (`disable_token_authorization=true`): its keys are generated
 * inside the pod at start-up and expire after an hour, so neither kubelet probes (`/ping` answers
 * 400 without a key) nor real clients could present one. With management on loopback and the
 * model API off, the token would only guard inference, which the NetworkPolicy limits to the
 * peers you allow; authenticate clients at the gateway or mesh.
 */
export class TorchServeRuntime implements IRuntime {
  public readonly kind = 'torchserve';
  public constructor(private readonly options: TorchServeOptions) {}

  public get model(): ModelArtifact | undefined {
    return effectiveModel(this.options.model, this.options.image);
  }

  public get image(): ModelImage | undefined {
    return this.options.image;
  }

  public validate(problems: Problems): void {
    const o = this.options;
    checkModelAndImage(problems, o.model, o.image, 'expected a ModelArtifact holding a .mar archive, e.g. ModelArtifact.fromS3("s3://bucket/fraud.mar")');
    if (o.modelName !== undefined && !(typeof o.modelName === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,127}$/.test(o.modelName))) {
      problems.add('modelName', o.modelName, 'expected a TorchServe model name: a letter, then letters, digits, "_", "-" or "."');
    }
    if (o.modelVersion !== undefined && !(typeof o.modelVersion === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(o.modelVersion))) {
      problems.add('modelVersion', o.modelVersion, 'expected a version such as "1.0" (letters, digits, "_", "-", ".")');
    }
    checkInteger(problems, 'workers', o.workers, 1, 1024);
    checkInteger(problems, 'batchSize', o.batchSize, 1, 4096);
    checkInteger(problems, 'jobQueueSize', o.jobQueueSize, 1);
    checkDuration(problems, 'maxBatchDelay', o.maxBatchDelay, 0, 60);
    checkDuration(problems, 'responseTimeout', o.responseTimeout, 1);
    checkOneOf(problems, 'grpc', o.grpc, [true, false]);
  }

  public validateModelPath(modelPath: string, problems: Problems, source?: string): void {
    if (!modelPath.endsWith('.mar')) {
      problems.add('', source ?? modelPath, 'expected the model to be a .mar archive (a single object or file ending in ".mar", not a prefix or directory)');
    }
  }

  public defaults(gpus: number, name: string): RuntimeDefaults {
    return {
      image: `${TORCHSERVE_IMAGE}-${gpus > 0 ? 'gpu' : 'cpu'}`,
      defaultImagePath: `${HOME}/model-store/${name}.mar`,
      hasHuggingFaceCli: false,
      modelLoadTime: Duration.minutes(2),
      user: { uid: 1000, gid: 1000 },
    };
  }

  public render(ctx: RuntimeRenderContext): RuntimeProfile {
    const o = this.options;
    const slash = ctx.modelPath.lastIndexOf('/');
    const store = ctx.modelPath.slice(0, slash) || '/';
    const mar = ctx.modelPath.slice(slash + 1);
    const modelName = o.modelName ?? ctx.name;
    const version = o.modelVersion ?? '1.0';
    const models = {
      [modelName]: {
        [version]: {
          defaultVersion: true,
          marName: mar,
          minWorkers: o.workers ?? 1,
          maxWorkers: o.workers ?? 1,
          batchSize: o.batchSize ?? 1,
          maxBatchDelay: o.maxBatchDelay?.toMilliseconds() ?? 100,
          responseTimeout: o.responseTimeout?.toSeconds() ?? 120,
        },
      },
    };
    // Models load from the local store only; the source URL is allowed too so the archive's
    // provenance is the only origin TorchServe would ever accept.
    // TorchServe splits allowed_urls on ",", so a literal comma is written as \x2c (Java and JS regex).
    const literal = (value: string) => regexEscape(value).replace(/,/g, '\\x2c');
    const allowed = [`file://${literal(store)}/.*`, ...(ctx.modelSource ? [`^${literal(ctx.modelSource)}$`] : [])];
    const grpcBind = o.grpc ? '0.0.0.0' : '127.0.0.1';
    const properties = [
      `inference_address=http://0.0.0.0:${PORTS.inference}`,
      `management_address=http://127.0.0.1:${PORTS.management}`,
      `metrics_address=http://0.0.0.0:${PORTS.metrics}`,
      `grpc_inference_address=${grpcBind}`,
      `grpc_inference_port=${PORTS.grpc}`,
      'grpc_management_address=127.0.0.1',
      `grpc_management_port=${PORTS.grpcManagement}`,
      `model_store=${store}`,
      `workflow_store=${store}`,
      `load_models=${modelName}=${mar}`,
      `models=${JSON.stringify(models)}`,
      `job_queue_size=${o.jobQueueSize ?? 100}`,
      `default_workers_per_model=${o.workers ?? 1}`,
      `number_of_gpu=${ctx.gpus}`,
      'metrics_mode=prometheus',
      'enable_metrics_api=true',
      'enable_model_api=false',
      'disable_token_authorization=true',
      `allowed_urls=${allowed.join(',')}`,
      'enable_envvars_config=false',
      'install_py_dep_per_model=false',
    ];
    return {
      command: ['torchserve', '--foreground', '--ts-config', `${ctx.configPath}/config.properties`, '--disable-token-auth', '--ncs'],
      args: [],
      env: [
        { name: 'LOG_LOCATION', value: `${HOME}/logs` },
        { name: 'METRICS_LOCATION', value: `${HOME}/logs` },
        { name: 'TEMP', value: `${HOME}/tmp` },
      ],
      ports: [
        { name: 'http', port: PORTS.inference, role: PortRole.HTTP },
        ...(o.grpc ? [{ name: 'grpc', port: PORTS.grpc, role: PortRole.GRPC }] : []),
        { name: 'metrics', port: PORTS.metrics, role: PortRole.METRICS },
      ],
      configFiles: { 'config.properties': `${properties.join('\n')}\n` },
      // /ping answers 200 only once every model has its minimum workers, i.e. the model is loaded.
      startupProbe: { kind: 'http', path: '/ping', port: 'http' },
      readinessProbe: { kind: 'http', path: '/ping', port: 'http' },
      // Liveness checks only that the frontend accepts connections: TorchServe restarts dead
      // workers itself, and restarting the pod for that would reload the model for nothing.
      livenessProbe: { kind: 'tcp', port: 'http' },
      metrics: { port: 'metrics', path: '/metrics' },
      writablePaths: [{ path: '/tmp' }, { path: `${HOME}/logs`, sizeLimit: '1Gi' }, { path: `${HOME}/tmp` }, { path: `${HOME}/.cache` }],
      modelVersion: version,
      scalingSignal: { metric: 'ts_queue_latency_microseconds', description: 'cumulative time requests spent queued in the TorchServe frontend' },
    };
  }
}
