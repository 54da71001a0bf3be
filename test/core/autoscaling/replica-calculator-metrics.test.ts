/**
 * Pods, Object and External metric cases of upstream `replica_calculator_test.go`
 * (kubernetes/kubernetes pkg/controller/podautoscaler), each named after its upstream test.
 */
import { calculateReplicas, isWithinTolerance, MAX_INT32, MAX_INT64, type MetricSpec, type MilliValue, type Tolerance } from '../../../lib/core/autoscaling';
import { TEST_TIMING, metricPods, type StartTime } from './fixtures';

type Kind = 'pods' | 'object' | 'objectPerPod' | 'external' | 'externalPerPod';

interface MetricCase {
  readonly name: string;
  readonly kind: Kind;
  readonly currentReplicas: number;
  readonly levels: readonly MilliValue[];
  /** `targetUsage` or `perPodTargetUsage`. */
  readonly target: MilliValue;
  readonly expectedReplicas: number;
  readonly expectedUsage: number;
  readonly readiness?: readonly boolean[];
  readonly startTime?: readonly StartTime[];
  readonly podCount?: number;
  readonly tolerance?: Tolerance;
}

function spec(kind: Kind, target: MilliValue): MetricSpec {
  switch (kind) {
    case 'pods':
      return { type: 'Pods', name: 'qps', target: { type: 'AverageValue', averageValue: target } };
    case 'object':
      return { type: 'Object', name: 'qps', target: { type: 'Value', value: target } };
    case 'objectPerPod':
      return { type: 'Object', name: 'qps', target: { type: 'AverageValue', averageValue: target } };
    case 'external':
      return { type: 'External', name: 'qps', target: { type: 'Value', value: target } };
    case 'externalPerPod':
      return { type: 'External', name: 'qps', target: { type: 'AverageValue', averageValue: target } };
  }
}

function check(c: MetricCase): void {
  const fixture = {
    currentReplicas: c.currentReplicas,
    ...(c.readiness === undefined ? {} : { readiness: c.readiness }),
    ...(c.startTime === undefined ? {} : { startTime: c.startTime }),
    ...(c.podCount === undefined ? {} : { phase: Array(c.podCount).fill('Running') }),
  };
  const perPod = c.kind === 'pods';
  const result = calculateReplicas({
    ...TEST_TIMING,
    currentReplicas: c.currentReplicas,
    metric: spec(c.kind, c.target),
    pods: metricPods(fixture, perPod ? c.levels.map(Number) : []),
    ...(perPod ? {} : { values: c.levels }),
    ...(c.tolerance === undefined ? {} : { tolerance: c.tolerance }),
  });
  expect(result).toEqual({ ok: true, replicas: c.expectedReplicas, usage: c.expectedUsage });
}

const MAX64 = Number(MAX_INT64);
const up01: Tolerance = { scaleDown: 0.1, scaleUp: 0.01 };

