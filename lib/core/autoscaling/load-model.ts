/**
 * The simulator's model of a model server under load: capacity per replica, the latency the SLO is
 * checked against, and the metric values the HPA would read. Built on the M/M/c queue of
 * `queueing.ts`; every ready replica contributes `concurrency` servers and the Service spreads
 * requests evenly over ready replicas only.
 * @module
 */
import type { MetricSpec } from './metric-spec';
import { mmcMetrics, mmcResponseQuantile, type MmcQueue } from './queueing';

/**
 * How much one replica serves: `concurrency` requests at a time, each taking `serviceTimeSeconds`
 * on average (exponentially distributed), or just a measured `throughputPerReplica` (requests/s,
 * modelled as one server of that rate).
 */
export type ServiceCapacity =
  | {
      /** Mean time to serve one request, seconds. */
      readonly serviceTimeSeconds: number;
      /** Requests one replica serves at once. Default 1. */
      readonly concurrency?: number;
    }
  | {
      /** Requests per second one replica completes at full load. */
      readonly throughputPerReplica: number;
    };

/** The latency objective: the mean response time, or a quantile of it (`percentile: 0.99` for p99). */
export interface LatencyObjective {
  /** The objective, seconds. */
  readonly latencySeconds: number;
  /** A quantile in (0, 1), e.g. 0.99; absent for the mean. */
  readonly percentile?: number;
}

/** Per-pod signals a Pods metric can carry (values per ready replica, natural units). */
export type PodSignal = 'rps' | 'inflight' | 'queueLength' | 'queueLatencyMs';

/**
 * A metric the simulated HPA scales on, with what it measures:
 * - `Resource` cpu utilization: busy fraction of a replica's servers (saturates at 100 %);
 * - `Pods` average value of a per-replica signal: requests/s (`rps`), requests in the replica
 *   (`inflight`), requests waiting (`queueLength`) or the mean queue wait in ms (`queueLatencyMs`,
 *   e.g. Triton's `nv_inference_queue_duration_us` / 1000);
 * - `External` total requests/s or total queue length (a KEDA Prometheus trigger), with a `Value`
 *   or `AverageValue` target.
 */
export type SimulatedMetric =
  | {
      /** A Resource metric. */
      readonly type: 'Resource';
      /** cpu: the busy fraction of a replica. */
      readonly signal: 'cpu';
      /** `averageUtilization`, percent. */
      readonly targetUtilization: number;
    }
  | {
      /** A Pods metric. */
      readonly type: 'Pods';
      /** What each ready replica reports. */
      readonly signal: PodSignal;
      /** Per-replica target in natural units (rps, requests, ms). */
      readonly targetAverageValue: number;
    }
  | {
      /** An External metric. */
      readonly type: 'External';
      /** Total requests/s or total queue length. */
      readonly signal: 'rps' | 'queueLength';
      /** The total (`Value`) or the total per replica (`AverageValue`), natural units. */
      readonly target:
        | {
            /** `Value`. */
            readonly type: 'Value';
            /** The total to keep. */
            readonly value: number;
          }
        | {
            /** `AverageValue`. */
            readonly type: 'AverageValue';
            /** The total per replica to keep. */
            readonly averageValue: number;
          };
    };

/** Servers per replica and their service rate. */
export interface ServerModel {
  /** μ: requests/s one server completes. */
  readonly serviceRate: number;
  /** Servers (concurrent requests) per replica. */
  readonly perReplica: number;
}

/** Resolves a {@link ServiceCapacity} to servers and their rate. */
export function serverModel(capacity: ServiceCapacity): ServerModel {
  if ('throughputPerReplica' in capacity) {
    if (!(capacity.throughputPerReplica > 0)) throw new RangeError('throughputPerReplica must be > 0');
    return { serviceRate: capacity.throughputPerReplica, perReplica: 1 };
  }
  const concurrency = capacity.concurrency ?? 1;
  if (!(capacity.serviceTimeSeconds > 0)) throw new RangeError('serviceTimeSeconds must be > 0');
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('concurrency must be an integer >= 1');
  return { serviceRate: 1 / capacity.serviceTimeSeconds, perReplica: concurrency };
}

