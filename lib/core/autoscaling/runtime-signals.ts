/**
 * How each runtime's own metrics become per-pod autoscaling signals: the series to read, the
 * PromQL that turns it into requests waiting, in flight or per second, the prometheus-adapter
 * rule that serves it to an HPA as a Pods metric, and the query KEDA runs instead.
 *
 * The runtimes' metrics (see the reference notes on each server):
 * - TorchServe `ts_queue_latency_microseconds`: a counter of microseconds requests spent queued.
 *   Its rate divided by 10⁶ is the mean number of requests waiting (Little's law: queued time
 *   accrued per second = mean queue length). Requests: `ts_inference_requests_total`.
 * - Triton `nv_inference_queue_duration_us`: cumulative microseconds in scheduler queues, the same
 *   way. Requests: `nv_inference_request_success`.
 * - TF Serving `:tensorflow:serving:request_latency`: a histogram of request latency in
 *   microseconds. The rate of its `_sum` divided by 10⁶ is the mean number of requests in flight
 *   (waiting or being served); its `_count` counts requests.
 * - vLLM `vllm:num_requests_waiting`: a gauge of requests waiting to be scheduled. Requests:
 *   `vllm:request_success_total`.
 * - Custom `scalingMetric`: taken as a gauge, summed over the pod's series; no request counter.
 * @module
 */
import type { PodSignal } from './load-model';
import { deploymentPodNames } from './scalable-workload';

/** How a series becomes a per-pod value. */
export interface MetricRecipe {
  /** The series to select, e.g. `ts_queue_latency_microseconds` or `:tensorflow:serving:request_latency_sum`. */
  readonly series: string;
  /** `rate`: a counter, per second over 1 minute; `gauge`: the value as it is. */
  readonly aggregation: 'rate' | 'gauge';
  /** The per-pod value is the aggregate divided by this (10⁶ for microsecond counters). */
  readonly divisor: number;
  /** The Pods metric name prometheus-adapter serves it under. */
  readonly adapterName: string;
  /** What the per-pod value is, in the simulator's terms; `undefined` for a custom gauge of unknown meaning. */
  readonly signal?: Extract<PodSignal, 'rps' | 'queueLength' | 'inflight'>;
  /** The unit of the per-pod value, for the report (`requests waiting`). */
  readonly unit: string;
  /** How the value is derived, for the report. */
  readonly derivation: string;
}

/** A runtime's autoscaling signals. */
export interface RuntimeSignals {
  /** Short name of the runtime family, used in metric names. */
  readonly id: string;
  /** The queue signal behind `ScalingTarget.runtimeQueue`. */
  readonly queue: MetricRecipe;
  /** The per-pod target `runtimeQueue()` uses when given none. */
  readonly defaultQueueTarget: number;
  /** The request counter behind `ScalingTarget.requestsPerSecond`, when the runtime has one. */
  readonly requests?: MetricRecipe;
}

const MICRO = 1_000_000;

const requests = (id: string, series: string): MetricRecipe => ({
  series,
  aggregation: 'rate',
  divisor: 1,
  adapterName: `modelship_${id}_requests_per_second`,
  signal: 'rps',
  unit: 'requests per second',
  derivation: `rate of the counter ${series} over 1 minute`,
});

const littleQueue = (id: string, series: string): MetricRecipe => ({
  series,
  aggregation: 'rate',
  divisor: MICRO,
  adapterName: `modelship_${id}_queue_length`,
  signal: 'queueLength',
  unit: 'requests waiting',
  derivation: `rate of the microsecond counter ${series} over 1 minute / 10⁶: queued time accrued per second is the mean number waiting (Little's law)`,
});

/** The built-in runtimes' signals, by the name of their scaling signal (`profile.scalingSignal.metric`). */
export const RUNTIME_SIGNALS: Readonly<Record<string, RuntimeSignals>> = {
  ts_queue_latency_microseconds: {
    id: 'torchserve',
    queue: littleQueue('torchserve', 'ts_queue_latency_microseconds'),
    defaultQueueTarget: 1,
    requests: requests('torchserve', 'ts_inference_requests_total'),
  },
  nv_inference_queue_duration_us: {
    id: 'triton',
    queue: littleQueue('triton', 'nv_inference_queue_duration_us'),
    defaultQueueTarget: 1,
    requests: requests('triton', 'nv_inference_request_success'),
  },
  ':tensorflow:serving:request_latency': {
    id: 'tfserving',
    queue: {
      series: ':tensorflow:serving:request_latency_sum',
      aggregation: 'rate',
      divisor: MICRO,
      adapterName: 'modelship_tfserving_requests_in_flight',
      signal: 'inflight',
      unit: 'requests in flight',
      derivation: "rate of the microsecond sum of the histogram :tensorflow:serving:request_latency over 1 minute / 10⁶: request time accrued per second is the mean number in flight (Little's law)",
    },
    defaultQueueTarget: 4,
    requests: requests('tfserving', ':tensorflow:serving:request_latency_count'),
  },
  'vllm:num_requests_waiting': {
    id: 'vllm',
    queue: {
      series: 'vllm:num_requests_waiting',
      aggregation: 'gauge',
      divisor: 1,
      adapterName: 'modelship_vllm_requests_waiting',
      signal: 'queueLength',
      unit: 'requests waiting',
      derivation: 'the gauge vllm:num_requests_waiting (requests the engine has not scheduled yet), summed over the pod\'s models',
    },
    defaultQueueTarget: 1,
    requests: requests('vllm', 'vllm:request_success_total'),
  },
};

