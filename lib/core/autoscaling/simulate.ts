/**
 * A deterministic, trace-driven simulation of a model service scaled by the HPA controller of
 * `controller.ts`, stepped at the controller's sync period.
 *
 * Model: at every sync the controller reads the metrics of the pods that exist and rescales; new
 * pods are created at once and become ready `modelLoadTimeSeconds` later (the one startup budget:
 * scheduling, image pull, model download and load); scale-down deletes pods at once, not-ready
 * ones first, then the newest. Ready pods share the load evenly; latency follows the M/M/c model
 * of `load-model.ts`. Between syncs the load and the ready count are integrated exactly (sub-steps
 * at trace points and readiness times), so replica-seconds and seconds in violation are exact for
 * the model.
 * @module
 */
import { ageHpaState, reconcileAutoscaler, type HpaControllerConfig, type HpaSpec, type HpaState, type ObservedMetric } from './controller';
import {
  serviceLatencySeconds,
  metricSpecOf,
  observe,
  serverModel,
  SIMULATED_CPU_REQUEST_MILLI,
  type LatencyObjective,
  type ServerModel,
  type ServiceCapacity,
  type SimulatedMetric,
} from './load-model';
import { LONG_AGO_SECONDS, type PodSample } from './pod-groups';
import type { ScalingLimitedReason } from './rate-limits';
import { DEFAULT_SYNC_PERIOD_SECONDS } from './scaling-rules';

/** One point of a request-rate trace: `rps` holds from `t` (seconds) until the next point. */
export interface TracePoint {
  /** Seconds. */
  readonly t: number;
  /** Requests per second from `t` on. */
  readonly rps: number;
}

/** Inputs of {@link simulateAutoscaling}. */
export interface SimulationOptions {
  /** Sorted by `t`; the simulation starts at the first point. */
  readonly trace: readonly TracePoint[];
  /** Default: from the first to the last point, plus one sync period (the last point's rate holds that long). */
  readonly durationSeconds?: number;
  /** What one replica serves. */
  readonly capacity: ServiceCapacity;
  /** Seconds from a pod's creation until it is ready to serve. */
  readonly modelLoadTimeSeconds: number;
  /** The latency objective the violation time is measured against. */
  readonly slo: LatencyObjective;
  /** minReplicas, maxReplicas and behavior of the HPA. */
  readonly hpa: HpaSpec;
  /** What the HPA scales on; at least one. */
  readonly metrics: readonly SimulatedMetric[];
  /** Ready pods at the start. Default `hpa.minReplicas` (1). */
  readonly initialReplicas?: number;
  /** Default 15 s (`--horizontal-pod-autoscaler-sync-period`). */
  readonly syncPeriodSeconds?: number;
  /** kube-controller-manager settings (tolerance, downscale window, cpu readiness timing). */
  readonly config?: HpaControllerConfig;
  /** The metric window metrics-server reports, for the cpu readiness rules. Default 15 s. */
  readonly metricWindowSeconds?: number;
}

/** The state at one sync, for plotting. */
export interface SimulationStep {
  /** Seconds, on the trace's clock. */
  readonly t: number;
  /** The request rate at `t`. */
  readonly rps: number;
  /** The replica count the controller set (pods that exist after the sync). */
  readonly desiredReplicas: number;
  /** Ready pods right after the sync. */
  readonly readyReplicas: number;
  /** The SLO statistic at `t` after the sync; `Infinity` when the ready pods cannot keep up. */
  readonly latencySeconds: number;
  /** The largest metric proposal before stabilization and limits, when the metrics were valid. */
  readonly metricReplicas?: number;
  /** The `ScalingLimited` reason of the sync, when it normalized a proposal. */
  readonly reason?: ScalingLimitedReason;
}

