/**
 * Controller-level cases of upstream `horizontal_test.go` (one `reconcileAutoscaler` sync through
 * the fake clients), each named after its upstream test, plus the state the pure function returns.
 */
import {
  ageHpaState,
  reconcileAutoscaler,
  type HpaState,
  type MetricSpec,
  type ObservedMetric,
  type PodPhase,
  type PodSample,
  type ReconcileInput,
  type ReconcileResult,
  type ScalingRulesInput,
  type TimestampedRecommendation,
} from '../../../lib/core/autoscaling';
import { TEST_TIMING, generateScalingRules as rules, startAge, type StartTime } from './fixtures';

/** The `testCase` of horizontal_test.go (the fields these cases use). */
interface HpaCase {
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly specReplicas: number;
  readonly statusReplicas: number;
  readonly CPUTarget?: number;
  /** Metrics after the cpu one; Object metrics read `reportedLevels[0]`, External all levels. */
  readonly metricsTarget?: readonly MetricSpec[];
  readonly reportedLevels?: readonly number[];
  /** Per-pod cpu requests in milli; their count is the pod count (else `statusReplicas` pods of 1 cpu). */
  readonly reportedCPURequests?: readonly number[];
  readonly reportedPodReadiness?: readonly boolean[];
  readonly reportedPodStartTime?: readonly StartTime[];
  readonly reportedPodPhase?: readonly PodPhase[];
  readonly reportedPodDeletionTimestamp?: readonly boolean[];
  readonly scaleUpRules?: ScalingRulesInput;
  readonly scaleDownRules?: ScalingRulesInput;
  /** `undefined` is upstream's nil (the initial recommendation is recorded); `[]` records nothing. */
  readonly recommendations?: readonly TimestampedRecommendation[];
  /** A metric whose API call fails (`PrependReactor(... "something went wrong")`). */
  readonly failing?: 'Object' | 'External' | 'Pods' | 'Resource';
}

const cpu = (averageUtilization: number): MetricSpec => ({ type: 'Resource', name: 'cpu', target: { type: 'Utilization', averageUtilization } });
const qps = (averageValue: number): MetricSpec => ({ type: 'Pods', name: 'qps', target: { type: 'AverageValue', averageValue } });
const objectValue = (value: number): MetricSpec => ({ type: 'Object', name: 'qps', target: { type: 'Value', value } });
const objectAverage = (averageValue: number): MetricSpec => ({ type: 'Object', name: 'qps', target: { type: 'AverageValue', averageValue } });
const externalValue = (value: number): MetricSpec => ({ type: 'External', name: 'qps', target: { type: 'Value', value } });
const externalAverage = (averageValue: number): MetricSpec => ({ type: 'External', name: 'qps', target: { type: 'AverageValue', averageValue } });
const cheddar = { type: 'CheddarCheese' } as unknown as MetricSpec;

