import { wrapInt32, wrapInt64 } from './int64';

/** Metric samples keyed by pod (any key type), in milli-units. */
export type PodMetrics<K> = ReadonlyMap<K, bigint>;

/** What `GetResourceUtilizationRatio` returns. */
export type ResourceUtilizationRatio =
  | {
      /** The ratio could be computed. */
      readonly ok: true;
      /** `utilization / targetUtilization`. */
      readonly usageRatio: number;
      /** `int32(metricsTotal * 100 / requestsTotal)`: percent, truncated. */
      readonly utilization: number;
      /** `metricsTotal / numEntries`: the mean raw value in milli-units, truncated. */
      readonly rawAverageValue: bigint;
    }
  | {
      /** No sample matched a pod with a request. */
      readonly ok: false;
      /** Upstream's error text. */
      readonly error: string;
    };

/**
 * `GetResourceUtilizationRatio` (`pkg/controller/podautoscaler/metrics/utilization.go`), in the
 * v1.2x–v1.33 form: samples of pods without a request are skipped (extraneous metrics); totals are
 * `int64` and wrap; the percentage is an integer division converted to `int32`, so 990m over
 * 4000m is 24, not 24.75.
 */
export function getResourceUtilizationRatio<K>(
  metrics: PodMetrics<K>,
  requests: ReadonlyMap<K, bigint>,
  targetUtilization: number,
): ResourceUtilizationRatio {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let numEntries = 0n;
  for (const [pod, value] of metrics) {
    const request = requests.get(pod);
    if (request === undefined) continue; // missing requests are checked elsewhere: extraneous metric
    metricsTotal = wrapInt64(metricsTotal + value);
    requestsTotal = wrapInt64(requestsTotal + request);
    numEntries++;
  }
  if (requestsTotal === 0n) return { ok: false, error: 'no metrics returned matched known pods' };
  const utilization = wrapInt32(wrapInt64(metricsTotal * 100n) / requestsTotal);
  return {
    ok: true,
    usageRatio: utilization / targetUtilization,
    utilization,
    rawAverageValue: metricsTotal / numEntries,
  };
}

/**
 * `GetMetricUsageRatio` (`metrics/utilization.go`): `currentUsage = Σ value / len` (int64, truncated)
 * and `usageRatio = float64(currentUsage) / float64(targetUsage)`.
 */
export function getMetricUsageRatio<K>(metrics: PodMetrics<K>, targetUsage: bigint): {
  /** `usage / targetUsage`. */
  usageRatio: number;
  /** The truncated per-pod mean, milli-units. */
  usage: bigint;
} {
  let total = 0n;
  for (const value of metrics.values()) total = wrapInt64(total + value);
  const usage = total / BigInt(metrics.size);
  return { usageRatio: Number(usage) / Number(targetUsage), usage };
}