/** The signals of a runtime whose scaling metric is not a built-in one (the custom runtime): a gauge. */
export function customRuntimeSignals(metric: string): RuntimeSignals {
  const name = metric.replace(/:/g, '_').toLowerCase();
  return {
    id: 'custom',
    queue: {
      series: metric,
      aggregation: 'gauge',
      divisor: 1,
      adapterName: `modelship_${name}`,
      unit: `${metric} (the metric's own unit)`,
      derivation: `the gauge ${metric} as the server reports it, summed over the pod's series`,
    },
    defaultQueueTarget: 1,
  };
}

/** The signals behind a scaling metric name: a built-in runtime's, or a custom gauge. */
export function runtimeSignals(scalingMetric: string): RuntimeSignals {
  return RUNTIME_SIGNALS[scalingMetric] ?? customRuntimeSignals(scalingMetric);
}

/** The DCGM exporter's GPU utilization, 0–100 per GPU. */
export const DCGM_GPU_UTILIZATION = 'DCGM_FI_DEV_GPU_UTIL';

/**
 * Labels naming a workload pod on DCGM exporter series. The exporter adds `namespace` and `pod`
 * of the pod using each GPU; scraped through its Helm chart's ServiceMonitor (`honorLabels: false`)
 * Prometheus renames them `exported_namespace` and `exported_pod`.
 */
export const DCGM_POD_LABELS = { namespace: 'exported_namespace', pod: 'exported_pod' } as const;

/** GPU utilization per pod: the mean over its GPUs. */
export const GPU_RECIPE: MetricRecipe = {
  series: DCGM_GPU_UTILIZATION,
  aggregation: 'gauge',
  divisor: 1,
  adapterName: 'modelship_gpu_utilization',
  unit: '% GPU utilization',
  derivation: `mean of ${DCGM_GPU_UTILIZATION} (0–100) over the pod's GPUs, from the DCGM exporter`,
};

/** One rule of prometheus-adapter's configuration (`rules:` of its config file; `rules.custom` of its Helm chart). */
export interface PrometheusAdapterRule {
  /** Which series the rule discovers. */
  readonly seriesQuery: string;
  /** Which labels name the namespace and the pod. */
  readonly resources: { readonly overrides: Readonly<Record<string, { readonly resource: string }>> };
  /** The custom metric name: the series name renamed. */
  readonly name: { readonly matches: string; readonly as: string };
  /** The PromQL template the adapter runs per request. */
  readonly metricsQuery: string;
}

/** The prometheus-adapter rule serving `recipe` per pod as a Pods metric. */
export function adapterRule(recipe: MetricRecipe): PrometheusAdapterRule {
  const labels = recipe === GPU_RECIPE ? DCGM_POD_LABELS : { namespace: 'namespace', pod: 'pod' };
  const selected = '<<.Series>>{<<.LabelMatchers>>}';
  const inner = recipe.aggregation === 'rate' ? `rate(${selected}[1m])` : selected;
  const op = recipe === GPU_RECIPE ? 'avg' : 'sum';
  const divided = recipe.divisor === 1 ? '' : ` / ${recipe.divisor}`;
  return {
    seriesQuery: `${recipe.series}{${labels.namespace}!="",${labels.pod}!=""}`,
    resources: { overrides: { [labels.namespace]: { resource: 'namespace' }, [labels.pod]: { resource: 'pod' } } },
    name: { matches: `^${recipe.series}$`, as: recipe.adapterName },
    metricsQuery: `${op}(${inner}) by (<<.GroupBy>>)${divided}`,
  };
}

/**
 * The PromQL KEDA runs: the total of the per-pod value over the workload's pods (KEDA divides it
 * by the replica count for an `AverageValue` target). Pods are matched by name
 * (`podNamePattern`, by default a Deployment's `<deployment>-<hash>-<suffix>`) and, when known,
 * namespace.
 */
export function kedaQuery(recipe: MetricRecipe, deployment: string, namespace: string | undefined, podNamePattern = deploymentPodNames(deployment)): string {
  const labels = recipe === GPU_RECIPE ? DCGM_POD_LABELS : { namespace: 'namespace', pod: 'pod' };
  const matchers = [...(namespace === undefined ? [] : [`${labels.namespace}="${namespace}"`]), `${labels.pod}=~"${podNamePattern}"`];
  const selected = `${recipe.series}{${matchers.join(',')}}`;
  if (recipe === GPU_RECIPE) return `sum(avg by (${labels.namespace}, ${labels.pod}) (${selected}))`;
  const inner = recipe.aggregation === 'rate' ? `rate(${selected}[1m])` : selected;
  return `sum(${inner})${recipe.divisor === 1 ? '' : ` / ${recipe.divisor}`}`;
}

/** A YAML fragment of prometheus-adapter rules (JSON-quoted scalars, valid YAML), to merge into its `rules:`. */
export function adapterRulesYaml(rules: readonly PrometheusAdapterRule[]): string {
  const q = (s: string): string => JSON.stringify(s);
  const lines = ['rules:'];
  for (const rule of rules) {
    lines.push(`- seriesQuery: ${q(rule.seriesQuery)}`, '  resources:', '    overrides:');
    for (const [label, { resource }] of Object.entries(rule.resources.overrides)) lines.push(`      ${label}: {resource: ${q(resource)}}`);
    lines.push('  name:', `    matches: ${q(rule.name.matches)}`, `    as: ${q(rule.name.as)}`, `  metricsQuery: ${q(rule.metricsQuery)}`);
  }
  return `${lines.join('\n')}\n`;
}
