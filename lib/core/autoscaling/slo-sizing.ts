/**
 * Sizing an autoscaler from a latency objective with the M/M/c queue (Erlang C) of `queueing.ts`.
 *
 * **Model.** Requests arrive as a Poisson process of rate λ (the peak request rate). Each replica
 * serves `c_r` requests at once (its concurrency); each request occupies one slot for an
 * exponentially distributed time of mean S = 1/μ (the service time, or `c_r` / measured
 * throughput). n replicas are one M/M/(n·c_r) queue: one shared first-come-first-served queue, no
 * limit, no abandonment, no batching, steady state. The objective is the mean response time
 * W = Wq + S or its 99th percentile (`mmcResponseQuantile`).
 *
 * **Sizing.**
 * - replicas at peak: the smallest n whose M/M/(n·c_r) at λ meets the objective;
 * - maxReplicas = ⌈n × headroom⌉; minReplicas = the count that meets it at the off-peak rate, at
 *   least 2 (at most maxReplicas);
 * - per-pod target, requests per second: the largest rate per pod at which *every* replica count
 *   k from minReplicas to maxReplicas still meets the objective, divided by 1 + the HPA's
 *   tolerance (0.1), because the controller does not act until the signal is 10 % over target.
 *   Fewer servers pool less, so the target binds at small k; at peak the HPA may then ask for
 *   more than maxReplicas and is capped there, where the objective holds by construction. Any
 *   count the HPA settles at (rate per pod within tolerance of the target) meets the objective.
 * - optional queue guard (requests waiting or in flight per pod): the *largest* value any count k
 *   shows at the most load it serves within the objective. Below it every compliant state lies, so
 *   under the model the guard never proposes a replica; it adds replicas only when the queue grows
 *   beyond anything compliant. The queue is not a sizing signal of its own: the HPA's proposal
 *   ⌈k · value / target⌉ assumes the value is proportional to load per pod, and a steady-state
 *   queue falls much faster than that as replicas are added, so an HPA on the queue alone swings
 *   below the count the objective needs and back (the simulator shows it).
 *
 * **Limits.** The response time can never beat the service time alone: the mean needs W > S,
 * the p99 needs W > S·ln 100 ≈ 4.6 S under exponential service, so an objective at or below that
 * floor cannot be met by any number of replicas. Real servers batch (service time then depends on
 * load), have less variable service times (M/D/c waits are about half of M/M/c's, so the sizing
 * is conservative there), and behind a Kubernetes Service each replica has its own queue
 * (kube-proxy picks a backend at random), which is worse than one shared queue: the report shows
 * the latency n replicas would give with random routing. Arrivals burstier than Poisson, and the
 * transients while pods start, are not covered by a steady-state model. Measure.
 * @module
 */
import { DEFAULT_TOLERANCE } from './metric-spec';
import { replicaCapacity, serverModel, serviceLatencySeconds, type LatencyObjective, type ServerModel } from './load-model';
import { erlangC, mmcMetrics } from './queueing';

/** The most replicas a sizing searches. */
export const MAX_SIZED_REPLICAS = 10_000;
/** The fewest replicas a sized autoscaler keeps (a PodDisruptionBudget can then let one go). */
export const SIZED_REPLICA_FLOOR = 2;

/** The per-pod signals a sizing computes values for: the sized request rate, or a queue guard. */
export type SizedSignal = 'rps' | 'queueLength' | 'inflight';

/** The queue guard of a sizing. */
export interface QueueGuard {
  /** Requests waiting or in flight, per pod. */
  readonly signal: 'queueLength' | 'inflight';
  /** The per-pod value above which no count meets the objective (the largest compliant value). */
  readonly perPodTarget: number;
  /** The replica count at which that value occurs. */
  readonly bindingReplicas: number;
}

