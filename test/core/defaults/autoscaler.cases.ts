/** The documented defaults of the autoscaler (autoscaling/autoscaler-props.ts, scaling-target.ts, render-autoscaler.ts). */
import {
  ActivationSignal,
  AutoscalerEngine,
  Duration,
  ModelImage,
  Problems,
  renderAutoscaler,
  Runtime,
  ScalingRate,
  ScalingTarget,
  type AutoscalerOptions,
  type KubeObject,
  type ModelServiceProps,
  type RenderedAutoscaler,
  ScalableWorkload,
  type ScalableWorkloadOptions,
} from '../../../lib/core';
import { MINIMAL_PROPS, render } from '../../support/fixtures';
import { documented, type DefaultCases } from './cases';

const F = 'autoscaling/autoscaler-props.ts';
const W = 'autoscaling/scalable-workload.ts';
const T = 'autoscaling/scaling-target.ts';
const R = 'autoscaling/render-autoscaler.ts';

const svc = (kind: keyof typeof MINIMAL_PROPS, extra: Partial<ModelServiceProps> = {}) => render({ ...MINIMAL_PROPS[kind](), ...extra });
const scale = (options: AutoscalerOptions, kind: keyof typeof MINIMAL_PROPS = 'torchserve', extra: Partial<ModelServiceProps> = {}): RenderedAutoscaler =>
  renderAutoscaler(svc(kind, extra), options, new Problems('test/fraud'));
const specOf = (o: KubeObject) => o['spec'] as Record<string, unknown>;
type Rules = { stabilizationWindowSeconds: number; selectPolicy: string; policies: { type: string; value: number; periodSeconds: number }[] };
const behaviorOf = (r: RenderedAutoscaler) => specOf(r.autoscaler)['behavior'] as { scaleUp: Rules; scaleDown: Rules };
const cpu = ScalingTarget.cpuUtilization(70);
const activation = ActivationSignal.prometheus('sum(rate(nginx_ingress_controller_requests{exported_service="fraud"}[2m]))');
/** λ = 400/s, S = 20 ms, p99 ≤ 100 ms: 10 replicas at peak (slo-sizing.test.ts). */
const slo = { p99: Duration.millis(100), peakRps: 400, serviceTime: Duration.millis(20) };

/** A Deployment described for an autoscaler, with `extra`. */
const scorer = (extra: Partial<ScalableWorkloadOptions> = {}) =>
  ScalableWorkload.deployment({ name: 'scorer', containers: [{ name: 'server', requests: { cpu: '2', memory: '4Gi' } }], modelLoadTime: Duration.seconds(90), ...extra });
const scaleWorkload = (workload: ScalableWorkload, options: AutoscalerOptions = { target: cpu, maxReplicas: 4 }): RenderedAutoscaler => renderAutoscaler(workload, options, new Problems('test/scorer'));
const queueTarget = { target: ScalingTarget.runtimeQueue(), maxReplicas: 4 };

