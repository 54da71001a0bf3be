/**
 * Scale rate limits (`horizontal.go`): the no-behaviour cap and the behaviour policies over
 * recent scale events. Events carry their age in seconds; a new one is stored with age 0.
 * @module
 */
import { MAX_INT32, MIN_INT32 } from './int64';
import { getLongestPolicyPeriod, type ScalingRules } from './scaling-rules';

/** `timestampedScaleEvent`: replicas added (scale-up log) or removed (scale-down log). */
export interface ScaleEvent {
  /** Always positive: the size of the change. */
  readonly replicaChange: number;
  /** Seconds since the rescale. */
  readonly ageSeconds: number;
  /** Marked once older than the longest policy period; the slot is then reused. */
  readonly outdated: boolean;
}

/** The `ScalingLimited` condition reasons `horizontal.go` sets after normalization. */
export type ScalingLimitedReason = 'DesiredWithinRange' | 'ScaleUpLimit' | 'TooManyReplicas' | 'ScaleDownLimit' | 'TooFewReplicas';

/** A normalized replica count and the `ScalingLimited` reason. */
export interface Limited {
  /** The replica count after the limits. */
  readonly replicas: number;
  /** Which limit applied, or `DesiredWithinRange`. */
  readonly reason: ScalingLimitedReason;
}

/** `scaleUpLimitFactor` of `horizontal.go`. */
export const SCALE_UP_LIMIT_FACTOR = 2.0;
/** `scaleUpLimitMinimum` of `horizontal.go`. */
export const SCALE_UP_LIMIT_MINIMUM = 4.0;

/** `calculateScaleUpLimit` (`horizontal.go`): `max(2 * current, 4)` — the no-behaviour scale-up cap. */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(SCALE_UP_LIMIT_FACTOR * currentReplicas, SCALE_UP_LIMIT_MINIMUM));
}

/**
 * `convertDesiredReplicasWithRules` (`horizontal.go`), used without `spec.behavior`: clamps to `minReplicas` (`TooFewReplicas`)
 * and to the smaller of `maxReplicas` (`TooManyReplicas`) and `max(2 * current, 4)` (`ScaleUpLimit`).
 */
