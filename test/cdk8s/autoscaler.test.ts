/**
 * The cdk8s Autoscaler on its own: any workload described with ScalableWorkload, a cdk8s-plus
 * Deployment or StatefulSet, an ApiObject; and reports/autoscaling.md, written once per synth
 * with every autoscaler of the app.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ApiObject, Chart, Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ActivationSignal,
  AutoscalerEngine,
  AUTOSCALING_REPORT_FILE,
  Autoscaler,
  Duration,
  ModelService,
  REPORTS_DIR,
  ScalableWorkload,
  scalableWorkloadOf,
  ScalingTarget,
  ValidationError,
  type KubeObject,
} from '../../lib';
import { registerCustomResourceSchemas } from '../support/crd-schemas';
import { MINIMAL_PROPS } from '../support/fixtures';
import { tempApp } from '../support/temp-app';
import { formatProblems, validateK8sObjects } from '../support/k8s-validate';

const unregister = registerCustomResourceSchemas();
afterAll(() => unregister());

function synthValid(chart: Chart): KubeObject[] {
  const objects = Testing.synth(chart) as KubeObject[];
  expect(formatProblems(validateK8sObjects(objects).filter((r) => r.problems.length > 0))).toBe('');
  return objects;
}
const byKind = (objects: KubeObject[], kind: string) => objects.filter((o) => o.kind === kind);
const specOf = (o: KubeObject | undefined) => o!['spec'] as Record<string, unknown>;

const scorer = () =>
  ScalableWorkload.deployment({
    name: 'scorer',
    containers: [{ name: 'server', requests: { cpu: '2', memory: '4Gi' } }],
    modelLoadTime: Duration.seconds(90),
    metrics: { path: '/metrics', port: 8082, scalingMetric: 'ts_queue_latency_microseconds' },
  });

describe('new Autoscaler(scope, id, { workload, ... })', () => {
  test('a described Deployment: an HPA in the chart\'s namespace, its KEDA queries confined to it', () => {
    const chart = new Chart(Testing.app(), 'serving', { namespace: 'ml' });
    const hpa = new Autoscaler(chart, 'scorer', { workload: scorer(), target: ScalingTarget.runtimeQueue(), maxReplicas: 8 });
    const keda = new Autoscaler(chart, 'scorer-keda', { workload: scorer(), name: 'scorer-keda', target: ScalingTarget.runtimeQueue(), maxReplicas: 8, scaleToZero: { activation: ActivationSignal.schedule('Europe/Berlin', '0 8 * * 1-5', '0 18 * * 1-5') } });
    const objects = synthValid(chart);
    expect(byKind(objects, 'HorizontalPodAutoscaler').map((o) => [o.metadata.name, o.metadata.namespace])).toEqual([['scorer', 'ml']]);
    expect(specOf(byKind(objects, 'HorizontalPodAutoscaler')[0])['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'scorer' });
    expect(hpa.report.workload).toBe('Deployment/scorer');
    expect(keda.report.signal.query).toBe('sum(rate(ts_queue_latency_microseconds{namespace="ml",pod=~"scorer-[a-z0-9]+-[a-z0-9]+"}[1m])) / 1000000');
    expect(byKind(objects, 'ScaledObject').map((o) => o.metadata.name)).toEqual(['scorer-keda']);
  });

  test('a cdk8s-plus Deployment leaves its replicas to the autoscaler; one with fixed replicas is refused', () => {
    const chart = new Chart(Testing.app(), 'serving');
    const ranker = new kplus.Deployment(chart, 'ranker', {
      containers: [{ image: 'ghcr.io/acme/ranker:2.1.0', portNumber: 8080, resources: { cpu: { request: kplus.Cpu.units(2) }, memory: { request: Size.gibibytes(4) } } }],
    });
    const autoscaler = new Autoscaler(chart, 'ranker-autoscaler', { workload: scalableWorkloadOf(ranker, { modelLoadTime: Duration.minutes(2) }), target: ScalingTarget.cpuUtilization(70), maxReplicas: 6 });
    const objects = synthValid(chart);
    const [deployment] = byKind(objects, 'Deployment');
    expect(specOf(deployment)).not.toHaveProperty('replicas');
    expect(specOf(byKind(objects, 'HorizontalPodAutoscaler')[0])['scaleTargetRef']).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment!.metadata.name });
    expect(autoscaler.report.scaleDown.stabilizationWindowSeconds).toBe(435);

    const fixed = new kplus.Deployment(chart, 'fixed', { replicas: 3, containers: [{ image: 'ghcr.io/acme/ranker:2.1.0' }] });
    expect(() => new Autoscaler(chart, 'fixed-autoscaler', { workload: scalableWorkloadOf(fixed, { modelLoadTime: Duration.minutes(2) }), target: ScalingTarget.cpuUtilization(70), maxReplicas: 6 })).toThrow(
      'serving/fixed-autoscaler: workload.spec.replicas: got 3; expected no replicas: the autoscaler owns spec.replicas',
    );
  });

  test('containers added to a cdk8s-plus workload after it was read fail the synth, naming it', () => {
    const chart = new Chart(Testing.app(), 'serving');
    const ranker = new kplus.Deployment(chart, 'ranker', { containers: [{ image: 'ghcr.io/acme/ranker:2.1.0' }] });
    new Autoscaler(chart, 'ranker-autoscaler', { workload: scalableWorkloadOf(ranker, { modelLoadTime: Duration.minutes(2) }), target: ScalingTarget.cpuUtilization(70), maxReplicas: 6 });
    ranker.addContainer({ image: 'ghcr.io/acme/envoy:1.30.0', name: 'envoy' });
    expect(() => Testing.synth(chart)).toThrow('modelship: the containers of serving/ranker changed after scalableWorkloadOf() read them for an autoscaler');
  });

  test('a cdk8s-plus StatefulSet: its pods are <name>-<ordinal> in KEDA\'s query', () => {
    const chart = new Chart(Testing.app(), 'serving', { namespace: 'ml' });
    const llm = new kplus.StatefulSet(chart, 'llm', { containers: [{ image: 'vllm/vllm-openai:v0.6.3', portNumber: 8000 }] });
    const a = new Autoscaler(chart, 'llm-autoscaler', {
      workload: scalableWorkloadOf(llm, { modelLoadTime: Duration.minutes(10), metrics: { path: '/metrics', port: 8000, scalingMetric: 'vllm:num_requests_waiting' } }),
      target: ScalingTarget.runtimeQueue(),
      maxReplicas: 4,
      engine: AutoscalerEngine.KEDA,
    });
    const name = ApiObject.of(llm).name;
    expect(a.report.signal.query).toBe(`sum(vllm:num_requests_waiting{namespace="ml",pod=~"${name}-[0-9]+"})`);
    expect(specOf(byKind(synthValid(chart), 'StatefulSet')[0])).not.toHaveProperty('replicas');
  });

  test('problems name the Autoscaler\'s path and the prop; a plain ApiObject with replicas is refused', () => {
    const chart = new Chart(Testing.app(), 'serving');
    const manifest = new ApiObject(chart, 'legacy', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'legacy' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'legacy' } }, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'server', image: 'legacy:1' }] } } },
    });
    let error: ValidationError | undefined;
    try {
      new Autoscaler(chart, 'legacy-autoscaler', { workload: scalableWorkloadOf(manifest, { modelLoadTime: Duration.seconds(30) }), target: ScalingTarget.cpuUtilization(70), maxReplicas: 4 });
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect(error!.problems.map((p) => `${p.construct}: ${p.prop}: got ${p.given}`)).toEqual(['serving/legacy-autoscaler: workload.spec.replicas: got 2']);
    // Without replicas it is checked for the requests CPU utilization needs.
    const bare = new ApiObject(chart, 'bare', { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bare' }, spec: { template: { spec: { containers: [{ name: 'server', image: 'bare:1' }] } } } });
    expect(() => new Autoscaler(chart, 'bare-autoscaler', { workload: scalableWorkloadOf(bare, { modelLoadTime: Duration.seconds(30) }), target: ScalingTarget.cpuUtilization(70), maxReplicas: 4 })).toThrow(
      'serving/bare-autoscaler: target: got ScalingTarget.cpuUtilization(70); expected every container of the pods to request cpu',
    );
  });

  test('ModelService.autoscale() still reports problems under autoscale.', () => {
    const chart = new Chart(Testing.app(), 'serving');
    const fraud = new ModelService(chart, 'fraud', MINIMAL_PROPS.torchserve());
    expect(() => fraud.autoscale({ target: ScalingTarget.runtimeQueue() })).toThrow('serving/fraud: autoscale.maxReplicas: got nothing; expected the most replicas to run');
  });
});

describe('reports/autoscaling.md', () => {
  test('one file per app: a summary, then every autoscaler\'s report in construct-path order, with sizing numbers and the cold-start cost', () => {
    const app = tempApp();
    // Charts created out of path order: the report sorts by construct path.
    const shop = new Chart(app, 'shop', { namespace: 'shop' });
    const serving = new Chart(app, 'serving', { namespace: 'serving' });
    new ModelService(shop, 'anomaly', MINIMAL_PROPS.torchserve()).autoscale({
      target: ScalingTarget.runtimeQueue(),
      maxReplicas: 4,
      scaleToZero: { activation: ActivationSignal.prometheus('sum(rate(nginx_ingress_controller_requests{exported_service="anomaly"}[2m]))') },
    });
    new ModelService(serving, 'fraud', MINIMAL_PROPS.torchserve()).autoscale({
      target: ScalingTarget.latencySlo({ p99: Duration.millis(100), peakRps: 400, serviceTime: Duration.millis(20), offPeakRps: 100 }),
    });
    new Autoscaler(serving, 'scorer', { workload: scorer(), target: ScalingTarget.cpuUtilization(70), maxReplicas: 8 });
    app.synth();

    expect(fs.readdirSync(path.join(app.outdir, REPORTS_DIR))).toEqual([AUTOSCALING_REPORT_FILE]);
    const md = fs.readFileSync(path.join(app.outdir, REPORTS_DIR, AUTOSCALING_REPORT_FILE), 'utf8');
    const lines = md.split('\n');
    expect(lines[0]).toBe('# Autoscaling');
    expect(lines.filter((l) => l.startsWith('## '))).toEqual(['## serving/fraud/Autoscaler', '## serving/scorer', '## shop/anomaly/Autoscaler']);
    expect(lines).toContain('| serving/fraud/Autoscaler | Deployment/fraud | HPA | `ScalingTarget.latencySlo({…})` | 27.55 requests per second per pod | 4–10 |');
    expect(lines).toContain('| serving/scorer | Deployment/scorer | HPA | `ScalingTarget.cpuUtilization(70)` | 70 % of the cpu request | 2–8 |');
    expect(lines).toContain('| shop/anomaly/Autoscaler | Deployment/anomaly | KEDA | `ScalingTarget.runtimeQueue()` | 1 requests waiting per pod | 0 or 2–4 |');
    // The SLO sizing of the README's worked example.
    expect(lines).toContain('| replicas needed at peak n | 10: ρ = 0.8, P(wait) = 0.4092, mean wait 4.092 ms, p99 98.92 ms |');
    expect(lines).toContain('| off-peak load | 100 requests/s → 4 replicas |');
    // The cold start of a TorchServe model: 300 s pull + 300 s download + 120 s load + 15 s of probes.
    expect(md).toContain('the cold start of 735 s (image pull 300 s + download 300 s + model load 120 s + probes 15 s)');
    expect(md).toContain('it waits up to 765 s in all, 6.375 × the model load time');
    expect(md.endsWith('\n')).toBe(true);
  });

  test('an app without autoscalers writes no autoscaling report', () => {
    const app = tempApp();
    new ModelService(new Chart(app, 'serving'), 'fraud', MINIMAL_PROPS.torchserve());
    app.synth();
    expect(fs.existsSync(path.join(app.outdir, REPORTS_DIR, AUTOSCALING_REPORT_FILE))).toBe(false);
  });
});