/** Builds the sync input the fake clients of horizontal_test.go would produce. */
function input(tc: HpaCase): ReconcileInput {
  const count = tc.reportedCPURequests?.length ?? tc.statusReplicas;
  const levels = tc.reportedLevels ?? [];
  const pods = (usage: (i: number) => number | undefined): PodSample[] =>
    Array.from({ length: count }, (_, i) => {
      const age = startAge(tc.reportedPodStartTime?.[i]);
      const u = usage(i);
      // Each of the two containers requests and reports half (integer division in the fixture).
      const request = 2 * Math.trunc((tc.reportedCPURequests?.[i] ?? 1000) / 2);
      return {
        name: `test-pod-${i}`,
        ready: tc.reportedPodReadiness?.[i] ?? true,
        phase: tc.reportedPodPhase?.[i] ?? 'Running',
        deleting: tc.reportedPodDeletionTimestamp?.[i] ?? false,
        startAgeSeconds: age,
        readyTransitionAgeSeconds: age,
        sampleAgeSeconds: 0,
        metricWindowSeconds: 60,
        request,
        ...(u === undefined ? {} : { usage: u }),
      };
    });
  const specs = [...(tc.CPUTarget ? [cpu(tc.CPUTarget)] : []), ...(tc.metricsTarget ?? [])];
  const metrics = specs.map((spec): ObservedMetric => {
    const fails = spec.type === tc.failing;
    switch (spec.type) {
      case 'Resource':
        return { spec, pods: pods((i) => (fails || i >= levels.length ? undefined : 2 * Math.trunc(levels[i]! / 2))), unmatchedUsages: fails ? [] : levels.slice(count).map((l) => 2 * Math.trunc(l / 2)) };
      case 'Pods':
        return { spec, pods: pods((i) => (fails ? undefined : levels[i])) };
      case 'Object':
        return { spec, pods: pods(() => undefined), values: fails ? [] : levels.slice(0, 1) };
      case 'External':
        return { spec, pods: pods(() => undefined), values: fails ? [] : levels };
      default:
        return { spec, pods: pods(() => undefined) };
    }
  });
  return {
    hpa: {
      minReplicas: tc.minReplicas,
      maxReplicas: tc.maxReplicas,
      ...(tc.scaleUpRules || tc.scaleDownRules
        ? { behavior: { ...(tc.scaleUpRules ? { scaleUp: tc.scaleUpRules } : {}), ...(tc.scaleDownRules ? { scaleDown: tc.scaleDownRules } : {}) } }
        : {}),
    },
    currentReplicas: tc.specReplicas,
    statusReplicas: tc.statusReplicas,
    metrics,
    config: { ...TEST_TIMING, downscaleStabilizationWindowSeconds: 300, tolerance: 0.1 },
  };
}

function sync(tc: HpaCase): ReconcileResult {
  const state: HpaState = tc.recommendations === undefined ? {} : { recommendations: tc.recommendations };
  return reconcileAutoscaler(state, input(tc));
}

interface Expectation {
  readonly replicas: number;
  readonly reason?: string;
  readonly ableToScale?: string;
  readonly scalingActive?: string;
  readonly error?: boolean;
}

