/**
 * The PrometheusRule: every expression parses, reads only metrics the runtime (or
 * kube-state-metrics, the DCGM exporter, Prometheus itself) exposes, is scoped to the model, and
 * alerts at the thresholds and after the durations the options and the startup budget give.
 */
import { Accelerator, Duration, ModelImage, MonitorKind, Runtime } from '../../../lib/core';
import { checkPromQL, isPromDuration } from '../../support/promql-check';
import { CUSTOM_IMAGE, RUNTIME_KINDS, type RuntimeKind } from '../../support/fixtures';
import { alertNames, monitor, NAMESPACE, ruleOf, rulesOf, service, type Rule } from './support';

/** Metrics each runtime exposes, from the reference notes and the servers' metric definitions. */
const EXPOSED: Record<RuntimeKind, readonly string[]> = {
  torchserve: ['ts_inference_requests_total', 'ts_inference_latency_microseconds', 'ts_queue_latency_microseconds', 'Requests2XX', 'Requests4XX', 'Requests5XX'],
  tfserving: [':tensorflow:serving:request_count', ':tensorflow:serving:request_latency_bucket', ':tensorflow:serving:request_latency_sum', ':tensorflow:serving:request_latency_count'],
  triton: ['nv_inference_request_success', 'nv_inference_request_failure', 'nv_inference_request_duration_us', 'nv_inference_queue_duration_us'],
  // The last is vLLM's HTTP server's (prometheus-fastapi-instrumentator's default metric, on vLLM's registry).
  vllm: ['vllm:num_requests_waiting', 'vllm:request_success_total', 'vllm:e2e_request_latency_seconds_bucket', 'vllm:e2e_request_latency_seconds_sum', 'vllm:e2e_request_latency_seconds_count', 'http_requests_total'],
  custom: [],
};
const KUBE_STATE = ['kube_deployment_status_replicas_available', 'kube_deployment_spec_replicas', 'kube_deployment_status_condition', 'kube_pod_container_status_restarts_total', 'kube_pod_status_ready'];
const DCGM = ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_GPU_UTIL'];
const PODS = '=~fraud-[a-z0-9]+-[a-z0-9]+';

/** The matchers that scope a selector of `metric` to the model `fraud` in `serving`. */
function expectedScope(metric: string, target: MonitorKind): Record<string, string> {
  if (metric.startsWith('kube_deployment_')) return { namespace: `=${NAMESPACE}`, deployment: '=fraud' };
  if (metric === 'kube_pod_container_status_restarts_total') return { namespace: `=${NAMESPACE}`, pod: PODS, container: '=server' };
  if (metric === 'kube_pod_status_ready') return { namespace: `=${NAMESPACE}`, pod: PODS, condition: '=true' };
  if (metric.startsWith('DCGM_')) return { exported_namespace: `=${NAMESPACE}`, exported_pod: PODS };
  return target === MonitorKind.POD_MONITOR ? { namespace: `=${NAMESPACE}`, pod: PODS } : { namespace: `=${NAMESPACE}`, service: '=fraud' };
}

const objectiveFor = (kind: RuntimeKind) => (kind === 'tfserving' || kind === 'vllm' ? { p99: Duration.millis(250), mean: Duration.millis(100) } : kind === 'custom' ? undefined : { mean: Duration.millis(100) });

