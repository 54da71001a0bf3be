import type { MilliValue } from './int64';

/**
 * `spec.metrics[].*.target` with `type: Utilization` (autoscaling/v2 `MetricTarget`):
 * the mean of usage / request over the pods, in percent.
 */
export interface UtilizationTarget {
  /** `Utilization`. */
  readonly type: 'Utilization';
  /** `averageUtilization`, percent of the pods' requests (may exceed 100). */
  readonly averageUtilization: number;
}

/** `MetricTarget` with `type: AverageValue`: the per-pod value, in milli-units. */
export interface AverageValueTarget {
  /** `AverageValue`. */
  readonly type: 'AverageValue';
  /** `averageValue` in milli-units (`Quantity.MilliValue()`). */
  readonly averageValue: MilliValue;
}

/** `MetricTarget` with `type: Value`: the total value, in milli-units. */
export interface ValueTarget {
  /** `Value`. */
  readonly type: 'Value';
  /** `value` in milli-units (`Quantity.MilliValue()`). */
  readonly value: MilliValue;
}

/**
 * A `Resource` metric (autoscaling/v2 `ResourceMetricSource`): a resource of the pods as the
 * resource metrics API (metrics-server) reports it. For `cpu` the controller applies its
 * readiness rules (`groupPods` in `replica_calculator.go`); for any other resource it does not.
 */
export interface ResourceMetricSpec {
  /** `Resource`. */
  readonly type: 'Resource';
  /** The resource name: `cpu`, `memory`, … */
  readonly name: string;
  /** Utilization (percent of request) or average value per pod. */
  readonly target: UtilizationTarget | AverageValueTarget;
}

/**
 * A `ContainerResource` metric: as {@link ResourceMetricSpec}, for one container of each pod.
 * The per-pod `request` and `usage` given to the calculator are then that container's.
 */
export interface ContainerResourceMetricSpec {
  /** `ContainerResource`. */
  readonly type: 'ContainerResource';
  /** The resource name: `cpu`, `memory`, … */
  readonly name: string;
  /** The container whose request and usage count. */
  readonly container: string;
  /** Utilization (percent of the container's request) or average value per pod. */
  readonly target: UtilizationTarget | AverageValueTarget;
}

/** A `Pods` metric (custom metrics API, one value per pod), averaged over the pods. */
export interface PodsMetricSpec {
  /** `Pods`. */
  readonly type: 'Pods';
  /** The metric name (informational). */
  readonly name?: string;
  /** The per-pod average to keep. */
  readonly target: AverageValueTarget;
}

/** An `Object` metric: one value describing another object (custom metrics API). */
export interface ObjectMetricSpec {
  /** `Object`. */
  readonly type: 'Object';
  /** The metric name (informational). */
  readonly name?: string;
  /** The object's value, or that value divided by `status.replicas`. */
  readonly target: ValueTarget | AverageValueTarget;
}

/** An `External` metric (external metrics API): the returned series are summed. */
export interface ExternalMetricSpec {
  /** `External`. */
  readonly type: 'External';
  /** The metric name (informational). */
  readonly name?: string;
  /** The summed series, or that sum divided by `status.replicas`. */
  readonly target: ValueTarget | AverageValueTarget;
}

/** One entry of `spec.metrics` of an autoscaling/v2 HorizontalPodAutoscaler. */
export type MetricSpec =
  | ResourceMetricSpec
  | ContainerResourceMetricSpec
  | PodsMetricSpec
  | ObjectMetricSpec
  | ExternalMetricSpec;

/**
 * The tolerance band around a usage ratio of 1.0 inside which the controller keeps the current
 * replica count. A number applies to both directions; upstream's default is 0.1
 * (`--horizontal-pod-autoscaler-tolerance`).
 */
export type Tolerance =
  | number
  | {
      /** Tolerance above 1.0 (`spec.behavior.scaleUp.tolerance`); default 0.1. */
      readonly scaleUp?: number;
      /** Tolerance below 1.0 (`spec.behavior.scaleDown.tolerance`); default 0.1. */
      readonly scaleDown?: number;
    };

/** The controller's default tolerance, 0.1 (`HorizontalPodAutoscalerTolerance`, `config/v1alpha1/defaults.go`). */
export const DEFAULT_TOLERANCE = 0.1;

/**
 * `Tolerances.isWithin` (`replica_calculator.go`): true when
 * `1 - scaleDown <= usageRatio <= 1 + scaleUp`. Both ends are inclusive, so a ratio of
 * exactly 1.1 or 0.9 does not scale with the default 0.1.
 */
export function isWithinTolerance(usageRatio: number, tolerance: Tolerance = DEFAULT_TOLERANCE): boolean {
  const down = typeof tolerance === 'number' ? tolerance : (tolerance.scaleDown ?? DEFAULT_TOLERANCE);
  const up = typeof tolerance === 'number' ? tolerance : (tolerance.scaleUp ?? DEFAULT_TOLERANCE);
  return 1.0 - down <= usageRatio && usageRatio <= 1.0 + up;
}

/** A short label of the metric for messages: `cpu`, `pods metric qps`, `external metric qps`, … */
export function describeMetric(spec: MetricSpec): string {
  switch (spec.type) {
    case 'Resource':
      return `${spec.name} resource`;
    case 'ContainerResource':
      return `${spec.name} container resource (${spec.container})`;
    default:
      return `${spec.type.toLowerCase()} metric ${spec.name ?? ''}`.trimEnd();
  }
}
