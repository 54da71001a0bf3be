/**
 * The namespace's ResourceQuota and LimitRange.
 */

/** Hard limits of {@link ClusterQuota.of}. Each one given is checked against what the models request. */
export interface QuotaLimits {
  /**
   * Total CPU requests (`requests.cpu`), e.g. `"64"`.
   * @default - no CPU limit
   */
  readonly cpu?: string;
  /**
   * Total memory requests (`requests.memory`), e.g. `"256Gi"`.
   * @default - no memory limit
   */
  readonly memory?: string;
  /**
   * Total `nvidia.com/gpu` requests.
   * @default - no GPU limit
   */
  readonly gpus?: number;
  /**
   * Pods (running or pending).
   * @default - no pod limit
   */
  readonly pods?: number;
  /**
   * Total MIG slices by profile (`requests.nvidia.com/mig-<profile>`), e.g. `{ "1g.10gb": 14 }`.
   * @default - no MIG limit
   */
  readonly migSlices?: Record<string, number>;
}

/** The namespace's ResourceQuota. */
export class ClusterQuota {
  /**
   * Exactly what the models request when every one runs at its most replicas (the autoscaler's
   * `maxReplicas`, or `replicas`) plus its rollout's extra pods: `requests.cpu`,
   * `requests.memory`, each GPU resource, and `pods`. The extra pods are the new ones starting
   * (`maxSurge`) and the old ones still terminating, which count against a quota until they exit
   * (the capacity plan's `surge` scenario; see `CapacityWorkload.surge`). A model added later
   * raises it with it, and nothing else fits in the namespace (use {@link ClusterQuota.of} to
   * leave room).
   */
  public static fromModels(): ClusterQuota {
    return new ClusterQuota('models', undefined);
  }
  /**
   * Limits you choose. A limit below what the models request at their most replicas plus a
   * rollout's extra pods is a ValidationError naming the models and the resource: their
   * autoscalers could not reach `maxReplicas`, or a rollout would stall until old pods exit.
   */
  public static of(limits: QuotaLimits): ClusterQuota {
    return new ClusterQuota('limits', limits);
  }
  /** No ResourceQuota. */
  public static none(): ClusterQuota {
    return new ClusterQuota('none', undefined);
  }
  private constructor(public readonly kind: 'models' | 'limits' | 'none', public readonly limits: QuotaLimits | undefined) {}

  public toString(): string {
    if (this.kind === 'limits') return `ClusterQuota.of(${JSON.stringify(this.limits)})`;
    return this.kind === 'models' ? 'ClusterQuota.fromModels()' : 'ClusterQuota.none()';
  }
}

/**
 * Requests (and memory limit) the LimitRange gives containers that declare none, e.g. a debug
 * pod: with a ResourceQuota on `requests.cpu` and `requests.memory`, the API server rejects pods
 * without requests. Model servers always declare theirs.
 */
export interface LimitRangeOptions {
  /**
   * CPU request of a container without one.
   * @default "100m"
   */
  readonly defaultCpu?: string;
  /**
   * Memory request, and limit, of a container without one.
   * @default "128Mi"
   */
  readonly defaultMemory?: string;
}