/** Inputs of {@link sizeForLatencySlo}; rates in requests per second, times in seconds. */
export interface SloSizingInput {
  /** λ at peak, over all replicas. */
  readonly peakRps: number;
  /** S = 1/μ: mean time one request occupies a slot. */
  readonly serviceTimeSeconds: number;
  /** c_r: slots per replica. Default 1. */
  readonly concurrencyPerReplica?: number;
  /** Mean (no percentile) or quantile of the response time. */
  readonly objective: LatencyObjective;
  /** The quietest rate; sizes minReplicas. Default: none (minReplicas = 2). */
  readonly offPeakRps?: number;
  /** Factor on the peak replicas for maxReplicas. Default 1. */
  readonly headroom?: number;
  /** A queue signal to compute a guard target for. Default: none. */
  readonly guard?: 'queueLength' | 'inflight';
  /** The HPA's tolerance. Default 0.1. */
  readonly tolerance?: number;
  /** A minReplicas fixed by the user (replaces the sized one). */
  readonly minReplicas?: number;
  /** A maxReplicas fixed by the user (replaces the sized one; must cover the peak). */
  readonly maxReplicas?: number;
}

/** The queue figures at one replica count and load. */
export interface OperatingPoint {
  /** Replicas. */
  readonly replicas: number;
  /** Requests per second over all replicas. */
  readonly rps: number;
  /** ρ = λ / (n·c_r·μ). */
  readonly utilization: number;
  /** C(n·c_r, λ/μ): probability that a request waits. */
  readonly probabilityOfWait: number;
  /** Mean wait before service, seconds. */
  readonly meanWaitSeconds: number;
  /** The objective's statistic (mean or quantile of the response time), seconds. */
  readonly latencySeconds: number;
}

/** The outcome of {@link sizeForLatencySlo}. */
export interface SloSizing {
  /** The model, in one line. */
  readonly model: string;
  /** The model's assumptions and limits, for the report. */
  readonly assumptions: readonly string[];
  /** The input, with defaults applied. */
  readonly peakRps: number;
  /** The off-peak rate, when given. */
  readonly offPeakRps?: number;
  /** S, seconds. */
  readonly serviceTimeSeconds: number;
  /** c_r. */
  readonly concurrencyPerReplica: number;
  /** Requests per second one replica completes when saturated (c_r / S). */
  readonly replicaCapacityRps: number;
  /** The objective. */
  readonly objective: LatencyObjective;
  /** The statistic with no queueing at all (service time only): any objective must exceed it. */
  readonly latencyFloorSeconds: number;
  /** n: the fewest replicas meeting the objective at peak. */
  readonly replicasAtPeak: number;
  /** The figures at n replicas and peak load. */
  readonly peak: OperatingPoint;
  /** The statistic at n replicas if each had its own queue (random routing, λ/n each): the optimism of one shared queue. */
  readonly randomRoutingLatencySeconds: number;
  /** The fewest replicas meeting the objective at the off-peak rate, when given. */
  readonly offPeakReplicas?: number;
  /** The headroom factor. */
  readonly headroom: number;
  /** minReplicas (sized, or the user's). */
  readonly minReplicas: number;
  /** maxReplicas (sized, or the user's). */
  readonly maxReplicas: number;
  /** The HPA tolerance the target allows for. */
  readonly tolerance: number;
  /** The per-pod target, requests per second. */
  readonly perPodTarget: number;
  /** The replica count at which the target binds (the objective holds exactly at target × (1 + tolerance)). */
  readonly bindingReplicas: number;
  /** The fewest replicas the HPA may settle at under the peak: the first count whose signal is within tolerance of target. */
  readonly settledReplicasAtPeak: number;
  /** The objective's statistic at {@link settledReplicasAtPeak} under the peak. */
  readonly settledLatencyAtPeakSeconds: number;
  /** The queue guard, when asked for. */
  readonly guard?: QueueGuard;
}

/** The statistic with no queueing: S for the mean, −ln(1 − p)·S for the p-quantile (exponential service). */
export function latencyFloorSeconds(model: ServerModel, objective: LatencyObjective): number {
  const s = 1 / model.serviceRate;
  return objective.percentile === undefined ? s : -Math.log(1 - objective.percentile) * s;
}

/**
 * The fewest replicas (1…`limit`) whose M/M/(n·c_r) queue at `rps` meets the objective, or
 * `undefined` when even `limit` do not. The statistic falls as n grows, so this gallops then bisects.
 */