/** Requests/s one replica completes at full load. */
export function replicaCapacity(model: ServerModel): number {
  return model.serviceRate * model.perReplica;
}

function queue(model: ServerModel, rps: number, readyReplicas: number): MmcQueue {
  return { arrivalRate: rps, serviceRate: model.serviceRate, servers: Math.max(1, readyReplicas * model.perReplica) };
}

/**
 * The SLO statistic (mean or quantile of the response time) with `readyReplicas` serving `rps`.
 * Infinite when they cannot keep up (ρ ≥ 1, or none ready under load). With no requests it is the
 * unloaded service time statistic.
 */
export function serviceLatencySeconds(model: ServerModel, slo: LatencyObjective, rps: number, readyReplicas: number): number {
  if (rps > 0 && readyReplicas === 0) return Infinity;
  const q = queue(model, rps, readyReplicas);
  return slo.percentile === undefined ? mmcMetrics(q).meanResponseSeconds : mmcResponseQuantile(q, slo.percentile);
}

/**
 * Queue figures for the metric signals. Without a steady state (ρ ≥ 1) the queue holds the backlog
 * one sync period of excess load would build, `(λ − capacity) × period`, and its wait is the time
 * to drain that backlog at full capacity — a bounded stand-in for an unbounded queue.
 */
function queueFigures(model: ServerModel, rps: number, ready: number, periodSeconds: number): { lq: number; l: number; wq: number } {
  const m = mmcMetrics(queue(model, rps, ready));
  if (m.stable) return { lq: m.meanQueueLength, l: m.meanInSystem, wq: m.meanWaitSeconds };
  const capacity = ready * replicaCapacity(model);
  const backlog = (rps - capacity) * periodSeconds;
  return { lq: backlog, l: backlog + ready * model.perReplica, wq: backlog / capacity };
}

/** Natural units → milli-units (rounded up, as `Quantity.MilliValue()`). */
const milli = (x: number): number => Math.ceil(x * 1000);

/** The `MetricSpec` the HPA gets for a simulated metric. */
export function metricSpecOf(metric: SimulatedMetric): MetricSpec {
  switch (metric.type) {
    case 'Resource':
      return { type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: metric.targetUtilization } };
    case 'Pods':
      return { type: 'Pods', name: metric.signal, target: { type: 'AverageValue', averageValue: milli(metric.targetAverageValue) } };
    case 'External':
      return {
        type: 'External',
        name: metric.signal,
        target:
          metric.target.type === 'Value'
            ? { type: 'Value', value: milli(metric.target.value) }
            : { type: 'AverageValue', averageValue: milli(metric.target.averageValue) },
      };
  }
}

/** The request of a replica for the cpu metric: one core, fully busy at 100 % utilization. */
export const SIMULATED_CPU_REQUEST_MILLI = 1000;

/**
 * What the metrics API reports at one sync: the per-ready-replica sample (milli-units) for
 * Resource/Pods metrics, or the series for External ones. `ready` is at least 1 for per-pod values.
 */
export function observe(
  metric: SimulatedMetric,
  model: ServerModel,
  rps: number,
  ready: number,
  periodSeconds: number,
): { perPod?: number; external?: number } {
  if (metric.type === 'Resource') {
    const busy = ready === 0 ? 0 : Math.min(1, rps / (ready * replicaCapacity(model)));
    return { perPod: Math.ceil(busy * SIMULATED_CPU_REQUEST_MILLI) };
  }
  const needsQueue = metric.signal !== 'rps';
  const idleBacklog = rps * periodSeconds; // nothing ready: every arrival of the period waits
  const figures = !needsQueue
    ? { lq: 0, l: 0, wq: 0 }
    : ready > 0
      ? queueFigures(model, rps, ready, periodSeconds)
      : { lq: idleBacklog, l: idleBacklog, wq: Infinity };
  if (metric.type === 'External') return { external: milli(metric.signal === 'rps' ? rps : figures.lq) };
  if (ready === 0) return {};
  const perPod = { rps: rps / ready, inflight: figures.l / ready, queueLength: figures.lq / ready, queueLatencyMs: figures.wq * 1000 };
  return { perPod: milli(perPod[metric.signal]) };
}
