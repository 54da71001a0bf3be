/**
 * One sync of the HPA controller for one HorizontalPodAutoscaler (`reconcileAutoscaler` and the
 * functions it calls in `pkg/controller/podautoscaler/horizontal.go`), as a pure function:
 * `(state, input) → { replicas, reasons, state }`.
 * @module
 */
import type { MilliValue } from './int64';
import { DEFAULT_TOLERANCE, describeMetric, type MetricSpec, type Tolerance } from './metric-spec';
import type { PodSample, ReadinessTiming } from './pod-groups';
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  storeScaleEvent,
  type Limited,
  type ScaleEvent,
  type ScalingLimitedReason,
} from './rate-limits';
import { calculateReplicas, type ReplicaCalcResult } from './replica-calculator';
import {
  DEFAULT_CPU_UTILIZATION,
  DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS,
  generateScaleDownRules,
  generateScaleUpRules,
  type HpaBehavior,
  type ScalingRules,
} from './scaling-rules';
import { stabilizeRecommendation, stabilizeRecommendationWithBehaviors, type TimestampedRecommendation } from './stabilization';

/** The parts of an HPA spec the controller reads besides its metrics. */
export interface HpaSpec {
  /** Default 1 (`SetDefaults_HorizontalPodAutoscaler`). */
  readonly minReplicas?: number;
  /** `spec.maxReplicas`. */
  readonly maxReplicas: number;
  /** `undefined` takes the no-behaviour path (`normalizeDesiredReplicas`). */
  readonly behavior?: HpaBehavior;
}

/** kube-controller-manager settings of the HPA controller. */
export interface HpaControllerConfig extends ReadinessTiming {
  /** `--horizontal-pod-autoscaler-tolerance`, default 0.1. */
  readonly tolerance?: number;
  /** `--horizontal-pod-autoscaler-downscale-stabilization`, default 300 s. */
  readonly downscaleStabilizationWindowSeconds?: number;
}

/** One entry of `spec.metrics` with what the metrics APIs returned for it at this sync. */
export interface ObservedMetric {
  /** The `spec.metrics` entry. */
  readonly spec: MetricSpec;
  /** This metric's per-pod samples. Default: `ReconcileInput.pods`. */
  readonly pods?: readonly PodSample[];
  /** Samples for pods not matched by the selector (see `ReplicaCalcInput.unmatchedUsages`). */
  readonly unmatchedUsages?: readonly MilliValue[];
  /** Object: the value; External: the series. */
  readonly values?: readonly MilliValue[];
}

/** What the controller remembers per HPA between syncs. Empty (`{}`) for a new HPA. */
export interface HpaState {
  /**
   * Past un-normalized recommendations. `undefined` before the first sync: the sync then records
   * the current replica count first (`recordInitialRecommendation`); `[]` records nothing.
   */
  readonly recommendations?: readonly TimestampedRecommendation[];
  /** Scale-up events, stored only with `spec.behavior`. */
  readonly scaleUpEvents?: readonly ScaleEvent[];
  /** Scale-down events, stored only with `spec.behavior`. */
  readonly scaleDownEvents?: readonly ScaleEvent[];
}

/** Input of one sync. */
export interface ReconcileInput {
  /** min/max replicas and behaviour of the HPA. */
  readonly hpa: HpaSpec;
  /** `scale.spec.replicas`. */
  readonly currentReplicas: number;
  /** `scale.status.replicas`. Default `currentReplicas`. */
  readonly statusReplicas?: number;
  /** The pods the target's selector matches (with the samples of the default cpu metric). */
  readonly pods?: readonly PodSample[];
  /** `spec.metrics`; empty means the API default, cpu at 80 % utilization over `pods`. */
  readonly metrics?: readonly ObservedMetric[];
  /** kube-controller-manager settings; upstream defaults when absent. */
  readonly config?: HpaControllerConfig;
}

/** The `ScalingActive` condition after the sync. */
export interface ScalingActiveCondition {
  /** Condition status True (`true`) or False. */
  readonly status: boolean;
  /** `ValidMetricFound`, `ScalingDisabled`, `InvalidMetricSourceType` or `FailedGet<Kind>Metric`. */
  readonly reason: string;
}