const cases: [string, HpaCase, Expectation][] = [
  ['TestScaleUpDeployment', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, CPUTarget: 30, reportedLevels: [300, 500, 700], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 5, reason: 'DesiredWithinRange', scalingActive: 'ValidMetricFound' }],
  ['TestScaleUpCM', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [qps(15000)], reportedLevels: [20000, 10000, 30000], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 4 }],
  ['TestScaleUpCMUnreadyAndHotCpuNoLessScale', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [qps(15000)], reportedLevels: [50000, 10000, 30000], reportedPodReadiness: [true, true, false], reportedPodStartTime: ['cool', 'cool', 'hot'], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 6 }],
  ['TestScaleUpCMUnreadyandCpuHot', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [qps(15000)], reportedLevels: [50000, 15000, 30000], reportedPodReadiness: [false, true, false], reportedPodStartTime: ['hot', 'cool', 'hot'], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 6, reason: 'TooManyReplicas' }],
  ['TestScaleUpHotCpuNoScaleWouldScaleDown', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [qps(15000)], reportedLevels: [50000, 15000, 30000], reportedPodStartTime: ['hot', 'cool', 'hot'], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 6, reason: 'TooManyReplicas' }],
  ['TestScaleUpCMObject', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [objectValue(15000)], reportedLevels: [20000] }, { replicas: 4 }],
  ['TestScaleUpFromZeroCMObject', { minReplicas: 0, maxReplicas: 6, specReplicas: 0, statusReplicas: 0, metricsTarget: [objectValue(15000)], reportedLevels: [20000] }, { replicas: 2 }],
  ['TestScaleUpFromZeroIgnoresToleranceCMObject', { minReplicas: 0, maxReplicas: 6, specReplicas: 0, statusReplicas: 0, metricsTarget: [objectValue(1000)], reportedLevels: [1000] }, { replicas: 1 }],
  ['TestScaleUpPerPodCMObject', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [objectAverage(10000)], reportedLevels: [40000] }, { replicas: 4 }],
  ['TestScaleUpCMExternal', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [externalValue(6666)], reportedLevels: [8600] }, { replicas: 4 }],
  ['TestScaleUpPerPodCMExternal', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [externalAverage(2222)], reportedLevels: [8600] }, { replicas: 4 }],
  ['TestScaleDown', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], recommendations: [] }, { replicas: 3, reason: 'DesiredWithinRange', ableToScale: 'ReadyForNewScale' }],
  ['TestScaleDownWithScalingRules', { minReplicas: 2, maxReplicas: 6, scaleUpRules: rules(0, 0, 100, 15, 30), specReplicas: 5, statusReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], recommendations: [] }, { replicas: 3 }],
  ['TestScaleUpOneMetricInvalid', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, CPUTarget: 30, metricsTarget: [cheddar], reportedLevels: [300, 400, 500], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 4, scalingActive: 'ValidMetricFound', error: true }],
  ['TestScaleUpFromZeroOneMetricInvalid', { minReplicas: 0, maxReplicas: 6, specReplicas: 0, statusReplicas: 0, CPUTarget: 30, metricsTarget: [cheddar], reportedLevels: [300, 400, 500], reportedCPURequests: [1000, 1000, 1000], recommendations: [] }, { replicas: 4, error: true }],
  ['TestScaleUpBothMetricsEmpty', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [cheddar], reportedLevels: [], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 3, scalingActive: 'InvalidMetricSourceType', error: true }],
  ['TestScaleDownStabilizeInitialSize', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: [1000, 1000, 1000, 1000, 1000] }, { replicas: 5, ableToScale: 'ScaleDownStabilized' }],
  ['TestScaleDownCM', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, metricsTarget: [qps(20000)], reportedLevels: [12000, 12000, 12000, 12000, 12000], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], recommendations: [] }, { replicas: 3 }],
  ['TestScaleDownCMObject', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, metricsTarget: [objectValue(20000)], reportedLevels: [12000], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], recommendations: [] }, { replicas: 3 }],
  ['TestScaleDownToZeroCMObject', { minReplicas: 0, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, metricsTarget: [objectValue(20000)], reportedLevels: [0], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], recommendations: [] }, { replicas: 0 }],
  ['TestScaleDownPerPodCMObject', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, metricsTarget: [objectAverage(20000)], reportedLevels: [60000], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], recommendations: [] }, { replicas: 3 }],
  ['TestScaleDownCMExternal', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, metricsTarget: [externalValue(14400)], reportedLevels: [8600], recommendations: [] }, { replicas: 3 }],
  ['TestScaleDownToZeroCMExternal', { minReplicas: 0, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, metricsTarget: [externalValue(14400)], reportedLevels: [0], recommendations: [] }, { replicas: 0 }],
  ['TestScaleDownPerPodCMExternal', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, metricsTarget: [externalAverage(3000)], reportedLevels: [8600], recommendations: [] }, { replicas: 3 }],
  ['TestScaleDownIncludeUnreadyPods', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], reportedPodReadiness: [true, true, true, false, false], recommendations: [] }, { replicas: 2 }],
  ['TestScaleDownIgnoreHotCpuPods', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], reportedPodStartTime: ['cool', 'cool', 'cool', 'hot', 'hot'], recommendations: [] }, { replicas: 2 }],
  ['TestScaleDownIgnoresFailedPods', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: Array(7).fill(1000), reportedPodReadiness: [true, true, true, true, true, false, false], reportedPodPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'], recommendations: [] }, { replicas: 3 }],
  ['TestScaleDownIgnoresDeletionPods', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: Array(7).fill(1000), reportedPodReadiness: [true, true, true, true, true, false, false], reportedPodDeletionTimestamp: [false, false, false, false, false, true, true], recommendations: [] }, { replicas: 3 }],
  ['TestTolerance', { minReplicas: 1, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 100, reportedLevels: [1010, 1030, 1020], reportedCPURequests: [900, 1000, 1100] }, { replicas: 3, ableToScale: 'ReadyForNewScale' }],
  ['TestToleranceCM', { minReplicas: 1, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, metricsTarget: [qps(20000)], reportedLevels: [20000, 20001, 21000], reportedCPURequests: [900, 1000, 1100] }, { replicas: 3 }],
  ['TestToleranceCMObject', { minReplicas: 1, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, metricsTarget: [objectValue(20000)], reportedLevels: [20050], reportedCPURequests: [900, 1000, 1100] }, { replicas: 3 }],
  ['TestToleranceCMExternal', { minReplicas: 2, maxReplicas: 6, specReplicas: 4, statusReplicas: 4, metricsTarget: [externalValue(8666)], reportedLevels: [8600] }, { replicas: 4 }],
  ['TestTolerancePerPodCMObject', { minReplicas: 2, maxReplicas: 6, specReplicas: 4, statusReplicas: 4, metricsTarget: [objectAverage(2200)], reportedLevels: [8600] }, { replicas: 4 }],
  ['TestTolerancePerPodCMExternal', { minReplicas: 2, maxReplicas: 6, specReplicas: 4, statusReplicas: 4, metricsTarget: [externalAverage(2200)], reportedLevels: [8600] }, { replicas: 4 }],
  ['TestMinReplicas', { minReplicas: 2, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 90, reportedLevels: [10, 95, 10], reportedCPURequests: [900, 1000, 1100], recommendations: [] }, { replicas: 2, reason: 'TooFewReplicas' }],
  ['TestZeroMinReplicasDesiredZero', { minReplicas: 0, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 90, reportedLevels: [0, 0, 0], reportedCPURequests: [900, 1000, 1100], recommendations: [] }, { replicas: 0, reason: 'DesiredWithinRange' }],
  ['TestMinReplicasDesiredZero', { minReplicas: 2, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 90, reportedLevels: [0, 0, 0], reportedCPURequests: [900, 1000, 1100], recommendations: [] }, { replicas: 2, reason: 'TooFewReplicas' }],
  ['TestZeroReplicas', { minReplicas: 3, maxReplicas: 5, specReplicas: 0, statusReplicas: 0, CPUTarget: 90, reportedLevels: [], reportedCPURequests: [] }, { replicas: 0, scalingActive: 'ScalingDisabled' }],
  ['TestTooFewReplicas', { minReplicas: 3, maxReplicas: 5, specReplicas: 2, statusReplicas: 2, CPUTarget: 90, reportedLevels: [], reportedCPURequests: [] }, { replicas: 3 }],
  ['TestTooManyReplicas', { minReplicas: 3, maxReplicas: 5, specReplicas: 10, statusReplicas: 10, CPUTarget: 90, reportedLevels: [], reportedCPURequests: [] }, { replicas: 5 }],
  ['TestMaxReplicas', { minReplicas: 2, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 90, reportedLevels: [8000, 9500, 1000], reportedCPURequests: [900, 1000, 1100] }, { replicas: 5, reason: 'TooManyReplicas' }],
  ['TestSuperfluousMetrics', { minReplicas: 2, maxReplicas: 6, specReplicas: 4, statusReplicas: 4, CPUTarget: 100, reportedLevels: [4000, 9500, 3000, 7000, 3200, 2000], reportedCPURequests: [1000, 1000, 1000, 1000] }, { replicas: 6, reason: 'TooManyReplicas' }],
  ['TestMissingMetrics', { minReplicas: 2, maxReplicas: 6, specReplicas: 4, statusReplicas: 4, CPUTarget: 100, reportedLevels: [400, 95], reportedCPURequests: [1000, 1000, 1000, 1000], recommendations: [] }, { replicas: 3 }],
  ['TestEmptyMetrics', { minReplicas: 2, maxReplicas: 6, specReplicas: 4, statusReplicas: 4, CPUTarget: 100, reportedLevels: [], reportedCPURequests: [1000, 1000, 1000, 1000] }, { replicas: 4, scalingActive: 'FailedGetResourceMetric', error: true }],
  ['TestEmptyCPURequest', { minReplicas: 1, maxReplicas: 5, specReplicas: 1, statusReplicas: 1, CPUTarget: 100, reportedLevels: [200], reportedCPURequests: [] }, { replicas: 1, scalingActive: 'FailedGetResourceMetric', error: true }],
  ['TestEventCreated', { minReplicas: 1, maxReplicas: 5, specReplicas: 1, statusReplicas: 1, CPUTarget: 50, reportedLevels: [200], reportedCPURequests: [200] }, { replicas: 2 }],
  ['TestEventNotCreated', { minReplicas: 1, maxReplicas: 5, specReplicas: 2, statusReplicas: 2, CPUTarget: 50, reportedLevels: [200, 200], reportedCPURequests: [400, 400] }, { replicas: 2, ableToScale: 'ReadyForNewScale' }],
  ['TestMissingReports', { minReplicas: 1, maxReplicas: 5, specReplicas: 4, statusReplicas: 4, CPUTarget: 50, reportedLevels: [200], reportedCPURequests: [200], recommendations: [] }, { replicas: 2 }],
  ['TestUpscaleCap', { minReplicas: 1, maxReplicas: 100, specReplicas: 3, statusReplicas: 3, scaleUpRules: rules(0, 0, 700, 60, 0), CPUTarget: 10, reportedLevels: [100, 200, 300], reportedCPURequests: [100, 100, 100] }, { replicas: 24, reason: 'ScaleUpLimit' }],
  ['TestUpscaleCapGreaterThanMaxReplicas', { minReplicas: 1, maxReplicas: 20, specReplicas: 3, statusReplicas: 3, scaleUpRules: rules(0, 0, 700, 60, 0), CPUTarget: 10, reportedLevels: [100, 200, 300], reportedCPURequests: [100, 100, 100] }, { replicas: 20, reason: 'TooManyReplicas' }],
  ['TestMoreReplicasThanSpecNoScale', { minReplicas: 1, maxReplicas: 8, specReplicas: 4, statusReplicas: 5, CPUTarget: 50, reportedLevels: [500, 500, 500, 500, 500], reportedCPURequests: [1000, 1000, 1000, 1000, 1000] }, { replicas: 4, ableToScale: 'ReadyForNewScale' }],
  ['TestConditionInvalidSourceType', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, metricsTarget: [cheddar], reportedLevels: [20000] }, { replicas: 3, scalingActive: 'InvalidMetricSourceType', error: true }],
  ['TestNoBackoffUpscaleCM', { minReplicas: 1, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, metricsTarget: [qps(15000)], reportedLevels: [20000, 10000, 30000], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 4, reason: 'DesiredWithinRange', ableToScale: 'ReadyForNewScale' }],
  ['TestNoBackoffUpscaleCMNoBackoffCpu', { minReplicas: 1, maxReplicas: 5, specReplicas: 3, statusReplicas: 3, CPUTarget: 10, metricsTarget: [qps(15000)], reportedLevels: [20000, 10000, 30000], reportedCPURequests: [1000, 1000, 1000] }, { replicas: 5, reason: 'TooManyReplicas' }],
  ['TestStabilizeDownscale', { minReplicas: 1, maxReplicas: 5, specReplicas: 4, statusReplicas: 4, CPUTarget: 100, reportedLevels: [50, 50, 50], reportedCPURequests: [100, 100, 100], recommendations: [{ recommendation: 10, ageSeconds: 600 }, { recommendation: 4, ageSeconds: 60 }] }, { replicas: 4, ableToScale: 'ScaleDownStabilized' }],
  ['TestScaleUpRCImmediately', { minReplicas: 2, maxReplicas: 6, specReplicas: 1, statusReplicas: 1, reportedLevels: [0, 0, 0, 0], reportedCPURequests: [1000, 1000, 1000, 1000] }, { replicas: 2 }],
  ['TestScaleDownRCImmediately', { minReplicas: 2, maxReplicas: 5, specReplicas: 6, statusReplicas: 6, CPUTarget: 50, reportedLevels: [8000, 9500, 1000], reportedCPURequests: [900, 1000, 1100] }, { replicas: 5 }],
  ['TestScaleUpOneMetricEmpty', { minReplicas: 2, maxReplicas: 6, specReplicas: 3, statusReplicas: 3, CPUTarget: 30, metricsTarget: [externalValue(100)], reportedLevels: [300, 400, 500], reportedCPURequests: [1000, 1000, 1000], failing: 'External' }, { replicas: 4, error: true }],
  ['TestNoScaleDownOneMetricInvalid', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, metricsTarget: [cheddar], reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], recommendations: [] }, { replicas: 5, scalingActive: 'InvalidMetricSourceType', error: true }],
  ['TestNoScaleDownOneMetricEmpty', { minReplicas: 2, maxReplicas: 6, specReplicas: 5, statusReplicas: 5, CPUTarget: 50, metricsTarget: [externalValue(1000)], reportedLevels: [100, 300, 500, 250, 250], reportedCPURequests: [1000, 1000, 1000, 1000, 1000], recommendations: [], failing: 'External' }, { replicas: 5, scalingActive: 'FailedGetExternalMetric', error: true }],
];

