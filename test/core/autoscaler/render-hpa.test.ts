/** The HorizontalPodAutoscaler rendered for every target kind and runtime: exact objects, valid against the 1.28 schema. */
import { parse } from 'yaml';
import { Duration, ModelImage, PolicySelection, Problems, renderAutoscaler, Runtime, ScalingRate, ScalingTarget, type KubeObject } from '../../../lib/core';
import type { RuntimeKind } from '../../support/fixtures';
import { autoscale, expectValid, K8S_DOWN_POLICIES, K8S_UP_POLICIES, labelsOf, service } from './support';

/** The windows of each runtime's minimal props: Kubernetes' 0 s (scale-up) and max(300, podReadySeconds) from the budget (scale-down). */
const WINDOWS: Record<RuntimeKind, { up: number; down: number }> = {
  torchserve: { up: 0, down: 735 },
  tfserving: { up: 0, down: 735 },
  triton: { up: 0, down: 795 },
  vllm: { up: 0, down: 1215 },
  custom: { up: 0, down: 375 },
};

/** The exact HPA of the `fraud` service of `kind` with one metric. */
function hpa(kind: RuntimeKind, metric: Record<string, unknown>, replicas: { min: number; max: number } = { min: 2, max: 10 }): KubeObject {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'fraud', labels: labelsOf(kind) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'fraud' },
      minReplicas: replicas.min,
      maxReplicas: replicas.max,
      metrics: [metric],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: WINDOWS[kind].up, selectPolicy: 'Max', policies: K8S_UP_POLICIES },
        scaleDown: { stabilizationWindowSeconds: WINDOWS[kind].down, selectPolicy: 'Max', policies: K8S_DOWN_POLICIES },
      },
    },
  };
}

