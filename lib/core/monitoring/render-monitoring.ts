/**
 * One function from a rendered ModelService and monitoring options to its ServiceMonitor (or
 * PodMonitor), PrometheusRule and Grafana dashboard ConfigMap. Both front ends (through
 * ServingCluster) call it, so cdk8s and Pulumi emit the same objects.
 * @module
 */
import { isGpuResource } from '../accelerator';
import { checkDuration, checkLabels, isPlainObject } from '../checks';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { KubeObject, Labels, ObjectMeta } from '../k8s-types';
import type { RenderedModelService } from '../service/render';
import { alertRules, prometheusRule } from './alerts';
import { dashboardConfigMap, renderDashboard } from './dashboard';
import { renderMonitor } from './monitor';
import { MONITORING_DEFAULTS, MonitorKind, type ModelMonitoringOptions, type MonitoringAlertOptions } from './options';
import { promDuration } from './promql';
import { queueMetric, runtimeKindOf, runtimeMetrics } from './runtime-metrics';
import { modelScope } from './scope';

/** The monitoring objects of one model. */
export interface RenderedMonitoring {
  /**
   * The ServiceMonitor or PodMonitor; `undefined` when the runtime exposes no metrics endpoint (a
   * custom runtime without `metricsPath`): then only the kube-state-metrics alerts are rendered.
   */
  readonly monitor?: KubeObject;
  /** The PrometheusRule with the model's alerts, in one group named `modelship.<namespace>.<name>`. */
  readonly prometheusRule: KubeObject;
  /** The dashboard ConfigMap, unless `dashboard: false`. */
  readonly dashboard?: KubeObject;
  /** The names of the alerts rendered, in order. */
  readonly alerts: readonly string[];
  /** Every object, in apply order. */
  readonly objects: KubeObject[];
}

/** Shortest rate() range in alerts: four scrapes, and never under 5 minutes so one slow scrape does not flap an alert. */
const MIN_ALERT_WINDOW_SECONDS = 300;


function checkFraction(problems: Problems, prop: string, value: unknown, allowed: string, ok: (v: number) => boolean): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && ok(value))) problems.add(prop, value, allowed);
}

/** Whether the Deployment's pods request GPUs (whole or MIG slices). */
function isAccelerated(rendered: RenderedModelService): boolean {
  const spec = rendered.deployment['spec'] as { template: { spec: { containers: { resources: { limits?: Record<string, string> } }[] } } };
  return spec.template.spec.containers.some((c) => Object.keys(c.resources.limits ?? {}).some(isGpuResource));
}

/**
 * Validates monitoring options and renders the model's monitoring objects, in the model's
 * namespace, labelled with the model's labels plus `prometheusLabels`.
 *
 * What renders per runtime (see runtime-metrics.ts for the metrics):
 * - every runtime: availability (`ModelUnavailable`, `ModelReplicasUnavailable`,
 *   `ModelRolloutStuck`) and `ModelRestarting` from kube-state-metrics;
 * - runtimes with a metrics endpoint: the monitor and `ModelMetricsDown`;
 * - TorchServe, TensorFlow Serving, Triton: `ModelErrorRatioHigh` (TorchServe's on the pods Ready
 *   throughout the window, from kube-state-metrics: its counters include probe responses);
 * - with a latency objective: `ModelLatencyP99High` (TensorFlow Serving, vLLM) and
 *   `ModelLatencyMeanHigh` (every built-in runtime);
 * - runtimes with a queue signal: `ModelQueueGrowing` (a custom runtime's only with `alerts.queueLength`);
 * - with an accelerator: `ModelGpuMemoryHigh` from the DCGM exporter.
 *
 * Records every problem in `problems` and throws them (with any recorded before) when there are any.
 */