/** Outputs of {@link simulateAutoscaling}. */
export interface SimulationResult {
  /** One entry per sync. */
  readonly steps: readonly SimulationStep[];
  /** ∫ pods dt: every pod that exists costs, loading or not. */
  readonly replicaSeconds: number;
  /** Time during which requests arrive and the SLO statistic exceeds the objective. */
  readonly violationSeconds: number;
  /** The simulated time span, seconds. */
  readonly durationSeconds: number;
}

interface SimPod {
  readonly createdAt: number;
  readonly readyAt: number;
}

/** Index of the last point with `p.t <= t` (0 before the first), by binary search. */
function pointAt(trace: readonly TracePoint[], t: number): number {
  let lo = 0;
  let hi = trace.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (trace[mid]!.t <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function rpsAt(trace: readonly TracePoint[], t: number): number {
  return trace[pointAt(trace, t)]!.rps;
}

function validate(o: SimulationOptions): void {
  if (o.trace.length === 0) throw new RangeError('trace must have at least one point');
  o.trace.forEach((p, i) => {
    if (!Number.isFinite(p.t) || !(p.rps >= 0) || !Number.isFinite(p.rps)) throw new RangeError(`trace[${i}] must have a finite t and rps >= 0`);
    if (i > 0 && p.t < o.trace[i - 1]!.t) throw new RangeError(`trace must be sorted by t (trace[${i}])`);
  });
  if (!(o.modelLoadTimeSeconds >= 0)) throw new RangeError('modelLoadTimeSeconds must be >= 0');
  if (o.metrics.length === 0) throw new RangeError('metrics must not be empty');
}

function podSamples(pods: readonly SimPod[], t: number, perPod: number | undefined, cpu: boolean, window: number): PodSample[] {
  return pods.map((p): PodSample => {
    const ready = p.readyAt <= t;
    // A loading pod reports cpu (idle) but not the server's own metrics: it is not serving yet.
    const usage = ready ? perPod : cpu ? 0 : undefined;
    return {
      ready,
      startAgeSeconds: t - p.createdAt,
      readyTransitionAgeSeconds: t - (ready ? p.readyAt : p.createdAt),
      metricWindowSeconds: window,
      ...(cpu ? { request: SIMULATED_CPU_REQUEST_MILLI } : {}),
      ...(usage === undefined ? {} : { usage }),
    };
  });
}

function observedMetrics(o: SimulationOptions, model: ServerModel, pods: readonly SimPod[], t: number, rps: number, period: number): ObservedMetric[] {
  const ready = pods.filter((p) => p.readyAt <= t).length;
  const window = o.metricWindowSeconds ?? 15;
  return o.metrics.map((metric) => {
    const seen = observe(metric, model, rps, ready, period);
    const spec = metricSpecOf(metric);
    if (metric.type === 'External') return { spec, pods: podSamples(pods, t, undefined, false, window), values: [seen.external ?? 0] };
    return { spec, pods: podSamples(pods, t, seen.perPod, metric.type === 'Resource', window) };
  });
}

/** Removes `count` pods: not-ready before ready, newest first (ReplicaSet deletion order). */
function removePods(pods: readonly SimPod[], count: number, t: number): SimPod[] {
  const order = pods
    .map((p, i) => ({ p, i }))
    .sort((a, b) => Number(a.p.readyAt <= t) - Number(b.p.readyAt <= t) || b.p.createdAt - a.p.createdAt || b.i - a.i);
  const drop = new Set(order.slice(0, count).map((x) => x.i));
  return pods.filter((_, i) => !drop.has(i));
}

/**
 * Runs the modelled HPA controller (`reconcileAutoscaler`, mirroring `horizontal.go`) against a
 * request-rate trace every sync period (15 s) and reports the replica-seconds spent, the seconds the
 * latency objective was missed, and the per-sync series (rps, desired and ready replicas, latency)
 * for plotting. Pure and deterministic.
 *
 * The service model is this library's, not upstream's: the initial pods are ready; a pod created at
 * a sync is Running but not Ready until `modelLoadTimeSeconds` later, and while loading it reports
 * an idle cpu sample but no custom metrics (so the controller treats it as unready for cpu and as
 * missing for Pods metrics); scale-down deletes pods at once, not-ready before ready, newest first;
 * ready pods share the load evenly; latency and queue signals follow the M/M/c model
 * (`mmcMetrics`), and cpu utilization is the busy fraction, capped at 100 %. Between syncs, changes
 * of the trace and of readiness are integrated exactly, so `replicaSeconds` (every existing pod
 * counts, loading or not) and `violationSeconds` (requests arriving while the SLO statistic exceeds
 * the objective) are exact for the model.
 */
export function simulateAutoscaling(options: SimulationOptions): SimulationResult {
  validate(options);
  const { trace, modelLoadTimeSeconds: load, slo, hpa } = options;
  const model = serverModel(options.capacity);
  const period = options.syncPeriodSeconds ?? DEFAULT_SYNC_PERIOD_SECONDS;
  const t0 = trace[0]!.t;
  const duration = options.durationSeconds ?? trace[trace.length - 1]!.t - t0 + period;
  const end = t0 + duration;
  const initial = options.initialReplicas ?? hpa.minReplicas ?? 1;
  let pods: SimPod[] = Array.from({ length: initial }, () => ({ createdAt: t0 - LONG_AGO_SECONDS, readyAt: t0 - LONG_AGO_SECONDS }));
  let state: HpaState = {};
  let replicaSeconds = 0;
  let violationSeconds = 0;
  const steps: SimulationStep[] = [];
  const readyAt = (t: number): number => pods.filter((p) => p.readyAt <= t).length;
  const latencies = new Map<string, number>(); // the SLO statistic depends on (rate, ready) only
  const latency = (rate: number, ready: number): number => {
    const key = `${rate}/${ready}`;
    let value = latencies.get(key);
    if (value === undefined) latencies.set(key, (value = serviceLatencySeconds(model, slo, rate, ready)));
    return value;
  };

  for (let k = 0; t0 + k * period < end; k++) {
    const t = t0 + k * period;
    const rps = rpsAt(trace, t);
    const result = reconcileAutoscaler(state, {
      hpa,
      currentReplicas: pods.length,
      metrics: observedMetrics(options, model, pods, t, rps, period),
      ...(options.config === undefined ? {} : { config: options.config }),
    });
    if (result.replicas > pods.length) {
      const added = Array.from({ length: result.replicas - pods.length }, () => ({ createdAt: t, readyAt: t + load }));
      pods = [...pods, ...added];
    } else if (result.replicas < pods.length) {
      pods = removePods(pods, pods.length - result.replicas, t);
    }

    const stepEnd = Math.min(t + period, end);
    replicaSeconds += pods.length * (stepEnd - t);
    const cuts = new Set<number>([t, stepEnd]);
    for (let i = pointAt(trace, t) + 1; i < trace.length && trace[i]!.t < stepEnd; i++) if (trace[i]!.t > t) cuts.add(trace[i]!.t);
    for (const p of pods) if (p.readyAt > t && p.readyAt < stepEnd) cuts.add(p.readyAt);
    const sorted = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i]!;
      const rate = rpsAt(trace, a);
      if (rate > 0 && latency(rate, readyAt(a)) > slo.latencySeconds) violationSeconds += sorted[i + 1]! - a;
    }

    steps.push({
      t,
      rps,
      desiredReplicas: result.replicas,
      readyReplicas: readyAt(t),
      latencySeconds: latency(rps, readyAt(t)),
      ...(result.metricReplicas === undefined ? {} : { metricReplicas: result.metricReplicas }),
      ...(result.reason === undefined ? {} : { reason: result.reason }),
    });
    state = ageHpaState(result.state, period);
  }
  return { steps, replicaSeconds, violationSeconds, durationSeconds: duration };
}
