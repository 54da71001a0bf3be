/**
 * The PrometheusRule of one model: alerts on availability, errors, latency against the model's
 * objective, queue growth, restarts and GPU memory, each scoped to the model's own series.
 *
 * `for:` durations follow the startup budget: a pod is allowed `budget.podReadySeconds` (image
 * pull, download, load and the first probes) to become ready, so alerts that a loading pod would
 * trip (no available replica, fewer than desired, a scrape target that does not answer yet) wait
 * that long, rounded up to whole minutes; alerts on served traffic (errors, latency, queue) cannot
 * fire before there is traffic and use fixed windows. A loading pod gets no traffic from the
 * Service, but TorchServe counts the responses to its probes (500 from `/ping` while it loads), so
 * its error ratio counts only pods Ready throughout the window (runtime-metrics.ts).
 * @module
 */
import { StartupBudget } from '../service/budget';
import { KubeObject, ObjectMeta } from '../k8s-types';
import { promDuration, promNumber, wholeMinutes, withMatcher } from './promql';
import { queuePerPod, type QueueMetric, type RuntimeMetrics } from './runtime-metrics';
import type { ModelScope } from './scope';

/** One alerting rule as the PrometheusRule CRD takes it. */
export interface AlertRule {
  /** The alert name, e.g. `ModelUnavailable`. */
  readonly alert: string;
  /** The PromQL expression; the alert fires for each series it returns. */
  readonly expr: string;
  /** How long the expression must hold before the alert fires; absent: at once. */
  readonly for?: string;
  /** `severity` (`critical` or `warning`) and the model's `namespace` and `service`, for routing. */
  readonly labels: Readonly<Record<string, string>>;
  /** One-line summary and a description with what to check. */
  readonly annotations: { readonly summary: string; readonly description: string };
}

/** Everything the alerts are rendered from, resolved from options and defaults. */
export interface AlertInput {
  readonly scope: ModelScope;
  readonly runtime: string;
  readonly metrics: RuntimeMetrics;
  readonly queue?: QueueMetric;
  /** Per-replica queue threshold; no queue alert when undefined. */
  readonly queueLength?: number;
  readonly queueGrowthWindowSeconds: number;
  readonly budget: StartupBudget;
  /** Whether the server scrapes at all (no `up` alert without a monitor). */
  readonly scraped: boolean;
  /** Whether the pods hold GPUs (DCGM alert). */
  readonly accelerated: boolean;
  /** The range of `rate()` in alert expressions. */
  readonly window: string;
  readonly availability: number;
  readonly restarts: number;
  readonly gpuMemory: number;
  readonly latency: { readonly p99Seconds?: number; readonly meanSeconds?: number };
}

/** Restarts are counted over this window. */
export const RESTART_WINDOW = '1h';
/** Latency, error and GPU-memory alerts must hold this long (a burst is not an incident). */
export const SUSTAINED_FOR = { latency: '10m', errors: '5m', queue: '5m', gpuMemory: '15m', rolloutStuck: '1m' } as const;