export function renderModelMonitoring(rendered: RenderedModelService, options: ModelMonitoringOptions | undefined, problems: Problems): RenderedMonitoring {
  const before = problems.all.length;
  if (options !== undefined && !isPlainObject(options)) {
    problems.add('options', options, 'expected ModelMonitoringOptions (an object) or nothing');
    problems.throwIfAny();
  }
  const o: ModelMonitoringOptions = options ?? {};
  const { name, profile } = rendered;
  const serviceMeta = rendered.service.metadata;
  const namespace = serviceMeta.namespace;
  const runtime = runtimeKindOf(rendered);
  const metrics = runtimeMetrics(runtime);

  if (namespace === undefined) {
    problems.add('namespace', undefined, 'expected the ModelService to have a namespace (ModelServiceProps.namespace): every alert and dashboard query is scoped to it');
  }
  if (o.target !== undefined && !Object.values(MonitorKind).includes(o.target)) {
    problems.add('target', o.target, 'expected MonitorKind.SERVICE_MONITOR or MonitorKind.POD_MONITOR');
  }
  const prometheusLabels = checkLabels(problems, 'prometheusLabels', o.prometheusLabels);
  checkDuration(problems, 'scrapeInterval', o.scrapeInterval, 1, 300);
  if (o.scrapeInterval instanceof Duration && o.scrapeInterval.toMilliseconds() % 1000 !== 0) {
    problems.add('scrapeInterval', o.scrapeInterval, 'expected whole seconds');
  }
  if (o.dashboard !== undefined && typeof o.dashboard !== 'boolean') problems.add('dashboard', o.dashboard, 'expected true or false');
  const dashboardLabel = o.dashboardLabel === undefined ? { ...MONITORING_DEFAULTS.dashboardLabel } : checkLabels(problems, 'dashboardLabel', o.dashboardLabel);
  if (o.dashboardLabel !== undefined && isPlainObject(o.dashboardLabel) && Object.keys(o.dashboardLabel).length !== 1) {
    problems.add('dashboardLabel', o.dashboardLabel, 'expected exactly one label, e.g. { grafana_dashboard: "1" }');
  }
  if (o.dashboardFolder !== undefined && !(typeof o.dashboardFolder === 'string' && o.dashboardFolder.trim() !== '' && !o.dashboardFolder.includes('/'))) {
    problems.add('dashboardFolder', o.dashboardFolder, 'expected a non-empty folder name without "/"');
  }

  // Latency objective: each quantile needs a metric the runtime exposes.
  const objective = o.latencyObjective;
  let p99Seconds: number | undefined;
  let meanSeconds: number | undefined;
  if (objective !== undefined && !isPlainObject(objective)) {
    problems.add('latencyObjective', objective, 'expected { p99?: Duration, mean?: Duration }');
  } else if (objective !== undefined) {
    const lp = problems.at('latencyObjective');
    for (const key of ['p99', 'mean'] as const) {
      const value = objective[key];
      if (value === undefined) continue;
      if (!(value instanceof Duration && value.isValid() && value.toMilliseconds() >= 1 && value.toMilliseconds() <= 3_600_000)) lp.add(key, value, 'expected a Duration from 1 ms to 1 hour');
    }
    if (objective.p99 === undefined && objective.mean === undefined) problems.add('latencyObjective', objective, 'expected p99, mean or both');
    if (metrics.meanLatency === undefined) {
      for (const key of ['p99', 'mean'] as const) {
        if (objective[key] !== undefined) lp.add(key, objective[key], `expected no latency objective: the ${runtime} runtime exposes no latency metric modelship knows`);
      }
    } else if (objective.p99 !== undefined && metrics.latencyQuantile === undefined) {
      lp.add('p99', objective.p99, `expected a mean objective instead: ${runtime} exposes no latency histogram, only cumulative time, so its 99th percentile cannot be computed`);
    }
    p99Seconds = objective.p99 instanceof Duration ? objective.p99.toMilliseconds() / 1000 : undefined;
    meanSeconds = objective.mean instanceof Duration ? objective.mean.toMilliseconds() / 1000 : undefined;
  }

  // Alert thresholds.
  if (o.alerts !== undefined && !isPlainObject(o.alerts)) problems.add('alerts', o.alerts, 'expected MonitoringAlertOptions (an object)');
  const alerts: MonitoringAlertOptions = isPlainObject(o.alerts) ? o.alerts : {};
  const ap = problems.at('alerts');
  checkFraction(ap, 'availability', alerts.availability, 'expected a fraction greater than 0 and less than 1, e.g. 0.99', (v) => v > 0 && v < 1);
  checkDuration(ap, 'queueGrowthWindow', alerts.queueGrowthWindow, 120, 86_400);
  checkFraction(ap, 'queueLength', alerts.queueLength, 'expected a number greater than 0', (v) => v > 0);
  if (alerts.restarts !== undefined && !(Number.isInteger(alerts.restarts) && alerts.restarts >= 0)) ap.add('restarts', alerts.restarts, 'expected an integer of at least 0');
  checkFraction(ap, 'gpuMemory', alerts.gpuMemory, 'expected a fraction greater than 0 and at most 1', (v) => v > 0 && v <= 1);
  const queue = queueMetric(runtime, profile.scalingSignal?.metric);
  if (alerts.queueLength !== undefined && queue === undefined) ap.add('queueLength', alerts.queueLength, `expected no queueLength: the ${runtime} runtime declares no queue metric (give the custom runtime a scalingMetric)`);

  if (problems.all.length > before) problems.throwIfAny();

  const target = o.target ?? MonitorKind.SERVICE_MONITOR;
  const ns = namespace!;
  const scope = modelScope(ns, name, target);
  const intervalSeconds = o.scrapeInterval?.toSeconds() ?? MONITORING_DEFAULTS.scrapeIntervalSeconds;
  const window = promDuration(Math.max(MIN_ALERT_WINDOW_SECONDS, 4 * intervalSeconds));
  const accelerated = isAccelerated(rendered);
  const latency = { ...(p99Seconds !== undefined ? { p99Seconds } : {}), ...(meanSeconds !== undefined ? { meanSeconds } : {}) };
  const modelLabels: Labels = { ...serviceMeta.labels };
  const meta = (objectName: string, labels: Labels, annotations?: Record<string, string>): ObjectMeta => ({ name: objectName, namespace: ns, labels, ...(annotations ? { annotations } : {}) });

  const monitor = profile.metrics
    ? renderMonitor(target, meta(name, { ...modelLabels, ...prometheusLabels }), ns, rendered.selector, { port: profile.metrics.port, path: profile.metrics.path, interval: promDuration(intervalSeconds) })
    : undefined;

  const queueLength = alerts.queueLength ?? queue?.defaultThreshold;
  const rules = alertRules({
    scope,
    runtime,
    metrics,
    ...(queue ? { queue } : {}),
    ...(queueLength !== undefined ? { queueLength } : {}),
    queueGrowthWindowSeconds: alerts.queueGrowthWindow?.toSeconds() ?? MONITORING_DEFAULTS.queueGrowthWindowSeconds,
    budget: rendered.budget,
    scraped: monitor !== undefined,
    accelerated,
    window,
    availability: alerts.availability ?? MONITORING_DEFAULTS.availability,
    restarts: alerts.restarts ?? MONITORING_DEFAULTS.restarts,
    gpuMemory: alerts.gpuMemory ?? MONITORING_DEFAULTS.gpuMemory,
    latency,
  });
  const rule = prometheusRule(meta(name, { ...modelLabels, ...prometheusLabels }), `modelship.${ns}.${name}`, rules);

  const dashboard = (o.dashboard ?? true)
    ? dashboardConfigMap(
      meta(`${name}-dashboard`, { ...modelLabels, ...dashboardLabel }, o.dashboardFolder !== undefined ? { grafana_folder: o.dashboardFolder } : undefined),
      renderDashboard({ scope, runtime, metrics, ...(queue ? { queue } : {}), accelerated, latency }),
    )
    : undefined;

  const objects = [...(monitor ? [monitor] : []), rule, ...(dashboard ? [dashboard] : [])];
  return { ...(monitor ? { monitor } : {}), prometheusRule: rule, ...(dashboard ? { dashboard } : {}), alerts: rules.map((r) => r.alert), objects };
}
