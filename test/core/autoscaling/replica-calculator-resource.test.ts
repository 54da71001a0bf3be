/**
 * Resource-metric cases of upstream `replica_calculator_test.go`
 * (kubernetes/kubernetes pkg/controller/podautoscaler), each named after its upstream test.
 */
import { calculateReplicas, type ReplicaCalcResult, type Tolerance } from '../../../lib/core/autoscaling';
import { NC, TEST_TIMING, levels, requests, resourcePods, type CalcFixture } from './fixtures';

interface ResourceCase {
  readonly name: string;
  readonly fixture: CalcFixture;
  readonly targetUtilization: number;
  readonly expected: { replicas: number; utilization: number; rawValue: number } | { error: string };
  readonly tolerance?: Tolerance;
}

function run(c: ResourceCase): ReplicaCalcResult {
  const { pods, unmatchedUsages } = resourcePods(c.fixture);
  return calculateReplicas({
    ...TEST_TIMING,
    currentReplicas: c.fixture.currentReplicas,
    metric: { type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization: c.targetUtilization } },
    pods,
    unmatchedUsages,
    ...(c.tolerance === undefined ? {} : { tolerance: c.tolerance }),
  });
}

function check(c: ResourceCase): void {
  const result = run(c);
  if ('error' in c.expected) {
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toContain(c.expected.error);
    return;
  }
  expect(result).toEqual({ ok: true, replicas: c.expected.replicas, utilization: c.expected.utilization, usage: c.expected.rawValue });
}

const ONE = 1000;
const R = 'Running';
const F = 'Failed';
const P = 'Pending';