const cases: MetricCase[] = [
  { name: 'TestReplicaCalcScaleUpOverflow', kind: 'object', currentReplicas: 3, levels: [MAX_INT64], target: 1, expectedReplicas: MAX_INT32, expectedUsage: MAX64 },
  { name: 'TestExternalPerPodMetricReplicaOverflow', kind: 'externalPerPod', currentReplicas: 1, levels: [MAX_INT64], target: 1, expectedReplicas: MAX_INT32, expectedUsage: MAX64 },
  { name: 'TestExternalPerPodMetricUsageOverflow', kind: 'externalPerPod', currentReplicas: 1, levels: [MAX_INT64], target: MAX_INT64, expectedReplicas: 1, expectedUsage: MAX64 },
  { name: 'TestReplicaCalcExternalMetricUsageOverflow', kind: 'external', currentReplicas: 3, levels: [MAX_INT64 / 2n + 1n, MAX_INT64 / 2n + 1n], target: MAX_INT64, expectedReplicas: 3, expectedUsage: MAX64 },
  { name: 'TestReplicaCalcScaleUpCM', kind: 'pods', currentReplicas: 3, levels: [20000, 10000, 30000], target: 15000, expectedReplicas: 4, expectedUsage: 20000 },
  { name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuNoLessScale', kind: 'pods', currentReplicas: 3, readiness: [true, true, false], startTime: ['cool', 'cool', 'hot'], levels: [50000, 10000, 30000], target: 15000, expectedReplicas: 6, expectedUsage: 30000 },
  { name: 'TestReplicaCalcScaleUpCMUnreadyHotCpuScaleWouldScaleDown', kind: 'pods', currentReplicas: 3, readiness: [false, true, false], startTime: ['hot', 'cool', 'hot'], levels: [50000, 15000, 30000], target: 15000, expectedReplicas: 7, expectedUsage: 31666 },
  { name: 'TestReplicaCalcScaleUpCMObject', kind: 'object', currentReplicas: 3, levels: [20000], target: 15000, expectedReplicas: 4, expectedUsage: 20000 },
  { name: 'TestReplicaCalcScaleUpCMPerPodObject', kind: 'objectPerPod', currentReplicas: 3, levels: [20000], target: 5000, expectedReplicas: 4, expectedUsage: 6667 },
  { name: 'TestReplicaCalcScaleUpCMObjectIgnoresUnreadyPods', kind: 'object', currentReplicas: 3, readiness: [false, true, false], levels: [50000], target: 10000, expectedReplicas: 5, expectedUsage: 50000 },
  { name: 'TestReplicaCalcScaleUpCMExternalIgnoresUnreadyPods', kind: 'external', currentReplicas: 3, readiness: [false, true, false], levels: [8600], target: 4400, expectedReplicas: 2, expectedUsage: 8600 },
  { name: 'TestReplicaCalcScaleUpPerPodCMExternal', kind: 'externalPerPod', currentReplicas: 3, levels: [8600], target: 2150, expectedReplicas: 4, expectedUsage: 2867 },
  { name: 'TestReplicaCalcScaleDownCM', kind: 'pods', currentReplicas: 5, levels: [12000, 12000, 12000, 12000, 12000], target: 20000, expectedReplicas: 3, expectedUsage: 12000 },
  { name: 'TestReplicaCalcScaleDownPerPodCMObject', kind: 'objectPerPod', currentReplicas: 5, levels: [6000], target: 2000, expectedReplicas: 3, expectedUsage: 1200 },
  { name: 'TestReplicaCalcScaleDownCMObject', kind: 'object', currentReplicas: 5, levels: [12000], target: 20000, expectedReplicas: 3, expectedUsage: 12000 },
  { name: 'TestReplicaCalcScaleDownCMExternal', kind: 'external', currentReplicas: 5, levels: [8600], target: 14334, expectedReplicas: 3, expectedUsage: 8600 },
  { name: 'TestReplicaCalcScaleDownPerPodCMExternal', kind: 'externalPerPod', currentReplicas: 5, levels: [8600], target: 2867, expectedReplicas: 3, expectedUsage: 1720 },
  { name: 'TestReplicaCalcToleranceCM', kind: 'pods', currentReplicas: 3, levels: [20000, 21000, 21000], target: 20000, expectedReplicas: 3, expectedUsage: 20666 },
  { name: 'TestReplicaCalcToleranceCMObject', kind: 'object', currentReplicas: 3, levels: [20666], target: 20000, expectedReplicas: 3, expectedUsage: 20666 },
  { name: 'TestReplicaCalcTolerancePerPodCMObject', kind: 'objectPerPod', currentReplicas: 4, levels: [20166], target: 5000, expectedReplicas: 4, expectedUsage: 5042 },
  { name: 'TestReplicaCalcToleranceCMExternal', kind: 'external', currentReplicas: 3, levels: [8600], target: 8888, expectedReplicas: 3, expectedUsage: 8600 },
  { name: 'TestReplicaCalcTolerancePerPodCMExternal', kind: 'externalPerPod', currentReplicas: 3, levels: [8600], target: 2900, expectedReplicas: 3, expectedUsage: 2867 },
  { name: 'TestReplicaCalcConfigurableToleranceCM', kind: 'pods', tolerance: up01, currentReplicas: 3, levels: [20000, 21000, 21000], target: 20000, expectedReplicas: 4, expectedUsage: 20666 },
  { name: 'TestReplicaCalcConfigurableToleranceCMObject', kind: 'object', tolerance: up01, currentReplicas: 3, levels: [20666], target: 20000, expectedReplicas: 4, expectedUsage: 20666 },
  { name: 'TestReplicaCalcConfigurableTolerancePerPodCMObject', kind: 'objectPerPod', tolerance: up01, currentReplicas: 4, levels: [20208], target: 5000, expectedReplicas: 5, expectedUsage: 5052 },
  { name: 'TestReplicaCalcConfigurableToleranceCMExternal', kind: 'external', tolerance: up01, currentReplicas: 3, levels: [8900], target: 8800, expectedReplicas: 4, expectedUsage: 8900 },
  { name: 'TestReplicaCalcConfigurableTolerancePerPodCMExternal', kind: 'externalPerPod', tolerance: up01, currentReplicas: 3, levels: [8600], target: 2800, expectedReplicas: 4, expectedUsage: 2867 },
  { name: 'TestPlainMetricReplicaCalcMissingMetricsNoChangeEq', kind: 'pods', currentReplicas: 5, levels: [20000, 19000, 21000], target: 20000, expectedReplicas: 5, expectedUsage: 20000 },
  { name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurgeCM', kind: 'pods', currentReplicas: 2, podCount: 3, levels: [10000, 10000], target: 17000, expectedReplicas: 2, expectedUsage: 10000 },
];

describe('replica_calculator_test.go custom, object and external metric tests', () => {
  test.each(cases)('$name', check);
});

describe('errors where upstream errors', () => {
  const pods = metricPods({ currentReplicas: 2 }, [1000, 1000]);
  test('a Pods metric with no samples at all is an error', () => {
    const r = calculateReplicas({ currentReplicas: 2, metric: spec('pods', 1000), pods: metricPods({ currentReplicas: 2 }) });
    expect(r).toEqual({ ok: false, error: expect.stringContaining('no metrics returned from custom metrics API') });
  });
  test('samples only from pending pods: "did not receive metrics for targeted pods"', () => {
    const pending = pods.map((p) => ({ ...p, phase: 'Pending' as const }));
    const r = calculateReplicas({ currentReplicas: 2, metric: spec('pods', 1000), pods: pending });
    expect(r).toEqual({ ok: false, error: 'did not receive metrics for targeted pods (pods might be unready)' });
  });
  test('no pods selected', () => {
    const r = calculateReplicas({ currentReplicas: 2, metric: spec('pods', 1000), pods: [], unmatchedUsages: [5] });
    expect(r).toEqual({ ok: false, error: 'no pods returned by selector while calculating replica count' });
  });
  test('an External metric without series', () => {
    const r = calculateReplicas({ currentReplicas: 2, metric: spec('external', 1000), pods, values: [] });
    expect(r.ok).toBe(false);
  });
  test('an Object value target from zero replicas ignores tolerance and pods (scale from zero)', () => {
    const r = calculateReplicas({ currentReplicas: 0, metric: spec('object', 1000), pods: [], values: [1050] });
    expect(r).toEqual({ ok: true, replicas: 2, usage: 1050 });
  });
});

describe('missing pods in plain metrics (calcPlainMetricReplicas)', () => {
  // Missing pods count as the target on scale down and as 0 on scale up; the direction never flips.
  test('scale down assumes a missing pod is exactly at the target', () => {
    const pods = metricPods({ currentReplicas: 4 }, [1000, 1000]); // pods 2 and 3 report nothing
    const r = calculateReplicas({ currentReplicas: 4, metric: spec('pods', 10000), pods });
    // (1000 + 1000 + 10000 + 10000) / 4 = 5500 -> ratio 0.55 -> ceil(0.55 * 4) = 3
    expect(r).toEqual({ ok: true, replicas: 3, usage: 1000 });
  });
  test('scale up assumes a missing pod reports 0', () => {
    const pods = metricPods({ currentReplicas: 4 }, [30000, 30000]);
    const r = calculateReplicas({ currentReplicas: 4, metric: spec('pods', 10000), pods });
    // (30000 + 30000 + 0 + 0) / 4 = 15000 -> ratio 1.5 -> ceil(1.5 * 4) = 6
    expect(r).toEqual({ ok: true, replicas: 6, usage: 30000 });
  });
  test('the rebalanced ratio flipping direction keeps the current count', () => {
    const pods = metricPods({ currentReplicas: 4 }, [12000]);
    // 12000 alone says scale up (1.2); with three missing pods at 0 the mean is 3000 (0.3): no change.
    expect(calculateReplicas({ currentReplicas: 4, metric: spec('pods', 10000), pods })).toEqual({ ok: true, replicas: 4, usage: 12000 });
  });
});

describe('tolerance boundaries are inclusive (Tolerances.isWithin)', () => {
  test.each([
    [11000, 3],
    [9000, 3],
    [11001, 4],
    [8999, 3],
  ])('per-pod mean %p against a target of 10000 from 3 replicas -> %p', (usage, replicas) => {
    const pods = metricPods({ currentReplicas: 3 }, [usage, usage, usage]);
    const r = calculateReplicas({ currentReplicas: 3, metric: spec('pods', 10000), pods });
    // 0.8999 * 3 = 2.7 -> 3 as well: only the inclusive 0.9 and 1.1 keep the count by tolerance.
    expect(r).toEqual({ ok: true, replicas, usage });
  });
  test('isWithinTolerance at exactly 1 ± tolerance', () => {
    expect([0.9, 1.1, 0.8999, 1.1001].map((r) => isWithinTolerance(r))).toEqual([true, true, false, false]);
  });
});
