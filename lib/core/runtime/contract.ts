import { Accelerator } from '../accelerator';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { EnvVar } from '../k8s-types';
import { ModelArtifact } from '../artifact/artifact';
import { ModelImage } from '../image';

/** What a container port is for; decides whether the Service and the NetworkPolicy expose it. */
export enum PortRole {
  /** HTTP inference: in the Service, open to clients, and where probes go. */
  HTTP = 'http',
  /** gRPC inference: in the Service, open to clients. */
  GRPC = 'grpc',
  /** Prometheus metrics: in the Service (for ServiceMonitors), open only to the monitoring namespace. */
  METRICS = 'metrics',
  /** Management or admin API: never in the Service, never admitted by the NetworkPolicy. */
  ADMIN = 'admin',
}

/** A port the server listens on. */
export interface RuntimePort {
  /** Port name (at most 15 characters); also the Service port name. */
  readonly name: string;
  /** Container port number. */
  readonly port: number;
  /** What the port is for. */
  readonly role: PortRole;
}

/** How a probe reaches the server. */
export type ProbeTarget =
  | { readonly kind: 'http'; readonly path: string; readonly port: string }
  | { readonly kind: 'tcp'; readonly port: string };

/** A directory the server writes to; mounted as an emptyDir because the root filesystem is read-only. */
export interface WritablePath {
  readonly path: string;
  /** @default - no limit beyond the node's ephemeral storage */
  readonly sizeLimit?: string;
  /** `Memory` for tmpfs (e.g. `/dev/shm`). @default - node disk */
  readonly medium?: 'Memory';
}

/** The queue or latency signal a runtime exposes for autoscaling. */
export interface ScalingSignal {
  /** Prometheus metric name. */
  readonly metric: string;
  /** What it measures, for reports. */
  readonly description: string;
}

/** Facts the service needs before the artifact is bound. */
export interface RuntimeDefaults {
  /** The pinned image used when the user gives none, and the base of images built from a model directory; `''` when the runtime has no default (custom). */
  readonly image: string;
  /** Where a baked-in model sits in that image. */
  readonly defaultImagePath: string;
  /** Whether the image has `huggingface-cli` (so it can fetch Hugging Face artifacts itself). */
  readonly hasHuggingFaceCli: boolean;
  /** Startup budget when the user declares no `modelLoadTime`. */
  readonly modelLoadTime: Duration;
  /** The uid and gid the image's server runs as (also the pod's fsGroup and the fetcher's user). */
  readonly user: { readonly uid: number; readonly gid: number };
}

/** What a runtime knows when it renders: the service, where the model is, what hardware it has. */
export interface RuntimeRenderContext {
  /** The service name (the default model name). */
  readonly name: string;
  /** Path of the model inside the server container. */
  readonly modelPath: string;
  /** Where the model came from, as a URL, when it was fetched. */
  readonly modelSource?: string;
  /** GPUs (or MIG slices) per replica; 0 without an accelerator. */
  readonly gpus: number;
  /** CPU cores requested per replica (sizes thread pools). */
  readonly cpus: number;
  /** The mount path of the runtime's generated config files. */
  readonly configPath: string;
}

/** Everything a runtime contributes to the pod and its ConfigMap. */
export interface RuntimeProfile {
  readonly command?: string[];
  readonly args: string[];
  readonly env: EnvVar[];
  readonly ports: RuntimePort[];
  /** Generated config files (file name → contents), mounted read-only at the context's `configPath`. */
  readonly configFiles: Record<string, string>;
  readonly startupProbe: ProbeTarget;
  readonly readinessProbe: ProbeTarget;
  readonly livenessProbe: ProbeTarget;
  /** Where Prometheus scrapes. */
  readonly metrics?: { readonly port: string; readonly path: string };
  readonly writablePaths: WritablePath[];
  /** The runtime's own queue/latency signal. */
  readonly scalingSignal?: ScalingSignal;
  /** The model version the runtime registers, when it has one (TorchServe). */
  readonly modelVersion?: string;
}

/**
 * A model server. Implemented by the built-in runtimes ({@link Runtime}); implement it to add
 * another server without forking the library.
 */
export interface IRuntime {
  /** Short name of the server, e.g. `torchserve`; used in labels and reports. */
  readonly kind: string;
  /** The model artifact, if the runtime serves one. */
  readonly model?: ModelArtifact;
  /** The image the user chose; the runtime's pinned default (see {@link RuntimeDefaults.image}) otherwise. */
  readonly image?: ModelImage;
  /**
   * Records problems with the runtime's options; `problems` is already narrowed to `runtime`.
   * `gpus` is the accelerator's device count (0 without one).
   */
  validate(problems: Problems, gpus: number, accelerator?: Accelerator): void;
  /**
   * Records problems with where the artifact put the model (e.g. TorchServe needs a `.mar`
   * file, not a directory); `problems` is narrowed to `runtime.model`. `source` is the URL the
   * user wrote, when the model is fetched, for the message.
   */
  validateModelPath?(modelPath: string, problems: Problems, source?: string): void;
  /** The image and defaults, before anything is rendered. */
  defaults(gpus: number, name: string): RuntimeDefaults;
  /** Renders the runtime's part of the pod. Called only after `validate` found no problems. */
  render(ctx: RuntimeRenderContext): RuntimeProfile;
}