// TestReplicaCalcResourceScale: the table-driven successor of TestReplicaCalcScaleUp,
// TestReplicaCalcScaleUpUnreadyLessScale, TestReplicaCalcScaleDown..., one sub-test each.
const resourceScale: ResourceCase[] = [
  { name: 'scale up', fixture: { currentReplicas: 3, requests: requests(3, ONE), levels: levels(300, 500, 700) }, targetUtilization: 30, expected: { replicas: 5, utilization: 50, rawValue: NC * 500 } },
  { name: 'scale up: container metric', fixture: { currentReplicas: 3, container: 'container2', requests: requests(3, ONE), levels: [[1000, 300], [1000, 500], [1000, 700]] }, targetUtilization: 30, expected: { replicas: 5, utilization: 50, rawValue: 500 } },
  { name: 'scale up: unready pod scales less', fixture: { currentReplicas: 3, readiness: [false, true, true], requests: requests(3, ONE), levels: levels(300, 500, 700) }, targetUtilization: 30, expected: { replicas: 4, utilization: 60, rawValue: NC * 600 } },
  { name: 'scale up: hot-CPU container scales less', fixture: { currentReplicas: 3, startTime: ['hot', 'cool', 'cool'], container: 'container2', requests: requests(3, ONE), levels: [[0, 300], [0, 500], [0, 700]] }, targetUtilization: 30, expected: { replicas: 4, utilization: 60, rawValue: 600 } },
  { name: 'scale up: hot-CPU pod scales less', fixture: { currentReplicas: 3, startTime: ['hot', 'cool', 'cool'], requests: requests(3, ONE), levels: levels(300, 500, 700) }, targetUtilization: 30, expected: { replicas: 4, utilization: 60, rawValue: NC * 600 } },
  { name: 'no scale: unready pods ignored', fixture: { currentReplicas: 3, readiness: [true, false, false], requests: requests(3, ONE), levels: levels(400, 500, 700) }, targetUtilization: 30, expected: { replicas: 3, utilization: 40, rawValue: NC * 400 } },
  { name: 'no scale: hot-CPU pods ignored', fixture: { currentReplicas: 3, readiness: [true, false, false], startTime: ['cool', 'hot', 'hot'], requests: requests(3, ONE), levels: levels(400, 500, 700) }, targetUtilization: 30, expected: { replicas: 3, utilization: 40, rawValue: NC * 400 } },
  { name: 'scale up: failed pods ignored', fixture: { currentReplicas: 2, readiness: [true, true, false, false], phase: [R, R, F, F], requests: requests(4, ONE), levels: levels(500, 700) }, targetUtilization: 30, expected: { replicas: 4, utilization: 60, rawValue: NC * 600 } },
  { name: 'scale up: failed pods ignored with missing container metric', fixture: { currentReplicas: 2, readiness: [true, true, false, false], phase: [R, R, F, F], container: 'container2', requests: requests(4, ONE), levels: [[1000, 500], [9000, 700], [1000], [9000]] }, targetUtilization: 30, expected: { replicas: 4, utilization: 60, rawValue: 600 } },
  { name: 'scale up: container metrics with failed pods ignored', fixture: { currentReplicas: 2, readiness: [true, true, false, false], phase: [R, R, F, F], container: 'container2', requests: requests(4, ONE), levels: [[1000, 500], [9000, 700]] }, targetUtilization: 30, expected: { replicas: 4, utilization: 60, rawValue: 600 } },
  { name: 'scale up: pods being deleted are ignored', fixture: { currentReplicas: 2, readiness: [true, true, false, false], phase: [R, R, R, R], deletion: [false, false, true, true], requests: requests(4, ONE), levels: levels(500, 700) }, targetUtilization: 30, expected: { replicas: 4, utilization: 60, rawValue: NC * 600 } },
  { name: 'scale up: container metrics with pods being deleted ignored', fixture: { currentReplicas: 2, readiness: [true, true, false, false], phase: [R, R, R, R], deletion: [false, false, true, true], container: 'container1', requests: requests(4, ONE), levels: levels(500, 700) }, targetUtilization: 30, expected: { replicas: 4, utilization: 60, rawValue: 600 } },
  { name: 'scale down', fixture: { currentReplicas: 5, requests: requests(5, ONE), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expected: { replicas: 3, utilization: 28, rawValue: NC * 280 } },
  { name: 'scale down: container metric', fixture: { currentReplicas: 5, container: 'container2', requests: requests(5, ONE), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expected: { replicas: 3, utilization: 28, rawValue: 280 } },
  { name: 'scale down: exclude unready pods', fixture: { currentReplicas: 5, readiness: [true, true, true, false, false], requests: requests(5, ONE), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expected: { replicas: 2, utilization: 30, rawValue: NC * 300 } },
  { name: 'scale down: container metric excludes unready pods', fixture: { currentReplicas: 5, readiness: [true, true, true, false, false], container: 'container2', requests: requests(5, ONE), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expected: { replicas: 2, utilization: 30, rawValue: 300 } },
  { name: 'scale down: exclude unscheduled pods', fixture: { currentReplicas: 5, readiness: [true, false, false, false, false], phase: [R, P, P, P, P], requests: requests(5, ONE), levels: levels(100) }, targetUtilization: 50, expected: { replicas: 1, utilization: 10, rawValue: NC * 100 } },
  { name: 'scale down: container metric excludes unscheduled pods', fixture: { currentReplicas: 5, readiness: [true, false, false, false, false], phase: [R, P, P, P, P], container: 'container2', requests: requests(5, ONE), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expected: { replicas: 1, utilization: 10, rawValue: 100 } },
  { name: 'scale down: ignore hot-CPU pods', fixture: { currentReplicas: 5, startTime: ['cool', 'cool', 'cool', 'hot', 'hot'], requests: requests(5, ONE), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expected: { replicas: 2, utilization: 30, rawValue: NC * 300 } },
  { name: 'scale down: container metric ignores hot-CPU pods', fixture: { currentReplicas: 5, startTime: ['cool', 'cool', 'cool', 'hot', 'hot'], container: 'container2', requests: requests(5, ONE), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 1000], [1000, 1000]] }, targetUtilization: 50, expected: { replicas: 2, utilization: 30, rawValue: 300 } },
  { name: 'scale down: failed pods ignored', fixture: { currentReplicas: 5, readiness: [true, true, true, true, true, false, false], phase: [R, R, R, R, R, F, F], requests: requests(7, ONE), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expected: { replicas: 3, utilization: 28, rawValue: NC * 280 } },
  { name: 'scale down: container metric with failed pods ignored', fixture: { currentReplicas: 5, readiness: [true, true, true, true, true, false, false], phase: [R, R, R, R, R, F, F], container: 'container2', requests: requests(7, ONE), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expected: { replicas: 3, utilization: 28, rawValue: 280 } },
  { name: 'scale down: pods being deleted are ignored', fixture: { currentReplicas: 5, readiness: [true, true, true, true, true, false, false], phase: [R, R, R, R, R, R, R], deletion: [false, false, false, false, false, true, true], requests: requests(7, ONE), levels: levels(100, 300, 500, 250, 250) }, targetUtilization: 50, expected: { replicas: 3, utilization: 28, rawValue: NC * 280 } },
  { name: 'scale down: still-running pods being deleted are ignored', fixture: { currentReplicas: 5, readiness: [true, true, true, true, true, false, false], phase: [R, R, R, R, R, R, R], deletion: [false, false, false, false, false, true, true], container: 'container2', requests: requests(7, ONE), levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]] }, targetUtilization: 50, expected: { replicas: 3, utilization: 28, rawValue: 280 } },
];

describe('TestReplicaCalcResourceScale', () => {
  test.each(resourceScale)('$name', check);
});

const req = (...cpus: number[]): number[] => cpus.map((c) => c * ONE);

// One upstream test function each.
const single: ResourceCase[] = [
  { name: 'TestReplicaCalcDisjointResourcesMetrics', fixture: { currentReplicas: 1, requests: req(1), levels: levels(100), podNames: ['an-older-pod-name'] }, targetUtilization: 100, expected: { error: 'no metrics returned matched known pods' } },
  { name: 'TestReplicaCalcTolerance', fixture: { currentReplicas: 3, requests: req(0.9, 1.0, 1.1), levels: levels(1010, 1030, 1020) }, targetUtilization: 100, expected: { replicas: 3, utilization: 102, rawValue: NC * 1020 } },
  { name: 'TestReplicaCalcSuperfluousMetrics', fixture: { currentReplicas: 4, requests: req(1, 1, 1, 1), levels: levels(4000, 9500, 3000, 7000, 3200, 2000) }, targetUtilization: 100, expected: { replicas: 24, utilization: 587, rawValue: NC * 5875 } },
  { name: 'TestReplicaCalcMissingMetrics', fixture: { currentReplicas: 4, requests: req(1, 1, 1, 1), levels: levels(400, 95) }, targetUtilization: 100, expected: { replicas: 3, utilization: 24, rawValue: 495 } },
  { name: 'TestReplicaCalcEmptyMetrics', fixture: { currentReplicas: 4, requests: req(1, 1, 1), levels: levels() }, targetUtilization: 100, expected: { error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API' } },
  { name: 'TestReplicaCalcEmptyCPURequest', fixture: { currentReplicas: 1, requests: [], levels: levels(200) }, targetUtilization: 100, expected: { error: 'missing request for' } },
  { name: 'TestReplicaCalcMissingMetricsNoChangeEq', fixture: { currentReplicas: 2, requests: req(1, 1), levels: levels(1000) }, targetUtilization: 100, expected: { replicas: 2, utilization: 100, rawValue: NC * 1000 } },
  { name: 'TestReplicaCalcMissingMetricsNoChangeGt', fixture: { currentReplicas: 2, requests: req(1, 1), levels: levels(1900) }, targetUtilization: 100, expected: { replicas: 2, utilization: 190, rawValue: NC * 1900 } },
  { name: 'TestReplicaCalcMissingMetricsNoChangeLt', fixture: { currentReplicas: 2, requests: req(1, 1), levels: levels(600) }, targetUtilization: 100, expected: { replicas: 2, utilization: 60, rawValue: NC * 600 } },
  { name: 'TestReplicaCalcMissingMetricsUnreadyChange', fixture: { currentReplicas: 3, readiness: [false, true, true], requests: req(1, 1, 1), levels: levels(100, 450) }, targetUtilization: 50, expected: { replicas: 3, utilization: 45, rawValue: NC * 450 } },
  { name: 'TestReplicaCalcMissingMetricsHotCpuNoChange', fixture: { currentReplicas: 3, startTime: ['hot', 'cool', 'cool'], requests: req(1, 1, 1), levels: levels(100, 450) }, targetUtilization: 50, expected: { replicas: 3, utilization: 45, rawValue: NC * 450 } },
  { name: 'TestReplicaCalcMissingMetricsUnreadyScaleUp', fixture: { currentReplicas: 3, readiness: [false, true, true], requests: req(1, 1, 1), levels: levels(100, 2000) }, targetUtilization: 50, expected: { replicas: 4, utilization: 200, rawValue: NC * 2000 } },
  { name: 'TestReplicaCalcMissingMetricsHotCpuScaleUp', fixture: { currentReplicas: 3, readiness: [false, true, true], startTime: ['hot', 'cool', 'cool'], requests: req(1, 1, 1), levels: levels(100, 2000) }, targetUtilization: 50, expected: { replicas: 4, utilization: 200, rawValue: NC * 2000 } },
  { name: 'TestReplicaCalcMissingMetricsUnreadyScaleDown', fixture: { currentReplicas: 4, readiness: [false, true, true, true], requests: req(1, 1, 1, 1), levels: levels(100, 100, 100) }, targetUtilization: 50, expected: { replicas: 3, utilization: 10, rawValue: NC * 100 } },
  { name: 'TestReplicaCalcMissingMetricsScaleDownTargetOver100', fixture: { currentReplicas: 4, readiness: [false, true, true, true], requests: req(1, 1, 2, 2), levels: levels(200, 100, 100) }, targetUtilization: 300, expected: { replicas: 2, utilization: 6, rawValue: NC * 100 } },
  { name: 'TestReplicaCalcDuringRollingUpdateWithMaxSurge', fixture: { currentReplicas: 2, phase: [R, R, R], requests: req(1, 1, 1), levels: levels(100, 100) }, targetUtilization: 50, expected: { replicas: 2, utilization: 10, rawValue: NC * 100 } },
];

describe('replica_calculator_test.go resource tests', () => {
  test.each(single)('$name', check);
});

describe('TestReplicaCalcConfigurableTolerance', () => {
  const base = { requests: req(0.9, 1.0, 1.1), currentReplicas: 3 };
  const cases: ResourceCase[] = [
    { name: 'Outside of a 0% tolerance', tolerance: { scaleDown: 0, scaleUp: 0 }, fixture: { ...base, levels: levels(909, 1010, 1111) }, targetUtilization: 100, expected: { replicas: 4, utilization: 101, rawValue: NC * 1010 } },
    { name: 'Within a 200% scale-up tolerance', tolerance: { scaleDown: 0.1, scaleUp: 2 }, fixture: { ...base, levels: levels(1890, 1910, 1900) }, targetUtilization: 100, expected: { replicas: 3, utilization: 190, rawValue: NC * 1900 } },
    { name: 'Outside 8% scale-up tolerance (and superfuous scale-down tolerance)', tolerance: { scaleDown: 2, scaleUp: 0.08 }, fixture: { ...base, levels: levels(1100, 1080, 1090) }, targetUtilization: 100, expected: { replicas: 4, utilization: 109, rawValue: NC * 1090 } },
    { name: 'Within a 36% scale-down tolerance', tolerance: { scaleDown: 0.36, scaleUp: 0.1 }, fixture: { ...base, levels: levels(660, 640, 650) }, targetUtilization: 100, expected: { replicas: 3, utilization: 65, rawValue: NC * 650 } },
    { name: 'Outside a 34% scale-down tolerance', tolerance: { scaleDown: 0.34, scaleUp: 0.1 }, fixture: { ...base, levels: levels(660, 640, 650) }, targetUtilization: 100, expected: { replicas: 2, utilization: 65, rawValue: NC * 650 } },
  ];
  test.each(cases)('$name', check);
});

test('TestReplicaCalcComputedToleranceAlgImplementation', () => {
  // The upstream test back-calculates a target just outside, then just inside, the tolerance.
  const startPods = 10;
  const totalUsed = startPods * 150;
  const totalRequested = 2 * totalUsed;
  const requestedToUsed = Math.trunc(totalRequested / totalUsed);
  const perPodRequested = totalRequested / startPods;
  const targetOf = (slack: number): number => Math.abs(1 / (requestedToUsed * (1 - 0.1))) + slack;
  let target = targetOf(0.01);
  const resourcesUsedRatio = totalUsed / (totalRequested * target);
  const finalPods = Math.ceil(resourcesUsedRatio * startPods);
  const fixture: CalcFixture = {
    currentReplicas: startPods,
    levels: levels(...Array<number>(10).fill(totalUsed / 10)),
    requests: [100, -100, 10, -10, 2, -2, 1, -1, 0, 0].map((d) => perPodRequested + d),
  };
  const expected = { utilization: Math.trunc((totalUsed * 100) / totalRequested), rawValue: (NC * totalUsed) / 10 };
  expect(finalPods).toBe(9);
  check({ name: 'outside', fixture, targetUtilization: Math.trunc(target * 100), expected: { ...expected, replicas: finalPods } });
  target = targetOf(0.004);
  check({ name: 'inside', fixture, targetUtilization: Math.trunc(target * 100), expected: { ...expected, replicas: startPods } });
});
