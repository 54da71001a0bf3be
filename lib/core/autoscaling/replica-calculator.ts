import { MAX_INT32, MAX_INT64, toMilli, wrapInt64, type MilliValue } from './int64';
import { isWithinTolerance, type MetricSpec, type Tolerance } from './metric-spec';
import { groupPods, isRunningAndReady, podName, type PodSample, type ReadinessTiming } from './pod-groups';
import { getMetricUsageRatio, getResourceUtilizationRatio } from './utilization';

/** What one metric's desired replica count is computed from (one sync of the controller). */
export interface ReplicaCalcInput extends ReadinessTiming {
  /** `scale.spec.replicas`. */
  readonly currentReplicas: number;
  /** `scale.status.replicas`, used by Object/External `AverageValue` targets. Default `currentReplicas`. */
  readonly statusReplicas?: number;
  /** The metric and its target. */
  readonly metric: MetricSpec;
  /** The pods the scale target's selector matches, with their samples of this metric. */
  readonly pods: readonly PodSample[];
  /**
   * Samples the metrics API returned for pods not in `pods` (milli-units). Upstream keeps them:
   * they count in Pods averages and in the rebalanced sample count, but not in utilization
   * (they have no request).
   */
  readonly unmatchedUsages?: readonly MilliValue[];
  /** Object metric: the object's value (one entry). External metric: the returned series (summed). */
  readonly values?: readonly MilliValue[];
  /** Default 0.1 both ways. */
  readonly tolerance?: Tolerance;
}

/** A per-metric proposal, or the error upstream returns instead. */
export type ReplicaCalcResult =
  | {
      /** A proposal was computed. */
      readonly ok: true;
      /** The proposed replica count. */
      readonly replicas: number;
      /**
       * The measured value in milli-units, as upstream reports it in the HPA status: the mean raw
       * usage for Resource targets, the per-pod mean for Pods and Resource `AverageValue`, the
       * value (or summed series) for Object/External `Value`, and `ceil(total / statusReplicas)`
       * for Object/External `AverageValue`.
       */
      readonly usage: number;
      /** Resource `Utilization` targets only: the measured utilization, percent (int32, truncated). */
      readonly utilization?: number;
    }
  | {
      /** The metric is invalid for this sync (upstream returns an error). */
      readonly ok: false;
      /** Upstream's error text. */
      readonly error: string;
    };

type Ok = Extract<ReplicaCalcResult, { ok: true }>;
const fail = (error: string): ReplicaCalcResult => ({ ok: false, error });
const NO_PODS = 'no pods returned by selector while calculating replica count';
const NO_READY_METRICS = 'did not receive metrics for targeted pods (pods might be unready)';

/**
 * The desired replica count for one metric, as `ReplicaCalculator` in
 * `pkg/controller/podautoscaler/replica_calculator.go` computes it:
 * `GetResourceReplicas` (Resource/ContainerResource `Utilization`), `GetRawResourceReplicas`
 * (Resource `AverageValue`), `GetMetricReplicas` (Pods), `GetObjectMetricReplicas` /
 * `GetObjectPerPodMetricReplicas` (Object) and `GetExternalMetricReplicas` /
 * `GetExternalPerPodMetricReplicas` (External).
 *
 * Returns the proposal and the measured value, or the error upstream returns (no pods, no
 * samples, a missing request, …); the caller decides what an error means (see
 * `computeReplicasForMetrics`).
 */
export function calculateReplicas(input: ReplicaCalcInput): ReplicaCalcResult {
  const spec = input.metric as MetricSpec | { type: string };
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const m = input.metric as Extract<MetricSpec, { type: 'Resource' | 'ContainerResource' }>;
      if (m.target.type === 'AverageValue') return rawResourceReplicas(input, m.name, toMilli(m.target.averageValue));
      if (m.target.type === 'Utilization') return resourceReplicas(input, m.name, m.target.averageUtilization);
      return fail('invalid resource metric source: neither an average utilization target nor an average value (usage) target was set');
    }
    case 'Pods': {
      const m = input.metric as Extract<MetricSpec, { type: 'Pods' }>;
      const samples = collectSamples(input);
      if (samples.size === 0) return fail(`unable to get metric ${m.name ?? ''}: no metrics returned from custom metrics API`);
      return plainMetricReplicas(input, samples, toMilli(m.target.averageValue), '');
    }
    case 'Object':
    case 'External':
      return objectOrExternalReplicas(input, input.metric as Extract<MetricSpec, { type: 'Object' | 'External' }>);
    default:
      return fail(`unknown metric source type "${spec.type}"`);
  }
}

/** Samples keyed by pod index; unmatched samples get negative keys. */
function collectSamples(input: ReplicaCalcInput): Map<number, bigint> {
  const samples = new Map<number, bigint>();
  input.pods.forEach((pod, i) => {
    if (pod.usage !== undefined) samples.set(i, toMilli(pod.usage));
  });
  (input.unmatchedUsages ?? []).forEach((usage, i) => samples.set(-1 - i, toMilli(usage)));
  return samples;
}

