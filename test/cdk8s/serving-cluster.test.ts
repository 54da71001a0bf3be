/**
 * The cdk8s ServingCluster: what a chart synthesizes (every object strictly valid, Gateway API
 * and Prometheus Operator CRDs included), the model constructs it creates, objects rendered at
 * synth from models and autoscalers added later, the capacity report files, and problems at
 * construction and at synth.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Testing } from 'cdk8s';
import { ClusterRouting, ModelService, NodePool, ServingCluster, type KubeObject } from '../../lib';
import { cdk8sCluster } from '../support/cluster-fixtures';
import { celProblems, registerCustomResourceSchemas } from '../support/crd-schemas';
import { expectValidObjects, MINIMAL_PROPS, synthChart } from '../support/fixtures';
import { validationErrorOf } from '../support/problems';

const unregister = registerCustomResourceSchemas();
afterAll(() => unregister());

const label = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;

describe('synthesized', () => {
  let cluster!: ServingCluster;
  const manifests = synthChart((chart) => {
    cluster = cdk8sCluster(chart);
  });

  test('the cluster\'s objects, then each model\'s with its route and monitoring; all valid', () => {
    expect(manifests.filter((o) => ['Namespace', 'PriorityClass', 'LimitRange', 'ResourceQuota', 'HTTPRoute', 'ServiceMonitor', 'PrometheusRule'].includes(o.kind) || o.metadata.name === 'default-deny-ingress').map(label)).toEqual([
      'Namespace/prod',
      'PriorityClass/prod-critical',
      'PriorityClass/prod-standard',
      'PriorityClass/prod-batch',
      'LimitRange/defaults',
      'ResourceQuota/models',
      'NetworkPolicy/default-deny-ingress',
      'ServiceMonitor/fraud',
      'PrometheusRule/fraud',
      'HTTPRoute/fraud',
      'ServiceMonitor/fraud-v8',
      'PrometheusRule/fraud-v8',
      'ServiceMonitor/shadow',
      'PrometheusRule/shadow',
      'ServiceMonitor/llm',
      'PrometheusRule/llm',
      'HTTPRoute/llm',
    ]);
    expectValidObjects(manifests);
    for (const o of manifests) expect(celProblems(o)).toEqual([]);
  });

  test('cluster-scoped objects carry no namespace; everything else is in the cluster\'s', () => {
    for (const o of manifests) {
      if (o.kind === 'Namespace' || o.kind === 'PriorityClass') expect(o.metadata.namespace).toBeUndefined();
      else expect([label(o), o.metadata.namespace]).toEqual([label(o), 'prod']);
    }
  });

  test('a canary added after its stable model lands in the stable model\'s HTTPRoute; the autoscaler added after addModel sizes the quota', () => {
    const route = manifests.find((o) => label(o) === 'HTTPRoute/fraud')!;
    expect((route['spec'] as { rules: { backendRefs: unknown[] }[] }).rules[0]!.backendRefs).toEqual([{ name: 'fraud', port: 8080, weight: 90 }, { name: 'fraud-v8', port: 8080, weight: 10 }]);
    const quota = manifests.find((o) => o.kind === 'ResourceQuota')!;
    // fraud at 8 + 1 pod starting + 1 terminating, the four others at 2 + 1 + 1.
    expect((quota['spec'] as { hard: Record<string, string> }).hard['pods']).toBe(String(10 + 4 * 4));
  });

  test('the SLO autoscaler\'s objective is alerted on', () => {
    const rule = manifests.find((o) => label(o) === 'PrometheusRule/fraud')!;
    expect(JSON.stringify(rule)).toContain('ModelLatencyMeanHigh');
    expect(JSON.stringify(manifests.find((o) => label(o) === 'PrometheusRule/shadow'))).not.toContain('ModelLatencyMeanHigh');
  });

  test('addModel returns ModelServices under the cluster, in its namespace, with their priority class', () => {
    expect(cluster.models.map((m) => m.node.path)).toEqual(['serving/prod/fraud', 'serving/prod/fraud-v8', 'serving/prod/shadow', 'serving/prod/llm', 'serving/prod/churn']);
    expect(cluster.models.every((m) => m instanceof ModelService)).toBe(true);
    expect(cluster.models[0]!.endpoint).toBe('http://fraud.prod.svc.cluster.local:8080');
    const pod = (m: ModelService) => (m.rendered.deployment['spec'] as { template: { spec: { priorityClassName: string } } }).template.spec.priorityClassName;
    expect(cluster.models.map(pod)).toEqual(['prod-critical', 'prod-standard', 'prod-standard', 'prod-standard', 'prod-batch']);
    expect(cluster.routeOf('fraud')).toBeDefined();
    expect(cluster.routeOf('churn')).toBeUndefined();
    expect(cluster.capacityPlan!.min.feasible).toBe(true);
  });
});

test('in a chart with a namespace of its own, cluster-scoped objects still carry none and the models stay in the cluster\'s', () => {
  const chart = new Chart(Testing.app(), 'serving', { namespace: 'elsewhere' });
  const cluster = new ServingCluster(chart, 'prod', { monitoring: false });
  cluster.addModel('fraud', MINIMAL_PROPS.torchserve());
  const manifests = Testing.synth(chart) as KubeObject[];
  expect(manifests.map((o) => [label(o), o.metadata.namespace ?? null])).toEqual([
    ['Namespace/prod', null],
    ['PriorityClass/prod-critical', null],
    ['PriorityClass/prod-standard', null],
    ['PriorityClass/prod-batch', null],
    ['LimitRange/defaults', 'prod'],
    ['ResourceQuota/models', 'prod'],
    ['NetworkPolicy/default-deny-ingress', 'prod'],
    ['ServiceAccount/fraud', 'prod'],
    ['ConfigMap/fraud-config', 'prod'],
    ['Deployment/fraud', 'prod'],
    ['Service/fraud', 'prod'],
    ['PodDisruptionBudget/fraud', 'prod'],
    ['NetworkPolicy/fraud', 'prod'],
  ]);
  expectValidObjects(manifests);
});

test('a model may have the name of a PriorityClass of the cluster (prod-batch): their ids do not collide', () => {
  const chart = new Chart(Testing.app(), 'serving');
  const cluster = new ServingCluster(chart, 'prod', { monitoring: false });
  cluster.addModel('prod-batch', MINIMAL_PROPS.torchserve());
  const manifests = Testing.synth(chart) as KubeObject[];
  expect(manifests.filter((o) => o.metadata.name === 'prod-batch').map((o) => o.kind)).toEqual(['PriorityClass', 'ServiceAccount', 'Deployment', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']);
});

describe('reports', () => {
  test('the synth writes reports/capacity-<namespace>.md linking the .svg', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelship-cluster-'));
    try {
      const app = new App({ outdir });
      cdk8sCluster(new Chart(app, 'serving'));
      app.synth();
      const report = fs.readFileSync(path.join(outdir, 'reports', 'capacity-prod.md'), 'utf8');
      expect(report).toMatch(/^# Capacity plan of prod\n/);
      expect(report).toContain('![Packing of the replicas onto nodes](capacity-prod.svg)');
      expect(fs.readFileSync(path.join(outdir, 'reports', 'capacity-prod.svg'), 'utf8')).toMatch(/^<svg /);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('problems', () => {
  test('bad cluster props fail at construction, bad model props at addModel', () => {
    const chart = new Chart(Testing.app(), 'serving');
    expect(validationErrorOf(() => new ServingCluster(chart, 'Prod')).problems.map((p) => [p.construct, p.prop])).toEqual([['serving/Prod', 'namespace']]);
    const cluster = new ServingCluster(chart, 'prod');
    expect(validationErrorOf(() => cluster.addModel('fraud', { ...MINIMAL_PROPS.torchserve(), namespace: 'other' })).problems.map((p) => [p.construct, p.prop])).toEqual([['serving/prod/fraud', 'namespace']]);
  });

  test('what spans models fails the synth with the ValidationError: a missing canary target, a model that does not fit at minReplicas', () => {
    const chart = new Chart(Testing.app(), 'serving');
    const cluster = new ServingCluster(chart, 'prod', { routing: ClusterRouting.gateway({ gatewayName: 'public' }), nodePools: [NodePool.cpu('small', { count: 1, cpu: '1', memory: '4Gi' })], monitoring: false });
    cluster.addModel('fraud', { ...MINIMAL_PROPS.torchserve(), canary: { of: 'stable', weight: 5 } });
    expect(validationErrorOf(() => Testing.synth(chart)).problems.map((p) => [p.construct, p.prop])).toEqual([
      ['serving/prod/fraud', 'canary.of'],
      ['serving/prod', 'models.fraud.minReplicas'],
    ]);
  });
});