describe.each(RUNTIME_KINDS)('%s', (kind) => {
  describe.each([MonitorKind.SERVICE_MONITOR, MonitorKind.POD_MONITOR])('scraped by a %s', (target) => {
    const objective = objectiveFor(kind);
    const rules = rulesOf(monitor(service(kind), { target, ...(objective ? { latencyObjective: objective } : {}) }));

    test('every expression parses as PromQL and yields an instant vector', () => {
      for (const r of rules) expect(checkPromQL(r.expr).type).toBe('vector');
    });

    test('every expression reads only metrics the runtime, kube-state-metrics, the DCGM exporter or Prometheus expose', () => {
      const allowed = new Set([...EXPOSED[kind], ...KUBE_STATE, ...DCGM, 'up']);
      const read = rules.flatMap((r) => checkPromQL(r.expr).metrics);
      expect(read.filter((m) => !allowed.has(m))).toEqual([]);
      // And something of the runtime's own, for every runtime that has metrics.
      if (kind !== 'custom') expect(read.some((m) => EXPOSED[kind].includes(m))).toBe(true);
    });

    test('every selector is scoped to the model: namespace and its Service, pods or Deployment', () => {
      for (const r of rules) {
        for (const s of checkPromQL(r.expr).selectors) expect({ alert: r.alert, metric: s.metric, matchers: s.matchers }).toEqual({ alert: r.alert, metric: s.metric, matchers: expect.objectContaining(expectedScope(s.metric, target)) });
      }
    });

    test('every alert has a severity, the model\'s namespace and service, a summary and a description, and a valid for:', () => {
      for (const r of rules) {
        expect(['critical', 'warning']).toContain(r.labels['severity']);
        expect(r.labels).toEqual({ severity: r.labels['severity'], namespace: NAMESPACE, service: 'fraud' });
        expect(r.annotations.summary).toContain(`${NAMESPACE}/fraud`);
        expect(r.annotations.description.length).toBeGreaterThan(r.annotations.summary.length);
        if (r.for !== undefined) expect(isPromDuration(r.for)).toBe(true);
      }
      expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    });
  });
});

describe('which alerts render for which runtime', () => {
  const common = ['ModelUnavailable', 'ModelReplicasUnavailable', 'ModelRolloutStuck'];
  test.each([
    ['torchserve', [...common, 'ModelMetricsDown', 'ModelErrorRatioHigh', 'ModelQueueGrowing', 'ModelRestarting']],
    ['tfserving', [...common, 'ModelMetricsDown', 'ModelErrorRatioHigh', 'ModelQueueGrowing', 'ModelRestarting']],
    ['triton', [...common, 'ModelMetricsDown', 'ModelErrorRatioHigh', 'ModelQueueGrowing', 'ModelRestarting']],
    // vLLM's failures come from its HTTP server's 5xx responses; the fixture has a GPU.
    ['vllm', [...common, 'ModelMetricsDown', 'ModelErrorRatioHigh', 'ModelQueueGrowing', 'ModelRestarting', 'ModelGpuMemoryHigh']],
    // A custom runtime without metrics: only what kube-state-metrics tells.
    ['custom', [...common, 'ModelRestarting']],
  ] as const)('%s', (kind, expected) => {
    expect(alertNames(kind)).toEqual(expected);
  });

  test('a custom runtime with a scaling metric gets a queue alert only when given a queueLength (its unit is unknown)', () => {
    const runtime = Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), metricsPath: '/metrics', scalingMetric: 'scorer_queue_depth' });
    expect(alertNames('custom', {}, { runtime })).not.toContain('ModelQueueGrowing');
    const m = monitor(service('custom', { runtime }), { alerts: { queueLength: 20 } });
    const queue = ruleOf(m, 'ModelQueueGrowing');
    expect(checkPromQL(queue.expr).metrics).toEqual(['scorer_queue_depth']);
    expect(queue.expr).toContain('> 20 and deriv(');
    expect(ruleOf(m, 'ModelMetricsDown').expr).toBe(`up{namespace="${NAMESPACE}",service="fraud"} == 0`);
  });
});