/** Output of one sync. */
export interface ReconcileResult {
  /** `scale.spec.replicas` after the sync (unchanged when the controller does not rescale). */
  readonly replicas: number;
  /** Whether the controller updates the scale (`replicas !== currentReplicas`). */
  readonly rescale: boolean;
  /** The `ScalingLimited` reason, when the sync normalized a metric proposal. */
  readonly reason?: ScalingLimitedReason;
  /** `ReadyForNewScale`, `ScaleUpStabilized` or `ScaleDownStabilized`, when normalized. */
  readonly ableToScale?: 'ReadyForNewScale' | 'ScaleUpStabilized' | 'ScaleDownStabilized';
  /** The `ScalingActive` condition, when the sync set it. */
  readonly scalingActive?: ScalingActiveCondition;
  /** The largest metric proposal, before stabilization and limits. */
  readonly metricReplicas?: number;
  /** Each metric's proposal or error, in `spec.metrics` order. */
  readonly metricResults: readonly ReplicaCalcResult[];
  /** Upstream's `rescaleReason` for the event, e.g. `All metrics below target`. */
  readonly rescaleReason?: string;
  /** The error the sync returns (it may still have rescaled on the valid metrics). */
  readonly error?: string;
  /** State to pass to the next sync (after {@link ageHpaState}). */
  readonly state: HpaState;
}

/** The proposal across metrics, or the error that blocks scaling. */
export interface MetricsProposal {
  /** The largest valid proposal; -1 when the controller must not scale. */
  readonly replicas: number;
  /** Each metric's proposal or error. */
  readonly results: readonly ReplicaCalcResult[];
  /** `invalid metrics (n invalid out of m), first error is: …` when any metric failed. */
  readonly error?: string;
  /** `ValidMetricFound`, or False with the first invalid metric's reason. */
  readonly scalingActive: ScalingActiveCondition;
}

const FAILED_REASON: Record<string, string> = {
  Resource: 'FailedGetResourceMetric',
  ContainerResource: 'FailedGetContainerResourceMetric',
  Pods: 'FailedGetPodsMetric',
  Object: 'FailedGetObjectMetric',
  External: 'FailedGetExternalMetric',
};

/** The default metric of an HPA without metrics: cpu at 80 % (`SetDefaults_HorizontalPodAutoscaler`, `pkg/apis/autoscaling/v2/defaults.go`). */
export const DEFAULT_METRIC: MetricSpec = {
  type: 'Resource',
  name: 'cpu',
  target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION },
};

function tolerances(hpa: HpaSpec, config: HpaControllerConfig | undefined): Tolerance {
  const base = config?.tolerance ?? DEFAULT_TOLERANCE;
  return { scaleUp: hpa.behavior?.scaleUp?.tolerance ?? base, scaleDown: hpa.behavior?.scaleDown?.tolerance ?? base };
}

/**
 * `computeReplicasForMetrics` (`horizontal.go`): the largest proposal over the metrics. When every metric is
 * invalid, or some are and the largest valid proposal is below `spec.replicas`, the controller
 * does not scale (`replicas: -1`) and `ScalingActive` is False with the first invalid metric's
 * reason. When some failed but the valid ones say scale up, it scales and still reports the error.
 */
export function computeReplicasForMetrics(input: ReconcileInput): MetricsProposal {
  const { currentReplicas: specReplicas } = input;
  const observed = input.metrics !== undefined && input.metrics.length > 0 ? input.metrics : [{ spec: DEFAULT_METRIC }];
  const tolerance = tolerances(input.hpa, input.config);
  let replicas = 0;
  let invalid = 0;
  let firstError: { reason: string; error: string } | undefined;
  const results = observed.map((m): ReplicaCalcResult => {
    const result = calculateReplicas({
      ...input.config,
      currentReplicas: specReplicas,
      statusReplicas: input.statusReplicas ?? specReplicas,
      metric: m.spec,
      pods: m.pods ?? input.pods ?? [],
      unmatchedUsages: m.unmatchedUsages ?? [],
      values: m.values ?? [],
      tolerance,
    });
    if (!result.ok) {
      invalid++;
      const known = FAILED_REASON[m.spec.type];
      firstError ??= {
        reason: known ?? 'InvalidMetricSourceType',
        error: known === undefined ? result.error : `failed to get ${describeMetric(m.spec)} value: ${result.error}`,
      };
    } else if (replicas === 0 || result.replicas > replicas) {
      replicas = result.replicas;
    }
    return result;
  });
  const error = firstError && `invalid metrics (${invalid} invalid out of ${observed.length}), first error is: ${firstError.error}`;
  if (invalid >= observed.length || (invalid > 0 && replicas < specReplicas)) {
    return { replicas: -1, results, ...(error === undefined ? {} : { error }), scalingActive: { status: false, reason: firstError?.reason ?? '' } };
  }
  return { replicas, results, ...(error === undefined ? {} : { error }), scalingActive: { status: true, reason: 'ValidMetricFound' } };
}

