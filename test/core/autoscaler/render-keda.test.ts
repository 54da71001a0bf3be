/** The KEDA ScaledObject: exact objects for each target kind, scale to zero, valid against KEDA's CRD. */
import { ActivationSignal, AutoscalerEngine, Duration, ScalingTarget, type KubeObject } from '../../../lib/core';
import { loadCrd } from '../../support/crd-schemas';
import { validateK8sObject } from '../../support/k8s-validate';
import { autoscale, expectValid, K8S_DOWN_POLICIES, K8S_UP_POLICIES, labelsOf, service } from './support';

const PROMETHEUS = 'http://prometheus-operated.monitoring.svc:9090';
const POD = 'pod=~"fraud-[a-z0-9]+-[a-z0-9]+"';

/** The exact ScaledObject of the `fraud` service in namespace `ml`. */
function scaledObject(
  kind: 'torchserve' | 'triton' | 'vllm' | 'tfserving',
  windows: { up: number; down: number },
  triggers: Record<string, unknown>[],
  extra: Record<string, unknown> = {},
  replicas = { min: 2, max: 10 },
): KubeObject {
  return {
    apiVersion: 'keda.sh/v1alpha1',
    kind: 'ScaledObject',
    metadata: { name: 'fraud', namespace: 'ml', labels: labelsOf(kind) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'fraud' },
      minReplicaCount: replicas.min,
      maxReplicaCount: replicas.max,
      ...extra,
      advanced: {
        horizontalPodAutoscalerConfig: {
          behavior: {
            scaleUp: { stabilizationWindowSeconds: windows.up, selectPolicy: 'Max', policies: K8S_UP_POLICIES },
            scaleDown: { stabilizationWindowSeconds: windows.down, selectPolicy: 'Max', policies: K8S_DOWN_POLICIES },
          },
        },
      },
      triggers,
    },
  };
}

const prometheus = (query: string, threshold: string) => ({ type: 'prometheus', metricType: 'AverageValue', metadata: { serverAddress: PROMETHEUS, query, threshold } });
const keda = { engine: AutoscalerEngine.KEDA, maxReplicas: 10 } as const;