describe('the error ratio while a pod loads', () => {
  // TorchServe's RequestsNXX count every response, probes included, and /ping answers 500 until
  // the model is loaded: one ready pod with light traffic beside a loading one showed 10–30 %
  // errors for the whole cold start and paged. Only pods Ready throughout the window count.
  const ready = `(min_over_time(kube_pod_status_ready{namespace="${NAMESPACE}",pod=~"fraud-[a-z0-9]+-[a-z0-9]+",condition="true"}[5m]) == 1)`;

  test.each([
    [MonitorKind.SERVICE_MONITOR, `{namespace="${NAMESPACE}",service="fraud"}`],
    [MonitorKind.POD_MONITOR, `{namespace="${NAMESPACE}",pod=~"fraud-[a-z0-9]+-[a-z0-9]+"}`],
  ])('TorchServe counts only the pods kube-state-metrics saw Ready throughout the window (%s)', (target, server) => {
    const rule = ruleOf(monitor(service('torchserve'), { target }), 'ModelErrorRatioHigh');
    const counted = (metric: string) => `sum(rate(${metric}${server}[5m]) and on(namespace, pod) ${ready})`;
    // 2XX and 4XX series exist only after a first such response: `or vector(0)` keeps the denominator.
    expect(rule.expr).toBe(`${counted('Requests5XX')} / ((${counted('Requests2XX')} or vector(0)) + (${counted('Requests4XX')} or vector(0)) + ${counted('Requests5XX')}) > 0.01`);
    expect(checkPromQL(rule.expr).type).toBe('vector');
    expect(rule.for).toBe('5m');
    expect(rule.annotations.description).toContain('Ready throughout');
  });

  test('the readiness window is the rate window', () => {
    const expr = ruleOf(monitor(service('torchserve'), { scrapeInterval: Duration.minutes(2) }), 'ModelErrorRatioHigh').expr;
    expect(expr.match(/\[\w+\]/g)!.every((range) => range === '[8m]')).toBe(true);
  });

  test.each(['tfserving', 'triton'] as const)('%s counts inference requests only (no probes): no readiness join', (kind) => {
    const rule = ruleOf(monitor(service(kind)), 'ModelErrorRatioHigh');
    expect(rule.expr).not.toContain('kube_pod_status_ready');
    expect(rule.annotations.description).not.toContain('Ready throughout');
  });
});

describe('latency against the objective', () => {
  test.each(['tfserving', 'vllm'] as const)('%s: p99 from the latency histogram, in seconds', (kind) => {
    const rule = ruleOf(monitor(service(kind), { latencyObjective: { p99: Duration.millis(150) } }), 'ModelLatencyP99High');
    expect(rule.expr).toMatch(/^histogram_quantile\(0\.99, sum by \(le\) \(rate\([^)]*_bucket\{/);
    expect(rule.expr).toMatch(/ > 0\.15$/);
    expect(rule.for).toBe('10m');
    expect(rule.annotations.description).toContain('0.15 s');
  });

  test('TF Serving\'s histogram is in microseconds: the quantile is divided by 10⁶', () => {
    expect(ruleOf(monitor(service('tfserving'), { latencyObjective: { p99: Duration.millis(150) } }), 'ModelLatencyP99High').expr).toMatch(/\)\)\) \/ 1000000 > 0\.15$/);
    expect(ruleOf(monitor(service('vllm'), { latencyObjective: { p99: Duration.millis(150) } }), 'ModelLatencyP99High').expr).not.toContain('1000000');
  });

  test.each([
    ['torchserve', 'ts_inference_latency_microseconds', 'ts_inference_requests_total'],
    ['triton', 'nv_inference_request_duration_us', 'nv_inference_request_success'],
  ] as const)('%s: the mean from cumulative microseconds over requests', (kind, time, count) => {
    const rule = ruleOf(monitor(service(kind), { latencyObjective: { mean: Duration.seconds(2) } }), 'ModelLatencyMeanHigh');
    expect(checkPromQL(rule.expr).metrics).toEqual(expect.arrayContaining([time, count]));
    expect(rule.expr).toMatch(/ \/ 1000000 > 2$/);
  });

  test('no objective, no latency alert', () => {
    for (const kind of RUNTIME_KINDS) expect(alertNames(kind).filter((a) => a.startsWith('ModelLatency'))).toEqual([]);
  });
});