export function convertDesiredReplicasWithRules(current: number, desired: number, min: number, max: number): Limited {
  const scaleUpLimit = calculateScaleUpLimit(current);
  const [maxAllowed, reason]: [number, ScalingLimitedReason] = max > scaleUpLimit ? [scaleUpLimit, 'ScaleUpLimit'] : [max, 'TooManyReplicas'];
  if (desired < min) return { replicas: min, reason: 'TooFewReplicas' };
  if (desired > maxAllowed) return { replicas: maxAllowed, reason };
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/**
 * `getReplicasChangePerPeriod` (`horizontal.go`): the replicas changed by events strictly younger than
 * `periodSeconds` (timestamp after `now - period`).
 */
export function getReplicasChangePerPeriod(periodSeconds: number, events: readonly ScaleEvent[]): number {
  let replicas = 0;
  for (const e of events) if (e.ageSeconds < periodSeconds) replicas += e.replicaChange;
  return replicas;
}

function periodStart(current: number, periodSeconds: number, up: readonly ScaleEvent[], down: readonly ScaleEvent[]): number {
  return current - getReplicasChangePerPeriod(periodSeconds, up) + getReplicasChangePerPeriod(periodSeconds, down);
}

/**
 * `calculateScaleUpLimitWithScalingRules` (`horizontal.go`): for each policy, the replica count at the start of its
 * period plus `value` pods or `ceil(start * (1 + value/100))`; `Max` takes the largest proposal,
 * `Min` the smallest, `Disabled` returns `current`.
 */
export function calculateScaleUpLimitWithScalingRules(
  current: number,
  scaleUpEvents: readonly ScaleEvent[],
  scaleDownEvents: readonly ScaleEvent[],
  rules: ScalingRules,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMin = rules.selectPolicy === 'Min';
  let result = useMin ? MAX_INT32 : MIN_INT32;
  for (const policy of rules.policies) {
    const start = periodStart(current, policy.periodSeconds, scaleUpEvents, scaleDownEvents);
    const proposed = policy.type === 'Pods' ? start + policy.value : Math.ceil(start * (1 + policy.value / 100));
    result = useMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return result;
}

/**
 * `calculateScaleDownLimitWithBehaviors` (`horizontal.go`): for each policy, the count at the start of its period
 * minus `value` pods or `int(start * (1 - value/100))` (truncated); `Max` (the default) takes the
 * smallest proposal, i.e. the biggest change, `Min` the largest, `Disabled` returns `current`.
 */
export function calculateScaleDownLimitWithBehaviors(
  current: number,
  scaleUpEvents: readonly ScaleEvent[],
  scaleDownEvents: readonly ScaleEvent[],
  rules: ScalingRules,
): number {
  if (rules.selectPolicy === 'Disabled') return current;
  const useMax = rules.selectPolicy === 'Min';
  let result = useMax ? MIN_INT32 : MAX_INT32;
  for (const policy of rules.policies) {
    const start = periodStart(current, policy.periodSeconds, scaleUpEvents, scaleDownEvents);
    const proposed = policy.type === 'Pods' ? start - policy.value : Math.trunc(start * (1 - policy.value / 100));
    result = useMax ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return result;
}

/** Arguments of {@link convertDesiredReplicasWithBehaviorRate}. */
export interface BehaviorRateArgs {
  /** `scale.spec.replicas`. */
  readonly currentReplicas: number;
  /** The stabilized recommendation. */
  readonly desiredReplicas: number;
  /** `spec.minReplicas`. */
  readonly minReplicas: number;
  /** `spec.maxReplicas`. */
  readonly maxReplicas: number;
  /** Defaulted scale-up rules. */
  readonly scaleUp: ScalingRules;
  /** Defaulted scale-down rules. */
  readonly scaleDown: ScalingRules;
  /** Replicas added recently. */
  readonly scaleUpEvents: readonly ScaleEvent[];
  /** Replicas removed recently. */
  readonly scaleDownEvents: readonly ScaleEvent[];
}

/**
 * `convertDesiredReplicasWithBehaviorRate` (`horizontal.go`): on scale up, the policy limit (never below current)
 * and `maxReplicas` cap the count (`ScaleUpLimit` when the policy is the tighter, else
 * `TooManyReplicas`); on scale down the policy limit (never above current) and `minReplicas`
 * floor it (`ScaleDownLimit` / `TooFewReplicas`); otherwise `DesiredWithinRange`.
 */
export function convertDesiredReplicasWithBehaviorRate(args: BehaviorRateArgs): Limited {
  const { currentReplicas: current, desiredReplicas: desired } = args;
  if (desired > current) {
    let limit = calculateScaleUpLimitWithScalingRules(current, args.scaleUpEvents, args.scaleDownEvents, args.scaleUp);
    if (limit < current) limit = current; // no further scale up until the events age out
    const [maxAllowed, reason]: [number, ScalingLimitedReason] =
      args.maxReplicas > limit ? [limit, 'ScaleUpLimit'] : [args.maxReplicas, 'TooManyReplicas'];
    if (desired > maxAllowed) return { replicas: maxAllowed, reason };
  } else if (desired < current) {
    let limit = calculateScaleDownLimitWithBehaviors(current, args.scaleUpEvents, args.scaleDownEvents, args.scaleDown);
    if (limit > current) limit = current; // no further scale down until the events age out
    const [minAllowed, reason]: [number, ScalingLimitedReason] =
      args.minReplicas < limit ? [limit, 'ScaleDownLimit'] : [args.minReplicas, 'TooFewReplicas'];
    if (desired < minAllowed) return { replicas: minAllowed, reason };
  }
  return { replicas: desired, reason: 'DesiredWithinRange' };
}

/** The two event logs the controller keeps per HPA. */
export interface ScaleEventLogs {
  /** Scale-up events (replicas added). */
  readonly scaleUpEvents: readonly ScaleEvent[];
  /** Scale-down events (replicas removed). */
  readonly scaleDownEvents: readonly ScaleEvent[];
}

function storeIn(events: readonly ScaleEvent[], rules: ScalingRules | undefined, change: number): readonly ScaleEvent[] {
  const longest = getLongestPolicyPeriod(rules);
  const marked = events.map((e) => (e.ageSeconds > longest && !e.outdated ? { ...e, outdated: true } : e));
  let reuse = -1;
  marked.forEach((e, i) => {
    if (e.outdated) reuse = i;
  });
  const entry: ScaleEvent = { replicaChange: change, ageSeconds: 0, outdated: false };
  return reuse < 0 ? [...marked, entry] : marked.map((e, i) => (i === reuse ? entry : e));
}

/**
 * `storeScaleEvent` and `markScaleEventsOutdated` (`horizontal.go`): without `spec.behavior` nothing is stored. Otherwise events of the direction
 * older than its longest policy period are marked outdated, and the new event (age 0) replaces the
 * last outdated one or is appended.
 */
export function storeScaleEvent(
  behavior: {
    /** The defaulted scale-up rules (their longest period ages out scale-up events). */
    readonly scaleUp?: ScalingRules;
    /** The defaulted scale-down rules. */
    readonly scaleDown?: ScalingRules;
  } | undefined,
  logs: ScaleEventLogs,
  prevReplicas: number,
  newReplicas: number,
): ScaleEventLogs {
  if (behavior === undefined) return logs;
  if (newReplicas > prevReplicas) {
    return { ...logs, scaleUpEvents: storeIn(logs.scaleUpEvents, behavior.scaleUp, newReplicas - prevReplicas) };
  }
  return { ...logs, scaleDownEvents: storeIn(logs.scaleDownEvents, behavior.scaleDown, prevReplicas - newReplicas) };
}
