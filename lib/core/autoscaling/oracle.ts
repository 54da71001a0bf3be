/**
 * The offline oracle: the fewest replica-seconds any autoscaler could spend on a request-rate trace
 * without ever missing the latency objective, in the simulator's own service model. The yardstick
 * for {@link simulateAutoscaling}: a policy's replica-seconds over the oracle's is its price of not
 * knowing the future (and of the 15 s sync, the tolerance, the rounding of targets).
 * @module
 */
import { Problems } from '../errors';
import { serverModel, type LatencyObjective, type ServiceCapacity } from './load-model';
import { DEFAULT_SYNC_PERIOD_SECONDS } from './scaling-rules';
import { latencyFloorSeconds, MAX_SIZED_REPLICAS, replicasForObjective } from './slo-sizing';
import type { TracePoint } from './simulate';

/** Inputs of {@link oracleAutoscaling}: the same trace, capacity, load time and objective as a simulation. */
export interface OracleOptions {
  /** Sorted by `t`; `rps` holds from `t` until the next point. */
  readonly trace: readonly TracePoint[];
  /**
   * The span from the first point, seconds.
   * @default - as `simulateAutoscaling`: to the last point plus one sync period (15 s)
   */
  readonly durationSeconds?: number;
  /** What one replica serves. */
  readonly capacity: ServiceCapacity;
  /** Seconds from a pod's creation until it is ready to serve. */
  readonly modelLoadTimeSeconds: number;
  /** The objective to meet at every instant. */
  readonly slo: LatencyObjective;
  /**
   * Ready replicas to keep even when fewer would meet the objective (a policy's floor, for a
   * like-for-like comparison).
   * @default 0 - no floor: the pure lower bound
   */
  readonly minReplicas?: number;
}

/** From `t` on (until the next entry), the oracle needs `replicas` ready pods. */
export interface OracleNeed {
  /** Seconds, on the trace's clock. */
  readonly t: number;
  /** The fewest ready replicas that meet the objective at the rate from `t` on (at least `minReplicas`). */
  readonly replicas: number;
}

/** Outputs of {@link oracleAutoscaling}. */
export interface OracleResult {
  /** The least ∫ pods dt over every schedule with no violation: {@link servingReplicaSeconds} + {@link idleReplicaSeconds}. */
  readonly replicaSeconds: number;
  /** ∫ needed replicas dt: pods that are ready and needed at that instant. */
  readonly servingReplicaSeconds: number;
  /** Pods that exist but are not needed at that instant: loading ahead of need, or kept through a dip shorter than a load. */
  readonly idleReplicaSeconds: number;
  /** Always 0: the oracle never misses the objective. */
  readonly violationSeconds: number;
  /** The span, seconds. */
  readonly durationSeconds: number;
  /** The need over time, one entry per change. */
  readonly needed: readonly OracleNeed[];
  /** The most ready replicas needed at once. */
  readonly peakReplicas: number;
}

function validate(o: OracleOptions): Problems {
  const problems = new Problems('oracleAutoscaling');
  if (!Array.isArray(o.trace) || o.trace.length === 0) problems.add('trace', o.trace, 'expected at least one point');
  else {
    o.trace.forEach((p, i) => {
      if (!(Number.isFinite(p.t) && Number.isFinite(p.rps) && p.rps >= 0)) problems.add(`trace[${i}]`, p, 'expected a finite t and a finite rps of at least 0');
      else if (i > 0 && p.t < o.trace[i - 1]!.t) problems.add(`trace[${i}].t`, p.t, `expected at least the previous point's t (${o.trace[i - 1]!.t}): the trace must be sorted`);
    });
  }
  if (o.durationSeconds !== undefined && !(Number.isFinite(o.durationSeconds) && o.durationSeconds > 0)) problems.add('durationSeconds', o.durationSeconds, 'expected a finite number of seconds greater than 0');
  if (!(Number.isFinite(o.modelLoadTimeSeconds) && o.modelLoadTimeSeconds >= 0)) problems.add('modelLoadTimeSeconds', o.modelLoadTimeSeconds, 'expected a finite number of seconds of at least 0');
  if (o.minReplicas !== undefined && !(Number.isInteger(o.minReplicas) && o.minReplicas >= 0 && o.minReplicas <= MAX_SIZED_REPLICAS)) problems.add('minReplicas', o.minReplicas, `expected an integer from 0 to ${MAX_SIZED_REPLICAS}`);
  if (!(Number.isFinite(o.slo.latencySeconds) && o.slo.latencySeconds > 0)) problems.add('slo.latencySeconds', o.slo.latencySeconds, 'expected a finite number of seconds greater than 0');
  if (o.slo.percentile !== undefined && !(o.slo.percentile > 0 && o.slo.percentile < 1)) problems.add('slo.percentile', o.slo.percentile, 'expected a quantile between 0 and 1, e.g. 0.99');
  return problems;
}

