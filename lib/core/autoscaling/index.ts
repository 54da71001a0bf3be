/**
 * A faithful model of the Kubernetes HorizontalPodAutoscaler controller (autoscaling/v2), as pure
 * functions over plain data, and a trace-driven simulation of a model service scaled by it.
 *
 * Mirrors `pkg/controller/podautoscaler/replica_calculator.go` (per-metric replica counts),
 * `metrics/utilization.go` (integer maths) and `horizontal.go` (several metrics, min/max,
 * stabilization, behaviour rate limits) of kubernetes/kubernetes, with the defaults of
 * `pkg/apis/autoscaling/v2/defaults.go`, as described in `hpa-algorithm.md`. Timestamps are
 * replaced by ages in seconds. The queueing model (M/M/c, Erlang C) lives in `queueing.ts`.
 * @module
 */
export { MAX_INT32, MAX_INT64, type MilliValue } from './int64';
export {
  DEFAULT_TOLERANCE,
  isWithinTolerance,
  type AverageValueTarget,
  type ContainerResourceMetricSpec,
  type ExternalMetricSpec,
  type MetricSpec,
  type ObjectMetricSpec,
  type PodsMetricSpec,
  type ResourceMetricSpec,
  type Tolerance,
  type UtilizationTarget,
  type ValueTarget,
} from './metric-spec';
export {
  DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS,
  DEFAULT_DELAY_OF_INITIAL_READINESS_STATUS_SECONDS,
  LONG_AGO_SECONDS,
  groupPods,
  type PodGroups,
  type PodPhase,
  type PodSample,
  type ReadinessTiming,
} from './pod-groups';
export { getMetricUsageRatio, getResourceUtilizationRatio, type PodMetrics, type ResourceUtilizationRatio } from './utilization';
export { calculateReplicas, type ReplicaCalcInput, type ReplicaCalcResult } from './replica-calculator';
export {
  DEFAULT_CPU_UTILIZATION,
  DEFAULT_DOWNSCALE_STABILIZATION_WINDOW_SECONDS,
  DEFAULT_SCALE_DOWN_RULES,
  DEFAULT_SCALE_UP_RULES,
  DEFAULT_SYNC_PERIOD_SECONDS,
  MAX_PERIOD_SECONDS,
  MAX_STABILIZATION_WINDOW_SECONDS,
  generateScaleDownRules,
  generateScaleUpRules,
  getLongestPolicyPeriod,
  type HpaBehavior,
  type ScalingPolicy,
  type ScalingRules,
  type ScalingRulesInput,
  type SelectPolicy,
} from './scaling-rules';
export {
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  type BehaviorStabilizationArgs,
  type Stabilized,
  type TimestampedRecommendation,
} from './stabilization';
export {
  SCALE_UP_LIMIT_FACTOR,
  SCALE_UP_LIMIT_MINIMUM,
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimit,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  getReplicasChangePerPeriod,
  storeScaleEvent,
  type BehaviorRateArgs,
  type Limited,
  type ScaleEvent,
  type ScaleEventLogs,
  type ScalingLimitedReason,
} from './rate-limits';
export {
  DEFAULT_METRIC,
  ageHpaState,
  computeReplicasForMetrics,
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
  reconcileAutoscaler,
  resolveBehavior,
  type HpaControllerConfig,
  type HpaSpec,
  type HpaState,
  type MetricsProposal,
  type Normalized,
  type ObservedMetric,
  type ReconcileInput,
  type ReconcileResult,
  type ScalingActiveCondition,
} from './controller';
export {
  erlangB,
  erlangC,
  mmcMetrics,
  mmcResponseQuantile,
  mmcResponseTail,
  mmcWaitQuantile,
  type MmcMetrics,
  type MmcQueue,
} from './queueing';
export {
  replicaCapacity,
  serverModel,
  serviceLatencySeconds,
  type LatencyObjective,
  type PodSignal,
  type ServerModel,
  type ServiceCapacity,
  type SimulatedMetric,
} from './load-model';
export { simulateAutoscaling, type SimulationOptions, type SimulationResult, type SimulationStep, type TracePoint } from './simulate';
export { oracleAutoscaling, type OracleNeed, type OracleOptions, type OracleResult } from './oracle';
export { renderSimulationSvg, type SimulationPlotOptions } from './plot';
export {
  ActivationSignal,
  AutoscalerEngine,
  DEFAULT_MIN_REPLICAS,
  DEFAULT_PROMETHEUS_URL,
  PolicySelection,
  ScalingRate,
  type AutoscalerOptions,
  type ScaleDownOptions,
  type ScaleToZeroOptions,
  type ScaleUpOptions,
} from './autoscaler-props';
export { ScalingTarget, ScalingTargetKind, type LatencySloOptions } from './scaling-target';
export {
  MAX_SIZED_REPLICAS,
  SIZED_REPLICA_FLOOR,
  SLO_MODEL_ASSUMPTIONS,
  latencyFloorSeconds,
  maxRateWithinObjective,
  operatingPoint,
  perPodSignal,
  replicasForObjective,
  sizeForLatencySlo,
  type OperatingPoint,
  type QueueGuard,
  type SizedSignal,
  type SloSizing,
  type SloSizingInput,
} from './slo-sizing';
export {
  DCGM_GPU_UTILIZATION,
  DCGM_POD_LABELS,
  GPU_RECIPE,
  RUNTIME_SIGNALS,
  adapterRule,
  adapterRulesYaml,
  customRuntimeSignals,
  kedaQuery,
  runtimeSignals,
  type MetricRecipe,
  type PrometheusAdapterRule,
  type RuntimeSignals,
} from './runtime-signals';
export {
  formatAutoscalerReport,
  formatSeconds,
  type AutoscalerReport,
  type BehaviorReport,
  type ColdStartReport,
  type SignalReport,
  type SimulationInputs,
  type ThresholdReport,
} from './autoscaler-report';
export {
  ACTIVATION_ONLY_THRESHOLD,
  KEDA_POLLING_INTERVAL_SECONDS,
  renderAutoscaler,
  targetQuantity,
  type AutoscalerRenderContext,
  type RenderedAutoscaler,
} from './render-autoscaler';
export {
  ScalableWorkload,
  deploymentPodNames,
  scalableModelService,
  statefulSetPodNames,
  workloadInNamespace,
  type AutoscalerProps,
  type IScalableWorkload,
  type ScalableWorkloadHints,
  type ScalableWorkloadOptions,
  type ScaleTargetRef,
  type ScalingBudget,
  type WorkloadContainer,
  type WorkloadMetricsOptions,
  type WorkloadStartupOptions,
} from './scalable-workload';
export { checkNoFixedReplicas } from './autoscalable';
