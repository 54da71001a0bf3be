/** Routing of a ServingCluster: HTTPRoutes (path, host, canary, mirror), Ingresses, and what the models' NetworkPolicies admit. */
import * as fc from 'fast-check';
import { ClusterRouting, InferenceClients, ModelRoute, Priority, type KubeObject } from '../../../lib/core';
import { MINIMAL_PROPS } from '../../support/fixtures';
import { validationErrorOf } from '../../support/problems';
import { GATEWAY, expectValidCluster, renderCluster, specOf, torchServe } from './support';

type Rule = { matches: unknown[]; filters?: Record<string, unknown>[]; backendRefs: { name: string; port: number; weight?: number }[] };
const rulesOf = (route: KubeObject | undefined) => specOf<{ rules: Rule[] }>(route).rules;
const ingressFrom = (np: KubeObject) => (specOf<{ ingress: { from?: unknown[] }[] }>(np).ingress[0]!.from);

describe('Gateway API', () => {
  test('a model is routed at /<name> by default, the prefix stripped, to its HTTP port, through the Gateway', () => {
    const c = renderCluster({ routing: GATEWAY }, { fraud: torchServe(), llm: MINIMAL_PROPS.vllm() });
    expect(c.routes.get('fraud')).toEqual({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'fraud', namespace: 'prod', labels: { 'app.kubernetes.io/managed-by': 'modelship', 'modelship.dev/cluster': 'prod', 'app.kubernetes.io/name': 'fraud' } },
      spec: {
        parentRefs: [{ name: 'public', namespace: 'gateway' }],
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: '/fraud' } }],
          filters: [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }],
          backendRefs: [{ name: 'fraud', port: 8080 }],
        }],
      },
    });
    expect(rulesOf(c.routes.get('llm'))[0]!.backendRefs).toEqual([{ name: 'llm', port: 8000 }]);
    expectValidCluster(c);
  });

  test('host routes keep the path; the gateway\'s hostnames and listener apply to path routes', () => {
    const routing = ClusterRouting.gateway({ gatewayName: 'public', sectionName: 'https', hostnames: ['api.example.com'] });
    const c = renderCluster({ routing }, { fraud: torchServe(), chat: torchServe({ route: ModelRoute.host('chat.example.com') }) });
    expect(specOf(c.routes.get('fraud'))).toMatchObject({ parentRefs: [{ name: 'public', sectionName: 'https' }], hostnames: ['api.example.com'] });
    expect(specOf(c.routes.get('chat'))).toEqual({
      parentRefs: [{ name: 'public', sectionName: 'https' }],
      hostnames: ['chat.example.com'],
      rules: [{ matches: [{ path: { type: 'PathPrefix', value: '/' } }], backendRefs: [{ name: 'chat', port: 8080 }] }],
    });
    expectValidCluster(c);
  });

  test('a canary is one weighted rule on the stable model\'s route; promotion is weight 100 (stable kept at 0)', () => {
    for (const [weight, stable] of [[10, 90], [0, 100], [100, 0]] as const) {
      const c = renderCluster({ routing: GATEWAY }, { fraud: torchServe(), 'fraud-v8': torchServe({ canary: { of: 'fraud', weight } }) });
      expect(rulesOf(c.routes.get('fraud'))[0]!.backendRefs).toEqual([{ name: 'fraud', port: 8080, weight: stable }, { name: 'fraud-v8', port: 8080, weight }]);
      expect(c.routes.has('fraud-v8')).toBe(false);
      expectValidCluster(c);
    }
  });

  test('a shadow gets a RequestMirror filter on the mirrored model\'s rule, with percent only when given', () => {
    const c = renderCluster({ routing: GATEWAY }, { fraud: torchServe(), shadow: torchServe({ mirror: { of: { name: 'fraud' } } }), sampled: torchServe({ mirror: { of: 'fraud', percent: 5 } }) });
    expect(rulesOf(c.routes.get('fraud'))[0]!.filters).toEqual([
      { type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } },
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'shadow', port: 8080 } } },
      { type: 'RequestMirror', requestMirror: { backendRef: { name: 'sampled', port: 8080 }, percent: 5 } },
    ]);
    expect([...c.routes.keys()]).toEqual(['fraud']);
    expectValidCluster(c);
  });
});

