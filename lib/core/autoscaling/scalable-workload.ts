/**
 * What an autoscaler needs to know of the workload it scales ({@link IScalableWorkload}, the
 * counterpart of cdk8s-plus's `IScalable`), the workloads modelship can describe
 * ({@link ScalableWorkload}: a Deployment or StatefulSet you wrote yourself), and the adapter
 * that makes a rendered ModelService one ({@link scalableModelService}).
 * @module
 */
import { Duration } from '../duration';
import { Problems } from '../errors';
import type { KubeObject, Labels } from '../k8s-types';
import { isDnsLabel, isPortName } from '../names';
import { isQuantity } from '../quantity';
import { startupBudget, type StartupBudget } from '../service/budget';
import type { RenderedModelService } from '../service/render';
import type { AutoscalerOptions } from './autoscaler-props';

/** The object an autoscaler's `scaleTargetRef` names: a workload with a scale subresource. */
export interface ScaleTargetRef {
  /** e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** e.g. `Deployment`. */
  readonly kind: string;
  /** The workload's name. */
  readonly name: string;
}

/** One container of a workload's pods, with its resources as in the pod template. */
export interface WorkloadContainer {
  /** The container's name. */
  readonly name: string;
  /**
   * Resource requests (`cpu`, `memory`, …) as Kubernetes quantities. CPU and memory utilization
   * targets are percentages of these: the HPA refuses pods with a container without the request.
   * @default - no requests
   */
  readonly requests?: Readonly<Record<string, string>>;
  /**
   * Resource limits; GPU utilization needs `nvidia.com/gpu` (or a MIG profile) here.
   * @default - no limits
   */
  readonly limits?: Readonly<Record<string, string>>;
}

/** The startup budget figures an autoscaler's windows and cold-start cost come from, seconds. */
export type ScalingBudget = Pick<StartupBudget, 'modelLoadSeconds' | 'podReadySeconds' | 'imagePullSeconds' | 'downloadSeconds'>;

/** What to change when a workload lacks what a target needs, appended to error messages. */
export interface ScalableWorkloadHints {
  /** How to declare a scaling metric, e.g. `for Runtime.custom set scalingMetric and metricsPath`. */
  readonly scalingMetric: string;
  /** How to declare the metrics endpoint, e.g. `for Runtime.custom set metricsPath`. */
  readonly metricsPath: string;
  /** How to give the pods GPUs, e.g. `set accelerator`. */
  readonly gpus: string;
}

/**
 * A workload an autoscaler can scale, as plain data: what modelship's counterpart of cdk8s-plus's
 * `IScalable` reads. A ModelService is one ({@link scalableModelService}); so is any Deployment or
 * StatefulSet described with {@link ScalableWorkload}; implement it for another kind with a scale
 * subresource.
 */
export interface IScalableWorkload {
  /** The object the autoscaler's `scaleTargetRef` names. */
  readonly scaleTargetRef: ScaleTargetRef;
  /**
   * The workload's namespace: the autoscaler is created in it, and KEDA's queries look only at it.
   * @default - none: the namespace the manifests are applied to, and KEDA's queries match pods of that name in every namespace
   */
  readonly namespace?: string;
  /**
   * Labels the autoscaler carries (the workload's own, so they are found together).
   * @default - no labels
   */
  readonly labels?: Labels;
  /**
   * A regular expression (PromQL `=~` syntax) that matches the names of the workload's pods and
   * no other's: KEDA's Prometheus queries select the pods by their `pod` label.
   */
  readonly podNamePattern: string;
  /** The pods' containers and their resources (including sidecars: the HPA counts them). */
  readonly containers: readonly WorkloadContainer[];
  /**
   * Where Prometheus scrapes the pods.
   * @default - none: only CPU, memory and GPU utilization can be targets
   */
  readonly metrics?: { readonly port: string | number; readonly path: string };
  /**
   * The pods' queue metric (a Prometheus metric name): a built-in runtime's (e.g.
   * `ts_queue_latency_microseconds`, which brings its request counter too) or any gauge.
   * @default - none: no runtimeQueue, requestsPerSecond or latencySlo target
   */
  readonly scalingMetric?: string;
  /** The startup budget: the cold start sets the scale-down window and scale to zero (the scale-up window is Kubernetes' 0 s). */
  readonly budget: ScalingBudget;
  /** How messages name what the pods run: `the torchserve runtime`, `Deployment/scorer`. */
  readonly description: string;
  /**
   * What to change when a target needs something the workload lacks.
   * @default - the fields of {@link ScalableWorkloadOptions}
   */
  readonly hints?: ScalableWorkloadHints;
  /**
   * Records problems with the description before anything is read (prop paths relative to the
   * workload, which the autoscaler's props hold as `workload`).
   */
  validate?(problems: Problems): void;
}

