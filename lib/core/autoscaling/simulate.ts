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
  readonly t: number;
  readonly rps: number;
}

/** Inputs of {@link simulateAutoscaling}. */
export interface SimulationOptions {
  /** Sorted by `t`; the simulation starts at the first point. */
  readonly trace: readonly TracePoint[];
  /** Default: from the first to the last point, plus one sync period (the last point's rate holds that long). */
  readonly durationSeconds?: number;
  readonly capacity: ServiceCapacity;
  /** Seconds from a pod's creation until it is ready to serve. */
  readonly modelLoadTimeSeconds: number;
  readonly slo: LatencyObjective;
  /** minReplicas, maxReplicas and behavior of the HPA. */
  readonly hpa: HpaSpec;
  /** What the HPA scales on; at least one. */
  readonly metrics: readonly SimulatedMetric[];
  /** Ready pods at the start. Default `hpa.minReplicas` (1). */
  readonly initialReplicas?: number;
  /** Default 15 s (`--horizontal-pod-autoscaler-sync-period`). */
  readonly syncPeriodSeconds?: number;
  readonly config?: HpaControllerConfig;
  /** The metric window metrics-server reports, for the cpu readiness rules. Default 15 s. */
  readonly metricWindowSeconds?: number;
}

/** The state at one sync, for plotting. */
export interface SimulationStep {
  /** Seconds, on the trace's clock. */
  readonly t: number;
  readonly rps: number;
  /** The replica count the controller set (pods that exist after the sync). */
  readonly desiredReplicas: number;
  /** Ready pods right after the sync. */
  readonly readyReplicas: number;
  /** The SLO statistic at `t` after the sync; `Infinity` when the ready pods cannot keep up. */
  readonly latencySeconds: number;
  /** The largest metric proposal before stabilization and limits, when the metrics were valid. */
  readonly metricReplicas?: number;
  readonly reason?: ScalingLimitedReason;
}

/** Outputs of {@link simulateAutoscaling}. */
export interface SimulationResult {
  readonly steps: readonly SimulationStep[];
  /** ∫ pods dt: every pod that exists costs, loading or not. */
  readonly replicaSeconds: number;
  /** Time during which requests arrive and the SLO statistic exceeds the objective. */
  readonly violationSeconds: number;
  readonly durationSeconds: number;
}

interface SimPod {
  readonly createdAt: number;
  readonly readyAt: number;
}

function rpsAt(trace: readonly TracePoint[], t: number): number {
  let rps = trace[0]!.rps;
  for (const p of trace) {
    if (p.t > t) break;
    rps = p.rps;
  }
  return rps;
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
 * Runs the HPA controller (`reconcileAutoscaler`) against a request-rate trace every sync period
 * and reports the replica-seconds spent, the seconds the latency objective was missed, and the
 * per-sync series (rps, desired and ready replicas, latency) for plotting. Pure and deterministic.
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
    for (const p of trace) if (p.t > t && p.t < stepEnd) cuts.add(p.t);
    for (const p of pods) if (p.readyAt > t && p.readyAt < stepEnd) cuts.add(p.readyAt);
    const sorted = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < sorted.length; i++) {
      const a = sorted[i]!;
      const rate = rpsAt(trace, a);
      if (rate > 0 && serviceLatencySeconds(model, slo, rate, readyAt(a)) > slo.latencySeconds) violationSeconds += sorted[i + 1]! - a;
    }

    steps.push({
      t,
      rps,
      desiredReplicas: result.replicas,
      readyReplicas: readyAt(t),
      latencySeconds: serviceLatencySeconds(model, slo, rps, readyAt(t)),
      ...(result.metricReplicas === undefined ? {} : { metricReplicas: result.metricReplicas }),
      ...(result.reason === undefined ? {} : { reason: result.reason }),
    });
    state = ageHpaState(result.state, period);
  }
  return { steps, replicaSeconds, violationSeconds, durationSeconds: duration };
}