/** What normalization returns. */
export interface Normalized extends Limited {
  /** The `AbleToScale` reason: `ReadyForNewScale` unless stabilization changed the proposal. */
  readonly ableToScale: 'ReadyForNewScale' | 'ScaleUpStabilized' | 'ScaleDownStabilized';
  /** The recommendation log with this sync's proposal stored. */
  readonly recommendations: readonly TimestampedRecommendation[];
}

/**
 * `normalizeDesiredReplicas` (`horizontal.go`), used without `spec.behavior`: the maximum recommendation of the downscale
 * window, then {@link convertDesiredReplicasWithRules} (cap `max(2 * current, 4)`).
 */
export function normalizeDesiredReplicas(
  recommendations: readonly TimestampedRecommendation[],
  args: { currentReplicas: number; desiredReplicas: number; minReplicas: number; maxReplicas: number; downscaleStabilizationWindowSeconds?: number },
): Normalized {
  const window = args.downscaleStabilizationWindowSeconds ?? DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS;
  const stabilized = stabilizeRecommendation(recommendations, args.desiredReplicas, window);
  const limited = convertDesiredReplicasWithRules(args.currentReplicas, stabilized.replicas, args.minReplicas, args.maxReplicas);
  return {
    ...limited,
    ableToScale: stabilized.replicas !== args.desiredReplicas ? 'ScaleDownStabilized' : 'ReadyForNewScale',
    recommendations: stabilized.recommendations,
  };
}

/**
 * The behaviour with defaults filled in (`GenerateHPAScaleUpRules`/`GenerateHPAScaleDownRules`,
 * `defaults.go`) and the scale-down window set (`maybeInitScaleDownStabilizationWindow`, `horizontal.go`).
 */
export function resolveBehavior(
  behavior: HpaBehavior,
  downscaleWindowSeconds?: number,
): {
  /** Defaulted scale-up rules. */
  scaleUp: ScalingRules;
  /** Defaulted scale-down rules, with the window set. */
  scaleDown: ScalingRules;
} {
  const scaleDown = generateScaleDownRules(behavior.scaleDown);
  return {
    scaleUp: generateScaleUpRules(behavior.scaleUp),
    scaleDown: {
      ...scaleDown,
      stabilizationWindowSeconds: scaleDown.stabilizationWindowSeconds ?? downscaleWindowSeconds ?? DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS,
    },
  };
}

/**
 * `normalizeDesiredReplicasWithBehaviors` (`horizontal.go`): stabilization with both windows, then the policies'
 * rate limits ({@link convertDesiredReplicasWithBehaviorRate}).
 */
export function normalizeDesiredReplicasWithBehaviors(
  recommendations: readonly TimestampedRecommendation[],
  events: { scaleUpEvents: readonly ScaleEvent[]; scaleDownEvents: readonly ScaleEvent[] },
  args: {
    currentReplicas: number;
    desiredReplicas: number;
    minReplicas: number;
    maxReplicas: number;
    behavior: HpaBehavior;
    downscaleStabilizationWindowSeconds?: number;
  },
): Normalized {
  const rules = resolveBehavior(args.behavior, args.downscaleStabilizationWindowSeconds);
  const stabilized = stabilizeRecommendationWithBehaviors(recommendations, {
    currentReplicas: args.currentReplicas,
    desiredReplicas: args.desiredReplicas,
    scaleUpWindowSeconds: rules.scaleUp.stabilizationWindowSeconds ?? 0,
    scaleDownWindowSeconds: rules.scaleDown.stabilizationWindowSeconds ?? 0,
  });
  const limited = convertDesiredReplicasWithBehaviorRate({
    currentReplicas: args.currentReplicas,
    desiredReplicas: stabilized.replicas,
    minReplicas: args.minReplicas,
    maxReplicas: args.maxReplicas,
    scaleUp: rules.scaleUp,
    scaleDown: rules.scaleDown,
    ...events,
  });
  return {
    ...limited,
    ableToScale: stabilized.replicas !== args.desiredReplicas ? stabilized.reason : 'ReadyForNewScale',
    recommendations: stabilized.recommendations,
  };
}

/**
 * `reconcileAutoscaler` (`horizontal.go`): one sync, from `recordInitialRecommendation` to `storeScaleEvent`. With the current count at 0 and `minReplicas` not 0 scaling
 * is disabled; above `maxReplicas` or below `minReplicas` the count is set to the bound directly
 * (no stabilization, no rate limit); otherwise the largest metric proposal is normalized (with or
 * without `spec.behavior`). A rescale is recorded as a scale event when `spec.behavior` is set.
 */
