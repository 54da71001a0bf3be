/**
 * Autoscaling any workload through IScalableWorkload: a ModelService through its adapter (the
 * same objects as before), Deployments and StatefulSets described with ScalableWorkload, and
 * the problems of a described workload or of a target it cannot serve.
 */
import {
  ActivationSignal,
  AutoscalerEngine,
  Duration,
  ModelImage,
  Problems,
  renderAutoscaler,
  Runtime,
  ScalableWorkload,
  scalableModelService,
  ScalingTarget,
  type IScalableWorkload,
  type KubeObject,
  type ScalableWorkloadOptions,
} from '../../../lib/core';
import { validationErrorOf, withoutConstruct } from '../../support/problems';
import { autoscale, expectValid, service } from './support';

const scorer = (extra: Partial<ScalableWorkloadOptions> = {}): ScalableWorkloadOptions => ({
  name: 'scorer',
  namespace: 'serving',
  containers: [
    { name: 'server', requests: { cpu: '2', memory: '4Gi' } },
    { name: 'proxy', requests: { cpu: '100m', memory: '64Mi' } },
  ],
  modelLoadTime: Duration.seconds(90),
  metrics: { path: '/metrics', port: 8082, scalingMetric: 'ts_queue_latency_microseconds' },
  ...extra,
});
const render = (workload: IScalableWorkload, options: Parameters<typeof renderAutoscaler>[1]) => renderAutoscaler(workload, options, new Problems('test/scorer'));
const problemsOf = (workload: IScalableWorkload, options: Parameters<typeof renderAutoscaler>[1]) =>
  // A problem reported elsewhere than test/scorer keeps its construct, so the comparison fails.
  validationErrorOf(() => render(workload, options)).problems.map((p) => (p.construct === 'test/scorer' ? withoutConstruct(p) : p));
const specOf = (o: KubeObject) => o['spec'] as Record<string, unknown>;

describe('a ModelService through scalableModelService', () => {
  // Rendering a RenderedModelService goes through this adapter: render-hpa and render-keda pin what it emits.
  test('it reads the Deployment, the runtime\'s metrics and the budget', () => {
    const svc = service('torchserve', { namespace: 'serving' });
    const w = scalableModelService(svc);
    expect(w.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'fraud' });
    expect(w.namespace).toBe('serving');
    expect(w.podNamePattern).toBe('fraud-[a-z0-9]+-[a-z0-9]+');
    expect(w.containers.map((c) => [c.name, c.requests?.['cpu']])).toEqual([['server', '1']]);
    expect(w.scalingMetric).toBe('ts_queue_latency_microseconds');
    expect(w.metrics).toEqual(svc.profile.metrics);
    expect(w.budget).toBe(svc.budget);
    expect(w.description).toBe('the torchserve runtime');
  });
});

