/**
 * What an autoscaler measures and the value it keeps per pod: {@link ScalingTarget}.
 * @module
 */
import { Duration } from '../duration';

/** The kinds of {@link ScalingTarget}. */
export enum ScalingTargetKind {
  /** `ScalingTarget.cpuUtilization`. */
  CPU_UTILIZATION = 'cpuUtilization',
  /** `ScalingTarget.memoryUtilization`. */
  MEMORY_UTILIZATION = 'memoryUtilization',
  /** `ScalingTarget.runtimeQueue`. */
  RUNTIME_QUEUE = 'runtimeQueue',
  /** `ScalingTarget.requestsPerSecond`. */
  REQUESTS_PER_SECOND = 'requestsPerSecond',
  /** `ScalingTarget.gpuUtilization`. */
  GPU_UTILIZATION = 'gpuUtilization',
  /** `ScalingTarget.latencySlo`. */
  LATENCY_SLO = 'latencySlo',
}

/**
 * A latency objective and the load it must hold at, for sizing with an M/M/c queue (Erlang C):
 * see `sizeForLatencySlo` (slo-sizing.ts) for the model, its assumptions and its limits.
 * Give exactly one of `p99` and `mean`, and exactly one of `serviceTime` and `throughputPerReplica`.
 */
export interface LatencySloOptions {
  /**
   * The 99th percentile of the response time (queueing + service) to keep at peak load.
   * @default - none: give `p99` or `mean`
   */
  readonly p99?: Duration;
  /**
   * The mean response time (queueing + service) to keep at peak load.
   * @default - none: give `p99` or `mean`
   */
  readonly mean?: Duration;
  /** The expected peak request rate, requests per second, over all replicas. */
  readonly peakRps: number;
  /**
   * Mean time one request occupies one of a replica's `concurrencyPerReplica` slots.
   * @default - none: give `serviceTime` or `throughputPerReplica`
   */
  readonly serviceTime?: Duration;
  /**
   * Measured requests per second one replica completes at full load (then each of its
   * `concurrencyPerReplica` slots serves one request in `concurrencyPerReplica / throughputPerReplica` s).
   * @default - none: give `serviceTime` or `throughputPerReplica`
   */
  readonly throughputPerReplica?: number;
  /**
   * Requests one replica serves at once (its servers in the M/M/c model).
   * @default 1
   */
  readonly concurrencyPerReplica?: number;
  /**
   * The request rate of the quietest hours; `minReplicas` is then the count that holds the
   * objective at that rate (never below 2).
   * @default - none: minReplicas is 2
   */
  readonly offPeakRps?: number;
  /**
   * Factor on the replicas the peak needs, for `maxReplicas` (at least 1).
   * @default 1
   */
  readonly headroom?: number;
  /**
   * Also scale on the runtime's own queue signal, as a guard for when the model's assumptions fail
   * (requests slower than `serviceTime`, burstier arrivals): its per-pod target is the largest value
   * any replica count that meets the objective can show, so under the model it never asks for a
   * replica the request rate does not, and it never lets the autoscaler remove one the request
   * rate needs (the HPA follows the larger proposal).
   * @default false
   */
  readonly queueGuard?: boolean;
}

/**
 * What the autoscaler measures, and the value it keeps per pod. Choose the signal that saturates
 * first on your server: the runtime's own queue for most model servers, GPU utilization for GPU
 * bound models, requests per second when the capacity per replica is known; CPU only for CPU bound
 * servers. `latencySlo` sizes the replicas and the target from a latency objective.
 */
export class ScalingTarget {
  /** Average CPU use as a percentage of the pods' CPU request (metrics-server). */
  public static cpuUtilization(percent: number): ScalingTarget {
    return new ScalingTarget(ScalingTargetKind.CPU_UTILIZATION, percent);
  }

  /** Average memory use as a percentage of the pods' memory request (metrics-server). */
  public static memoryUtilization(percent: number): ScalingTarget {
    return new ScalingTarget(ScalingTargetKind.MEMORY_UTILIZATION, percent);
  }

  /**
   * The runtime's own queue signal, per pod: requests waiting (TorchServe
   * `ts_queue_latency_microseconds` and Triton `nv_inference_queue_duration_us` through Little's
   * law, vLLM `vllm:num_requests_waiting`), requests in flight (TF Serving, from its latency
   * histogram) or the custom runtime's `scalingMetric` as it is. Served to the HPA by
   * prometheus-adapter as a Pods metric, or queried by KEDA.
   * @default - the runtime's: 1 request waiting per pod (TorchServe, Triton, vLLM), 4 requests in flight (TF Serving), 1 (custom)
   */
  public static runtimeQueue(averageValue?: number): ScalingTarget {
    return new ScalingTarget(ScalingTargetKind.RUNTIME_QUEUE, averageValue);
  }

  /** Requests per second per pod, from the runtime's request counter (not available for the custom runtime). */
  public static requestsPerSecond(perPod: number): ScalingTarget {
    return new ScalingTarget(ScalingTargetKind.REQUESTS_PER_SECOND, perPod);
  }

  /** Average GPU utilization (0–100 %) of the pods' GPUs, from the DCGM exporter's `DCGM_FI_DEV_GPU_UTIL`. */
  public static gpuUtilization(percent: number): ScalingTarget {
    return new ScalingTarget(ScalingTargetKind.GPU_UTILIZATION, percent);
  }

  /**
   * Sizes minReplicas, maxReplicas and a requests-per-second target per pod from a latency
   * objective at a peak request rate, with an M/M/c queue (Erlang C); with `queueGuard`, the
   * runtime's queue signal as well.
   */
  public static latencySlo(options: LatencySloOptions): ScalingTarget {
    return new ScalingTarget(ScalingTargetKind.LATENCY_SLO, undefined, options);
  }

  private constructor(
    /** Which factory made it. */
    public readonly kind: ScalingTargetKind,
    /** The factory's number (percent, average value or requests per second per pod), when it took one. */
    public readonly value: number | undefined,
    /** The options of `latencySlo`. */
    public readonly slo?: LatencySloOptions,
  ) {}

  /** For messages: `ScalingTarget.cpuUtilization(70)`. */
  public toString(): string {
    return `ScalingTarget.${this.kind}(${this.slo ? '{…}' : this.value === undefined ? '' : String(this.value)})`;
  }
}