export function replicasForObjective(model: ServerModel, objective: LatencyObjective, rps: number, limit = MAX_SIZED_REPLICAS): number | undefined {
  const meets = (n: number): boolean => serviceLatencySeconds(model, objective, rps, n) <= objective.latencySeconds;
  if (!meets(limit)) return undefined;
  // The smallest stable count, then doubling until it meets, then bisection.
  let lo = Math.max(0, Math.floor(rps / replicaCapacity(model))); // lo does not meet (or is 0)
  if (lo >= 1 && meets(lo)) return lo;
  let hi = Math.max(1, lo + 1);
  while (!meets(hi)) {
    lo = hi;
    hi = Math.min(limit, hi * 2);
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The largest request rate `replicas` serve within the objective (bisection to 1e-12 relative). 0 when not even an idle system meets it. */
export function maxRateWithinObjective(model: ServerModel, objective: LatencyObjective, replicas: number): number {
  if (latencyFloorSeconds(model, objective) >= objective.latencySeconds) return 0;
  let lo = 0;
  let hi = replicas * replicaCapacity(model);
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (serviceLatencySeconds(model, objective, mid, replicas) <= objective.latencySeconds) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** The per-pod value of `signal` with `replicas` serving `rps` (Infinity without a steady state for queue signals). */
export function perPodSignal(model: ServerModel, signal: SizedSignal, rps: number, replicas: number): number {
  if (signal === 'rps') return rps / replicas;
  const m = mmcMetrics({ arrivalRate: rps, serviceRate: model.serviceRate, servers: replicas * model.perReplica });
  return (signal === 'queueLength' ? m.meanQueueLength : m.meanInSystem) / replicas;
}

/** The figures of `replicas` serving `rps`. */
export function operatingPoint(model: ServerModel, objective: LatencyObjective, rps: number, replicas: number): OperatingPoint {
  const servers = replicas * model.perReplica;
  const m = mmcMetrics({ arrivalRate: rps, serviceRate: model.serviceRate, servers });
  return {
    replicas,
    rps,
    utilization: m.utilization,
    probabilityOfWait: erlangC(servers, rps / model.serviceRate),
    meanWaitSeconds: m.meanWaitSeconds,
    latencySeconds: serviceLatencySeconds(model, objective, rps, replicas),
  };
}

/** Replica counts to check a target at: every count near the bottom, then every 5 %, and the top. */
function countsToCheck(from: number, to: number): number[] {
  const counts: number[] = [];
  for (let k = from; k <= to; k = k < from + 64 ? k + 1 : Math.ceil(k * 1.05)) counts.push(k);
  if (counts[counts.length - 1] !== to) counts.push(to);
  return counts;
}

/** The model's assumptions and limits, for the report. */
export const SLO_MODEL_ASSUMPTIONS: readonly string[] = [
  'Poisson arrivals at the peak rate; steady state (no transients while pods start or queues drain)',
  'exponentially distributed service times of the given mean (real servers vary less: M/D/c waits are about half, so this errs on the safe side)',
  'one shared first-come-first-served queue over all replicas\' slots, without limit or abandonment (a Service\'s random routing gives each replica its own queue, which is worse: see the random-routing latency)',
  'no batching: a request holds one slot for its whole service time (batching servers change the service time with load)',
];

/**
 * Sizes an autoscaler for a latency objective at a peak rate with the M/M/c model (see the module
 * documentation for the model, the rules and the limits). Throws a RangeError when the input is not
 * finite and positive, when the objective is at or below the service-time floor, or when it needs
 * more than `maxReplicas` (default {@link MAX_SIZED_REPLICAS}) replicas: check with
 * {@link latencyFloorSeconds} and {@link replicasForObjective} first to report those.
 */
export function sizeForLatencySlo(input: SloSizingInput): SloSizing {
  const positive = (name: string, v: number | undefined, optional = false): void => {
    if (optional && v === undefined) return;
    if (!(typeof v === 'number' && Number.isFinite(v) && v > 0)) throw new RangeError(`${name} must be a finite number > 0, got ${v}`);
  };
  positive('peakRps', input.peakRps);
  positive('serviceTimeSeconds', input.serviceTimeSeconds);
  positive('objective.latencySeconds', input.objective.latencySeconds);
  positive('offPeakRps', input.offPeakRps, true);
  const headroom = input.headroom ?? 1;
  if (!(headroom >= 1 && Number.isFinite(headroom))) throw new RangeError(`headroom must be a finite number >= 1, got ${headroom}`);
  const concurrency = input.concurrencyPerReplica ?? 1;
  const model = serverModel({ serviceTimeSeconds: input.serviceTimeSeconds, concurrency });
  const { objective } = input;
  const floor = latencyFloorSeconds(model, objective);
  if (objective.latencySeconds <= floor) throw new RangeError(`the objective ${objective.latencySeconds} s is at or below the service-time floor ${floor} s`);
  const limit = input.maxReplicas ?? MAX_SIZED_REPLICAS;
  const n = replicasForObjective(model, objective, input.peakRps, limit);
  if (n === undefined) throw new RangeError(`the objective needs more than ${limit} replicas at ${input.peakRps} requests/s`);

  const offPeakReplicas = input.offPeakRps === undefined ? undefined : replicasForObjective(model, objective, input.offPeakRps, n);
  const maxReplicas = input.maxReplicas ?? Math.max(SIZED_REPLICA_FLOOR, Math.ceil(n * headroom - 1e-9));
  const minReplicas = input.minReplicas ?? Math.min(maxReplicas, Math.max(SIZED_REPLICA_FLOOR, offPeakReplicas ?? 0));
  if (minReplicas > maxReplicas) throw new RangeError(`minReplicas ${minReplicas} exceeds maxReplicas ${maxReplicas}`);

  const tolerance = input.tolerance ?? DEFAULT_TOLERANCE;
  let best = Infinity;
  let bindingReplicas = Math.max(1, minReplicas);
  let guardBest = -Infinity;
  let guardReplicas = bindingReplicas;
  for (const k of countsToCheck(Math.max(1, minReplicas), maxReplicas)) {
    const rate = maxRateWithinObjective(model, objective, k);
    if (rate / k < best) {
      best = rate / k;
      bindingReplicas = k;
    }
    const guard = input.guard && perPodSignal(model, input.guard, rate, k);
    if (guard !== undefined && guard > guardBest) {
      guardBest = guard;
      guardReplicas = k;
    }
  }
  const perPodTarget = best / (1 + tolerance);
  // The rate per pod falls as replicas are added: bisect for the first count within tolerance.
  const within = (k: number): boolean => input.peakRps / k <= perPodTarget * (1 + tolerance);
  let settled = maxReplicas;
  if (within(maxReplicas)) {
    let lo = Math.max(1, minReplicas) - 1;
    while (settled - lo > 1) {
      const mid = Math.floor((lo + settled) / 2);
      if (mid >= 1 && within(mid)) settled = mid;
      else lo = mid;
    }
  }

  return {
    model: `M/M/c (Erlang C): ${concurrency} slot${concurrency === 1 ? '' : 's'} per replica, one shared FIFO queue`,
    assumptions: SLO_MODEL_ASSUMPTIONS,
    peakRps: input.peakRps,
    ...(input.offPeakRps === undefined ? {} : { offPeakRps: input.offPeakRps }),
    serviceTimeSeconds: input.serviceTimeSeconds,
    concurrencyPerReplica: concurrency,
    replicaCapacityRps: replicaCapacity(model),
    objective,
    latencyFloorSeconds: floor,
    replicasAtPeak: n,
    peak: operatingPoint(model, objective, input.peakRps, n),
    randomRoutingLatencySeconds: serviceLatencySeconds(model, objective, input.peakRps / n, 1),
    ...(offPeakReplicas === undefined ? {} : { offPeakReplicas }),
    headroom,
    minReplicas,
    maxReplicas,
    tolerance,
    perPodTarget,
    bindingReplicas,
    settledReplicasAtPeak: settled,
    settledLatencyAtPeakSeconds: serviceLatencySeconds(model, objective, input.peakRps, settled),
    ...(input.guard ? { guard: { signal: input.guard, perPodTarget: guardBest, bindingReplicas: guardReplicas } } : {}),
  };
}