describe('GPU memory', () => {
  test('only with an accelerator', () => {
    expect(alertNames('torchserve')).not.toContain('ModelGpuMemoryHigh');
    expect(alertNames('torchserve', {}, { accelerator: Accelerator.nvidiaGpu() })).toContain('ModelGpuMemoryHigh');
    expect(alertNames('triton', {}, { accelerator: Accelerator.nvidiaGpu({ migProfile: '1g.10gb' }) })).toContain('ModelGpuMemoryHigh');
    expect(alertNames('vllm')).toContain('ModelGpuMemoryHigh');
  });

  test('the used fraction of the framebuffer, from the DCGM exporter, above the threshold', () => {
    const rule = ruleOf(monitor(service('vllm'), { alerts: { gpuMemory: 0.97 } }), 'ModelGpuMemoryHigh');
    expect(checkPromQL(rule.expr).metrics).toEqual(['DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_FB_USED']);
    expect(rule.expr).toMatch(/^DCGM_FI_DEV_FB_USED\{.*\} \/ \(DCGM_FI_DEV_FB_USED\{.*\} \+ DCGM_FI_DEV_FB_FREE\{.*\}\) > 0\.97$/);
    expect(rule.for).toBe('15m');
  });
});

describe('for: durations and the startup budget', () => {
  const byName = (rules: Rule[]) => Object.fromEntries(rules.map((r) => [r.alert, r.for]));

  test('alerts a loading pod would trip wait for the cold start (budget.podReadySeconds, in whole minutes)', () => {
    // TorchServe: 300 s pull + 300 s download + 120 s load + 15 s of probes = 735 s → 13 minutes.
    const ts = service('torchserve');
    expect(ts.budget.podReadySeconds).toBe(735);
    const f = byName(rulesOf(monitor(ts)));
    expect([f['ModelUnavailable'], f['ModelReplicasUnavailable'], f['ModelMetricsDown']]).toEqual(['13m', '13m', '13m']);
    // A model that loads for an hour does not page while it loads.
    const slow = service('torchserve', { modelLoadTime: Duration.hours(1) });
    const minutes = Math.ceil(slow.budget.podReadySeconds / 60);
    expect(minutes * 60).toBeGreaterThanOrEqual(slow.budget.podReadySeconds);
    expect(byName(rulesOf(monitor(slow)))['ModelUnavailable']).toBe(minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`);
  });

  test('alerts on served traffic use fixed windows; restarts fire at once', () => {
    const f = byName(rulesOf(monitor(service('triton'), { latencyObjective: { mean: Duration.millis(50) } })));
    expect(f).toMatchObject({ ModelErrorRatioHigh: '5m', ModelLatencyMeanHigh: '10m', ModelQueueGrowing: '5m', ModelRolloutStuck: '1m', ModelRestarting: undefined });
  });

  test('a stuck rollout is the Deployment\'s own progress deadline, itself derived from the budget', () => {
    const svc = service('tfserving');
    const rule = ruleOf(monitor(svc), 'ModelRolloutStuck');
    expect(rule.expr).toBe(`kube_deployment_status_condition{namespace="${NAMESPACE}",deployment="fraud",condition="Progressing",status="false"} == 1`);
    expect(rule.annotations.description).toContain(`${svc.budget.progressDeadlineSeconds} s`);
  });

  test('no available replica pages only while the Deployment wants replicas (not when scaled to zero)', () => {
    expect(ruleOf(monitor(service('vllm')), 'ModelUnavailable').expr).toBe(
      `kube_deployment_status_replicas_available{namespace="${NAMESPACE}",deployment="fraud"} == 0 and on(namespace, deployment) kube_deployment_spec_replicas{namespace="${NAMESPACE}",deployment="fraud"} > 0`,
    );
  });
});

describe('thresholds from options', () => {
  test('availability is the success ratio: the error ratio alerts above 1 − availability', () => {
    const rule = ruleOf(monitor(service('triton'), { alerts: { availability: 0.999 } }), 'ModelErrorRatioHigh');
    expect(rule.expr).toMatch(/ > 0\.001$/);
    expect(rule.labels['severity']).toBe('critical');
    expect(checkPromQL(rule.expr).metrics).toEqual(['nv_inference_request_failure', 'nv_inference_request_success']);
  });

  test('TF Serving counts the server\'s failures by status (not a client\'s INVALID_ARGUMENT or NOT_FOUND), TorchServe by 5XX responses', () => {
    const expr = ruleOf(monitor(service('tfserving')), 'ModelErrorRatioHigh').expr;
    expect(expr).toContain(':tensorflow:serving:request_count{namespace="serving",service="fraud",status=~"UNKNOWN|DEADLINE_EXCEEDED|UNIMPLEMENTED|INTERNAL|UNAVAILABLE|DATA_LOSS"}');
    expect(expr).not.toMatch(/INVALID_ARGUMENT|NOT_FOUND|CANCELLED|status!=/);
    expect(checkPromQL(expr).metrics).toEqual([':tensorflow:serving:request_count']);
    expect(checkPromQL(ruleOf(monitor(service('torchserve')), 'ModelErrorRatioHigh').expr).metrics).toEqual(['Requests2XX', 'Requests4XX', 'Requests5XX', 'kube_pod_status_ready']);
  });

  test('vLLM counts its HTTP server\'s 5xx responses among all of them (the probes\' handlers are not instrumented)', () => {
    expect(ruleOf(monitor(service('vllm')), 'ModelErrorRatioHigh').expr).toBe(
      'sum(rate(http_requests_total{namespace="serving",service="fraud",status="5xx"}[5m])) / sum(rate(http_requests_total{namespace="serving",service="fraud"}[5m])) > 0.01',
    );
  });

  test('queue growth: the per-replica queue above the threshold and its trend over the window positive', () => {
    const rule = ruleOf(monitor(service('torchserve'), { alerts: { queueLength: 2.5, queueGrowthWindow: Duration.minutes(30) } }), 'ModelQueueGrowing');
    expect(rule.expr).toBe(
      'avg(sum by (pod) (rate(ts_queue_latency_microseconds{namespace="serving",service="fraud"}[5m])) / 1000000) > 2.5 and deriv(sum(sum by (pod) (rate(ts_queue_latency_microseconds{namespace="serving",service="fraud"}[5m])) / 1000000)[30m:1m]) > 0',
    );
    expect(ruleOf(monitor(service('vllm')), 'ModelQueueGrowing').expr).toContain('avg(sum by (pod) (vllm:num_requests_waiting{');
  });

  test('restarts within an hour of the server container', () => {
    expect(ruleOf(monitor(service('vllm'), { alerts: { restarts: 0 } }), 'ModelRestarting').expr).toBe(
      `increase(kube_pod_container_status_restarts_total{namespace="${NAMESPACE}",pod=~"fraud-[a-z0-9]+-[a-z0-9]+",container="server"}[1h]) > 0`,
    );
  });
});

test('the pod pattern matches the Deployment\'s pods and not those of a Deployment named with the same prefix', () => {
  const pattern = new RegExp(`^(?:${'fraud-[a-z0-9]+-[a-z0-9]+'})$`);
  expect(pattern.test('fraud-7d4f8b9c6-x2k9q')).toBe(true);
  expect(pattern.test('fraud-v2-7d4f8b9c6-x2k9q')).toBe(false);
});

test('the rule group is named after the model', () => {
  const groups = (monitor(service('torchserve')).prometheusRule['spec'] as { groups: { name: string }[] }).groups;
  expect(groups.map((g) => g.name)).toEqual([`modelship.${NAMESPACE}.fraud`]);
});
