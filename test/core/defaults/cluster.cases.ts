/** The documented defaults of the ServingCluster (cluster/*.ts). */
import { Accelerator, ClusterQuota, ClusterRouting, InferenceClients, ModelRoute, NodePool, Priority, ScalingTarget, Duration, type KubeObject } from '../../../lib/core';
import { MINIMAL_PROPS } from '../../support/fixtures';
import { GATEWAY, renderCluster, specOf, torchServe } from '../cluster/support';
import { documented, type DefaultCases } from './cases';

const P = 'cluster/props.ts';
const R = 'cluster/routing.ts';
const Q = 'cluster/quota.ts';

const valueOf = (c: ReturnType<typeof renderCluster>, level: string) => c.priorityClasses.find((o) => o.metadata.name === `prod-${level}`)!['value'];
const hardOf = (o: KubeObject | undefined) => specOf<{ hard: Record<string, string> }>(o).hard;
const routeSpec = (c: ReturnType<typeof renderCluster>, name: string) => specOf<Record<string, unknown>>(c.routes.get(name));
const fromOf = (np: KubeObject) => specOf<{ ingress: { from?: unknown[] }[] }>(np).ingress[0]!.from;
const ns = (n: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } });
const fraud = { fraud: torchServe() };

export const CLUSTER_DEFAULTS: DefaultCases = {
  'cluster/priority.ts:PriorityValues.critical': documented('100000', () => expect(valueOf(renderCluster({ priorities: { batch: 5 } }, {}), 'critical')).toBe(100000)),
  'cluster/priority.ts:PriorityValues.standard': documented('10000', () => expect(valueOf(renderCluster({ priorities: { batch: 5 } }, {}), 'standard')).toBe(10000)),
  'cluster/priority.ts:PriorityValues.batch': documented('1000', () => expect(valueOf(renderCluster({ priorities: { critical: 200000 } }, {}), 'batch')).toBe(1000)),
  [`${P}:ServingClusterProps.priorities`]: documented('- critical 100000, standard 10000, batch 1000', () => {
    expect(renderCluster({}, {}).priorityClasses.map((o) => o['value'])).toEqual([100000, 10000, 1000]);
  }),
  [`${P}:ClusterModelProps.canary`]: documented('- not a canary', () => {
    const c = renderCluster({ routing: GATEWAY }, fraud);
    expect(specOf<{ rules: { backendRefs: unknown[] }[] }>(c.routes.get('fraud')).rules[0]!.backendRefs).toEqual([{ name: 'fraud', port: 8080 }]);
  }),
  [`${P}:ClusterModelProps.mirror`]: documented('- not a shadow', () => {
    expect(specOf<{ rules: { filters: { type: string }[] }[] }>(renderCluster({ routing: GATEWAY }, fraud).routes.get('fraud')).rules[0]!.filters.map((f) => f.type)).toEqual(['URLRewrite']);
  }),
  [`${P}:ClusterModelProps.monitoring`]: documented('- the cluster\'s monitoring', () => {
    expect([...renderCluster({ monitoring: { dashboard: false } }, fraud).monitoring.get('fraud')!.objects.map((o) => o.kind)]).toEqual(['ServiceMonitor', 'PrometheusRule']);
    expect(renderCluster({ monitoring: false }, fraud).monitoring.size).toBe(0);
  }),
  [`${P}:ClusterModelProps.priority`]: documented('Priority.standard()', () => {
    const pod = renderCluster({}, fraud).services['fraud']!.deployment['spec'] as { template: { spec: { priorityClassName: string } } };
    expect(pod.template.spec.priorityClassName).toBe(Priority.standard().className('prod'));
  }),
  [`${P}:ClusterModelProps.route`]: documented('- with a Gateway, ModelRoute.path(`/<name>`); with an Ingress, ModelRoute.host(`<name>.<domain>`); without routing, ModelRoute.none()', () => {
    expect(routeSpec(renderCluster({ routing: GATEWAY }, fraud), 'fraud')['rules']).toMatchObject([{ matches: [{ path: { type: 'PathPrefix', value: '/fraud' } }] }]);
    expect(routeSpec(renderCluster({ routing: ClusterRouting.ingress({ className: 'nginx', domain: 'example.com' }) }, fraud), 'fraud')['rules']).toMatchObject([{ host: 'fraud.example.com' }]);
    expect(renderCluster({}, fraud).routes.size).toBe(0);
  }),
  [`${P}:MirrorOptions.percent`]: documented('100', () => {
    const c = renderCluster({ routing: GATEWAY }, { ...fraud, shadow: torchServe({ mirror: { of: 'fraud' } }) });
    // No percent or fraction: Gateway API mirrors every request.
    expect(specOf<{ rules: { filters: Record<string, unknown>[] }[] }>(c.routes.get('fraud')).rules[0]!.filters[1]).toEqual({ type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8080 } } });
  }),
  [`${P}:ServingClusterProps.capacity`]: documented('- the planner\'s defaults', () => {
    const plan = renderCluster({ nodePools: [NodePool.cpu('general', { count: 3, cpu: '4', memory: '16Gi' })] }, fraud).capacityPlan!;
    // compareWithScheduler defaults to true.
    expect(plan.min.schedulerNodes).toBeDefined();
  }),
  [`${P}:ServingClusterProps.labels`]: documented('- none', () => {
    expect(renderCluster({}, {}).limitRange.metadata.labels).toEqual({ 'app.kubernetes.io/managed-by': 'modelship', 'modelship.dev/cluster': 'prod' });
  }),
  [`${P}:ServingClusterProps.limitRange`]: documented('- 100m CPU and 128Mi memory (request and limit)', () => {
    expect(specOf(renderCluster({}, {}).limitRange)).toEqual({ limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { memory: '128Mi' } }] });
  }),
  [`${Q}:LimitRangeOptions.defaultCpu`]: documented('"100m"', () => {
    expect(specOf(renderCluster({ limitRange: { defaultMemory: '1Gi' } }, {}).limitRange)).toEqual({ limits: [{ type: 'Container', defaultRequest: { cpu: '100m', memory: '1Gi' }, default: { memory: '1Gi' } }] });
  }),
  [`${Q}:LimitRangeOptions.defaultMemory`]: documented('"128Mi"', () => {
    expect(specOf(renderCluster({ limitRange: { defaultCpu: '1' } }, {}).limitRange)).toEqual({ limits: [{ type: 'Container', defaultRequest: { cpu: '1', memory: '128Mi' }, default: { memory: '128Mi' } }] });
  }),
  [`${P}:ServingClusterProps.monitoring`]: documented('- monitoring with the defaults of ModelMonitoringOptions', () => {
    const m = renderCluster({}, fraud).monitoring.get('fraud')!;
    expect(m.objects.map((o) => o.kind)).toEqual(['ServiceMonitor', 'PrometheusRule', 'ConfigMap']);
  }),
  [`${P}:ServingClusterProps.namespace`]: documented('- the construct id (cdk8s) or resource name (Pulumi)', () => {
    expect(renderCluster({}, {}).namespace).toBe('prod');
  }),
  [`${P}:ServingClusterProps.nodePools`]: documented('- none: no capacity plan', () => {
    expect(renderCluster({}, fraud).capacityPlan).toBeUndefined();
  }),
  [`${P}:ServingClusterProps.quota`]: documented('ClusterQuota.fromModels()', () => {
    expect(hardOf(renderCluster({}, fraud).resourceQuota)).toEqual(hardOf(renderCluster({ quota: ClusterQuota.fromModels() }, fraud).resourceQuota));
    expect(hardOf(renderCluster({}, fraud).resourceQuota)).toEqual({ 'requests.cpu': '4', 'requests.memory': '8Gi', pods: '4' });
  }),
  [`${P}:ServingClusterProps.routing`]: documented('ClusterRouting.none()', () => {
    const c = renderCluster({}, { fraud: torchServe({ inferenceClients: InferenceClients.namespaces('payments') }) });
    expect(c.routes.size).toBe(0);
    expect(fromOf(c.services['fraud']!.networkPolicy)).toEqual([ns('payments')]);
  }),
  [`${Q}:QuotaLimits.cpu`]: documented('- no CPU limit', () => expect(hardOf(renderCluster({ quota: ClusterQuota.of({ pods: 10 }) }, fraud).resourceQuota)).not.toHaveProperty(['requests.cpu'])),
  [`${Q}:QuotaLimits.memory`]: documented('- no memory limit', () => expect(hardOf(renderCluster({ quota: ClusterQuota.of({ pods: 10 }) }, fraud).resourceQuota)).not.toHaveProperty(['requests.memory'])),
  [`${Q}:QuotaLimits.gpus`]: documented('- no GPU limit', () => expect(hardOf(renderCluster({ quota: ClusterQuota.of({ pods: 10 }) }, { llm: MINIMAL_PROPS.vllm() }).resourceQuota)).toEqual({ pods: '10' })),
  [`${Q}:QuotaLimits.pods`]: documented('- no pod limit', () => expect(hardOf(renderCluster({ quota: ClusterQuota.of({ cpu: '10' }) }, fraud).resourceQuota)).toEqual({ 'requests.cpu': '10' })),
  [`${Q}:QuotaLimits.migSlices`]: documented('- no MIG limit', () => {
    // A model with MIG slices under declared limits without migSlices: its slices are not limited.
    const embed = { embed: torchServe({ accelerator: Accelerator.nvidiaGpu({ migProfile: '1g.10gb' }) }) };
    expect(hardOf(renderCluster({ quota: ClusterQuota.of({ cpu: '10' }) }, embed).resourceQuota)).toEqual({ 'requests.cpu': '10' });
  }),
  'cluster/render.ts:ClusterModel.autoscaler': documented('- no autoscaler: the Deployment\'s fixed `spec.replicas`', () => {
    // Plus one pod starting and one terminating during a rollout.
    expect(hardOf(renderCluster({}, { fraud: torchServe({ replicas: 4 }) }).resourceQuota)['pods']).toBe('6');
    const slo = ScalingTarget.latencySlo({ mean: Duration.millis(100), peakRps: 200, serviceTime: Duration.millis(20) });
    expect(hardOf(renderCluster({}, fraud, { fraud: { target: slo, maxReplicas: 7 } }).resourceQuota)['pods']).toBe('9');
  }),
  [`${R}:GatewayRoutingOptions.gatewayNamespace`]: documented('- the cluster\'s namespace', () => {
    const c = renderCluster({ routing: ClusterRouting.gateway({ gatewayName: 'public' }) }, { fraud: torchServe({ inferenceClients: InferenceClients.namespaces('payments') }) });
    expect(routeSpec(c, 'fraud')['parentRefs']).toEqual([{ name: 'public' }]);
    expect(fromOf(c.services['fraud']!.networkPolicy)).toEqual([ns('payments'), ns('prod')]);
  }),
  [`${R}:GatewayRoutingOptions.hostnames`]: documented('- none: every host name the listener accepts', () => expect(routeSpec(renderCluster({ routing: GATEWAY }, fraud), 'fraud')).not.toHaveProperty('hostnames')),
  [`${R}:GatewayRoutingOptions.proxyNamespace`]: documented('- the Gateway\'s namespace', () => {
    const c = renderCluster({ routing: GATEWAY }, { fraud: torchServe({ inferenceClients: InferenceClients.namespaces('payments') }) });
    expect(fromOf(c.services['fraud']!.networkPolicy)).toEqual([ns('payments'), ns('gateway')]);
  }),
  [`${R}:GatewayRoutingOptions.sectionName`]: documented('- every listener that admits them', () => expect(routeSpec(renderCluster({ routing: GATEWAY }, fraud), 'fraud')['parentRefs']).toEqual([{ name: 'public', namespace: 'gateway' }])),
  [`${R}:IngressRoutingOptions.controllerNamespace`]: documented('"ingress-nginx"', () => {
    const c = renderCluster({ routing: ClusterRouting.ingress({ className: 'nginx', domain: 'example.com' }) }, { fraud: torchServe({ inferenceClients: InferenceClients.namespaces('payments') }) });
    expect(fromOf(c.services['fraud']!.networkPolicy)).toEqual([ns('payments'), ns('ingress-nginx')]);
  }),
  [`${R}:IngressRoutingOptions.domain`]: documented('- none: each routed model needs `route: ModelRoute.host(...)`', () => {
    const routing = ClusterRouting.ingress({ className: 'nginx' });
    expect(() => renderCluster({ routing }, fraud)).toThrow(/expected ModelRoute\.host\(hostname\)/);
    expect(routeSpec(renderCluster({ routing }, { fraud: torchServe({ route: ModelRoute.host('fraud.example.com') }) }), 'fraud')['rules']).toMatchObject([{ host: 'fraud.example.com' }]);
  }),
};