export const AUTOSCALER_DEFAULTS: DefaultCases = {
  [`${F}:ScaleUpOptions.stabilizationWindow`]: documented('0 - Kubernetes\' default: scale up at the sync that recommends it', () => {
    // Not tied to the model load time (bench/results/autoscaling.md measured that it only adds time in violation).
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 })).scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'vllm')).scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'custom', { modelLoadTime: Duration.hours(3) })).scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(behaviorOf(scale({ target: ScalingTarget.latencySlo(slo) })).scaleUp.stabilizationWindowSeconds).toBe(0);
    // Given other scale-up options, the window still defaults; given a window, it is written.
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4, scaleUp: { policies: [ScalingRate.pods(1, Duration.seconds(60))] } })).scaleUp.stabilizationWindowSeconds).toBe(0);
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4, scaleUp: { stabilizationWindow: Duration.seconds(45) } })).scaleUp.stabilizationWindowSeconds).toBe(45);
  }),
  [`${F}:ScaleUpOptions.policies`]: documented('- Kubernetes\': ScalingRate.pods(4, Duration.seconds(15)) and ScalingRate.percent(100, Duration.seconds(15))', () => {
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4, scaleUp: { stabilizationWindow: Duration.seconds(0) } })).scaleUp.policies).toEqual([
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
  }),
  [`${F}:ScaleUpOptions.selectPolicy`]: documented('PolicySelection.MAX', () => {
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4, scaleUp: { stabilizationWindow: Duration.seconds(0) } })).scaleUp.selectPolicy).toBe('Max');
  }),
  [`${F}:ScaleDownOptions.stabilizationWindow`]: documented('- the longer of Kubernetes\' 300 s and the cold start (`budget.podReadySeconds`), at most 3600 s', () => {
    // TorchServe: 300 s pull + 300 s download + 120 s load + 15 s of probes.
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 })).scaleDown.stabilizationWindowSeconds).toBe(735);
    // A custom image that pulls in 10 s and loads in 20 s is ready in 45 s: Kubernetes' 300 s.
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'custom', { imagePullTime: Duration.seconds(10), modelLoadTime: Duration.seconds(20) })).scaleDown.stabilizationWindowSeconds).toBe(300);
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'custom', { modelLoadTime: Duration.hours(3) })).scaleDown.stabilizationWindowSeconds).toBe(3600);
  }),
  [`${F}:ScaleDownOptions.policies`]: documented('- Kubernetes\': ScalingRate.percent(100, Duration.seconds(15))', () => {
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4, scaleDown: { stabilizationWindow: Duration.seconds(60) } })).scaleDown.policies).toEqual([{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  }),
  [`${F}:ScaleDownOptions.selectPolicy`]: documented('PolicySelection.MAX', () => {
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4, scaleDown: { stabilizationWindow: Duration.seconds(60) } })).scaleDown.selectPolicy).toBe('Max');
  }),
  [`${F}:ScaleToZeroOptions.idleAfter`]: documented('- the cold start (`budget.podReadySeconds`)', () => {
    expect(specOf(scale({ target: cpu, maxReplicas: 4, scaleToZero: { activation } }).autoscaler)['cooldownPeriod']).toBe(735);
    expect(specOf(scale({ target: cpu, maxReplicas: 4, scaleToZero: { activation } }, 'vllm').autoscaler)['cooldownPeriod']).toBe(1215);
  }),
  [`${F}:AutoscalerOptions.minReplicas`]: documented('- from the SLO sizing with `ScalingTarget.latencySlo`, else 2 (so a PodDisruptionBudget can let one go)', () => {
    expect(specOf(scale({ target: cpu, maxReplicas: 4 }).autoscaler)['minReplicas']).toBe(2);
    expect(specOf(scale({ target: cpu, maxReplicas: 4, engine: AutoscalerEngine.KEDA }).autoscaler)['minReplicaCount']).toBe(2);
    // Off peak 100 rps: 4 replicas hold the objective.
    expect(specOf(scale({ target: ScalingTarget.latencySlo({ ...slo, offPeakRps: 100 }) }).autoscaler)['minReplicas']).toBe(4);
  }),
  [`${F}:AutoscalerOptions.maxReplicas`]: documented('- from the SLO sizing (required with any other target)', () => {
    expect(specOf(scale({ target: ScalingTarget.latencySlo(slo) }).autoscaler)['maxReplicas']).toBe(10);
    expect(() => scale({ target: cpu })).toThrow(/maxReplicas: got nothing; expected the most replicas to run/);
  }),
  [`${F}:AutoscalerOptions.engine`]: documented('- AutoscalerEngine.KEDA with scaleToZero, else AutoscalerEngine.HPA', () => {
    expect(scale({ target: cpu, maxReplicas: 4 }).autoscaler.kind).toBe('HorizontalPodAutoscaler');
    expect(scale({ target: cpu, maxReplicas: 4, scaleToZero: { activation } }).autoscaler.kind).toBe('ScaledObject');
  }),
  [`${F}:AutoscalerOptions.scaleUp`]: documented('- Kubernetes\': no window, its rate limits', () => {
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'triton')).scaleUp).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
  }),
  [`${F}:AutoscalerOptions.scaleDown`]: documented('- window: the longer of 300 s and the cold start; Kubernetes\' rate limits', () => {
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'triton')).scaleDown).toEqual({ stabilizationWindowSeconds: 795, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] });
  }),
  [`${F}:AutoscalerOptions.scaleToZero`]: documented('- never: at least minReplicas always run', () => {
    const spec = specOf(scale({ target: cpu, maxReplicas: 4, engine: AutoscalerEngine.KEDA }).autoscaler);
    expect(spec['minReplicaCount']).toBe(2);
    for (const key of ['idleReplicaCount', 'cooldownPeriod', 'initialCooldownPeriod']) expect(spec).not.toHaveProperty(key);
    expect(scale({ target: cpu, maxReplicas: 4 }).report.coldStart).toBeUndefined();
  }),
  [`${F}:AutoscalerOptions.prometheusUrl`]: documented('"http://prometheus-operated.monitoring.svc:9090"', () => {
    const spec = specOf(scale({ target: ScalingTarget.runtimeQueue(), maxReplicas: 4, engine: AutoscalerEngine.KEDA }).autoscaler);
    expect((spec['triggers'] as { metadata: { serverAddress: string } }[])[0]!.metadata.serverAddress).toBe('http://prometheus-operated.monitoring.svc:9090');
  }),
  [`${R}:AutoscalerRenderContext.name`]: documented('- the workload\'s name', () => {
    expect(renderAutoscaler(svc('torchserve', { name: 'ranker' }), { target: cpu, maxReplicas: 4 }, new Problems('test/ranker')).autoscaler.metadata.name).toBe('ranker');
  }),
  [`${T}:LatencySloOptions.p99`]: documented('- none: give `p99` or `mean`', () => {
    const mean = scale({ target: ScalingTarget.latencySlo({ mean: Duration.millis(25), peakRps: 400, serviceTime: Duration.millis(20) }) }).report.sizing!;
    expect(mean.objective).toEqual({ latencySeconds: 0.025 });
    expect(() => scale({ target: ScalingTarget.latencySlo({ peakRps: 400, serviceTime: Duration.millis(20) }) })).toThrow(/target\.p99: got nothing; expected an objective: p99 or mean/);
  }),
  [`${T}:LatencySloOptions.mean`]: documented('- none: give `p99` or `mean`', () => {
    expect(scale({ target: ScalingTarget.latencySlo(slo) }).report.sizing!.objective).toEqual({ latencySeconds: 0.1, percentile: 0.99 });
  }),
  [`${T}:LatencySloOptions.serviceTime`]: documented('- none: give `serviceTime` or `throughputPerReplica`', () => {
    expect(scale({ target: ScalingTarget.latencySlo({ p99: Duration.millis(100), peakRps: 400, throughputPerReplica: 50 }) }).report.sizing).toMatchObject({ serviceTimeSeconds: 0.02, replicasAtPeak: 10 });
    expect(() => scale({ target: ScalingTarget.latencySlo({ p99: Duration.millis(100), peakRps: 400 }) })).toThrow(/target\.serviceTime: got nothing; expected the service time of one request, or throughputPerReplica/);
  }),
  [`${T}:LatencySloOptions.throughputPerReplica`]: documented('- none: give `serviceTime` or `throughputPerReplica`', () => {
    expect(scale({ target: ScalingTarget.latencySlo(slo) }).report.sizing).toMatchObject({ serviceTimeSeconds: 0.02, replicaCapacityRps: 50 });
  }),
  [`${T}:LatencySloOptions.concurrencyPerReplica`]: documented('1', () => {
    expect(scale({ target: ScalingTarget.latencySlo(slo) }).report.sizing).toMatchObject({ concurrencyPerReplica: 1, replicasAtPeak: 10 });
    expect(scale({ target: ScalingTarget.latencySlo({ ...slo, concurrencyPerReplica: 4 }) }).report.sizing).toMatchObject({ concurrencyPerReplica: 4, replicasAtPeak: 3 });
  }),
  [`${T}:LatencySloOptions.offPeakRps`]: documented('- none: minReplicas is 2', () => {
    const sizing = scale({ target: ScalingTarget.latencySlo(slo) }).report.sizing!;
    expect(sizing.minReplicas).toBe(2);
    expect(sizing).not.toHaveProperty('offPeakReplicas');
  }),
  [`${T}:LatencySloOptions.headroom`]: documented('1', () => {
    expect(scale({ target: ScalingTarget.latencySlo(slo) }).report.sizing).toMatchObject({ headroom: 1, replicasAtPeak: 10, maxReplicas: 10 });
  }),
  [`${T}:LatencySloOptions.queueGuard`]: documented('false', () => {
    const r = scale({ target: ScalingTarget.latencySlo(slo) });
    expect((specOf(r.autoscaler)['metrics'] as unknown[]).length).toBe(1);
    expect(r.report.guard).toBeUndefined();
    expect(r.report.sizing!.guard).toBeUndefined();
  }),
  [`${T}:ScalingTarget.runtimeQueue`]: documented('- the runtime\'s: 1 request waiting per pod (TorchServe, Triton, vLLM), 4 requests in flight (TF Serving), 1 (custom)', () => {
    const target = (r: RenderedAutoscaler) => (specOf(r.autoscaler)['metrics'] as { pods: { target: { averageValue: string } } }[])[0]!.pods.target.averageValue;
    const queue = { target: ScalingTarget.runtimeQueue(), maxReplicas: 4 };
    expect(['torchserve', 'triton', 'vllm', 'tfserving'].map((k) => target(scale(queue, k as keyof typeof MINIMAL_PROPS)))).toEqual(['1', '1', '1', '4']);
    const custom = { runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2'), metricsPath: '/metrics', scalingMetric: 'queue_depth' }) };
    expect(target(scale(queue, 'custom', custom))).toBe('1');
  }),
  [`${W}:AutoscalerProps.name`]: documented('- the workload\'s name', () => {
    expect(scaleWorkload(scorer()).autoscaler.metadata.name).toBe('scorer');
    expect(renderAutoscaler(scorer(), { target: cpu, maxReplicas: 4 }, new Problems('test/scorer'), { name: 'scorer-hpa' }).autoscaler.metadata.name).toBe('scorer-hpa');
  }),
  [`${W}:WorkloadContainer.requests`]: documented('- no requests', () => {
    const bare = ScalableWorkload.deployment({ name: 'scorer', containers: [{ name: 'server' }], modelLoadTime: Duration.seconds(90) });
    expect(bare.containers[0]).not.toHaveProperty('requests');
    expect(() => scaleWorkload(bare)).toThrow(/target: got ScalingTarget\.cpuUtilization\(70\); expected every container of the pods to request cpu/);
  }),
  [`${W}:WorkloadContainer.limits`]: documented('- no limits', () => {
    expect(() => scaleWorkload(scorer(), { target: ScalingTarget.gpuUtilization(60), maxReplicas: 4 })).toThrow(/expected pods with GPUs: the pods request none, so the DCGM exporter reports no utilization for them \(give a container an nvidia\.com\/gpu limit\)/);
  }),
  [`${W}:IScalableWorkload.namespace`]: documented('- none: the namespace the manifests are applied to, and KEDA\'s queries match pods of that name in every namespace', () => {
    const r = scaleWorkload(scorer({ metrics: { path: '/metrics', port: 8082, scalingMetric: 'ts_queue_latency_microseconds' } }), { ...queueTarget, engine: AutoscalerEngine.KEDA });
    expect(r.autoscaler.metadata).not.toHaveProperty('namespace');
    expect(r.report.signal.query).toBe('sum(rate(ts_queue_latency_microseconds{pod=~"scorer-[a-z0-9]+-[a-z0-9]+"}[1m])) / 1000000');
  }),
  [`${W}:IScalableWorkload.labels`]: documented('- no labels', () => {
    expect(scaleWorkload(scorer()).autoscaler.metadata).not.toHaveProperty('labels');
  }),
  [`${W}:IScalableWorkload.metrics`]: documented('- none: only CPU, memory and GPU utilization can be targets', () => {
    expect(() => scaleWorkload(scorer(), queueTarget)).toThrow(/expected a signal Deployment\/scorer exposes: it declares no scaling metric/);
  }),
  [`${W}:IScalableWorkload.scalingMetric`]: documented('- none: no runtimeQueue, requestsPerSecond or latencySlo target', () => {
    const metricsOnly = scorer({ metrics: { path: '/metrics', port: 8082 } });
    expect(metricsOnly.scalingMetric).toBeUndefined();
    expect(() => scaleWorkload(metricsOnly, { target: ScalingTarget.requestsPerSecond(10), maxReplicas: 4 })).toThrow(/expected a request counter Deployment\/scorer exposes/);
  }),
  [`${W}:IScalableWorkload.hints`]: documented('- the fields of {@link ScalableWorkloadOptions}', () => {
    expect(() => scaleWorkload(scorer(), queueTarget)).toThrow('it declares no scaling metric (set metrics.scalingMetric of the workload), so there is no queue to scale on');
  }),
  [`${W}:ScalableWorkloadOptions.namespace`]: documented('- none: the namespace the manifests are applied to', () => {
    expect(scorer().namespace).toBeUndefined();
    expect(scaleWorkload(scorer({ namespace: 'serving' })).autoscaler.metadata.namespace).toBe('serving');
  }),
  [`${W}:ScalableWorkloadOptions.labels`]: documented('- no labels', () => {
    expect(scorer().labels).toBeUndefined();
    expect(scaleWorkload(scorer({ labels: { team: 'risk' } })).autoscaler.metadata.labels).toEqual({ team: 'risk' });
  }),
  [`${W}:WorkloadStartupOptions.imagePullTime`]: documented('Duration.minutes(5) (as a ModelService\'s)', () => {
    // 300 s pull + 0 s download + 90 s load + 15 s of probes, as a ModelService with the same times.
    expect(scorer().budget).toEqual({ ...render({ ...MINIMAL_PROPS.custom(), modelLoadTime: Duration.seconds(90) }).budget, modelLoadSeconds: 90, downloadSeconds: 0 });
    expect(scorer().budget).toMatchObject({ imagePullSeconds: 300, podReadySeconds: 405 });
  }),
  [`${W}:WorkloadStartupOptions.downloadTime`]: documented('Duration.seconds(0)', () => {
    expect(scorer().budget.downloadSeconds).toBe(0);
    expect(scorer({ downloadTime: Duration.minutes(2) }).budget).toMatchObject({ downloadSeconds: 120, podReadySeconds: 525 });
  }),
  [`${W}:WorkloadStartupOptions.metrics`]: documented('- none: only CPU, memory and GPU utilization can be targets', () => {
    expect(scorer().metrics).toBeUndefined();
    expect(() => scaleWorkload(scorer(), { target: ScalingTarget.requestsPerSecond(10), maxReplicas: 4 })).toThrow(/expected a request counter Deployment\/scorer exposes/);
  }),
  [`${W}:WorkloadMetricsOptions.scalingMetric`]: documented('- none: no runtimeQueue, requestsPerSecond or latencySlo target', () => {
    expect(() => scaleWorkload(scorer({ metrics: { path: '/metrics', port: 8082 } }), queueTarget)).toThrow(/target: got ScalingTarget\.runtimeQueue\(\); expected a signal Deployment\/scorer exposes: it declares no scaling metric/);
  }),
};
