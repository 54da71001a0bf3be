import { ModelArtifact } from '../artifact/artifact';
import { checkDuration, checkInteger, checkOneOf, isPlainObject, mapEntries } from '../checks';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { ModelImage } from '../image';
import { checkModelAndImage, effectiveModel } from './model-and-image';
import { IRuntime, PortRole, RuntimeDefaults, RuntimeProfile, RuntimeRenderContext } from './contract';

/** Which versions under the model's base path TensorFlow Serving loads. */
export class VersionPolicy {
  /** The `count` highest-numbered versions (TF Serving's default is the latest one). */
  public static latest(count = 1): VersionPolicy {
    return new VersionPolicy('latest', count, []);
  }
  /** Every version directory. */
  public static all(): VersionPolicy {
    return new VersionPolicy('all', 0, []);
  }
  /** Exactly these versions. */
  public static specific(versions: number[]): VersionPolicy {
    return new VersionPolicy('specific', 0, versions);
  }
  private constructor(public readonly kind: 'latest' | 'all' | 'specific', public readonly count: number, public readonly versions: readonly number[]) {}
}

/** TensorFlow Serving's server-side batching (`--batching_parameters_file`). */
export interface TfServingBatchingOptions {
  /** Largest batch. */
  readonly maxBatchSize: number;
  /**
   * Longest a request waits for a batch to fill.
   * @default Duration.millis(0)
   */
  readonly batchTimeout?: Duration;
  /**
   * Batches queued before requests are rejected.
   * @default - equal to `numBatchThreads` (the upstream advice for online serving)
   */
  readonly maxEnqueuedBatches?: number;
  /**
   * Threads that process batches.
   * @default - the CPU request rounded up, at least 1
   */
  readonly numBatchThreads?: number;
  /**
   * Batch sizes to pad to, increasing; the last must equal `maxBatchSize`.
   * @default - any size up to `maxBatchSize`
   */
  readonly allowedBatchSizes?: number[];
  /**
   * Pad inputs of different lengths to batch them together.
   * @default false
   */
  readonly padVariableLengthInputs?: boolean;
}

/** Options for {@link Runtime.tensorflowServing}. */
export interface TensorFlowServingOptions {
  /**
   * The SavedModel base path: a directory of integer version directories (`1/saved_model.pb`, …).
   * Required unless `image` is built from a model directory, which holds the model itself.
   * @default - the model baked into `image` by ModelImage.fromModelDirectory
   */
  readonly model?: ModelArtifact;
  /**
   * The server image.
   * @default - `tensorflow/serving:2.18.0`, or `-gpu` with an accelerator
   */
  readonly image?: ModelImage;
  /**
   * Name the model is served under (`/v1/models/<modelName>`).
   * @default - the service name
   */
  readonly modelName?: string;
  /**
   * Which versions to serve.
   * @default VersionPolicy.latest(1)
   */
  readonly versionPolicy?: VersionPolicy;
  /**
   * Labels for versions (`/v1/models/<name>/labels/<label>`), e.g. `{ stable: 42, canary: 43 }`.
   * @default - none
   */
  readonly versionLabels?: Record<string, number>;
  /**
   * Server-side batching.
   * @default - off
   */
  readonly batching?: TfServingBatchingOptions;
  /**
   * Expose the gRPC API (port 8500) besides REST (8501). When false, TF Serving still listens
   * on 8500 inside the pod (it has no switch to turn gRPC off), but the port is not declared,
   * not in the Service and not admitted by the NetworkPolicy.
   * @default true
   */
  readonly grpc?: boolean;
}

export const TFSERVING_IMAGE = 'tensorflow/serving:2.18.0';
const PORTS = { grpc: 8500, rest: 8501 } as const;
const METRICS_PATH = '/monitoring/prometheus/metrics';

/** Quotes a string for the protobuf text format. */
function protoString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * TensorFlow Serving with a generated `model_config_list`, Prometheus monitoring on the REST
 * port, and optional batching. The official image runs as root; the pod runs it as uid 1000,
 * which it needs nothing more for (it only reads the model and writes /tmp).
 */
export class TensorFlowServingRuntime implements IRuntime {
  public readonly kind = 'tfserving';
  public constructor(private readonly options: TensorFlowServingOptions) {}

