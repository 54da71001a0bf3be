/**
 * Stabilization over past recommendations (`horizontal.go`). Recommendations carry their age in
 * seconds instead of a timestamp; a new one is stored with age 0.
 * @module
 */

/** `timestampedRecommendation`: an un-normalized desired replica count and how old it is. */
export interface TimestampedRecommendation {
  /** The un-normalized desired replica count. */
  readonly recommendation: number;
  /** Seconds since it was recorded. */
  readonly ageSeconds: number;
}

/** Stabilized replica count and the updated recommendation log. */
export interface Stabilized {
  /** The stabilized replica count. */
  readonly replicas: number;
  /** The log with the new recommendation stored. */
  readonly recommendations: readonly TimestampedRecommendation[];
}

/** Stores `desired` with age 0, over the last stale sample if there is one (upstream reuses slots). */
function record(
  recommendations: readonly TimestampedRecommendation[],
  desired: number,
  staleIndex: number,
): readonly TimestampedRecommendation[] {
  const entry = { recommendation: desired, ageSeconds: 0 };
  if (staleIndex < 0) return [...recommendations, entry];
  return recommendations.map((r, i) => (i === staleIndex ? entry : r));
}

/**
 * `stabilizeRecommendation` (`horizontal.go`), used without `spec.behavior`: the maximum of `desired` and every
 * recommendation not older than the downscale stabilization window (default 300 s). A
 * recommendation exactly `windowSeconds` old still counts. `desired` is stored, replacing the
 * last stale one.
 */
export function stabilizeRecommendation(
  recommendations: readonly TimestampedRecommendation[],
  desired: number,
  windowSeconds: number,
): Stabilized {
  let max = desired;
  let stale = -1;
  recommendations.forEach((rec, i) => {
    if (rec.ageSeconds > windowSeconds) stale = i;
    else if (rec.recommendation > max) max = rec.recommendation;
  });
  return { replicas: max, recommendations: record(recommendations, desired, stale) };
}

/** Arguments of {@link stabilizeRecommendationWithBehaviors}. */
export interface BehaviorStabilizationArgs {
  /** `scale.spec.replicas`. */
  readonly currentReplicas: number;
  /** The un-normalized proposal of this sync. */
  readonly desiredReplicas: number;
  /** `scaleUp.stabilizationWindowSeconds`. */
  readonly scaleUpWindowSeconds: number;
  /** `scaleDown.stabilizationWindowSeconds`. */
  readonly scaleDownWindowSeconds: number;
}

/**
 * `stabilizeRecommendationWithBehaviors` (`horizontal.go`): `upRec` is the minimum of `desired` and the
 * recommendations younger than the scale-up window, `downRec` the maximum of `desired` and those
 * younger than the scale-down window; the result is `currentReplicas` raised to `upRec` and then
 * lowered to `downRec`. `desired` is stored over the last sample older than both windows.
 * The reason is `ScaleUpStabilized` when `desired >= current`, else `ScaleDownStabilized`.
 */
export function stabilizeRecommendationWithBehaviors(
  recommendations: readonly TimestampedRecommendation[],
  args: BehaviorStabilizationArgs,
): Stabilized & {
  /** The `AbleToScale` reason used when the result differs from `desiredReplicas`. */
  readonly reason: 'ScaleUpStabilized' | 'ScaleDownStabilized';
} {
  const { currentReplicas, desiredReplicas, scaleUpWindowSeconds: up, scaleDownWindowSeconds: down } = args;
  let upRec = desiredReplicas;
  let downRec = desiredReplicas;
  let stale = -1;
  recommendations.forEach((rec, i) => {
    if (rec.ageSeconds < up) upRec = Math.min(rec.recommendation, upRec);
    if (rec.ageSeconds < down) downRec = Math.max(rec.recommendation, downRec);
    if (rec.ageSeconds > up && rec.ageSeconds > down) stale = i;
  });
  let replicas = currentReplicas;
  if (replicas < upRec) replicas = upRec;
  if (replicas > downRec) replicas = downRec;
  return {
    replicas,
    recommendations: record(recommendations, desiredReplicas, stale),
    reason: desiredReplicas >= currentReplicas ? 'ScaleUpStabilized' : 'ScaleDownStabilized',
  };
}