describe('horizontal_test.go controller cases', () => {
  test.each(cases)('%s', (_name, tc, want) => {
    const r = sync(tc);
    expect(r.replicas).toBe(want.replicas);
    expect(r.rescale).toBe(want.replicas !== tc.specReplicas);
    if (want.reason !== undefined) expect(r.reason).toBe(want.reason);
    if (want.ableToScale !== undefined) expect(r.ableToScale).toBe(want.ableToScale);
    if (want.scalingActive !== undefined) expect(r.scalingActive?.reason).toBe(want.scalingActive);
    expect(r.error !== undefined).toBe(want.error ?? false);
  });
});

describe('TestConditionFailedGetMetrics', () => {
  const base = { minReplicas: 1, maxReplicas: 100, specReplicas: 3, statusReplicas: 3, reportedLevels: [100, 200, 300], reportedCPURequests: [100, 100, 100] };
  test.each([
    ['FailedGetResourceMetric', { ...base, CPUTarget: 10, failing: 'Resource' }],
    ['FailedGetPodsMetric', { ...base, metricsTarget: [qps(15000)], failing: 'Pods' }],
    ['FailedGetObjectMetric', { ...base, metricsTarget: [objectValue(15000)], failing: 'Object' }],
    ['FailedGetExternalMetric', { ...base, metricsTarget: [externalValue(300)], failing: 'External' }],
  ] as [string, HpaCase][])('%s', (reason, tc) => {
    const r = sync(tc);
    expect(r).toMatchObject({ replicas: 3, rescale: false, scalingActive: { status: false, reason } });
  });
});