/** The model's alert rules, in a fixed order. */
export function alertRules(input: AlertInput): AlertRule[] {
  const { scope, metrics, window: w } = input;
  const { namespace, name } = scope;
  const model = `${namespace}/${name}`;
  // A loading pod is neither available nor scrapeable: allow it the cold start before alerting.
  const coldStart = promDuration(wholeMinutes(input.budget.podReadySeconds));
  const rule = (alert: string, severity: 'critical' | 'warning', expr: string, forDuration: string | undefined, summary: string, description: string): AlertRule => ({
    alert,
    expr,
    ...(forDuration ? { for: forDuration } : {}),
    labels: { severity, namespace, service: name },
    annotations: { summary, description },
  });
  const rules: AlertRule[] = [];

  // Availability from kube-state-metrics: every runtime.
  const available = `kube_deployment_status_replicas_available${scope.deployment}`;
  const desired = `kube_deployment_spec_replicas${scope.deployment}`;
  rules.push(
    rule('ModelUnavailable', 'critical', `${available} == 0 and on(namespace, deployment) ${desired} > 0`, coldStart,
      `Model ${model} has no available replica`,
      `No replica of ${model} has been ready for ${coldStart} (its cold start: image pull, model download and load): it serves no requests.`),
    rule('ModelReplicasUnavailable', 'warning', `${available} < on(namespace, deployment) ${desired}`, coldStart,
      `Model ${model} has fewer available replicas than desired`,
      `Only {{ $value }} replicas of ${model} have been available, fewer than desired, for longer than its cold start (${coldStart}): pods are pending, crashing or failing readiness.`),
    rule('ModelRolloutStuck', 'warning', `kube_deployment_status_condition${withMatcher(scope.deployment, 'condition="Progressing",status="false"')} == 1`, SUSTAINED_FOR.rolloutStuck,
      `Rollout of model ${model} exceeded its progress deadline`,
      `The Deployment ${model} made no progress within progressDeadlineSeconds (${input.budget.progressDeadlineSeconds} s, derived from the startup budget).`),
  );
  if (input.scraped) {
    rules.push(rule('ModelMetricsDown', 'warning', `up${scope.server} == 0`, coldStart,
      `Prometheus cannot scrape model ${model}`,
      `A metrics endpoint of ${model} ({{ $labels.pod }}) has not answered scrapes for ${coldStart}, longer than the model takes to start.`));
  }

  if (metrics.errorRatio) {
    const maxErrors = promNumber(1 - input.availability);
    const counted = metrics.errorRatioReadyOnly ? ` on the pods Ready throughout that window (a loading pod's probe answers are not counted)` : '';
    rules.push(rule('ModelErrorRatioHigh', 'critical', `${metrics.errorRatio(scope.server, w, scope.pods)} > ${maxErrors}`, SUSTAINED_FOR.errors,
      `Model ${model} fails more than ${promNumber((1 - input.availability) * 100)}% of requests`,
      `{{ $value | humanizePercentage }} of ${model}'s requests failed on the server side over ${w}${counted}; the objective is ${promNumber(input.availability * 100)}% success.`));
  }

  const { p99Seconds, meanSeconds } = input.latency;
  if (p99Seconds !== undefined && metrics.latencyQuantile) {
    rules.push(rule('ModelLatencyP99High', 'warning', `${metrics.latencyQuantile(0.99, scope.server, w)} > ${promNumber(p99Seconds)}`, SUSTAINED_FOR.latency,
      `Model ${model} p99 latency is above its objective`,
      `The 99th percentile latency of ${model} is {{ $value | humanizeDuration }} over ${w}, above the objective of ${promNumber(p99Seconds)} s.`));
  }
  if (meanSeconds !== undefined && metrics.meanLatency) {
    rules.push(rule('ModelLatencyMeanHigh', 'warning', `${metrics.meanLatency(scope.server, w)} > ${promNumber(meanSeconds)}`, SUSTAINED_FOR.latency,
      `Model ${model} mean latency is above its objective`,
      `The mean latency of ${model} is {{ $value | humanizeDuration }} over ${w}, above the objective of ${promNumber(meanSeconds)} s.`));
  }

  if (input.queue && input.queueLength !== undefined) {
    const perPod = queuePerPod(input.queue.recipe, scope.server, w);
    const growth = promDuration(input.queueGrowthWindowSeconds);
    rules.push(rule('ModelQueueGrowing', 'warning', `avg(${perPod}) > ${promNumber(input.queueLength)} and deriv(sum(${perPod})[${growth}:1m]) > 0`, SUSTAINED_FOR.queue,
      `Model ${model} queue is growing`,
      `${model} averages {{ $value }} ${input.queue.unit} per replica (above ${promNumber(input.queueLength)}) and the total has grown over ${growth}: the autoscaler is not keeping up (at its maximum, or new pods are not ready).`));
  }

  rules.push(rule('ModelRestarting', 'warning', `increase(kube_pod_container_status_restarts_total${scope.container}[${RESTART_WINDOW}]) > ${input.restarts}`, undefined,
    `Model ${model} server is restarting`,
    `The server container of {{ $labels.pod }} restarted {{ $value | humanize }} times in ${RESTART_WINDOW} (more than ${input.restarts}): it crashes, runs out of memory or fails its liveness probe.`));

  if (input.accelerated) {
    const used = `DCGM_FI_DEV_FB_USED${scope.gpu}`;
    const free = `DCGM_FI_DEV_FB_FREE${scope.gpu}`;
    rules.push(rule('ModelGpuMemoryHigh', 'warning', `${used} / (${used} + ${free}) > ${promNumber(input.gpuMemory)}`, SUSTAINED_FOR.gpuMemory,
      `Model ${model} is close to its GPU memory`,
      `GPU {{ $labels.gpu }} of {{ $labels.exported_pod }} has {{ $value | humanizePercentage }} of its framebuffer in use (above ${promNumber(input.gpuMemory * 100)}%): the next larger batch or context may fail with out-of-memory.`));
  }
  return rules;
}

/** The PrometheusRule holding `rules` in one group. */
export function prometheusRule(metadata: ObjectMeta, group: string, rules: readonly AlertRule[]): KubeObject {
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata,
    spec: { groups: [{ name: group, rules: rules.map((r) => ({ ...r, labels: { ...r.labels }, annotations: { ...r.annotations } })) }] },
  };
}