/** Props of an autoscaler created on its own: its options and the workload it scales. */
export interface AutoscalerProps extends AutoscalerOptions {
  /** The workload to scale: a {@link ScalableWorkload}, `scalableModelService(rendered)`, or your own {@link IScalableWorkload}. */
  readonly workload: IScalableWorkload;
  /**
   * Name of the HorizontalPodAutoscaler or ScaledObject.
   * @default - the workload's name
   */
  readonly name?: string;
}

/** How a workload's pods start and what they expose: what {@link ScalableWorkload} needs beyond its identity. */
export interface WorkloadStartupOptions {
  /** How long the server takes from container start to serving (loading its model): part of the cold start. */
  readonly modelLoadTime: Duration;
  /**
   * How long pulling the image onto a node may take.
   * @default Duration.minutes(5) (as a ModelService's)
   */
  readonly imagePullTime?: Duration;
  /**
   * How long init containers take to fetch the model before the server starts.
   * @default Duration.seconds(0)
   */
  readonly downloadTime?: Duration;
  /**
   * Where Prometheus scrapes the pods.
   * @default - none: only CPU, memory and GPU utilization can be targets
   */
  readonly metrics?: WorkloadMetricsOptions;
}

/** A workload's Prometheus metrics. */
export interface WorkloadMetricsOptions {
  /** The HTTP path, e.g. `/metrics`. */
  readonly path: string;
  /** The container port (number or name) serving it. */
  readonly port: string | number;
  /**
   * The queue metric to scale on with `ScalingTarget.runtimeQueue()`: a built-in runtime's
   * (`ts_queue_latency_microseconds`, `nv_inference_queue_duration_us`,
   * `:tensorflow:serving:request_latency`, `vllm:num_requests_waiting`, which also bring the
   * request counter of `requestsPerSecond` and `latencySlo`) or any gauge of the pods.
   * @default - none: no runtimeQueue, requestsPerSecond or latencySlo target
   */
  readonly scalingMetric?: string;
}

/** A Deployment or StatefulSet described for {@link ScalableWorkload.deployment} and {@link ScalableWorkload.statefulSet}. */
export interface ScalableWorkloadOptions extends WorkloadStartupOptions {
  /** The workload's name (`metadata.name`). */
  readonly name: string;
  /**
   * The workload's namespace.
   * @default - none: the namespace the manifests are applied to
   */
  readonly namespace?: string;
  /** The pods' containers with their resources (every one: the HPA needs a request on each for CPU or memory utilization). */
  readonly containers: readonly WorkloadContainer[];
  /**
   * Labels the autoscaler carries.
   * @default - no labels
   */
  readonly labels?: Labels;
}

const GENERIC_HINTS: ScalableWorkloadHints = {
  scalingMetric: 'set metrics.scalingMetric of the workload',
  metricsPath: 'set metrics.path of the workload',
  gpus: 'give a container an nvidia.com/gpu limit',
};

/** The default {@link IScalableWorkload.hints}. */
export function hintsOf(workload: IScalableWorkload): ScalableWorkloadHints {
  return workload.hints ?? GENERIC_HINTS;
}

/** The pods of Deployment `name`: `<name>-<pod-template-hash>-<suffix>`. */
export function deploymentPodNames(name: string): string {
  return `${name}-[a-z0-9]+-[a-z0-9]+`;
}