describe('triggers per target kind', () => {
  test('cpu and memory: KEDA\'s resource scalers', () => {
    const svc = service('torchserve', { namespace: 'ml' });
    const cpu = autoscale(svc, { ...keda, target: ScalingTarget.cpuUtilization(70) });
    expect(cpu.objects).toEqual([scaledObject('torchserve', { up: 0, down: 735 }, [{ type: 'cpu', metricType: 'Utilization', metadata: { value: '70' } }])]);
    const memory = autoscale(svc, { ...keda, target: ScalingTarget.memoryUtilization(80) });
    expect(memory.objects).toEqual([scaledObject('torchserve', { up: 0, down: 735 }, [{ type: 'memory', metricType: 'Utilization', metadata: { value: '80' } }])]);
    expectValid([...cpu.objects, ...memory.objects]);
  });

  test.each([
    ['torchserve', { up: 0, down: 735 }, `sum(rate(ts_queue_latency_microseconds{namespace="ml",${POD}}[1m])) / 1000000`, '1'],
    ['triton', { up: 0, down: 795 }, `sum(rate(nv_inference_queue_duration_us{namespace="ml",${POD}}[1m])) / 1000000`, '1'],
    ['tfserving', { up: 0, down: 735 }, `sum(rate(:tensorflow:serving:request_latency_sum{namespace="ml",${POD}}[1m])) / 1000000`, '4'],
    ['vllm', { up: 0, down: 1215 }, `sum(vllm:num_requests_waiting{namespace="ml",${POD}})`, '1'],
  ] as const)('the %s queue: a Prometheus trigger on the total over the service\'s pods', (kind, windows, query, threshold) => {
    const r = autoscale(service(kind, { namespace: 'ml' }), { ...keda, target: ScalingTarget.runtimeQueue() });
    expect(r.objects).toEqual([scaledObject(kind, windows, [prometheus(query, threshold)])]);
    expect(r.report.adapterRules).toEqual([]);
    expect(r.report.signal.query).toBe(query);
    expectValid(r.objects);
  });

  test('requests per second and GPU utilization', () => {
    const svc = service('vllm', { namespace: 'ml' });
    const rps = autoscale(svc, { ...keda, target: ScalingTarget.requestsPerSecond(2.5) });
    expect(rps.objects).toEqual([scaledObject('vllm', { up: 0, down: 1215 }, [prometheus(`sum(rate(vllm:request_success_total{namespace="ml",${POD}}[1m]))`, '2.5')])]);
    const gpu = autoscale(svc, { ...keda, target: ScalingTarget.gpuUtilization(75) });
    expect(gpu.objects).toEqual([
      scaledObject('vllm', { up: 0, down: 1215 }, [
        prometheus('sum(avg by (exported_namespace, exported_pod) (DCGM_FI_DEV_GPU_UTIL{exported_namespace="ml",exported_pod=~"fraud-[a-z0-9]+-[a-z0-9]+"}))', '75'),
      ]),
    ]);
    expectValid([...rps.objects, ...gpu.objects]);
  });

  test('without a namespace the query matches pods by name only, and the report says so', () => {
    const r = autoscale(service('triton'), { ...keda, target: ScalingTarget.runtimeQueue(2), prometheusUrl: 'https://prom.example.com/api' });
    const trigger = (r.objects[0]!['spec'] as { triggers: { metadata: Record<string, string> }[] }).triggers[0]!;
    expect(trigger.metadata).toEqual({ serverAddress: 'https://prom.example.com/api', query: `sum(rate(nv_inference_queue_duration_us{${POD}}[1m])) / 1000000`, threshold: '2' });
    expect(r.report.notes).toContain('The query matches pods named fraud-… in every namespace: give the workload a namespace to confine it.');
    expectValid(r.objects);
  });
});

test('a latency SLO with the queue guard: two Prometheus triggers, the guard\'s threshold rounded up', () => {
  const target = ScalingTarget.latencySlo({ p99: Duration.millis(100), peakRps: 400, serviceTime: Duration.millis(20), queueGuard: true });
  const r = autoscale(service('torchserve', { namespace: 'ml' }), { target, engine: AutoscalerEngine.KEDA });
  expect(r.objects).toEqual([
    scaledObject('torchserve', { up: 0, down: 735 }, [
      prometheus(`sum(rate(ts_inference_requests_total{namespace="ml",${POD}}[1m]))`, '16.063'),
      prometheus(`sum(rate(ts_queue_latency_microseconds{namespace="ml",${POD}}[1m])) / 1000000`, '0.187'),
    ]),
  ]);
  // The replay models KEDA's External AverageValue metrics.
  expect(r.report.simulation!.metrics).toEqual([
    { type: 'External', signal: 'rps', target: { type: 'AverageValue', averageValue: 16.063 } },
    { type: 'External', signal: 'queueLength', target: { type: 'AverageValue', averageValue: 0.187 } },
  ]);
  expectValid(r.objects);
});

