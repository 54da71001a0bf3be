/**
 * The Pulumi ServingCluster under mocks: exactly which children it registers (types, names,
 * parents), the Namespace Input on every namespaced object, the capacity report output,
 * and problems before anything is registered (parity with cdk8s: parity.test.ts).
 */
import * as k8s from '@pulumi/kubernetes';
import { ClusterRouting, ModelService, NodePool, ServingCluster, type ClusterModelArgs } from '../../lib/pulumi';
import { clusterAutoscalers, clusterModels, clusterProps } from '../support/cluster-fixtures';
import { MINIMAL_PROPS } from '../support/fixtures';
import { startMocks, valueOf } from './support/mocks';
import { validationErrorOf } from '../support/problems';

const COMPONENT = 'modelship:index:ServingCluster';

/** The fixture's models as Pulumi args: the autoscalers given up front. */
function modelArgs(): Record<string, ClusterModelArgs> {
  const autoscalers = clusterAutoscalers();
  return Object.fromEntries(Object.entries(clusterModels()).map(([id, props]) => [id, { ...props, ...(autoscalers[id] ? { autoscale: autoscalers[id] } : {}) }]));
}


describe('children', () => {
  test('the cluster\'s objects as its children, one ModelService per model, routes and monitoring under their model', async () => {
    const mocks = await startMocks();
    const cluster = new ServingCluster('prod', { ...clusterProps(), models: modelArgs() });
    await mocks.settle();

    const component = mocks.byName('prod');
    expect(component).toMatchObject({ type: COMPONENT, custom: false, parent: '' });
    // Registration order follows dependencies, so compare sorted.
    expect(mocks.childrenOf('prod').map((c) => [c.name, c.type]).sort()).toEqual([
      ['prod-namespace', 'kubernetes:core/v1:Namespace'],
      ['prod-priorityclass-critical', 'kubernetes:scheduling.k8s.io/v1:PriorityClass'],
      ['prod-priorityclass-standard', 'kubernetes:scheduling.k8s.io/v1:PriorityClass'],
      ['prod-priorityclass-batch', 'kubernetes:scheduling.k8s.io/v1:PriorityClass'],
      ['prod-limitrange', 'kubernetes:core/v1:LimitRange'],
      ['prod-resourcequota', 'kubernetes:core/v1:ResourceQuota'],
      ['prod-networkpolicy', 'kubernetes:networking.k8s.io/v1:NetworkPolicy'],
      ['prod-fraud', 'modelship:index:ModelService'],
      ['prod-fraud-v8', 'modelship:index:ModelService'],
      ['prod-shadow', 'modelship:index:ModelService'],
      ['prod-llm', 'modelship:index:ModelService'],
      ['prod-churn', 'modelship:index:ModelService'],
    ].sort());
    const extras = (model: string) => mocks.childrenOf(`prod-${model}`).map((c) => c.name).filter((n) => /(httproute|servicemonitor|prometheusrule|dashboard)$/.test(n));
    expect(extras('fraud').sort()).toEqual(['prod-fraud-dashboard', 'prod-fraud-httproute', 'prod-fraud-prometheusrule', 'prod-fraud-servicemonitor']);
    expect(extras('fraud-v8').sort()).toEqual(['prod-fraud-v8-dashboard', 'prod-fraud-v8-prometheusrule', 'prod-fraud-v8-servicemonitor']);
    expect(extras('churn')).toEqual([]);
    expect(mocks.byName('prod-fraud-httproute').type).toBe('kubernetes:gateway.networking.k8s.io/v1:HTTPRoute');
    expect(mocks.byName('prod-fraud-servicemonitor').type).toBe('kubernetes:monitoring.coreos.com/v1:ServiceMonitor');

    expect(cluster.namespaceResource).toBeInstanceOf(k8s.core.v1.Namespace);
    expect(cluster.priorityClasses.every((p) => p instanceof k8s.scheduling.v1.PriorityClass)).toBe(true);
    expect(cluster.resourceQuota).toBeInstanceOf(k8s.core.v1.ResourceQuota);
    expect(cluster.models['fraud']).toBeInstanceOf(ModelService);
    expect(cluster.models['fraud']!.name).toBe('fraud');
    expect(Object.keys(cluster.routes)).toEqual(['fraud', 'llm']);
    expect(await valueOf(cluster.models['fraud']!.endpoint)).toBe('http://fraud.prod.svc.cluster.local:8080');
  });

  test('every namespaced object depends on the Namespace (its name is an Input); PriorityClasses do not', async () => {
    const mocks = await startMocks();
    new ServingCluster('prod', { ...clusterProps(), models: modelArgs() });
    await mocks.settle();
    const namespaceUrn = mocks.byName('prod-namespace').urn!;
    const kubernetes = mocks.registrations.filter((r) => r.type.startsWith('kubernetes:') && r.name !== 'prod-namespace');
    expect(kubernetes.length).toBeGreaterThan(30);
    for (const r of kubernetes) {
      const namespaced = !r.type.endsWith(':PriorityClass');
      expect([r.name, r.dependencies.includes(namespaceUrn)]).toEqual([r.name, namespaced]);
    }
  });

  test('the capacity report is a property and an output; without node pools there is none', async () => {
    const mocks = await startMocks();
    const cluster = new ServingCluster('prod', { ...clusterProps(), models: modelArgs() });
    const bare = new ServingCluster('dev', { models: { fraud: MINIMAL_PROPS.torchserve() } });
    await mocks.settle();
    expect(cluster.capacityReport).toMatch(/^# Capacity plan of prod\n/);
    expect(cluster.capacitySvg).toMatch(/^<svg /);
    expect(mocks.outputsOf('prod')).toEqual({ namespace: 'prod', capacityReport: cluster.capacityReport });
    expect(bare.capacityReport).toBeUndefined();
    expect(mocks.outputsOf('dev')).toEqual({ namespace: 'dev' });
  });
});

describe('problems', () => {
  test('a model that does not fit, or a canary of no model, fails before anything is registered', async () => {
    const mocks = await startMocks();
    const error = validationErrorOf(() => new ServingCluster('prod', {
      routing: ClusterRouting.gateway({ gatewayName: 'public' }),
      nodePools: [NodePool.cpu('small', { count: 1, cpu: '1', memory: '4Gi' })],
      models: { fraud: { ...MINIMAL_PROPS.torchserve(), canary: { of: 'stable', weight: 5 } } },
    }));
    await mocks.settle();
    expect(error.problems.map((p) => [p.construct, p.prop])).toEqual([['prod-fraud', 'canary.of'], ['prod', 'models.fraud.minReplicas']]);
    expect(mocks.registrations).toEqual([]);
  });
});