/** The pods of StatefulSet `name`: `<name>-<ordinal>`. */
export function statefulSetPodNames(name: string): string {
  return `${name}-[0-9]+`;
}

const PROMETHEUS_METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const WORKLOAD_KINDS: Readonly<Record<string, { apiVersion: string; pods: (name: string) => string }>> = {
  Deployment: { apiVersion: 'apps/v1', pods: deploymentPodNames },
  StatefulSet: { apiVersion: 'apps/v1', pods: statefulSetPodNames },
};

/**
 * A Deployment or StatefulSet you wrote yourself, described for an autoscaler: its name, the
 * resources of its containers, how long its pods take to start and what metrics they expose.
 *
 * ```ts
 * const scorer = ScalableWorkload.deployment({
 *   name: 'scorer', namespace: 'serving',
 *   containers: [{ name: 'server', requests: { cpu: '2', memory: '4Gi' } }],
 *   modelLoadTime: Duration.seconds(90),
 *   metrics: { path: '/metrics', port: 8082, scalingMetric: 'ts_queue_latency_microseconds' },
 * });
 * new Autoscaler(chart, 'scorer-autoscaler', { workload: scorer, target: ScalingTarget.runtimeQueue(), maxReplicas: 8 });
 * ```
 *
 * Options are checked when an autoscaler renders it, with every other problem of its props.
 */
export class ScalableWorkload implements IScalableWorkload {
  /** A Deployment (`apps/v1`), whose pods are named `<name>-<hash>-<suffix>`. */
  public static deployment(options: ScalableWorkloadOptions): ScalableWorkload {
    return new ScalableWorkload('Deployment', options);
  }

  /** A StatefulSet (`apps/v1`), whose pods are named `<name>-<ordinal>`. */
  public static statefulSet(options: ScalableWorkloadOptions): ScalableWorkload {
    return new ScalableWorkload('StatefulSet', options);
  }

  /**
   * A Deployment or StatefulSet from its manifest (e.g. `ApiObject.of(deployment).toJson()`): its
   * name, namespace, labels and containers' resources (sidecar init containers included) are read
   * from it; `spec.replicas` must be absent, because the autoscaler owns it.
   */
  public static fromManifest(manifest: KubeObject, options: WorkloadStartupOptions): ScalableWorkload {
    const kind = typeof manifest === 'object' && manifest !== null ? manifest.kind : undefined;
    const metadata = (typeof manifest === 'object' && manifest !== null ? manifest.metadata : undefined) ?? { name: '' };
    const spec = (typeof manifest === 'object' && manifest !== null ? manifest['spec'] : undefined) as ManifestSpec | undefined;
    const described: ScalableWorkloadOptions = {
      ...options,
      name: metadata.name,
      ...(metadata.namespace === undefined ? {} : { namespace: metadata.namespace }),
      ...(metadata.labels === undefined ? {} : { labels: metadata.labels }),
      containers: podContainers(spec?.template?.spec),
    };
    return new ScalableWorkload(typeof kind === 'string' ? kind : String(kind), described, { apiVersion: manifest?.apiVersion, replicas: spec?.replicas });
  }

  private constructor(
    private readonly kind: string,
    private readonly options: ScalableWorkloadOptions,
    private readonly manifest?: { readonly apiVersion: unknown; readonly replicas: unknown },
  ) {}

  /** `apps/v1` `Deployment` or `StatefulSet`, and the name. */
  public get scaleTargetRef(): ScaleTargetRef {
    return { apiVersion: 'apps/v1', kind: this.kind, name: this.options.name };
  }

  /** The namespace, when given. */
  public get namespace(): string | undefined {
    return this.options.namespace;
  }

  /** The labels, when given. */
  public get labels(): Labels | undefined {
    return this.options.labels;
  }

  /** The names its controller gives the pods. */
  public get podNamePattern(): string {
    return (WORKLOAD_KINDS[this.kind] ?? WORKLOAD_KINDS['Deployment']!).pods(this.options.name);
  }