export function reconcileAutoscaler(state: HpaState, input: ReconcileInput): ReconcileResult {
  const current = input.currentReplicas;
  const { hpa } = input;
  const minReplicas = hpa.minReplicas ?? 1;
  let recommendations = state.recommendations ?? [{ recommendation: current, ageSeconds: 0 }];
  let logs = { scaleUpEvents: state.scaleUpEvents ?? [], scaleDownEvents: state.scaleDownEvents ?? [] };
  const finish = (r: Omit<ReconcileResult, 'state' | 'metricResults'> & { metricResults?: readonly ReplicaCalcResult[] }): ReconcileResult => {
    if (r.rescale) {
      const behavior = hpa.behavior && resolveBehavior(hpa.behavior, input.config?.downscaleStabilizationWindowSeconds);
      logs = storeScaleEvent(behavior, logs, current, r.replicas);
    }
    return { metricResults: [], ...r, state: { recommendations, ...logs } };
  };

  if (current === 0 && minReplicas !== 0) {
    return finish({ replicas: 0, rescale: false, scalingActive: { status: false, reason: 'ScalingDisabled' } });
  }
  if (current > hpa.maxReplicas) {
    return finish({ replicas: hpa.maxReplicas, rescale: true, rescaleReason: 'Current number of replicas above Spec.MaxReplicas' });
  }
  if (current < minReplicas) {
    return finish({ replicas: minReplicas, rescale: true, rescaleReason: 'Current number of replicas below Spec.MinReplicas' });
  }

  const proposal = computeReplicasForMetrics(input);
  const base = {
    metricResults: proposal.results,
    scalingActive: proposal.scalingActive,
    ...(proposal.error === undefined ? {} : { error: proposal.error }),
  };
  if (proposal.replicas === -1) return finish({ ...base, replicas: current, rescale: false });

  const desired = Math.max(0, proposal.replicas);
  const args = { currentReplicas: current, desiredReplicas: desired, minReplicas, maxReplicas: hpa.maxReplicas };
  const window = input.config?.downscaleStabilizationWindowSeconds;
  const normalized =
    hpa.behavior === undefined
      ? normalizeDesiredReplicas(recommendations, { ...args, ...(window === undefined ? {} : { downscaleStabilizationWindowSeconds: window }) })
      : normalizeDesiredReplicasWithBehaviors(recommendations, logs, {
          ...args,
          behavior: hpa.behavior,
          ...(window === undefined ? {} : { downscaleStabilizationWindowSeconds: window }),
        });
  recommendations = normalized.recommendations;
  const rescaleReason =
    desired > current ? `${describeTopMetric(input, proposal)} above target` : desired < current ? 'All metrics below target' : undefined;
  return finish({
    ...base,
    replicas: normalized.replicas,
    rescale: normalized.replicas !== current,
    reason: normalized.reason,
    ableToScale: normalized.ableToScale,
    metricReplicas: desired,
    ...(rescaleReason === undefined ? {} : { rescaleReason }),
  });
}

function describeTopMetric(input: ReconcileInput, proposal: MetricsProposal): string {
  const observed = input.metrics !== undefined && input.metrics.length > 0 ? input.metrics : [{ spec: DEFAULT_METRIC }];
  const index = proposal.results.findIndex((r) => r.ok && r.replicas === proposal.replicas);
  return index < 0 ? '' : describeMetric(observed[index]!.spec);
}

/**
 * Advances the remembered recommendations and scale events by `seconds` (the time until the next
 * sync, normally the 15 s sync period). Upstream keeps timestamps; this model keeps ages, so time
 * passes by ageing the state.
 */
export function ageHpaState(state: HpaState, seconds: number): HpaState {
  const age = <T extends { ageSeconds: number }>(items: readonly T[] | undefined): T[] | undefined =>
    items?.map((item) => ({ ...item, ageSeconds: item.ageSeconds + seconds }));
  const recommendations = age(state.recommendations);
  const scaleUpEvents = age(state.scaleUpEvents);
  const scaleDownEvents = age(state.scaleDownEvents);
  return {
    ...(recommendations === undefined ? {} : { recommendations }),
    ...(scaleUpEvents === undefined ? {} : { scaleUpEvents }),
    ...(scaleDownEvents === undefined ? {} : { scaleDownEvents }),
  };
}