/**
 * The offline oracle: with the whole future of the trace known, the schedule of pods that meets the
 * objective at every instant for the fewest replica-seconds, in the model of `simulateAutoscaling`
 * (same M/M/c latency, same accounting), computed exactly.
 *
 * **What it counts.** Like the simulator, every pod that exists costs, from its creation to its
 * deletion, loading or not. At each instant the oracle needs n(t) ready pods: the fewest whose
 * M/M/c statistic at the trace's rate meets the objective (`replicasForObjective`; 0 without
 * requests; at least `minReplicas`). Pods are interchangeable, so n(t) is served level by level:
 * the k-th pod slot is needed while n(t) ≥ k. Between two periods of need of a slot, a gap of g
 * seconds costs min(g, load): keep the pod (g), or delete it and create a new one exactly one load
 * time before it is needed again (load). Before a slot's first need at time e, it costs
 * min(e − start, load) (pods ready at the start are free to choose, as the simulator's initial
 * replicas are); after its last need, nothing. The sum is ∫ n dt (serving) plus those costs (idle).
 *
 * **Why it is the lower bound.** For any schedule with no violation, let A(t) be the pods that exist;
 * its cost is Σₖ |{t : A(t) ≥ k}|. While slot k is needed, k pods are ready, so A ≥ k. In a gap of
 * slot k ending at e, either A ≥ k throughout, or A < k at some s; then of the k pods ready at e, at
 * least one was created after s, and all k were created by e − load, so A ≥ k on [e − load, e],
 * inside the gap: at least min(g, load) either way. The oracle is not bound to the 15 s sync grid,
 * to the HPA's tolerance, nor to integer targets: no autoscaler can do better in this model.
 */
export function oracleAutoscaling(options: OracleOptions): OracleResult {
  const problems = validate(options);
  problems.throwIfAny();
  const { trace, modelLoadTimeSeconds: load, slo } = options;
  const model = serverModel(options.capacity);
  const floor = options.minReplicas ?? 0;
  const t0 = trace[0]!.t;
  const duration = options.durationSeconds ?? trace[trace.length - 1]!.t - t0 + DEFAULT_SYNC_PERIOD_SECONDS;
  const end = t0 + duration;
  if (latencyFloorSeconds(model, slo) >= slo.latencySeconds) {
    problems.add('slo.latencySeconds', slo.latencySeconds, `expected more than ${latencyFloorSeconds(model, slo)} s, the statistic of the service time alone: no number of replicas meets less`);
  }
  problems.throwIfAny();

  // The need over time, merged where it does not change.
  const cache = new Map<number, number | undefined>();
  const needed: OracleNeed[] = [];
  for (let i = 0; i < trace.length && trace[i]!.t < end; i++) {
    const { t, rps } = trace[i]!;
    if (i + 1 < trace.length && trace[i + 1]!.t === t) continue; // lasts no time: the next point holds from t
    if (rps > 0 && !cache.has(rps)) cache.set(rps, replicasForObjective(model, slo, rps));
    const n = rps === 0 ? 0 : cache.get(rps);
    if (n === undefined) {
      problems.add(`trace[${i}].rps`, rps, `expected a rate that at most ${MAX_SIZED_REPLICAS} replicas serve within the objective (${slo.latencySeconds} s)`);
      break;
    }
    const replicas = Math.max(floor, n);
    if (needed.length === 0 || needed[needed.length - 1]!.replicas !== replicas) needed.push({ t, replicas });
  }
  problems.throwIfAny();

  let serving = 0;
  let idle = 0;
  let current = 0;
  /** lastNeeded[k - 1]: when slot k was last needed (undefined: never yet). */
  const lastNeeded: (number | undefined)[] = [];
  needed.forEach(({ t, replicas }, i) => {
    const until = i + 1 < needed.length ? needed[i + 1]!.t : end;
    for (let k = current + 1; k <= replicas; k++) {
      if (t > t0) idle += Math.min(t - (lastNeeded[k - 1] ?? t0), load);
    }
    for (let k = replicas + 1; k <= current; k++) lastNeeded[k - 1] = t;
    current = replicas;
    serving += replicas * (until - t);
  });
  return {
    replicaSeconds: serving + idle,
    servingReplicaSeconds: serving,
    idleReplicaSeconds: idle,
    violationSeconds: 0,
    durationSeconds: duration,
    needed,
    peakReplicas: needed.reduce((m, s) => Math.max(m, s.replicas), 0),
  };
}