  /** The containers as given. */
  public get containers(): readonly WorkloadContainer[] {
    return this.options.containers;
  }

  /** The metrics endpoint, when given. */
  public get metrics(): { readonly port: string | number; readonly path: string } | undefined {
    const m = this.options.metrics;
    return m && { port: m.port, path: m.path };
  }

  /** The queue metric, when given. */
  public get scalingMetric(): string | undefined {
    return this.options.metrics?.scalingMetric;
  }

  /** The budget a ModelService with the same times would have (its probes add 15 s to the cold start). */
  public get budget(): ScalingBudget {
    const { modelLoadTime, imagePullTime, downloadTime } = this.options;
    return startupBudget({ modelLoadTime, downloadSeconds: (downloadTime ?? Duration.seconds(0)).toSeconds(), ...(imagePullTime ? { imagePullTime } : {}) });
  }

  /** `Deployment/<name>`. */
  public get description(): string {
    return `${this.kind}/${this.options.name}`;
  }

  /** Checks the options by the names the user wrote. */
  public validate(problems: Problems): void {
    const o = this.options;
    if (typeof o !== 'object' || o === null) {
      problems.add('', o, 'expected ScalableWorkloadOptions with name, containers and modelLoadTime');
      return;
    }
    if (!(this.kind in WORKLOAD_KINDS)) problems.add('kind', this.kind, `expected ${Object.keys(WORKLOAD_KINDS).join(' or ')}: for another kind implement IScalableWorkload with the names its pods get`);
    if (this.manifest && this.manifest.apiVersion !== 'apps/v1') problems.add('apiVersion', this.manifest.apiVersion, 'expected apps/v1');
    if (this.manifest && this.manifest.replicas !== undefined) {
      problems.add('spec.replicas', this.manifest.replicas, 'expected no replicas: the autoscaler owns spec.replicas, and every apply of the manifest would reset its count (size it with minReplicas)');
    }
    if (!isDnsLabel(o.name)) problems.add('name', o.name, 'expected an RFC 1123 label of at most 63 characters (KEDA\'s queries match the pods by name)');
    if (o.namespace !== undefined && !isDnsLabel(o.namespace)) problems.add('namespace', o.namespace, 'expected an RFC 1123 label of at most 63 characters');
    if (!Array.isArray(o.containers) || o.containers.length === 0) {
      problems.add('containers', o.containers, 'expected at least one container, with its resources');
    } else {
      o.containers.forEach((c: WorkloadContainer, i) => {
        if (typeof c !== 'object' || c === null || !isDnsLabel(c.name)) problems.add(`containers[${i}].name`, c?.name, 'expected the container\'s name, an RFC 1123 label');
        for (const field of ['requests', 'limits'] as const) {
          const resources = c?.[field];
          if (resources === undefined) continue;
          if (typeof resources !== 'object' || resources === null) {
            problems.add(`containers[${i}].${field}`, resources, 'expected resource names mapped to quantities, e.g. { cpu: "2", memory: "4Gi" }');
            continue;
          }
          for (const [resource, quantity] of Object.entries(resources)) {
            if (!isQuantity(quantity)) problems.add(`containers[${i}].${field}.${resource}`, quantity, 'expected a Kubernetes quantity, e.g. "500m" or "4Gi"');
          }
        }
      });
    }
    checkDuration(problems, 'modelLoadTime', o.modelLoadTime, true);
    checkDuration(problems, 'imagePullTime', o.imagePullTime, false);
    checkDuration(problems, 'downloadTime', o.downloadTime, false);
    const m = o.metrics;
    if (m !== undefined) {
      if (typeof m !== 'object' || m === null) {
        problems.add('metrics', m, 'expected { path, port, scalingMetric? }');
        return;
      }
      if (typeof m.path !== 'string' || !/^\/\S*$/.test(m.path)) problems.add('metrics.path', m.path, 'expected an absolute HTTP path, e.g. "/metrics"');
      const portOk = typeof m.port === 'number' ? Number.isInteger(m.port) && m.port >= 1 && m.port <= 65535 : isPortName(m.port);
      if (!portOk) problems.add('metrics.port', m.port, 'expected a port number from 1 to 65535 or a container port name');
      if (m.scalingMetric !== undefined && !(typeof m.scalingMetric === 'string' && PROMETHEUS_METRIC_NAME.test(m.scalingMetric))) {
        problems.add('metrics.scalingMetric', m.scalingMetric, 'expected a Prometheus metric name, e.g. "ts_queue_latency_microseconds"');
      }
    }
  }
}