describe('a Deployment described with ScalableWorkload', () => {
  test('an HPA on its queue: the scale target, namespace and labels are the workload\'s', () => {
    const r = render(ScalableWorkload.deployment(scorer({ labels: { team: 'risk' } })), { target: ScalingTarget.runtimeQueue(), maxReplicas: 8 });
    expectValid(r.objects);
    expect(r.autoscaler.metadata).toEqual({ name: 'scorer', namespace: 'serving', labels: { team: 'risk' } });
    expect(specOf(r.autoscaler)['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'scorer' });
    expect(specOf(r.autoscaler)['metrics']).toEqual([{ type: 'Pods', pods: { metric: { name: 'modelship_torchserve_queue_length' }, target: { type: 'AverageValue', averageValue: '1' } } }]);
    expect(r.report.workload).toBe('Deployment/scorer');
    expect(r.report.signal.description).toBe('requests waiting per pod, from Deployment/scorer\'s ts_queue_latency_microseconds');
    // Scale-down waits for the cold start: 300 s pull + 90 s load + 15 s of probes.
    expect(r.report.scaleDown.stabilizationWindowSeconds).toBe(405);
  });

  test('a StatefulSet\'s pods are <name>-<ordinal> in KEDA\'s query; the cold start is its budget', () => {
    const r = render(ScalableWorkload.statefulSet(scorer({ imagePullTime: Duration.seconds(60), downloadTime: Duration.seconds(30) })), {
      target: ScalingTarget.runtimeQueue(2),
      maxReplicas: 4,
      scaleToZero: { activation: ActivationSignal.prometheus('sum(rate(istio_requests_total{destination_workload="scorer"}[2m]))') },
    });
    expectValid(r.objects);
    expect(r.autoscaler.kind).toBe('ScaledObject');
    expect(specOf(r.autoscaler)['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'scorer' });
    expect(r.report.signal.query).toBe('sum(rate(ts_queue_latency_microseconds{namespace="serving",pod=~"scorer-[0-9]+"}[1m])) / 1000000');
    // 60 s pull + 30 s download + 90 s load + 15 s of probes.
    expect(r.report.coldStart).toMatchObject({ podReadySeconds: 195, imagePullSeconds: 60, downloadSeconds: 30, modelLoadSeconds: 90, probeSeconds: 15, idleAfterSeconds: 195 });
    expect(specOf(r.autoscaler)).toMatchObject({ idleReplicaCount: 0, cooldownPeriod: 195, initialCooldownPeriod: 195 });
  });

  test('from a manifest: name, namespace, labels and every container the HPA counts, sidecars included', () => {
    const manifest: KubeObject = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'ranker', namespace: 'search', labels: { app: 'ranker' } },
      spec: {
        selector: { matchLabels: { app: 'ranker' } },
        template: {
          metadata: { labels: { app: 'ranker' } },
          spec: {
            initContainers: [
              { name: 'fetch', image: 'fetch:1', resources: { requests: { cpu: '1' } } },
              { name: 'envoy', image: 'envoy:1', restartPolicy: 'Always' },
            ],
            containers: [{ name: 'server', image: 'ranker:1', resources: { requests: { cpu: '4' }, limits: { 'nvidia.com/gpu': '1' } } }],
          },
        },
      },
    };
    const w = ScalableWorkload.fromManifest(manifest, { modelLoadTime: Duration.minutes(3) });
    expect(w.containers).toEqual([{ name: 'server', requests: { cpu: '4' }, limits: { 'nvidia.com/gpu': '1' } }, { name: 'envoy' }]);
    expect(w.labels).toEqual({ app: 'ranker' });
    const gpu = render(w, { target: ScalingTarget.gpuUtilization(60), maxReplicas: 4 });
    expectValid(gpu.objects);
    expect(gpu.autoscaler.metadata).toEqual({ name: 'ranker', namespace: 'search', labels: { app: 'ranker' } });
    // The sidecar has no CPU request: the HPA could not compute utilization for these pods.
    expect(problemsOf(w, { target: ScalingTarget.cpuUtilization(70), maxReplicas: 4 })).toEqual([
      {
        prop: 'target',
        given: 'ScalingTarget.cpuUtilization(70)',
        allowed: 'expected every container of the pods to request cpu: utilization is a percentage of the request, and the HPA computes none for pods with a container without one (envoy has none)',
      },
    ]);
  });
});

describe('problems', () => {
  test('a described workload is checked by the names the user wrote, every problem at once', () => {
    const bad = ScalableWorkload.deployment({
      name: 'Scorer',
      namespace: 'team_a',
      containers: [{ name: 'server', requests: { cpu: 'two' } }],
      modelLoadTime: 90 as unknown as Duration,
      imagePullTime: Duration.seconds(-5),
      metrics: { path: 'metrics', port: 70000, scalingMetric: 'queue-depth' },
    });
    expect(problemsOf(bad, { target: ScalingTarget.runtimeQueue(), maxReplicas: 4 })).toEqual([
      { prop: 'workload.name', given: '"Scorer"', allowed: 'expected an RFC 1123 label of at most 63 characters (KEDA\'s queries match the pods by name)' },
      { prop: 'workload.namespace', given: '"team_a"', allowed: 'expected an RFC 1123 label of at most 63 characters' },
      { prop: 'workload.containers[0].requests.cpu', given: '"two"', allowed: 'expected a Kubernetes quantity, e.g. "500m" or "4Gi"' },
      { prop: 'workload.modelLoadTime', given: '90', allowed: 'expected a Duration: how long the server takes to load its model' },
      { prop: 'workload.imagePullTime', given: expect.any(String), allowed: 'expected a Duration of at least 0 s' },
      { prop: 'workload.metrics.path', given: '"metrics"', allowed: 'expected an absolute HTTP path, e.g. "/metrics"' },
      { prop: 'workload.metrics.port', given: '70000', allowed: 'expected a port number from 1 to 65535 or a container port name' },
      { prop: 'workload.metrics.scalingMetric', given: '"queue-depth"', allowed: 'expected a Prometheus metric name, e.g. "ts_queue_latency_microseconds"' },
    ]);
  });

  test('a manifest that fixes replicas, or of a kind modelship cannot name the pods of, is refused', () => {
    const manifest = (kind: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind, metadata: { name: 'scorer' }, spec: { ...spec, template: { spec: { containers: [{ name: 'server', resources: { requests: { cpu: '1' } } }] } } } });
    const options = { target: ScalingTarget.cpuUtilization(70), maxReplicas: 4 };
    expect(problemsOf(ScalableWorkload.fromManifest(manifest('Deployment', { replicas: 3 }), { modelLoadTime: Duration.seconds(30) }), options)).toEqual([
      { prop: 'workload.spec.replicas', given: '3', allowed: 'expected no replicas: the autoscaler owns spec.replicas, and every apply of the manifest would reset its count (size it with minReplicas)' },
    ]);
    expect(problemsOf(ScalableWorkload.fromManifest(manifest('DaemonSet', {}), { modelLoadTime: Duration.seconds(30) }), options)).toEqual([
      { prop: 'workload.kind', given: '"DaemonSet"', allowed: 'expected Deployment or StatefulSet: for another kind implement IScalableWorkload with the names its pods get' },
    ]);
  });

  test('signals the workload does not expose name the target, the value and what to set', () => {
    const plain = ScalableWorkload.deployment(scorer({ metrics: undefined }));
    expect(problemsOf(plain, { target: ScalingTarget.runtimeQueue(), maxReplicas: 4 })).toEqual([
      { prop: 'target', given: 'ScalingTarget.runtimeQueue()', allowed: 'expected a signal Deployment/scorer exposes: it declares no scaling metric (set metrics.scalingMetric of the workload), so there is no queue to scale on' },
    ]);
    // A gauge of unknown meaning: a queue target, but no request counter for requestsPerSecond.
    const gauge = ScalableWorkload.deployment(scorer({ metrics: { path: '/metrics', port: 'metrics', scalingMetric: 'queue_depth' } }));
    expect(problemsOf(gauge, { target: ScalingTarget.requestsPerSecond(20), maxReplicas: 4 })).toEqual([
      {
        prop: 'target',
        given: 'ScalingTarget.requestsPerSecond(20)',
        allowed: 'expected a request counter Deployment/scorer exposes: it has none modelship knows; scale on ScalingTarget.runtimeQueue() (its scalingMetric) or ScalingTarget.cpuUtilization() instead',
      },
    ]);
    expect(problemsOf(gauge, { target: ScalingTarget.gpuUtilization(60), maxReplicas: 4 })).toEqual([
      { prop: 'target', given: 'ScalingTarget.gpuUtilization(60)', allowed: 'expected pods with GPUs: the pods request none, so the DCGM exporter reports no utilization for them (give a container an nvidia.com/gpu limit)' },
    ]);
    expect(render(gauge, { target: ScalingTarget.runtimeQueue(5), maxReplicas: 4, engine: AutoscalerEngine.KEDA }).report.signal.query).toBe('sum(queue_depth{namespace="serving",pod=~"scorer-[a-z0-9]+-[a-z0-9]+"})');
  });

  test('a ModelService whose container has no memory request cannot scale on memory utilization', () => {
    // A ModelService always requests CPU and memory, so the default service scales on either.
    expect(() => autoscale(service('torchserve'), { target: ScalingTarget.memoryUtilization(80), maxReplicas: 4 })).not.toThrow();
    const custom = service('custom', { runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2') }) });
    const stripped = { ...scalableModelService(custom), containers: [{ name: 'server', requests: { cpu: '1' } }] };
    expect(problemsOf(stripped, { target: ScalingTarget.memoryUtilization(80), maxReplicas: 4 })[0]!.allowed).toMatch(/^expected every container of the pods to request memory: .* \(server has none\)$/);
  });
});
