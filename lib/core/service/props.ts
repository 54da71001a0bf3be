import { Accelerator } from '../accelerator';
import { Duration } from '../duration';
import { Toleration } from '../k8s-types';
import { IRuntime } from '../runtime/contract';

/** Memory request when none is given. */
export const DEFAULT_MEMORY = '2Gi';
/** CPU request when none is given. */
export const DEFAULT_CPU = '1';

/** CPU and memory for each replica's server container. */
export interface ResourceProps {
  /**
   * CPU request (a Kubernetes quantity such as `"500m"` or `"2"`).
   * @default "1"
   */
  readonly cpu?: string;
  /**
   * Memory request (e.g. `"4Gi"`).
   * @default "2Gi"
   */
  readonly memory?: string;
  /**
   * CPU limit. Unset by default: CPU limits throttle inference latency without protecting
   * neighbours (requests already guarantee each pod its share).
   * @default - no CPU limit
   */
  readonly cpuLimit?: string;
  /**
   * Memory limit. Defaults to the request, so the pod is never OOM-killed for using memory the
   * scheduler did not reserve.
   * @default - equal to `memory`
   */
  readonly memoryLimit?: string;
}

/** Where replicas are spread. */
export class TopologySpread {
  /** Across zones and across nodes (each preferred, not required, so a lost zone never blocks scheduling). */
  public static zonesAndNodes(): TopologySpread {
    return new TopologySpread(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
  }
  /** Across nodes only. */
  public static nodes(): TopologySpread {
    return new TopologySpread(['kubernetes.io/hostname']);
  }
  /** No spreading constraints. */
  public static none(): TopologySpread {
    return new TopologySpread([]);
  }
  private constructor(public readonly topologyKeys: readonly string[]) {}
}

/** Who may send inference requests. */
export class InferenceClients {
  /** Any pod in any namespace (and anything the cluster's network admits). */
  public static any(): InferenceClients {
    return new InferenceClients(undefined);
  }
  /** Pods in these namespaces only. */
  public static namespaces(...names: string[]): InferenceClients {
    return new InferenceClients(names.map((n) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } })));
  }
  /** Pods with these labels in the service's own namespace. */
  public static podsWithLabels(labels: Record<string, string>): InferenceClients {
    return new InferenceClients([{ podSelector: { matchLabels: { ...labels } } }]);
  }
  /** Every client that any of `clients` admits (so any client when one of them is `any()`). */
  public static anyOf(...clients: InferenceClients[]): InferenceClients {
    if (clients.some((c) => c.peers === undefined)) return InferenceClients.any();
    return new InferenceClients(clients.flatMap((c) => c.peers!));
  }
  private constructor(public readonly peers: readonly Record<string, unknown>[] | undefined) {}
}

/** Overrides of the startup probe derived from `modelLoadTime`. */
export interface StartupProbeOptions {
  /**
   * Seconds between startup checks.
   * @default 10
   */
  readonly periodSeconds?: number;
  /**
   * Failed checks before the container is restarted. `(failureThreshold − 1) × periodSeconds`
   * must cover `modelLoadTime` (the first check runs as the container starts).
   * @default - ceil(modelLoadTime / periodSeconds) + 1
   */
  readonly failureThreshold?: number;
}

/** Props of a {@link ModelService}. */
export interface ModelServiceProps {
  /** The model server and its model, e.g. `Runtime.torchServe({ model })`. */
  readonly runtime: IRuntime;
  /**
   * Name of every object of the service (Deployment, Service, …), and the in-cluster host name.
   * @default - the construct id (cdk8s) or resource name (Pulumi)
   */
  readonly name?: string;
  /**
   * Namespace of the objects.
   * @default - none: the namespace of the kubectl context, Argo CD application or Pulumi provider
   */
  readonly namespace?: string;
  /**
   * Replicas (without an autoscaler). Two, so a PodDisruptionBudget can let one go at a time
   * without an outage.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * CPU and memory per replica.
   * @default - 1 CPU and 2Gi memory, memory limit equal to the request, no CPU limit
   */
  readonly resources?: ResourceProps;
  /**
   * GPUs per replica.
   * @default - none
   */
  readonly accelerator?: Accelerator;
  /**
   * How long the server takes from start to serving: the one startup budget. It sets the
   * startup probe, and with the download and image-pull time, the rollout's progress deadline.
   * @default - the runtime's: 2 minutes (TorchServe, TF Serving), 3 (Triton), 10 (vLLM), 1 (custom)
   */
  readonly modelLoadTime?: Duration;
  /**
   * Time to pull the image onto a node, part of the rollout's progress deadline.
   * @default Duration.minutes(5)
   */
  readonly imagePullTime?: Duration;
  /**
   * Startup probe overrides; they must still cover `modelLoadTime`.
   * @default - derived from `modelLoadTime`
   */
  readonly startupProbe?: StartupProbeOptions;
  /**
   * The Deployment's `progressDeadlineSeconds`; must cover image pull, download, load and one
   * startup and one readiness probe period.
   * @default - imagePullTime + download time + modelLoadTime + startup period + readiness period (5 s) + 60 s
   */
  readonly progressDeadline?: Duration;
  /**
   * Node labels the pods must match.
   * @default - none (plus the GPU product label with an accelerator)
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Tolerations (added to the accelerator's).
   * @default - none (plus `nvidia.com/gpu` with an accelerator)
   */
  readonly tolerations?: Toleration[];
  /**
   * How replicas spread over failure domains.
   * @default TopologySpread.zonesAndNodes()
   */
  readonly spread?: TopologySpread;
  /**
   * PriorityClass of the pods.
   * @default - the cluster default
   */
  readonly priorityClassName?: string;
  /**
   * Extra environment variables for the server.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Environment variables from Secrets: name → `{ secretName, key }`.
   * @default - none
   */
  readonly secretEnv?: Record<string, { readonly secretName: string; readonly key: string }>;
  /**
   * Extra labels for every object and the pods.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * Annotations for the ServiceAccount (e.g. an IAM role for workload identity).
   * @default - none (plus what the artifact's credentials need)
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
  /**
   * Who may call the inference ports.
   * @default InferenceClients.any()
   */
  readonly inferenceClients?: InferenceClients;
  /**
   * Namespace of the Prometheus that scrapes metrics; the only source admitted to a separate metrics port.
   * @default "monitoring"
   */
  readonly monitoringNamespace?: string;
  /**
   * Time between SIGTERM and SIGKILL.
   * @default Duration.seconds(60)
   */
  readonly terminationGracePeriod?: Duration;
  /**
   * Time the pod keeps serving after it is marked terminating, so load balancers and kube-proxy
   * stop routing to it before the server shuts down. Must be shorter than
   * `terminationGracePeriod`. Runs `sleep` in the server image; `Duration.seconds(0)` disables it.
   * @default Duration.seconds(15)
   */
  readonly preStopDrain?: Duration;
  /**
   * Extra pods during a rolling update (maxUnavailable is always 0). With GPUs each surge pod
   * needs free GPUs; 0 is refused because a rollout could then never start.
   * @default 1
   */
  readonly maxSurge?: number;
}
