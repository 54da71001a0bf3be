/**
 * `spec.behavior` of an autoscaling/v2 HorizontalPodAutoscaler, its defaults
 * (`pkg/apis/autoscaling/v2/defaults.go`) and the limits validation enforces
 * (`pkg/apis/autoscaling/validation/validation.go`).
 * @module
 */

/** One `HPAScalingPolicy`: at most `value` pods, or `value` percent, per `periodSeconds`. */
export interface ScalingPolicy {
  /** `Pods`: a number of pods; `Percent`: a percentage of the replicas at the start of the period. */
  readonly type: 'Pods' | 'Percent';
  /** Must be > 0. */
  readonly value: number;
  /** Must be in 1–1800 ({@link MAX_PERIOD_SECONDS}). */
  readonly periodSeconds: number;
}

/** `selectPolicy`: `Max` picks the policy allowing the biggest change, `Min` the smallest, `Disabled` none. */
export type SelectPolicy = 'Max' | 'Min' | 'Disabled';

/** `HPAScalingRules` as a user writes it: every field optional, filled from the defaults. */
export interface ScalingRulesInput {
  /** 0–3600 ({@link MAX_STABILIZATION_WINDOW_SECONDS}). */
  readonly stabilizationWindowSeconds?: number;
  /** Default `Max`. */
  readonly selectPolicy?: SelectPolicy;
  /** Replaces the default list when given. */
  readonly policies?: readonly ScalingPolicy[];
  /** Per-direction tolerance (`HPAConfigurableTolerance`); default the controller's 0.1. */
  readonly tolerance?: number;
}

/** `HPAScalingRules` after defaulting. A scale-down window may still be unset (then 300 s). */
export interface ScalingRules {
  /** Seconds of past recommendations considered; unset only for scale down (then the controller's 300 s). */
  readonly stabilizationWindowSeconds?: number;
  /** How the policies combine. */
  readonly selectPolicy: SelectPolicy;
  /** The rate limits. */
  readonly policies: readonly ScalingPolicy[];
  /** Per-direction tolerance, when set. */
  readonly tolerance?: number;
}

/** `spec.behavior`. Setting it (even `{}`) switches the controller to the behaviour path. */
export interface HpaBehavior {
  /** Rules for adding replicas; default {@link DEFAULT_SCALE_UP_RULES}. */
  readonly scaleUp?: ScalingRulesInput;
  /** Rules for removing replicas; default {@link DEFAULT_SCALE_DOWN_RULES}. */
  readonly scaleDown?: ScalingRulesInput;
}

/** `MaxPeriodSeconds` of `validation.go`: a policy period is at most 30 minutes. */
export const MAX_PERIOD_SECONDS = 1800;
/** `MaxStabilizationWindowSeconds` of `validation.go`: a window is at most one hour. */
export const MAX_STABILIZATION_WINDOW_SECONDS = 3600;
/** Default controller downscale stabilization window (`--horizontal-pod-autoscaler-downscale-stabilization`, `config/v1alpha1/defaults.go`). */
export const DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS = 300;
/** Default scale-up stabilization window (`defaults.go`): none, a scale-up happens at the sync that recommends it. */
export const DEFAULT_SCALE_UP_STABILIZATION_WINDOW_SECONDS = 0;
/** Default controller sync period (`--horizontal-pod-autoscaler-sync-period`, `config/v1alpha1/defaults.go`). */
export const DEFAULT_SYNC_PERIOD_SECONDS = 15;
/** `DefaultCPUUtilization` (`pkg/apis/autoscaling`): the target of the metric an HPA without metrics gets. */
export const DEFAULT_CPU_UTILIZATION = 80;

/** Default scale-up rules (`defaults.go`): no window, `Max` of 4 pods or 100 % per 15 s. */
export const DEFAULT_SCALE_UP_RULES: ScalingRules = {
  stabilizationWindowSeconds: DEFAULT_SCALE_UP_STABILIZATION_WINDOW_SECONDS,
  selectPolicy: 'Max',
  policies: [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ],
};

/** Default scale-down rules (`defaults.go`): window unset (the controller's 300 s), `Max` of 100 % per 15 s. */
export const DEFAULT_SCALE_DOWN_RULES: ScalingRules = {
  selectPolicy: 'Max',
  policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
};

function merge(defaults: ScalingRules, given: ScalingRulesInput | undefined): ScalingRules {
  if (given === undefined) return defaults;
  const window = given.stabilizationWindowSeconds ?? defaults.stabilizationWindowSeconds;
  const tolerance = given.tolerance ?? defaults.tolerance;
  return {
    ...(window === undefined ? {} : { stabilizationWindowSeconds: window }),
    selectPolicy: given.selectPolicy ?? defaults.selectPolicy,
    policies: given.policies ?? defaults.policies,
    ...(tolerance === undefined ? {} : { tolerance }),
  };
}

/** `GenerateHPAScaleUpRules` (`defaults.go`): each given field overrides the default one. */
export function generateScaleUpRules(given?: ScalingRulesInput): ScalingRules {
  return merge(DEFAULT_SCALE_UP_RULES, given);
}

/** `GenerateHPAScaleDownRules` (`defaults.go`): each given field overrides the default one. */
export function generateScaleDownRules(given?: ScalingRulesInput): ScalingRules {
  return merge(DEFAULT_SCALE_DOWN_RULES, given);
}

/** `getLongestPolicyPeriod` (`horizontal.go`): the longest `periodSeconds`, 0 without policies. */
export function getLongestPolicyPeriod(rules: ScalingRules | undefined): number {
  let longest = 0;
  for (const policy of rules?.policies ?? []) if (policy.periodSeconds > longest) longest = policy.periodSeconds;
  return longest;
}
