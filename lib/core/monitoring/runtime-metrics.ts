/**
 * Which of each runtime's own metrics the alerts and the dashboard read, as PromQL over a label
 * selector (the model's series) and a range. Facts from the reference notes on each server and
 * the servers' metric definitions:
 *
 * - TorchServe (`metrics_mode=prometheus`): counters `ts_inference_requests_total`,
 *   `ts_inference_latency_microseconds` and `ts_queue_latency_microseconds` (labels `model_name`,
 *   `model_version`, `hostname`), and `Requests2XX`/`Requests4XX`/`Requests5XX` (labels `Level`,
 *   `Hostname`). No latency histogram: only the mean latency can be computed. The `RequestsNXX`
 *   counters count every HTTP response of the frontend, the kubelet's probes included, and `/ping`
 *   (the startup and readiness probe) answers 500 until the model has its workers: a loading pod
 *   adds a 500 per probe for its whole load. The error ratio therefore counts only pods that
 *   kube-state-metrics saw Ready (`kube_pod_status_ready{condition="true"}`) throughout the rate
 *   window, joined on the `namespace` and `pod` labels the ServiceMonitor or PodMonitor gives every
 *   scraped series. A pod that is not Ready gets no traffic from the Service anyway; what it answers
 *   are probes.
 * - TensorFlow Serving: counter `:tensorflow:serving:request_count` (labels `model_name`, `status`:
 *   the status code's name, `OK` on success, `INVALID_ARGUMENT`, `INTERNAL`, …) and the histogram `:tensorflow:serving:request_latency` in microseconds (labels
 *   `model_name`, `API`, `entrypoint`). Counts inference requests only (a model-status probe is
 *   not one): no readiness join.
 * - Triton: counters `nv_inference_request_success`, `nv_inference_request_failure`,
 *   `nv_inference_request_duration_us` and `nv_inference_queue_duration_us` (labels `model`,
 *   `version`). Histograms are off by default: only the mean latency. Counts inference requests
 *   only (not `/v2/health/*`): no readiness join.
 * - vLLM: counter `vllm:request_success_total`, histogram `vllm:e2e_request_latency_seconds`, gauge
 *   `vllm:num_requests_waiting` (label `model_name`). The engine counts no failures, but its HTTP
 *   server (prometheus-fastapi-instrumentator, on the same registry) counts every response in
 *   `http_requests_total` by `handler`, `method` and `status` grouped to `2xx`/`4xx`/`5xx`, with
 *   `/health`, `/ping`, `/load`, `/metrics`, `/version` and `/server_info` excluded: the probes are
 *   not counted, so no readiness join.
 * - Custom: nothing known, except a `scalingMetric` taken as a gauge.
 *
 * The queue signal is the autoscaler's own (runtime-signals.ts), so alerts, dashboard and
 * autoscaler read the same number.
 * @module
 */
import { runtimeSignals, type MetricRecipe } from '../autoscaling/runtime-signals';
import type { RenderedModelService } from '../service/render';
import { promNumber, withMatcher } from './promql';

/** PromQL for one quantity of the model, given its series selector `sel` and a range `w` (`5m`). */
export type MetricQuery = (sel: string, w: string) => string;

/** What the monitoring knows about a runtime's metrics; absent members are not exposed. */
export interface RuntimeMetrics {
  /** Requests per second over all the model's pods. */
  readonly requestRate?: MetricQuery;
  /** Mean request latency in seconds. */
  readonly meanLatency?: MetricQuery;
  /** A latency quantile (0–1) in seconds, from a histogram. */
  readonly latencyQuantile?: (q: number, sel: string, w: string) => string;
  /**
   * The fraction of requests that failed on the server's side, given also `pods`, the selector of
   * the model's pods in kube-state-metrics' series (namespace and pod name), for a runtime that
   * counts only the pods Ready throughout the window (see {@link RuntimeMetrics.errorRatioReadyOnly}).
   */
  readonly errorRatio?: (sel: string, w: string, pods: string) => string;
  /**
   * Whether {@link RuntimeMetrics.errorRatio} counts only pods Ready throughout the window, because
   * the runtime's counters include the responses to the kubelet's probes (TorchServe).
   */
  readonly errorRatioReadyOnly?: boolean;
  /** The metric names the above read, for the report and tests. */
  readonly series: readonly string[];
}