  public get model(): ModelArtifact | undefined {
    return effectiveModel(this.options.model, this.options.image);
  }

  public get image(): ModelImage | undefined {
    return this.options.image;
  }

  public validate(problems: Problems): void {
    const o = this.options;
    checkModelAndImage(problems, o.model, o.image, 'expected a ModelArtifact holding a SavedModel base path with integer version directories');
    if (o.modelName !== undefined && !(typeof o.modelName === 'string' && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(o.modelName))) {
      problems.add('modelName', o.modelName, 'expected letters, digits, "_", "-" and ".", starting with a letter or digit');
    }
    if (o.versionPolicy !== undefined && !(o.versionPolicy instanceof VersionPolicy)) problems.add('versionPolicy', o.versionPolicy, 'expected VersionPolicy.latest(n), VersionPolicy.all() or VersionPolicy.specific([...])');
    const policy = o.versionPolicy instanceof VersionPolicy ? o.versionPolicy : undefined;
    if (policy?.kind === 'latest') checkInteger(problems, 'versionPolicy.count', policy.count, 1);
    if (policy?.kind === 'specific' && !Array.isArray(policy.versions)) problems.add('versionPolicy.versions', policy.versions, 'expected an array of version numbers');
    else if (policy?.kind === 'specific') {
      if (policy.versions.length === 0) problems.add('versionPolicy.versions', policy.versions, 'expected at least one version');
      policy.versions.forEach((v, i) => checkInteger(problems, `versionPolicy.versions[${i}]`, v, 0));
    }
    for (const [label, version] of mapEntries(problems, 'versionLabels', o.versionLabels, 'expected an object of label → version number') as [string, number][]) {
      if (!/^[a-zA-Z0-9_]+$/.test(label)) problems.add(`versionLabels.${label}`, label, 'expected a label of letters, digits and "_"');
      checkInteger(problems, `versionLabels.${label}`, version, 0);
      if (policy?.kind === 'specific' && Array.isArray(policy.versions) && !policy.versions.includes(version)) {
        problems.add(`versionLabels.${label}`, version, `expected one of the served versions ${policy.versions.join(', ')}: TF Serving only labels loaded versions`);
      } else if (o.versionPolicy === undefined || policy?.kind === 'latest') {
        problems.add(`versionLabels.${label}`, version, 'expected VersionPolicy.specific([...]) or VersionPolicy.all(): labels need their versions loaded, and "latest" picks versions at run time');
      }
    }
    checkOneOf(problems, 'grpc', o.grpc, [true, false]);
    const b = o.batching;
    if (b !== undefined && !isPlainObject(b)) problems.add('batching', b, 'expected { maxBatchSize, ... }');
    else if (b !== undefined) {
      const p = problems.at('batching');
      if (b.maxBatchSize === undefined) p.add('maxBatchSize', undefined, 'expected a positive integer');
      checkInteger(p, 'maxBatchSize', b.maxBatchSize, 1);
      checkInteger(p, 'maxEnqueuedBatches', b.maxEnqueuedBatches, 1);
      checkInteger(p, 'numBatchThreads', b.numBatchThreads, 1);
      checkDuration(p, 'batchTimeout', b.batchTimeout, 0, 60);
      checkOneOf(p, 'padVariableLengthInputs', b.padVariableLengthInputs, [true, false]);
      const sizes = b.allowedBatchSizes;
      if (sizes !== undefined) {
        const increasing = Array.isArray(sizes) && sizes.every((s, i) => Number.isInteger(s) && s >= 1 && (i === 0 || s > sizes[i - 1]!));
        if (!increasing || sizes.length === 0 || sizes[sizes.length - 1] !== b.maxBatchSize) {
          p.add('allowedBatchSizes', sizes, `expected increasing positive integers ending with maxBatchSize (${b.maxBatchSize})`);
        }
      }
    }
  }

  public defaults(gpus: number, name: string): RuntimeDefaults {
    return {
      image: (gpus > 0 ? `${TFSERVING_IMAGE}-gpu` : TFSERVING_IMAGE),
      defaultImagePath: `/models/${name}`,
      hasHuggingFaceCli: false,
      modelLoadTime: Duration.minutes(2),
      user: { uid: 1000, gid: 1000 },
    };
  }