function removeGroups(samples: Map<number, bigint>, ...groups: (readonly number[])[]): void {
  for (const group of groups) for (const i of group) samples.delete(i);
}

const ceil = (x: number): number => Math.ceil(x);

/** `GetResourceReplicas`: target utilization as a percent of the pods' requests. */
function resourceReplicas(input: ReplicaCalcInput, resource: string, targetUtilization: number): ReplicaCalcResult {
  const { currentReplicas, pods, tolerance } = input;
  const metrics = collectSamples(input);
  if (metrics.size === 0) return fail(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  if (pods.length === 0) return fail(NO_PODS);

  const groups = groupPods(pods, resource, input);
  removeGroups(metrics, groups.ignored, groups.unready);
  if (metrics.size === 0) return fail(NO_READY_METRICS);

  const requests = new Map<number, bigint>();
  for (let i = 0; i < pods.length; i++) {
    const request = pods[i]!.request;
    if (request === undefined) return fail(`missing request for ${resource} in container of Pod ${podName(pods[i]!, i)}`);
    requests.set(i, toMilli(request));
  }

  const first = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  if (!first.ok) return first;
  const { usageRatio, utilization } = first;
  const ok = (replicas: number): Ok => ({ ok: true, replicas, usage: Number(first.rawAverageValue), utilization });

  const scaleUpWithUnready = groups.unready.length > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && groups.missing.length === 0) {
    if (isWithinTolerance(usageRatio, tolerance)) return ok(currentReplicas);
    return ok(ceil(usageRatio * groups.readyPodCount));
  }

  if (groups.missing.length > 0) {
    if (usageRatio < 1.0) {
      // Scale down: a missing pod uses 100% of its request, or the target when that is higher.
      const fallback = BigInt(Math.max(100, targetUtilization));
      for (const i of groups.missing) metrics.set(i, wrapInt64(requests.get(i)! * fallback) / 100n);
    } else if (usageRatio > 1.0) {
      for (const i of groups.missing) metrics.set(i, 0n); // scale up: a missing pod uses 0%
    }
  }
  if (scaleUpWithUnready) for (const i of groups.unready) metrics.set(i, 0n);

  const second = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  if (!second.ok) return second;
  return rebalanced(currentReplicas, usageRatio, second.usageRatio, metrics.size, tolerance, ok);
}

/** The common tail of the rebalancing path: tolerance, "no direction flip", then `ceil`. */
function rebalanced(
  currentReplicas: number,
  usageRatio: number,
  newUsageRatio: number,
  entries: number,
  tolerance: Tolerance | undefined,
  ok: (replicas: number) => Ok,
): Ok {
  if (
    isWithinTolerance(newUsageRatio, tolerance) ||
    (usageRatio < 1.0 && newUsageRatio > 1.0) ||
    (usageRatio > 1.0 && newUsageRatio < 1.0)
  ) {
    return ok(currentReplicas); // too small a change, or the rebalancing flipped the direction
  }
  const newReplicas = ceil(newUsageRatio * entries);
  if ((newUsageRatio < 1.0 && newReplicas > currentReplicas) || (newUsageRatio > 1.0 && newReplicas < currentReplicas)) {
    return ok(currentReplicas); // the count of samples would flip the direction
  }
  return ok(newReplicas);
}

/** `GetRawResourceReplicas`: a Resource metric with an `AverageValue` target. */
function rawResourceReplicas(input: ReplicaCalcInput, resource: string, target: bigint): ReplicaCalcResult {
  const samples = collectSamples(input);
  if (samples.size === 0) return fail(`unable to get metrics for resource ${resource}: no metrics returned from resource metrics API`);
  return plainMetricReplicas(input, samples, target, resource);
}

/** `calcPlainMetricReplicas`: per-pod averages (Pods metrics, Resource `AverageValue`). */
function plainMetricReplicas(input: ReplicaCalcInput, metrics: Map<number, bigint>, target: bigint, resource: string): ReplicaCalcResult {
  const { currentReplicas, pods, tolerance } = input;
  if (pods.length === 0) return fail(NO_PODS);
  const groups = groupPods(pods, resource, input);
  removeGroups(metrics, groups.ignored, groups.unready);
  if (metrics.size === 0) return fail(NO_READY_METRICS);

  const { usageRatio, usage } = getMetricUsageRatio(metrics, target);
  const ok = (replicas: number): Ok => ({ ok: true, replicas, usage: Number(usage) });

  const scaleUpWithUnready = groups.unready.length > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && groups.missing.length === 0) {
    if (isWithinTolerance(usageRatio, tolerance)) return ok(currentReplicas);
    return ok(ceil(usageRatio * groups.readyPodCount));
  }
  if (groups.missing.length > 0) {
    // Scale down: a missing pod is exactly at the target. Scale up: it reports 0.
    if (usageRatio < 1.0) for (const i of groups.missing) metrics.set(i, target);
    else if (usageRatio > 1.0) for (const i of groups.missing) metrics.set(i, 0n);
  }
  if (scaleUpWithUnready) for (const i of groups.unready) metrics.set(i, 0n);

  const { usageRatio: newUsageRatio } = getMetricUsageRatio(metrics, target);
  return rebalanced(currentReplicas, usageRatio, newUsageRatio, metrics.size, tolerance, ok);
}