const MICRO = 1_000_000;
const rate = (metric: string, sel: string, w: string): string => `sum(rate(${metric}${sel}[${w}]))`;
const histogramQuantile = (bucket: string, divisor: number) => (q: number, sel: string, w: string): string =>
  `histogram_quantile(${promNumber(q)}, sum by (le) (rate(${bucket}${sel}[${w}])))${divisor === 1 ? '' : ` / ${divisor}`}`;

/**
 * `sum(rate(...))` over the pods kube-state-metrics saw Ready at every sample of the window `w`:
 * a pod that turned Ready within the window still has its startup probe's answers in the rate.
 * `and on(namespace, pod)` filters without needing one readiness series per pod (two
 * kube-state-metrics replicas scraped side by side give two).
 */
const readyRate = (metric: string, sel: string, pods: string, w: string): string =>
  `sum(rate(${metric}${sel}[${w}]) and on(namespace, pod) (min_over_time(kube_pod_status_ready${withMatcher(pods, 'condition="true"')}[${w}]) == 1))`;

const TORCHSERVE: RuntimeMetrics = {
  requestRate: (s, w) => rate('ts_inference_requests_total', s, w),
  meanLatency: (s, w) => `${rate('ts_inference_latency_microseconds', s, w)} / ${rate('ts_inference_requests_total', s, w)} / ${MICRO}`,
  // Each status counter exists only once a response of that class was sent: without `or
  // vector(0)` a model that never answered 4XX would have no denominator, and no alert at all.
  errorRatio: (s, w, p) => `${readyRate('Requests5XX', s, p, w)} / ((${readyRate('Requests2XX', s, p, w)} or vector(0)) + (${readyRate('Requests4XX', s, p, w)} or vector(0)) + ${readyRate('Requests5XX', s, p, w)})`,
  errorRatioReadyOnly: true,
  series: ['ts_inference_requests_total', 'ts_inference_latency_microseconds', 'ts_queue_latency_microseconds', 'Requests2XX', 'Requests4XX', 'Requests5XX'],
};

const TFS = ':tensorflow:serving:request';
/**
 * The status codes of TF Serving's `request_count` that are the server's failures: those gRPC's
 * HTTP mapping answers with a 5xx. The others are the client's (`INVALID_ARGUMENT` for a
 * malformed input, `NOT_FOUND` for a version it does not serve, `CANCELLED` by the caller), which
 * the availability objective does not count, as TorchServe's `Requests4XX` are not.
 */
export const TFSERVING_SERVER_ERRORS: readonly string[] = ['UNKNOWN', 'DEADLINE_EXCEEDED', 'UNIMPLEMENTED', 'INTERNAL', 'UNAVAILABLE', 'DATA_LOSS'];
const TFSERVING: RuntimeMetrics = {
  requestRate: (s, w) => rate(`${TFS}_count`, s, w),
  meanLatency: (s, w) => `${rate(`${TFS}_latency_sum`, s, w)} / ${rate(`${TFS}_latency_count`, s, w)} / ${MICRO}`,
  latencyQuantile: histogramQuantile(`${TFS}_latency_bucket`, MICRO),
  errorRatio: (s, w) => `${rate(`${TFS}_count`, withMatcher(s, `status=~"${TFSERVING_SERVER_ERRORS.join('|')}"`), w)} / ${rate(`${TFS}_count`, s, w)}`,
  series: [`${TFS}_count`, `${TFS}_latency_bucket`, `${TFS}_latency_sum`, `${TFS}_latency_count`],
};

