/**
 * The latency objective to alert on, from the autoscaler's: {@link measurableLatencyObjective}.
 * @module
 */
import { ScalingTarget, ScalingTargetKind } from '../autoscaling/scaling-target';
import type { RenderedModelService } from '../service/render';
import type { ModelLatencyObjective } from './options';
import { runtimeKindOf, runtimeMetrics } from './runtime-metrics';

/**
 * The part of an autoscaler's `ScalingTarget.latencySlo` objective the model's runtime can be
 * alerted on, for `ModelMonitoringOptions.latencyObjective`, so alerts watch the number the
 * autoscaler sizes for. A `p99` is kept only for runtimes with a latency histogram (TensorFlow
 * Serving, vLLM): TorchServe and Triton expose only cumulative time, from which a mean but no
 * percentile follows, and a p99 objective says nothing about the mean, so it is dropped rather
 * than guessed. `undefined` when the target is not a latency SLO or nothing measurable is left.
 */
export function measurableLatencyObjective(rendered: RenderedModelService, target: ScalingTarget | undefined): ModelLatencyObjective | undefined {
  if (!(target instanceof ScalingTarget) || target.kind !== ScalingTargetKind.LATENCY_SLO || !target.slo) return undefined;
  const metrics = runtimeMetrics(runtimeKindOf(rendered));
  const { p99, mean } = target.slo;
  const objective = {
    ...(p99 !== undefined && metrics.latencyQuantile ? { p99 } : {}),
    ...(mean !== undefined && metrics.meanLatency ? { mean } : {}),
  };
  return Object.keys(objective).length > 0 ? objective : undefined;
}
