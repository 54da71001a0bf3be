/** The namespace-level objects of a ServingCluster: exactly what is rendered, and the props that shape it. */
import { ClusterQuota, priorityClassLevel, type KubeObject } from '../../../lib/core';
import { MINIMAL_PROPS } from '../../support/fixtures';
import { GATEWAY, expectValidCluster, renderCluster, specOf, torchServe } from './support';
import { validationErrorOf } from '../../support/problems';

describe('namespace-level objects', () => {
  const cluster = renderCluster({ routing: GATEWAY }, { fraud: torchServe() });

  test('in apply order: Namespace, PriorityClasses, LimitRange, ResourceQuota, default-deny NetworkPolicy, then routes and monitoring; all valid', () => {
    expect(cluster.objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/prod',
      'PriorityClass/prod-critical',
      'PriorityClass/prod-standard',
      'PriorityClass/prod-batch',
      'LimitRange/defaults',
      'ResourceQuota/models',
      'NetworkPolicy/default-deny-ingress',
      'HTTPRoute/fraud',
      'ServiceMonitor/fraud',
      'PrometheusRule/fraud',
      'ConfigMap/fraud-dashboard',
    ]);
    expectValidCluster(cluster);
  });

  test('the namespace enforces, audits and warns on Pod Security "restricted" at v1.28', () => {
    expect(cluster.namespaceObject.metadata.labels).toEqual({
      'app.kubernetes.io/managed-by': 'modelship',
      'modelship.dev/cluster': 'prod',
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': 'v1.28',
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': 'v1.28',
    });
    expect(cluster.namespaceObject.metadata).not.toHaveProperty('namespace');
  });

  test('PriorityClasses: cluster-scoped, prefixed with the namespace, never the global default; batch never preempts', () => {
    const classes = cluster.priorityClasses.map((o: KubeObject) => ({ name: o.metadata.name, ns: o.metadata.namespace, value: o['value'], preemption: o['preemptionPolicy'], globalDefault: o['globalDefault'] }));
    expect(classes).toEqual([
      { name: 'prod-critical', ns: undefined, value: 100000, preemption: 'PreemptLowerPriority', globalDefault: false },
      { name: 'prod-standard', ns: undefined, value: 10000, preemption: 'PreemptLowerPriority', globalDefault: false },
      { name: 'prod-batch', ns: undefined, value: 1000, preemption: 'Never', globalDefault: false },
    ]);
  });

  test('each PriorityClass level is read back from its name, for the front ends to name their children by; a foreign class is an error', () => {
    expect(cluster.priorityClasses.map((o) => priorityClassLevel('prod', o))).toEqual(['critical', 'standard', 'batch']);
    // A namespace that prefixes another's ("prod" and "prod-eu") must not be mistaken for it.
    const foreign = { ...cluster.priorityClasses[0]!, metadata: { name: 'prod-eu-critical' } };
    expect(() => priorityClassLevel('prod', foreign)).toThrow('prod-eu-critical is not a PriorityClass of the namespace prod');
    expect(() => priorityClassLevel('staging', cluster.priorityClasses[0]!)).toThrow('prod-critical is not a PriorityClass of the namespace staging');
  });

  test('the default-deny policy covers ingress only (egress stays open for model downloads and DNS)', () => {
    expect(specOf(cluster.defaultDenyPolicy)).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
  });

  test('the LimitRange gives containers without requests 100m and 128Mi (memory limit equal)', () => {
    expect(specOf(cluster.limitRange)).toEqual({ limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { memory: '128Mi' } }] });
  });

  test('namespace, labels, priorities and LimitRange defaults are props', () => {
    const c = renderCluster({ namespace: 'ml', labels: { team: 'risk' }, priorities: { critical: 5000, standard: 400, batch: -10 }, limitRange: { defaultCpu: '50m', defaultMemory: '64Mi' } }, {});
    expect(c.namespace).toBe('ml');
    expect(c.priorityClasses.map((o) => [o.metadata.name, o['value']])).toEqual([['ml-critical', 5000], ['ml-standard', 400], ['ml-batch', -10]]);
    expect(c.limitRange.metadata).toEqual({ name: 'defaults', namespace: 'ml', labels: { team: 'risk', 'app.kubernetes.io/managed-by': 'modelship', 'modelship.dev/cluster': 'ml' } });
    expect(specOf(c.limitRange)).toEqual({ limits: [{ type: 'Container', defaultRequest: { cpu: '50m', memory: '64Mi' }, default: { memory: '64Mi' } }] });
    expectValidCluster(c);
  });
});

