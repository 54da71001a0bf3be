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
} from '../../../lib/core';
import { MINIMAL_PROPS, render } from '../../support/fixtures';
import { documented, type DefaultCases } from './cases';

const F = 'autoscaling/autoscaler-props.ts';
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

export const AUTOSCALER_DEFAULTS: DefaultCases = {
  [`${F}:ScaleUpOptions.stabilizationWindow`]: documented('- the model load time (`budget.modelLoadSeconds`), at most 3600 s', () => {
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 })).scaleUp.stabilizationWindowSeconds).toBe(120);
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'vllm')).scaleUp.stabilizationWindowSeconds).toBe(600);
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'custom', { modelLoadTime: Duration.minutes(7) })).scaleUp.stabilizationWindowSeconds).toBe(420);
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'custom', { modelLoadTime: Duration.hours(3) })).scaleUp.stabilizationWindowSeconds).toBe(3600);
    // Given other scale-up options, the window still defaults.
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4, scaleUp: { policies: [ScalingRate.pods(1, Duration.seconds(60))] } })).scaleUp.stabilizationWindowSeconds).toBe(120);
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
  [`${F}:AutoscalerOptions.scaleUp`]: documented('- window: the model load time; Kubernetes\' rate limits', () => {
    expect(behaviorOf(scale({ target: cpu, maxReplicas: 4 }, 'triton')).scaleUp).toEqual({
      stabilizationWindowSeconds: 180,
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
  [`${R}:AutoscalerRenderContext.name`]: documented('- the service\'s name', () => {
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
};