/** Object and External metrics, `Value` or `AverageValue` targets. */
function objectOrExternalReplicas(input: ReplicaCalcInput, spec: Extract<MetricSpec, { type: 'Object' | 'External' }>): ReplicaCalcResult {
  const values = (input.values ?? []).map(toMilli);
  const what = spec.type === 'Object' ? `unable to get metric ${spec.name ?? ''}` : `unable to get external metric ${spec.name ?? ''}`;
  if (values.length === 0) {
    return fail(`${what}: no metrics returned from ${spec.type === 'Object' ? 'custom' : 'external'} metrics API`);
  }
  const target = spec.target as { type: string; value?: MilliValue; averageValue?: MilliValue };
  if (target.type === 'Value' && target.value !== undefined) {
    const usage = spec.type === 'Object' ? values[0]! : sumCapped(values);
    const usageRatio = Number(usage) / Number(toMilli(target.value));
    return usageRatioReplicaCount(input, usageRatio, Number(usage));
  }
  if (target.type === 'AverageValue' && target.averageValue !== undefined) {
    return perPodReplicas(input, spec.type, spec.type === 'Object' ? values[0]! : sumWrapped(values), toMilli(target.averageValue));
  }
  return fail(`invalid ${spec.type.toLowerCase()} metric source: neither a value target nor an average value target was set`);
}

/** `GetExternalMetricReplicas`' sum: stops at `MaxInt64` instead of overflowing. */
function sumCapped(values: readonly bigint[]): bigint {
  let usage = 0n;
  for (const val of values) {
    if (val > 0n && usage > MAX_INT64 - val) return MAX_INT64;
    usage += val;
  }
  return usage;
}

/** `GetExternalPerPodMetricReplicas`' sum: a negative (wrapped) total becomes `MaxInt64`. */
function sumWrapped(values: readonly bigint[]): bigint {
  let usage = 0n;
  for (const val of values) {
    usage = wrapInt64(usage + val);
    if (usage < 0n) return MAX_INT64;
  }
  return usage;
}

/**
 * `getUsageRatioReplicaCount`: with replicas, keeps the count within tolerance, otherwise
 * `ceil(usageRatio * readyPodCount)` over Running and Ready pods, capped at `MaxInt32`; from zero
 * replicas, `ceil(usageRatio)` (tolerance ignored).
 */
function usageRatioReplicaCount(input: ReplicaCalcInput, usageRatio: number, usage: number): ReplicaCalcResult {
  const { currentReplicas, pods, tolerance } = input;
  if (currentReplicas === 0) return { ok: true, replicas: ceil(usageRatio), usage };
  if (isWithinTolerance(usageRatio, tolerance)) return { ok: true, replicas: currentReplicas, usage };
  if (pods.length === 0) return fail(`unable to calculate ready pods: ${NO_PODS}`);
  const readyPodCount = pods.filter(isRunningAndReady).length;
  const replicas = usageRatio * readyPodCount;
  return { ok: true, replicas: replicas > MAX_INT32 ? MAX_INT32 : ceil(replicas), usage };
}

/**
 * `GetObjectPerPodMetricReplicas` / `GetExternalPerPodMetricReplicas`: `ceil(total / target)`
 * unless `total / (target * statusReplicas)` is within tolerance; the reported usage is
 * `ceil(total / statusReplicas)`. The External variant caps both at the int32/int64 maxima.
 */
function perPodReplicas(input: ReplicaCalcInput, kind: 'Object' | 'External', usage: bigint, target: bigint): ReplicaCalcResult {
  const statusReplicas = input.statusReplicas ?? input.currentReplicas;
  let replicas = statusReplicas;
  const usageRatio = Number(usage) / (Number(target) * statusReplicas);
  if (!isWithinTolerance(usageRatio, input.tolerance)) {
    const proposed = ceil(Number(usage) / Number(target));
    replicas = kind === 'External' && proposed > MAX_INT32 ? MAX_INT32 : proposed;
  }
  const reported =
    kind === 'External' && Number(usage) >= Number(MAX_INT64) ? Number(MAX_INT64) : ceil(Number(usage) / statusReplicas);
  return { ok: true, replicas, usage: reported };
}