function checkDuration(problems: Problems, prop: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  if (!(value instanceof Duration && value.isValid() && value.toMilliseconds() >= 0 && value.toSeconds() <= 2 ** 31 / 1000)) {
    problems.add(prop, value, required ? 'expected a Duration: how long the server takes to load its model' : 'expected a Duration of at least 0 s');
  }
}

interface ManifestContainer {
  readonly name?: string;
  readonly restartPolicy?: string;
  readonly resources?: { readonly requests?: Record<string, string>; readonly limits?: Record<string, string> };
}
interface ManifestSpec {
  readonly replicas?: unknown;
  readonly template?: { readonly spec?: { readonly containers?: ManifestContainer[]; readonly initContainers?: ManifestContainer[] } };
}

/** The containers the HPA counts: the pod's, and its sidecars (init containers that keep running). */
function podContainers(spec: { readonly containers?: ManifestContainer[]; readonly initContainers?: ManifestContainer[] } | undefined): WorkloadContainer[] {
  const sidecars = (spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...(spec?.containers ?? []), ...sidecars].map((c) => ({
    name: String(c.name),
    ...(c.resources?.requests ? { requests: c.resources.requests } : {}),
    ...(c.resources?.limits ? { limits: c.resources.limits } : {}),
  }));
}

const MODEL_SERVICE_HINTS: ScalableWorkloadHints = {
  scalingMetric: 'for Runtime.custom set scalingMetric and metricsPath',
  metricsPath: 'for Runtime.custom set metricsPath',
  gpus: 'set accelerator',
};

/** A rendered ModelService as the autoscaler sees it: its Deployment, its runtime's metrics and its startup budget. */
export function scalableModelService(rendered: RenderedModelService): IScalableWorkload {
  const { deployment, profile, budget } = rendered;
  const { name, namespace, labels } = deployment.metadata;
  const runtime = labels?.['modelship.dev/runtime'];
  return {
    scaleTargetRef: { apiVersion: deployment.apiVersion, kind: deployment.kind, name },
    ...(namespace ? { namespace } : {}),
    ...(labels ? { labels } : {}),
    podNamePattern: deploymentPodNames(name),
    containers: podContainers((deployment['spec'] as ManifestSpec | undefined)?.template?.spec),
    ...(profile.metrics ? { metrics: profile.metrics } : {}),
    ...(profile.scalingSignal ? { scalingMetric: profile.scalingSignal.metric } : {}),
    budget,
    description: runtime ? `the ${runtime} runtime` : 'the runtime',
    hints: MODEL_SERVICE_HINTS,
  };
}

/**
 * The workload's description with `namespace` as its namespace (for a namespace known only later,
 * e.g. from another Pulumi resource). The copy has no `validate`: check the workload first.
 */
export function workloadInNamespace(workload: IScalableWorkload, namespace: string): IScalableWorkload {
  const { scaleTargetRef, labels, podNamePattern, containers, metrics, scalingMetric, budget, description, hints } = workload;
  return {
    scaleTargetRef,
    namespace,
    ...(labels ? { labels } : {}),
    podNamePattern,
    containers,
    ...(metrics ? { metrics } : {}),
    ...(scalingMetric ? { scalingMetric } : {}),
    budget,
    description,
    ...(hints ? { hints } : {}),
  };
}

/** Whether `x` is a RenderedModelService rather than an {@link IScalableWorkload}. */
export function isRenderedModelService(x: IScalableWorkload | RenderedModelService): x is RenderedModelService {
  return typeof x === 'object' && x !== null && 'deployment' in x && 'profile' in x && !('scaleTargetRef' in x);
}