describe('ResourceQuota', () => {
  test('from the models: each at maxReplicas plus a rollout\'s extra pods (the autoscaler\'s max, or replicas; maxSurge starting and as many terminating), CPU, memory, GPUs and pods', () => {
    const c = renderCluster({}, {
      fraud: torchServe({ resources: { cpu: '2', memory: '4Gi' } }),
      ranker: torchServe({ resources: { cpu: '500m', memory: '1536Mi' }, replicas: 3, maxSurge: 2 }),
    });
    // fraud: 2 + 1 starting + 1 terminating = 4 pods × (2 CPU, 4Gi); ranker: 3 + 2 + 2 = 7 pods × (0.5 CPU, 1.5Gi); the init container (250m, 512Mi) is smaller.
    expect(specOf(c.resourceQuota)).toEqual({ hard: { 'requests.cpu': '11500m', 'requests.memory': '27136Mi', pods: '11' } });
  });

  test('GPUs appear when a model requests them', () => {
    const c = renderCluster({}, { llm: MINIMAL_PROPS.vllm() });
    expect(specOf<{ hard: Record<string, string> }>(c.resourceQuota).hard).toEqual({ 'requests.cpu': '16', 'requests.memory': '128Gi', pods: '4', 'requests.nvidia.com/gpu': '4' });
  });

  test('ClusterQuota.none(): no ResourceQuota', () => {
    expect(renderCluster({ quota: ClusterQuota.none() }, { fraud: torchServe() }).resourceQuota).toBeUndefined();
  });

  test('ClusterQuota.of(): the limits given, and a limit below the models\' need names the resource and each model\'s share', () => {
    const ok = renderCluster({ quota: ClusterQuota.of({ cpu: '64', pods: 40 }) }, { fraud: torchServe() });
    expect(specOf(ok.resourceQuota)).toEqual({ hard: { 'requests.cpu': '64', pods: '40' } });
    const error = validationErrorOf(() => renderCluster({ quota: ClusterQuota.of({ cpu: '4', memory: '64Gi', pods: 5 }) }, { fraud: torchServe({ resources: { cpu: '2', memory: '4Gi' } }), churn: torchServe() }));
    expect(error.problems).toEqual([
      { construct: 'test/prod', prop: 'quota.cpu', given: '"4"', allowed: "expected at least 12: the CPU the models request at maxReplicas plus a rollout's extra pods, new ones starting and old ones terminating (fraud 4 × 2, churn 4 × 1)" },
      { construct: 'test/prod', prop: 'quota.pods', given: '5', allowed: "expected at least 8: the pods the models request at maxReplicas plus a rollout's extra pods, new ones starting and old ones terminating (fraud 4 × 1, churn 4 × 1)" },
    ]);
  });
});

describe('monitoring of the models', () => {
  const threshold = (c: ReturnType<typeof renderCluster>, model: string, alert: string) => {
    const rule = c.monitoring.get(model)!.objects.find((o) => o.kind === 'PrometheusRule')!;
    const rules = (rule['spec'] as { groups: { rules: { alert?: string; expr: string }[] }[] }).groups.flatMap((g) => g.rules);
    return rules.find((r) => r.alert === alert)!.expr.split(' > ').pop();
  };

  test('a model\'s own alert thresholds keep the cluster\'s others', () => {
    const c = renderCluster({ monitoring: { alerts: { availability: 0.999 } } }, {
      fraud: torchServe({ monitoring: { alerts: { restarts: 5 } } }),
      churn: torchServe(),
      loose: torchServe({ monitoring: { alerts: { availability: 0.9 } } }),
    });
    expect(['fraud', 'churn', 'loose'].map((m) => threshold(c, m, 'ModelErrorRatioHigh'))).toEqual(['0.001', '0.001', '0.1']);
    expect(['fraud', 'churn'].map((m) => threshold(c, m, 'ModelRestarting'))).toEqual(['5', '3']);
  });
});