test('TestComputedToleranceAlgImplementation', () => {
  const perPodRequested = 300;
  const base: HpaCase = {
    minReplicas: 0,
    maxReplicas: 1000,
    specReplicas: 10,
    statusReplicas: 10,
    reportedLevels: Array(10).fill(150),
    reportedCPURequests: [100, -100, 10, -10, 2, -2, 1, -1, 0, 0].map((d) => perPodRequested + d),
    recommendations: [],
  };
  const target = (slack: number): number => Math.trunc((1 / (2 * (1 - 0.1)) + slack) * 100);
  expect(sync({ ...base, CPUTarget: target(0.01) }).replicas).toBe(9);
  expect(sync({ ...base, CPUTarget: target(0.004) }).replicas).toBe(10);
});

describe('the state reconcileAutoscaler returns', () => {
  const tc: HpaCase = { minReplicas: 1, maxReplicas: 10, specReplicas: 4, statusReplicas: 4, metricsTarget: [qps(10000)], reportedLevels: [2500, 2500, 2500, 2500] };

  test('the first sync records the current count, then the un-normalized recommendation', () => {
    const r = sync(tc);
    expect(r.metricReplicas).toBe(1);
    expect(r.replicas).toBe(4); // the initial recommendation (4) holds the scale down for 300 s
    expect(r.state.recommendations).toEqual([
      { recommendation: 4, ageSeconds: 0 },
      { recommendation: 1, ageSeconds: 0 },
    ]);
    expect(r.state.scaleDownEvents).toEqual([]);
  });

  test('downscale happens once the higher recommendation is older than the 300 s window', () => {
    let state: HpaState = {};
    const seen: number[] = [];
    for (let t = 0; t <= 330; t += 15) {
      const r = reconcileAutoscaler(state, input(tc));
      seen.push(r.replicas);
      state = ageHpaState(r.state, 15);
    }
    // Window 300 s: the initial 4 is at most 300 s old until t = 300 (still counts), gone at t = 315.
    expect(seen.indexOf(1)).toBe(315 / 15);
    expect(seen.slice(0, 21).every((r) => r === 4)).toBe(true);
  });

  test('with behavior, a rescale is stored as a scale event (age 0) and ageHpaState ages it', () => {
    const r = sync({ ...tc, scaleDownRules: { stabilizationWindowSeconds: 0 }, recommendations: [] });
    expect(r.replicas).toBe(1);
    expect(r.state.scaleDownEvents).toEqual([{ replicaChange: 3, ageSeconds: 0, outdated: false }]);
    expect(ageHpaState(r.state, 15).scaleDownEvents).toEqual([{ replicaChange: 3, ageSeconds: 15, outdated: false }]);
  });

  test('without behavior no scale event is stored', () => {
    const r = sync({ ...tc, recommendations: [] });
    expect(r.replicas).toBe(1);
    expect(r.state.scaleDownEvents).toEqual([]);
    expect(r.state.scaleUpEvents).toEqual([]);
  });

  test('an invalid metric does not block when the valid ones propose exactly the current count', () => {
    // computeReplicasForMetrics blocks only when the largest proposal is below spec.replicas.
    const r = sync({ ...tc, metricsTarget: [qps(10000), cheddar], reportedLevels: [10000, 10000, 10000, 10000] });
    expect(r).toMatchObject({ replicas: 4, rescale: false, metricReplicas: 4, scalingActive: { status: true, reason: 'ValidMetricFound' } });
    expect(r.error).toContain('invalid metrics (1 invalid out of 2)');
  });

  test('an HPA without metrics gets the cpu 80 % default', () => {
    const pods: PodSample[] = [1, 2].map(() => ({ request: 1000, usage: 1200 }));
    const r = reconcileAutoscaler({ recommendations: [] }, { hpa: { maxReplicas: 10 }, currentReplicas: 2, pods });
    expect(r.metricResults).toEqual([{ ok: true, replicas: 3, usage: 1200, utilization: 120 }]);
    expect(r.replicas).toBe(3);
  });

  test('behaviour tolerance applies per direction (HPAConfigurableTolerance)', () => {
    const loose = { ...tc, reportedLevels: [12000, 12000, 12000, 12000], recommendations: [] };
    expect(sync(loose).replicas).toBe(5); // 1.2 is outside the default 0.1
    expect(sync({ ...loose, scaleUpRules: { tolerance: 0.25 } }).replicas).toBe(4);
  });
});