describe('scale to zero (KEDA implied)', () => {
  test('idleReplicaCount 0; cooldown and initial cooldown from the cold start; an activation-only trigger', () => {
    const r = autoscale(service('torchserve', { namespace: 'ml' }), {
      target: ScalingTarget.runtimeQueue(),
      maxReplicas: 10,
      scaleToZero: { activation: ActivationSignal.prometheus('sum(rate(nginx_ingress_controller_requests{exported_service="fraud"}[2m]))') },
    });
    expect(r.report.engine).toBe(AutoscalerEngine.KEDA);
    expect(r.objects).toEqual([
      scaledObject(
        'torchserve',
        { up: 0, down: 735 },
        [
          prometheus(`sum(rate(ts_queue_latency_microseconds{namespace="ml",${POD}}[1m])) / 1000000`, '1'),
          {
            type: 'prometheus',
            metricType: 'AverageValue',
            metadata: { serverAddress: PROMETHEUS, query: 'sum(rate(nginx_ingress_controller_requests{exported_service="fraud"}[2m]))', threshold: '1000000000', activationThreshold: '0' },
          },
        ],
        { idleReplicaCount: 0, cooldownPeriod: 735, initialCooldownPeriod: 735 },
      ),
    ]);
    // The cold start: image pull 300 + download 300 + load 120 + one startup (10) and one readiness (5) period.
    expect(r.report.coldStart).toEqual({
      podReadySeconds: 735,
      imagePullSeconds: 300,
      downloadSeconds: 300,
      modelLoadSeconds: 120,
      probeSeconds: 15,
      pollingIntervalSeconds: 30,
      idleAfterSeconds: 735,
      activation: 'ActivationSignal.prometheus("sum(rate(nginx_ingress_controller_requests{exported_service=\\"fraud\\"}[2m]))", 0)',
    });
    expect(r.report.notes).toContain('Scaling to zero: the first request after idling waits up to 765 s (KEDA\'s 30 s polling + a 735 s cold start).');
    expectValid(r.objects);
  });

  test('a schedule and a given idle time; minReplicas stays the floor while active', () => {
    const r = autoscale(service('vllm', { namespace: 'ml' }), {
      target: ScalingTarget.gpuUtilization(60),
      minReplicas: 1,
      maxReplicas: 3,
      scaleToZero: { activation: ActivationSignal.schedule('Europe/Berlin', '0 8 * * 1-5', '0 18 * * 1-5'), idleAfter: Duration.minutes(30) },
    });
    const spec = r.objects[0]!['spec'] as Record<string, unknown>;
    expect([spec['minReplicaCount'], spec['maxReplicaCount'], spec['idleReplicaCount'], spec['cooldownPeriod'], spec['initialCooldownPeriod']]).toEqual([1, 3, 0, 1800, 1215]);
    expect((spec['triggers'] as unknown[])[1]).toEqual({ type: 'cron', metadata: { timezone: 'Europe/Berlin', start: '0 8 * * 1-5', end: '0 18 * * 1-5', desiredReplicas: '1' } });
    expect(r.report.coldStart).toMatchObject({ podReadySeconds: 1215, modelLoadSeconds: 600, idleAfterSeconds: 1800 });
    expectValid(r.objects);
  });
});

describe('the registered CRD schema has teeth', () => {
  const base = () => autoscale(service('torchserve', { namespace: 'ml' }), { ...keda, target: ScalingTarget.runtimeQueue() }).autoscaler;

  test('a misspelled field, a wrong type and a missing required field are reported', () => {
    const typo = base();
    (typo['spec'] as Record<string, unknown>)['cooldownPeriods'] = 300;
    expect(validateK8sObject(typo).map((p) => p.path)).toEqual(['spec.cooldownPeriods']);
    const wrongType = base();
    (wrongType['spec'] as Record<string, unknown>)['minReplicaCount'] = '2';
    expect(validateK8sObject(wrongType).map((p) => p.path)).toEqual(['spec.minReplicaCount']);
    const missing = base();
    delete (missing['spec'] as Record<string, unknown>)['triggers'];
    expect(validateK8sObject(missing).map((p) => p.path)).toEqual(['spec.triggers']);
  });

  test('the copied CRD is KEDA v2.20.2\'s ScaledObject, keda.sh/v1alpha1', () => {
    const crd = loadCrd('keda.sh_scaledobjects.yaml') as { spec: { group: string; names: { kind: string }; versions: { name: string }[] } };
    expect([crd.spec.group, crd.spec.names.kind, crd.spec.versions.map((v) => v.name)]).toEqual(['keda.sh', 'ScaledObject', ['v1alpha1']]);
  });
});
