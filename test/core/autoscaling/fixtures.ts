/**
 * Builders mirroring the fixtures of upstream `replica_calculator_test.go` and `horizontal_test.go`
 * (kubernetes/kubernetes `pkg/controller/podautoscaler`), so cases can be copied from there as they are.
 */
import {
  LONG_AGO_SECONDS,
  type PodPhase,
  type PodSample,
  type ScalingPolicy,
  type ScalingRules,
  type ScaleEvent,
} from '../../../lib/core/autoscaling';

/** `numContainersPerPod` of replica_calculator_test.go. */
export const NC = 2;

/** `defaultTestingCPUInitializationPeriod` (2 min) and `defaultTestingDelayOfInitialReadinessStatus` (10 s). */
export const TEST_TIMING = { cpuInitializationPeriodSeconds: 120, delayOfInitialReadinessStatusSeconds: 10 } as const;

/** `hotCPUCreationTime()` (now) / `coolCPUCreationTime()` (3 min ago); `undefined`: the zero time. */
export type StartTime = 'hot' | 'cool' | undefined;

/** Start age of a fixture start time, in seconds. */
export function startAge(s: StartTime): number {
  return s === 'hot' ? 0 : s === 'cool' ? 180 : LONG_AGO_SECONDS;
}

/** `makePodMetricLevels(...)`: every container of pod i reports `levels[i]`. */
export const levels = (...perContainer: number[]): number[][] => perContainer.map((l) => Array(NC).fill(l) as number[]);

/** `cpuRequests(n, "1.0")` in milli per container. */
export const requests = (n: number, milli: number): number[] => Array(n).fill(milli) as number[];

/** The pod fixture of `replicaCalcTestCase` / `calcScenario` (replica_calculator_test.go). */
export interface CalcFixture {
  readonly currentReplicas: number;
  /** Per-container request of pod i (every container gets it); pods past the list have none. */
  readonly requests?: readonly number[];
  /** `levels[i][j]`: usage of container j of pod i; pods past the list have no metrics. */
  readonly levels?: readonly (readonly number[])[];
  /** `podNames`: the metric of index i belongs to another pod (superfluous metric). */
  readonly podNames?: readonly string[];
  /** `container`: only that container (1-based name `containerN`) counts. */
  readonly container?: 'container1' | 'container2';
  readonly readiness?: readonly boolean[];
  readonly startTime?: readonly StartTime[];
  readonly phase?: readonly PodPhase[];
  readonly deletion?: readonly boolean[];
}

/**
 * The pods (and superfluous samples) a resource-metric fixture describes. The fake metrics client
 * of the fixture reports the zero timestamp and a one-minute window, and the pods' Ready condition
 * has the zero lastTransitionTime.
 */
export function resourcePods(f: CalcFixture): { pods: PodSample[]; unmatchedUsages: number[] } {
  const count = Math.max(f.currentReplicas, f.phase?.length ?? 0);
  const containerIndex = f.container === undefined ? undefined : Number(f.container.slice(-1)) - 1;
  const usageOf = (lv: readonly number[] | undefined): number | undefined => {
    if (lv === undefined) return undefined;
    if (containerIndex === undefined) return lv.reduce((a, b) => a + b, 0);
    return lv[containerIndex];
  };
  const pods: PodSample[] = [];
  const unmatchedUsages: number[] = [];
  for (let i = 0; i < count; i++) {
    const named = f.podNames !== undefined && f.podNames.length > i;
    const usage = named ? undefined : usageOf(f.levels?.[i]);
    const request = f.requests !== undefined && i < f.requests.length ? f.requests[i]! * (containerIndex === undefined ? NC : 1) : undefined;
    pods.push({
      name: `test-pod-${i}`,
      ready: f.readiness?.[i] ?? true,
      phase: f.phase?.[i] ?? 'Running',
      deleting: f.deletion?.[i] ?? false,
      startAgeSeconds: startAge(f.startTime?.[i]),
      readyTransitionAgeSeconds: LONG_AGO_SECONDS,
      sampleAgeSeconds: LONG_AGO_SECONDS,
      metricWindowSeconds: 60,
      ...(request === undefined ? {} : { request }),
      ...(usage === undefined ? {} : { usage }),
    });
  }
  (f.levels ?? []).forEach((lv, i) => {
    if (f.podNames !== undefined && f.podNames.length > i) {
      const u = usageOf(lv);
      if (u !== undefined) unmatchedUsages.push(u);
    } else if (i >= count) {
      const u = usageOf(lv);
      if (u !== undefined) unmatchedUsages.push(u);
    }
  });
  return { pods, unmatchedUsages };
}

/** Pods of a custom-metric fixture: pod i reports `values[i]` (the `qps` levels). */
export function metricPods(f: Omit<CalcFixture, 'levels' | 'requests' | 'container'>, values: readonly number[] = []): PodSample[] {
  return resourcePods({ ...f, levels: values.map((v) => [v]) }).pods;
}

/** `generateScalingRules(pods, podsPeriod, percent, percentPeriod, stabilizationWindow)` of horizontal_test.go. */
export function generateScalingRules(pods: number, podsPeriod: number, percent: number, percentPeriod: number, window: number): ScalingRules {
  const policies: ScalingPolicy[] = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0) policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

/** `generateEventsUniformDistribution(rawEvents, periodSeconds)`: events centred in equal segments of the period. */
export function generateEventsUniformDistribution(raw: readonly number[], periodSeconds: number): ScaleEvent[] {
  const segment = periodSeconds / raw.length;
  return raw.map((change, idx) => ({
    replicaChange: change,
    ageSeconds: Math.trunc(periodSeconds - segment * (idx + 1) + segment / 2),
    outdated: false,
  }));
}