const pods = (name: string, averageValue: string) => ({ type: 'Pods', pods: { metric: { name }, target: { type: 'AverageValue', averageValue } } });
const resource = (name: string, averageUtilization: number) => ({ type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization } } });
/** A custom runtime that declares a queue metric and where it is scraped. */
const customWithSignal = () => ({ runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2'), metricsPath: '/metrics', scalingMetric: 'app:queue_depth' }) });

describe('cpu and memory utilization: Resource metrics from metrics-server, on every runtime', () => {
  test.each(['torchserve', 'tfserving', 'triton', 'vllm', 'custom'] as const)('%s', (kind) => {
    const svc = service(kind);
    const cpu = autoscale(svc, { target: ScalingTarget.cpuUtilization(70), maxReplicas: 10 });
    expect(cpu.objects).toEqual([hpa(kind, resource('cpu', 70))]);
    expect(cpu.report.adapterRules).toEqual([]);
    expect(cpu.report.requirements).toEqual(['metrics-server (the resource metrics API)']);
    const memory = autoscale(svc, { target: ScalingTarget.memoryUtilization(85), minReplicas: 3, maxReplicas: 12 });
    expect(memory.objects).toEqual([hpa(kind, resource('memory', 85), { min: 3, max: 12 })]);
    expectValid([...cpu.objects, ...memory.objects]);
  });
});

describe('the runtime queue: a Pods metric served by prometheus-adapter', () => {
  test.each([
    ['torchserve', 'modelship_torchserve_queue_length', '1', 'ts_queue_latency_microseconds', 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>) / 1000000'],
    ['triton', 'modelship_triton_queue_length', '1', 'nv_inference_queue_duration_us', 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>) / 1000000'],
    ['tfserving', 'modelship_tfserving_requests_in_flight', '4', ':tensorflow:serving:request_latency_sum', 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>) / 1000000'],
    ['vllm', 'modelship_vllm_requests_waiting', '1', 'vllm:num_requests_waiting', 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'],
  ] as const)('%s: its default target, and the rule that derives it', (kind, name, averageValue, series, metricsQuery) => {
    const r = autoscale(service(kind), { target: ScalingTarget.runtimeQueue(), maxReplicas: 10 });
    expect(r.objects).toEqual([hpa(kind, pods(name, averageValue))]);
    expect(r.report.adapterRules).toEqual([
      {
        seriesQuery: `${series}{namespace!="",pod!=""}`,
        resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        name: { matches: `^${series}$`, as: name },
        metricsQuery,
      },
    ]);
    // The YAML fragment is the same rules, parseable as YAML.
    expect(parse(r.report.adapterConfig!)).toEqual({ rules: r.report.adapterRules });
    expectValid(r.objects);
  });

  test('a given per-pod target, fractional: written as a milli-quantity, rounded down', () => {
    const r = autoscale(service('triton'), { target: ScalingTarget.runtimeQueue(0.3757), maxReplicas: 10 });
    expect(r.objects).toEqual([hpa('triton', pods('modelship_triton_queue_length', '375m'))]);
    expect(r.report.threshold).toEqual({ type: 'AverageValue', value: 0.375, unit: 'requests waiting per pod' });
    expectValid(r.objects);
  });

  test('the custom runtime\'s scalingMetric, taken as a gauge', () => {
    const r = autoscale(service('custom', customWithSignal()), { target: ScalingTarget.runtimeQueue(5), maxReplicas: 10 });
    expect(r.objects).toEqual([hpa('custom', pods('modelship_app_queue_depth', '5'))]);
    expect(r.report.adapterRules).toEqual([
      {
        seriesQuery: 'app:queue_depth{namespace!="",pod!=""}',
        resources: { overrides: { namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        name: { matches: '^app:queue_depth$', as: 'modelship_app_queue_depth' },
        metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
      },
    ]);
    expectValid(r.objects);
  });
});

describe('requests per second: the runtime\'s request counter as a Pods metric', () => {
  test.each([
    ['torchserve', 'ts_inference_requests_total'],
    ['triton', 'nv_inference_request_success'],
    ['tfserving', ':tensorflow:serving:request_latency_count'],
    ['vllm', 'vllm:request_success_total'],
  ] as const)('%s counts %s', (kind, series) => {
    const r = autoscale(service(kind), { target: ScalingTarget.requestsPerSecond(25), maxReplicas: 10 });
    const name = `modelship_${kind}_requests_per_second`;
    expect(r.objects).toEqual([hpa(kind, pods(name, '25'))]);
    expect(r.report.adapterRules.map((a) => [a.seriesQuery, a.name.as, a.metricsQuery])).toEqual([
      [`${series}{namespace!="",pod!=""}`, name, 'sum(rate(<<.Series>>{<<.LabelMatchers>>}[1m])) by (<<.GroupBy>>)'],
    ]);
    expectValid(r.objects);
  });
});

test('GPU utilization: DCGM_FI_DEV_GPU_UTIL averaged over each pod\'s GPUs, pods named by the exporter\'s exported_* labels', () => {
  const r = autoscale(service('vllm'), { target: ScalingTarget.gpuUtilization(70), maxReplicas: 4, minReplicas: 1 });
  expect(r.objects).toEqual([hpa('vllm', pods('modelship_gpu_utilization', '70'), { min: 1, max: 4 })]);
  expect(r.report.adapterRules).toEqual([
    {
      seriesQuery: 'DCGM_FI_DEV_GPU_UTIL{exported_namespace!="",exported_pod!=""}',
      resources: { overrides: { exported_namespace: { resource: 'namespace' }, exported_pod: { resource: 'pod' } } },
      name: { matches: '^DCGM_FI_DEV_GPU_UTIL$', as: 'modelship_gpu_utilization' },
      metricsQuery: 'avg(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)',
    },
  ]);
  expect(r.report.requirements[0]).toMatch(/^the NVIDIA DCGM exporter/);
  expectValid(r.objects);
});

describe('a latency SLO: replicas and target sized, emitted on the sized signal', () => {
  // λ = 400/s, S = 20 ms, one slot per replica, p99 ≤ 100 ms: n = 10 (slo-sizing.test.ts); the
  // target binds at 2 replicas: M/M/2 holds p99 ≤ 100 ms up to 35.339 rps, / 2 / 1.1 = 16.063 rps.
  const slo = { p99: Duration.millis(100), peakRps: 400, serviceTime: Duration.millis(20) };

  test('requests per second (the default signal)', () => {
    const r = autoscale(service('torchserve'), { target: ScalingTarget.latencySlo(slo) });
    expect(r.objects).toEqual([hpa('torchserve', pods('modelship_torchserve_requests_per_second', '16063m'), { min: 2, max: 10 })]);
    expectValid(r.objects);
  });

  test('with the queue guard: the runtime queue as a second metric, at the most any compliant count shows (Lq/k = 0.18687 at 10)', () => {
    const r = autoscale(service('triton'), { target: ScalingTarget.latencySlo({ ...slo, queueGuard: true }) });
    const object = hpa('triton', pods('modelship_triton_requests_per_second', '16063m'), { min: 2, max: 10 });
    (object['spec'] as { metrics: unknown[] }).metrics.push(pods('modelship_triton_queue_length', '187m'));
    expect(r.objects).toEqual([object]);
    expect(r.report.adapterRules.map((a) => a.name.as)).toEqual(['modelship_triton_requests_per_second', 'modelship_triton_queue_length']);
    expect(r.report.guard!.threshold).toEqual({ type: 'AverageValue', value: 0.187, unit: 'requests waiting per pod' });
    expect(r.report.sizing!.guard).toEqual({ signal: 'queueLength', perPodTarget: expect.closeTo(0.1868744022, 7) as number, bindingReplicas: 10 });
    expectValid(r.objects);
  });

  test('headroom and an off-peak rate set max and min; a given maxReplicas that covers the peak is kept', () => {
    const sized = autoscale(service('torchserve'), { target: ScalingTarget.latencySlo({ ...slo, headroom: 1.5, offPeakRps: 100 }) });
    // Off peak, 100 rps: 4 replicas hold p99 ≤ 100 ms (95.3 ms; 3 give 117.8 ms).
    expect((sized.objects[0]!['spec'] as Record<string, unknown>)['minReplicas']).toBe(4);
    expect((sized.objects[0]!['spec'] as Record<string, unknown>)['maxReplicas']).toBe(15);
    const fixed = autoscale(service('torchserve'), { target: ScalingTarget.latencySlo(slo), maxReplicas: 12, minReplicas: 3 });
    expect(fixed.report).toMatchObject({ minReplicas: 3, maxReplicas: 12 });
    expectValid([...sized.objects, ...fixed.objects]);
  });
});

describe('behaviour', () => {
  test('given windows, policies and selection are written as given', () => {
    const r = autoscale(service('torchserve'), {
      target: ScalingTarget.cpuUtilization(60),
      maxReplicas: 8,
      scaleUp: { stabilizationWindow: Duration.seconds(30), policies: [ScalingRateOf.pods(2, 60)], selectPolicy: PolicySelection.MIN },
      scaleDown: { stabilizationWindow: Duration.minutes(60), policies: [ScalingRateOf.percent(10, 1800), ScalingRateOf.pods(1, 1)], selectPolicy: PolicySelection.DISABLED },
    });
    expect((r.objects[0]!['spec'] as Record<string, unknown>)['behavior']).toEqual({
      scaleUp: { stabilizationWindowSeconds: 30, selectPolicy: 'Min', policies: [{ type: 'Pods', value: 2, periodSeconds: 60 }] },
      scaleDown: {
        stabilizationWindowSeconds: 3600,
        selectPolicy: 'Disabled',
        policies: [
          { type: 'Percent', value: 10, periodSeconds: 1800 },
          { type: 'Pods', value: 1, periodSeconds: 1 },
        ],
      },
    });
    expect(r.report.scaleUp.rule).toBe('given');
    expectValid(r.objects);
  });

  test('the scale-up window stays 0 s whatever the model load time; the cold start sets the scale-down window, capped at 3600 s', () => {
    const r = autoscale(service('custom', { modelLoadTime: Duration.hours(2) }), { target: ScalingTarget.cpuUtilization(60), maxReplicas: 8 });
    const behavior = (r.objects[0]!['spec'] as { behavior: { scaleUp: { stabilizationWindowSeconds: number }; scaleDown: { stabilizationWindowSeconds: number } } }).behavior;
    expect([behavior.scaleUp.stabilizationWindowSeconds, behavior.scaleDown.stabilizationWindowSeconds]).toEqual([0, 3600]);
    expect(r.report.scaleUp.rule).toMatch(/^Kubernetes' default \(0 s\): pods still loading count as serving nothing/);
    expectValid(r.objects);
  });
});

test('namespace, extra labels and the object name follow the service; the context may rename it', () => {
  const svc = service('torchserve', { namespace: 'ml', labels: { team: 'risk' } });
  const r = autoscale(svc, { target: ScalingTarget.cpuUtilization(70), maxReplicas: 10 });
  expect(r.objects[0]!.metadata).toEqual({ name: 'fraud', namespace: 'ml', labels: { team: 'risk', ...labelsOf('torchserve') } });
  expect(r.objects[0]!.metadata.labels).not.toBe(svc.deployment.metadata.labels);
  const renamed = renderAutoscaler(svc, { target: ScalingTarget.cpuUtilization(70), maxReplicas: 10 }, new Problems('test/fraud'), { name: 'fraud-scaler' });
  expect(renamed.autoscaler.metadata.name).toBe('fraud-scaler');
  expect((renamed.autoscaler['spec'] as { scaleTargetRef: unknown }).scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'fraud' });
  expect(renamed.report.name).toBe('fraud-scaler');
  expectValid([...r.objects, ...renamed.objects]);
});

/** Rates with periods in seconds, for brevity. */
const ScalingRateOf = {
  pods: (n: number, s: number) => ScalingRate.pods(n, Duration.seconds(s)),
  percent: (n: number, s: number) => ScalingRate.percent(n, Duration.seconds(s)),
};