  /** The `model_config_list` text proto. */
  private modelsConfig(name: string, basePath: string): string {
    const o = this.options;
    const lines = ['model_config_list {', '  config {', `    name: ${protoString(name)}`, `    base_path: ${protoString(basePath)}`, "    model_platform: 'tensorflow'"];
    // Written even when it is TF Serving's own default, so the file says what is served.
    const policy = o.versionPolicy ?? VersionPolicy.latest(1);
    if (policy.kind === 'latest') lines.push('    model_version_policy {', '      latest {', `        num_versions: ${policy.count}`, '      }', '    }');
    if (policy.kind === 'all') lines.push('    model_version_policy {', '      all {}', '    }');
    if (policy.kind === 'specific') lines.push('    model_version_policy {', '      specific {', ...policy.versions.map((v) => `        versions: ${v}`), '      }', '    }');
    for (const [label, version] of Object.entries(o.versionLabels ?? {})) {
      lines.push('    version_labels {', `      key: ${protoString(label)}`, `      value: ${version}`, '    }');
    }
    lines.push('  }', '}');
    return `${lines.join('\n')}\n`;
  }

  /** The `BatchingParameters` text proto (wrapper types: `field { value: N }`). */
  private batchingConfig(b: TfServingBatchingOptions, cpus: number): string {
    const threads = b.numBatchThreads ?? Math.max(1, Math.ceil(cpus));
    const lines = [
      `max_batch_size { value: ${b.maxBatchSize} }`,
      `batch_timeout_micros { value: ${Math.round((b.batchTimeout?.toMilliseconds() ?? 0) * 1000)} }`,
      `max_enqueued_batches { value: ${b.maxEnqueuedBatches ?? threads} }`,
      `num_batch_threads { value: ${threads} }`,
      ...(b.allowedBatchSizes ?? []).map((s) => `allowed_batch_sizes: ${s}`),
      ...(b.padVariableLengthInputs ? ['pad_variable_length_inputs: true'] : []),
    ];
    return `${lines.join('\n')}\n`;
  }

  public render(ctx: RuntimeRenderContext): RuntimeProfile {
    const o = this.options;
    const name = o.modelName ?? ctx.name;
    const grpc = o.grpc ?? true;
    const configFiles: Record<string, string> = {
      'models.config': this.modelsConfig(name, ctx.modelPath),
      'monitoring.config': `prometheus_config {\n  enable: true\n  path: ${protoString(METRICS_PATH)}\n}\n`,
    };
    if (o.batching) configFiles['batching.config'] = this.batchingConfig(o.batching, ctx.cpus);
    const readiness = { kind: 'http' as const, path: `/v1/models/${name}/metadata`, port: 'http' };
    return {
      command: ['tensorflow_model_server'],
      args: [
        `--port=${PORTS.grpc}`,
        `--rest_api_port=${PORTS.rest}`,
        `--model_config_file=${ctx.configPath}/models.config`,
        `--monitoring_config_file=${ctx.configPath}/monitoring.config`,
        // Artifacts are immutable per rollout: look for versions once, at start.
        '--file_system_poll_wait_seconds=0',
        ...(o.batching ? ['--enable_batching=true', `--batching_parameters_file=${ctx.configPath}/batching.config`] : []),
      ],
      env: [],
      ports: [{ name: 'http', port: PORTS.rest, role: PortRole.HTTP }, ...(grpc ? [{ name: 'grpc', port: PORTS.grpc, role: PortRole.GRPC }] : [])],
      configFiles,
      // Model metadata answers only once a version is AVAILABLE; the status endpoint answers 200 while LOADING.
      startupProbe: readiness,
      readinessProbe: readiness,
      livenessProbe: { kind: 'tcp', port: 'http' },
      metrics: { port: 'http', path: METRICS_PATH },
      writablePaths: [{ path: '/tmp' }],
      scalingSignal: { metric: ':tensorflow:serving:request_latency', description: 'request latency histogram of the TensorFlow Serving REST and gRPC APIs' },
    };
  }
}
