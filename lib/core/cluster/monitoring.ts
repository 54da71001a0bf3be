import type { AutoscalerReport } from '../autoscaling/autoscaler-report';
import { isPlainObject } from '../checks';
import { Duration } from '../duration';
import type { ModelLatencyObjective, ModelMonitoringOptions } from '../monitoring/options';
import { runtimeMetrics } from '../monitoring/runtime-metrics';
import type { RenderedModelService } from '../service/render';

/**
 * The latency objective of a model's `ScalingTarget.latencySlo` autoscaler, as monitoring
 * alerts on it: a p99 objective when the runtime has a latency histogram, a mean objective when
 * it has mean latency; `undefined` otherwise (no SLO, or a statistic the runtime cannot show).
 */
export function latencyObjectiveOf(rendered: RenderedModelService, report: AutoscalerReport | undefined): ModelLatencyObjective | undefined {
  const objective = report?.sizing?.objective;
  if (!objective) return undefined;
  const metrics = runtimeMetrics(rendered.service.metadata.labels?.['modelship.dev/runtime'] ?? 'custom');
  const latency = Duration.millis(Math.round(objective.latencySeconds * 1000));
  if (objective.percentile === undefined) return metrics.meanLatency ? { mean: latency } : undefined;
  return objective.percentile === 0.99 && metrics.latencyQuantile ? { p99: latency } : undefined;
}

/**
 * The monitoring options of one model: its own over the cluster's (each option replaced, except
 * `alerts`, whose thresholds are replaced one by one), `undefined` for none, with
 * the autoscaler's latency objective when neither gives one.
 */
export function modelMonitoringOptions(cluster: ModelMonitoringOptions | false | undefined, model: ModelMonitoringOptions | false | undefined, objective: ModelLatencyObjective | undefined): ModelMonitoringOptions | undefined {
  if (model === false || (model === undefined && cluster === false)) return undefined;
  const base: ModelMonitoringOptions = cluster || {};
  // Alert thresholds are merged one by one: a model's own threshold keeps the cluster's others.
  const alerts = isPlainObject(base.alerts) && isPlainObject(model?.alerts) ? { alerts: { ...base.alerts, ...model!.alerts } } : {};
  const options: ModelMonitoringOptions = { ...base, ...model, ...alerts };
  return options.latencyObjective === undefined && objective ? { ...options, latencyObjective: objective } : options;
}