describe('Ingress', () => {
  test('one Ingress per model, by host: <name>.<domain> by default, to the HTTP port', () => {
    const c = renderCluster({ routing: ClusterRouting.ingress({ className: 'nginx', domain: 'models.example.com' }) }, { fraud: torchServe(), chat: torchServe({ route: ModelRoute.host('chat.example.com') }), internal: torchServe({ route: ModelRoute.none() }) });
    expect(specOf(c.routes.get('fraud'))).toEqual({
      ingressClassName: 'nginx',
      rules: [{ host: 'fraud.models.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'fraud', port: { number: 8080 } } } }] } }],
    });
    expect((specOf<{ rules: { host: string }[] }>(c.routes.get('chat')).rules[0]!.host)).toBe('chat.example.com');
    expect([...c.routes.keys()]).toEqual(['fraud', 'chat']);
    expectValidCluster(c);
  });
});

describe('what the models admit', () => {
  test('the user\'s inferenceClients are kept and the gateway\'s proxies added; the default (any client) stays any', () => {
    const c = renderCluster({ routing: GATEWAY }, { fraud: torchServe({ inferenceClients: InferenceClients.namespaces('payments') }), open: torchServe(), internal: torchServe({ route: ModelRoute.none(), inferenceClients: InferenceClients.namespaces('payments') }) });
    const ns = (n: string) => ({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': n } } });
    expect(ingressFrom(c.services['fraud']!.networkPolicy)).toEqual([ns('payments'), ns('gateway')]);
    expect(ingressFrom(c.services['open']!.networkPolicy)).toBeUndefined();
    expect(ingressFrom(c.services['internal']!.networkPolicy)).toEqual([ns('payments')]);
  });

  test('canaries and shadows admit the proxies too; the proxy namespace can differ from the Gateway\'s; Ingress admits its controller', () => {
    const podsOnly = InferenceClients.podsWithLabels({ role: 'caller' });
    const routing = ClusterRouting.gateway({ gatewayName: 'eg', proxyNamespace: 'envoy-gateway-system' });
    const c = renderCluster({ routing }, { fraud: torchServe(), v2: torchServe({ canary: { of: 'fraud', weight: 5 }, inferenceClients: podsOnly }), shadow: torchServe({ mirror: { of: 'fraud' }, inferenceClients: podsOnly }) });
    for (const id of ['v2', 'shadow']) expect(ingressFrom(c.services[id]!.networkPolicy)).toEqual([{ podSelector: { matchLabels: { role: 'caller' } } }, { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } } }]);
    const i = renderCluster({ routing: ClusterRouting.ingress({ className: 'nginx', domain: 'example.com' }) }, { fraud: torchServe({ inferenceClients: podsOnly }) });
    expect(ingressFrom(i.services['fraud']!.networkPolicy)).toContainEqual({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } } });
  });

  test('inferenceClients that are not a valid InferenceClients reach the ModelService\'s check unchanged, never widened to any client', () => {
    expect(validationErrorOf(() => renderCluster({ routing: GATEWAY }, { fraud: torchServe({ inferenceClients: 'payments' as unknown as InferenceClients }) })).problems.map((p) => [p.construct, p.prop])).toEqual([['test/prod/fraud', 'inferenceClients']]);
    expect(validationErrorOf(() => renderCluster({ routing: GATEWAY }, { fraud: torchServe({ inferenceClients: InferenceClients.namespaces() }) })).problems.map((p) => [p.construct, p.prop, p.given])).toEqual([['test/prod/fraud', 'inferenceClients', '[]']]);
  });

  test('every model runs in the cluster\'s namespace with its priority\'s class (standard by default, or the user\'s own class)', () => {
    const c = renderCluster({}, { a: torchServe({ priority: Priority.critical() }), b: torchServe(), c: torchServe({ priority: Priority.batch() }), d: torchServe({ priorityClassName: 'system-cluster-critical' }) });
    const pod = (id: string) => (c.services[id]!.deployment['spec'] as { template: { spec: { priorityClassName?: string } } }).template.spec.priorityClassName;
    expect(['a', 'b', 'c', 'd'].map(pod)).toEqual(['prod-critical', 'prod-standard', 'prod-batch', 'system-cluster-critical']);
    expect(Object.values(c.services).map((s) => s.deployment.metadata.namespace)).toEqual(['prod', 'prod', 'prod', 'prod']);
  });
});

describe('properties', () => {
  const segment = fc.stringMatching(/^[a-z][a-z0-9]{0,5}$/);
  test('models whose path prefixes start with different segments never conflict, and every route is valid', () => {
    fc.assert(fc.property(fc.uniqueArray(segment, { minLength: 1, maxLength: 6 }), fc.array(segment, { maxLength: 2 }), (firsts, rest) => {
      const models = Object.fromEntries(firsts.map((s, i) => [`m${i}`, torchServe({ route: ModelRoute.path(`/${[s, ...rest].join('/')}`) })]));
      const c = renderCluster({ routing: GATEWAY, monitoring: false }, models);
      expect(c.routes.size).toBe(firsts.length);
    }), { numRuns: 25 });
  });
});