const TRITON: RuntimeMetrics = {
  requestRate: (s, w) => `(${rate('nv_inference_request_success', s, w)} + ${rate('nv_inference_request_failure', s, w)})`,
  meanLatency: (s, w) => `${rate('nv_inference_request_duration_us', s, w)} / (${rate('nv_inference_request_success', s, w)} + ${rate('nv_inference_request_failure', s, w)}) / ${MICRO}`,
  errorRatio: (s, w) => `${rate('nv_inference_request_failure', s, w)} / (${rate('nv_inference_request_success', s, w)} + ${rate('nv_inference_request_failure', s, w)})`,
  series: ['nv_inference_request_success', 'nv_inference_request_failure', 'nv_inference_request_duration_us', 'nv_inference_queue_duration_us'],
};

const VLLM_LATENCY = 'vllm:e2e_request_latency_seconds';
const VLLM: RuntimeMetrics = {
  requestRate: (s, w) => rate('vllm:request_success_total', s, w),
  errorRatio: (s, w) => `${rate('http_requests_total', withMatcher(s, 'status="5xx"'), w)} / ${rate('http_requests_total', s, w)}`,
  meanLatency: (s, w) => `${rate(`${VLLM_LATENCY}_sum`, s, w)} / ${rate(`${VLLM_LATENCY}_count`, s, w)}`,
  latencyQuantile: histogramQuantile(`${VLLM_LATENCY}_bucket`, 1),
  series: ['vllm:request_success_total', `${VLLM_LATENCY}_bucket`, `${VLLM_LATENCY}_sum`, `${VLLM_LATENCY}_count`, 'vllm:num_requests_waiting', 'http_requests_total'],
};

/** The metrics of the built-in runtimes, by runtime kind (`IRuntime.kind`). */
export const RUNTIME_METRICS: Readonly<Record<string, RuntimeMetrics>> = { torchserve: TORCHSERVE, tfserving: TFSERVING, triton: TRITON, vllm: VLLM };

/** A runtime's metrics; a custom (or unknown) runtime exposes none modelship knows. */
export function runtimeMetrics(kind: string): RuntimeMetrics {
  return RUNTIME_METRICS[kind] ?? { series: [] };
}

/** The runtime kind of a rendered service, from the `modelship.dev/runtime` label its objects carry. */
export function runtimeKindOf(rendered: RenderedModelService): string {
  return rendered.service.metadata.labels?.['modelship.dev/runtime'] ?? 'custom';
}

/** The runtime's queue: its autoscaling signal, and the default per-replica threshold. */
export interface QueueMetric {
  readonly recipe: MetricRecipe;
  /** The autoscaler's default per-replica target, or `undefined` for a custom gauge of unknown unit. */
  readonly defaultThreshold?: number;
  /** What one unit is, for summaries (`requests waiting`). */
  readonly unit: string;
}

/** The queue signal of a runtime with a scaling metric; `undefined` without one. */
export function queueMetric(kind: string, scalingMetric: string | undefined): QueueMetric | undefined {
  if (scalingMetric === undefined) return undefined;
  const signals = runtimeSignals(scalingMetric);
  const builtIn = signals.id !== 'custom' && kind !== 'custom';
  return { recipe: signals.queue, ...(builtIn ? { defaultThreshold: signals.defaultQueueTarget } : {}), unit: builtIn ? signals.queue.unit : scalingMetric };
}

/** The queue of one pod (`by (pod)`), from the recipe: a counter's rate (÷ its divisor) or a gauge. */
export function queuePerPod(recipe: MetricRecipe, sel: string, w: string): string {
  const inner = recipe.aggregation === 'rate' ? `rate(${recipe.series}${sel}[${w}])` : `${recipe.series}${sel}`;
  return `sum by (pod) (${inner})${recipe.divisor === 1 ? '' : ` / ${recipe.divisor}`}`;
}
