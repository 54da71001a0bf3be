import type { MilliValue } from './int64';

/** `status.phase` of a pod. */
export type PodPhase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

/**
 * Age of a timestamp that lies "long ago": older than any window the controller uses. It stands
 * for the zero `metav1.Time` of the upstream test fixtures (year 1).
 */
export const LONG_AGO_SECONDS = 1e12;

/**
 * One pod selected by the scale target's selector, with what the controller reads from it, and
 * the metric sample the metrics API returned for it. Times are ages in seconds before the sync.
 *
 * Fields left `undefined` take the value of the upstream test fixtures (a Running, Ready pod
 * started long ago); `null` means the field is absent on the pod.
 */
export interface PodSample {
  /** Used in error messages only. Default `pod-<index>`. */
  readonly name?: string;
  /** `status.phase`. Default `Running`. */
  readonly phase?: PodPhase;
  /**
   * Status of the pod's `Ready` condition: `true` (True) or `false` (False); `null` when the pod
   * has no `Ready` condition. Default `true`. (Status `Unknown` is not modelled.)
   */
  readonly ready?: boolean | null;
  /** `metadata.deletionTimestamp` is set. Default `false`. */
  readonly deleting?: boolean;
  /**
   * The pod's request of the metric's resource in milli-units (sum over its containers and
   * sidecars, or the one container of a `ContainerResource` metric); `undefined` when a container
   * has no request (an error for `Utilization` targets, unused otherwise).
   */
  readonly request?: MilliValue;
  /** The metric sample for this pod in milli-units; `undefined` when the metrics API returned none. */
  readonly usage?: MilliValue;
  /** Seconds since `status.startTime`; `null` when the pod has no start time. Default long ago. */
  readonly startAgeSeconds?: number | null;
  /**
   * Seconds since the `Ready` condition's `lastTransitionTime`. Default: equal to
   * `startAgeSeconds` (the condition changed when the pod started, as in the upstream fixtures).
   */
  readonly readyTransitionAgeSeconds?: number;
  /** Seconds since the metric sample's timestamp. Default 0. */
  readonly sampleAgeSeconds?: number;
  /** The metric sample's `window` in seconds. Default 60 (the upstream fixtures' one minute). */
  readonly metricWindowSeconds?: number;
}

/** The controller's defaults for the cpu readiness rules, in seconds. */
export interface ReadinessTiming {
  /** `--horizontal-pod-autoscaler-cpu-initialization-period`, default 300. */
  readonly cpuInitializationPeriodSeconds?: number;
  /** `--horizontal-pod-autoscaler-initial-readiness-delay`, default 30. */
  readonly delayOfInitialReadinessStatusSeconds?: number;
}

/** Default `--horizontal-pod-autoscaler-cpu-initialization-period`: 5 minutes (`config/v1alpha1/defaults.go`). */
export const DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS = 300;
/** Default `--horizontal-pod-autoscaler-initial-readiness-delay`: 30 seconds (`config/v1alpha1/defaults.go`). */
export const DEFAULT_DELAY_OF_INITIAL_READINESS_STATUS_SECONDS = 30;

/** The groups `groupPods` puts pods in (indices into the pod list). */
export interface PodGroups {
  /** Pods in the "ready" group: their samples are used as they are. */
  readonly readyPodCount: number;
  /** Pending pods, and for cpu the pods the readiness rules reject. */
  readonly unready: readonly number[];
  /** Pods without a metric sample. */
  readonly missing: readonly number[];
  /** Pods being deleted or Failed: dropped entirely. */
  readonly ignored: readonly number[];
}

/**
 * `groupPods` (`replica_calculator.go`): puts every pod in exactly one of ignored (deleting or
 * Failed), unready (Pending), missing (no sample) or, for the `cpu` resource only, unready by the
 * readiness rules; every other pod is ready.
 *
 * The cpu rules: a pod without a `Ready` condition or start time is unready. Within
 * `cpuInitializationPeriod` of its start it is unready when not Ready or when its sample was taken
 * less than one metric window after the condition's last transition. After that period it is
 * unready only when not Ready and it never became ready (the condition last changed within
 * `delayOfInitialReadinessStatus` of the start).
 *
 * @param resource the resource name of a Resource metric (`cpu` enables the readiness rules), or
 *   `''` for Pods metrics.
 */
export function groupPods(pods: readonly PodSample[], resource: string, timing: ReadinessTiming = {}): PodGroups {
  const cpuInit = timing.cpuInitializationPeriodSeconds ?? DEFAULT_CPU_INITIALIZATION_PERIOD_SECONDS;
  const delay = timing.delayOfInitialReadinessStatusSeconds ?? DEFAULT_DELAY_OF_INITIAL_READINESS_STATUS_SECONDS;
  let readyPodCount = 0;
  const unready: number[] = [];
  const missing: number[] = [];
  const ignored: number[] = [];
  pods.forEach((pod, i) => {
    const phase = pod.phase ?? 'Running';
    if (pod.deleting === true || phase === 'Failed') {
      ignored.push(i);
      return;
    }
    if (phase === 'Pending') {
      unready.push(i);
      return;
    }
    if (pod.usage === undefined) {
      missing.push(i);
      return;
    }
    if (resource === 'cpu' && cpuUnready(pod, cpuInit, delay)) {
      unready.push(i);
      return;
    }
    readyPodCount++;
  });
  return { readyPodCount, unready, missing, ignored };
}

function cpuUnready(pod: PodSample, cpuInit: number, delay: number): boolean {
  const ready = pod.ready === undefined ? true : pod.ready;
  const startAge = pod.startAgeSeconds === undefined ? LONG_AGO_SECONDS : pod.startAgeSeconds;
  if (ready === null || startAge === null) return true;
  const transitionAge = pod.readyTransitionAgeSeconds ?? startAge;
  if (startAge < cpuInit) {
    // startTime + cpuInitializationPeriod is after now: the pod is still initializing.
    // Unready when not ready, or when the sample predates lastTransitionTime + window.
    const sampleAge = pod.sampleAgeSeconds ?? 0;
    const window = pod.metricWindowSeconds ?? 60;
    return ready === false || transitionAge - sampleAge < window;
  }
  // Unready when not ready and startTime + delay is after lastTransitionTime (never been ready).
  return ready === false && transitionAge + delay > startAge;
}

/** `podutil.IsPodReady` with phase Running: what `getReadyPodsCount` (`replica_calculator.go`) counts for Object/External metrics. */
export function isRunningAndReady(pod: PodSample): boolean {
  return (pod.phase ?? 'Running') === 'Running' && (pod.ready === undefined || pod.ready === true);
}

/** The pod's name for messages. */
export function podName(pod: PodSample, index: number): string {
  return pod.name ?? `pod-${index}`;
}

