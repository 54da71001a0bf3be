/** Bad input to a ServingCluster: a ValidationError naming what conflicts, every problem at once. */
import * as fc from 'fast-check';
import { Accelerator, ClusterQuota, ClusterRouting, ModelRoute, NodePool, PlanMethod, Priority, type ClusterModelProps, type GatewayRoutingOptions, type IngressRoutingOptions, type PriorityValues, type ServingClusterProps } from '../../../lib/core';
import { validationErrorOf } from '../../support/problems';
import { GATEWAY, expectValidCluster, renderCluster, torchServe } from './support';

/** The problems rendering the cluster throws, as [construct, prop, given, allowed]. */
function problems(props: ServingClusterProps, models: Record<string, ClusterModelProps> = {}): [string, string, string, string][] {
  return validationErrorOf(() => renderCluster(props, models)).problems.map((p) => [p.construct, p.prop, p.given, p.allowed]);
}

describe('cluster props', () => {
  test('namespace, routing, quota, LimitRange and priorities, all at once', () => {
    expect(problems({
      namespace: 'Prod',
      routing: ClusterRouting.gateway({ gatewayName: 'Public!', hostnames: ['10.0.0.1'] }),
      quota: ClusterQuota.of({ cpu: 'lots', pods: -1 }),
      limitRange: { defaultCpu: '0' },
      priorities: { critical: 10, standard: 20 },
    })).toEqual([
      ['test/prod', 'namespace', '"Prod"', 'expected a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit'],
      ['test/prod', 'routing.gatewayName', '"Public!"', 'expected a DNS-1123 subdomain: at most 253 lowercase letters, digits, "-" and ".", starting and ending alphanumeric'],
      ['test/prod', 'routing.hostnames[0]', '"10.0.0.1"', 'expected a fully qualified host name such as "fraud.models.example.com" (a leading "*." wildcard allowed), without a port or IP address'],
      ['test/prod', 'quota.cpu', '"lots"', 'expected a CPU quantity such as "64"'],
      ['test/prod', 'quota.pods', '-1', 'expected a whole number, 0 or more'],
      ['test/prod', 'limitRange.defaultCpu', '"0"', 'expected a CPU quantity such as "100m", greater than zero'],
      ['test/prod', 'priorities', '{"critical":10,"standard":20}', 'expected critical > standard > batch'],
    ]);
  });

  test('labels the API server would reject, or that would override the cluster\'s own, are named', () => {
    expect(problems({ labels: { 'bad key!': 'x', team: 'not ok!', 'modelship.dev/cluster': 'other', 'pod-security.kubernetes.io/enforce': 'privileged' } })).toEqual([
      ['test/prod', 'labels.bad key!', '"bad key!"', expect.stringMatching(/^expected a label key/) as unknown as string],
      ['test/prod', 'labels.team', '"not ok!"', expect.stringMatching(/^expected a label value/) as unknown as string],
      ['test/prod', 'labels.modelship.dev/cluster', '"other"', expect.stringMatching(/^expected a key other than app.kubernetes.io\/managed-by, modelship.dev\/cluster, pod-security.kubernetes.io\/enforce, /) as unknown as string],
      ['test/prod', 'labels.pod-security.kubernetes.io/enforce', '"privileged"', expect.stringMatching(/^expected a key other than /) as unknown as string],
    ]);
  });

  test('a namespace that would give the PriorityClasses the reserved "system-" prefix', () => {
    expect(problems({ namespace: 'system-models' })).toEqual([
      ['test/prod', 'namespace', '"system-models"', 'expected a name that does not start with "system-": that prefix of the PriorityClass names is reserved for Kubernetes\' own classes'],
    ]);
  });

  test('a namespace the cluster cannot own: default, or a kube- namespace', () => {
    for (const namespace of ['default', 'kube-system']) {
      expect(problems({ namespace })).toEqual([
        ['test/prod', 'namespace', `"${namespace}"`, 'expected a namespace of the cluster\'s own, not "default" or a "kube-" namespace: the cluster enforces Pod Security "restricted" and denies ingress to every pod in it'],
      ]);
    }
  });

  test('a listener name is a subdomain, as Gateway API\'s SectionName', () => {
    expect(() => renderCluster({ routing: ClusterRouting.gateway({ gatewayName: 'public', sectionName: 'api.https' }) }, {})).not.toThrow();
    expect(problems({ routing: ClusterRouting.gateway({ gatewayName: 'public', sectionName: 'HTTPS' }) })).toEqual([
      ['test/prod', 'routing.sectionName', '"HTTPS"', 'expected a listener name (an RFC 1123 subdomain)'],
    ]);
  });

  test('options of the wrong shape from JavaScript are problems, not a TypeError or silently nothing', () => {
    expect(problems({
      routing: ClusterRouting.gateway({ gatewayName: 'public', hostnames: 'api.example.com' as unknown as string[] }),
      priorities: 'high' as unknown as PriorityValues,
    })).toEqual([
      ['test/prod', 'routing.hostnames', '"api.example.com"', 'expected an array of host names'],
      ['test/prod', 'priorities', '"high"', 'expected { critical?, standard?, batch? }'],
    ]);
    for (const routing of [ClusterRouting.gateway(undefined as unknown as GatewayRoutingOptions), ClusterRouting.ingress(null as unknown as IngressRoutingOptions)]) {
      expect(problems({ routing }, { fraud: torchServe() }).map(([, prop, , allowed]) => [prop, allowed])).toEqual([
        ['routing', 'expected ClusterRouting.gateway({ gatewayName }), ClusterRouting.ingress({ className }) or ClusterRouting.none()'],
      ]);
    }
  });
});

describe('model props in the cluster', () => {
  test('another namespace, priority with priorityClassName, a route without routing', () => {
    expect(problems({}, { fraud: torchServe({ namespace: 'other', priority: Priority.critical(), priorityClassName: 'mine', route: ModelRoute.path('/fraud') }) })).toEqual([
      ['test/prod/fraud', 'namespace', '"other"', 'expected nothing or "prod": a ServingCluster\'s models run in its namespace'],
      ['test/prod/fraud', 'priorityClassName', '"mine"', 'expected nothing with priority Priority.critical(): give one or the other'],
      ['test/prod/fraud', 'route', 'ModelRoute.path("/fraud")', 'expected nothing or ModelRoute.none(): the cluster has no routing (give it ClusterRouting.gateway(...) or .ingress(...))'],
    ]);
  });

  test('a model named like the cluster\'s default-deny NetworkPolicy, whose own policy would replace it', () => {
    expect(problems({}, { 'default-deny-ingress': torchServe() })).toEqual([
      ['test/prod/default-deny-ingress', 'name', '"default-deny-ingress"', 'expected a name other than "default-deny-ingress": the model\'s NetworkPolicy would replace the cluster\'s default-deny policy'],
    ]);
  });

  test('canary and mirror with Ingress, a path route with Ingress, a weight out of range', () => {
    const ingress = ClusterRouting.ingress({ className: 'nginx' });
    expect(problems({ routing: ingress }, { fraud: torchServe({ route: ModelRoute.host('fraud.example.com') }), v2: torchServe({ canary: { of: 'fraud', weight: 120 } }), shadow: torchServe({ mirror: { of: 'fraud' } }), plain: torchServe() })).toEqual([
      ['test/prod/v2', 'canary.weight', '120', 'expected a whole percentage from 0 to 100'],
      ['test/prod/v2', 'canary', '{"of":"fraud","weight":120}', 'expected a cluster with ClusterRouting.gateway(...): Ingress has no portable weighted split or request mirroring'],
    ]);
    expect(problems({ routing: ingress }, { shadow: torchServe({ mirror: { of: 'fraud' } }) })).toEqual([
      ['test/prod/shadow', 'mirror', '{"of":"fraud"}', 'expected a cluster with ClusterRouting.gateway(...): Ingress has no portable weighted split or request mirroring'],
    ]);
    expect(problems({ routing: ingress }, { plain: torchServe() })).toEqual([
      ['test/prod/plain', 'route', 'nothing', 'expected ModelRoute.host(hostname) or ModelRoute.none() with ClusterRouting.ingress(...) (the default: the cluster\'s ingress routing has no `domain` for a default host): an Ingress cannot strip a path prefix without controller-specific annotations'],
    ]);
  });

  test('a canary with its own route, and a canary that is also a shadow', () => {
    expect(problems({ routing: GATEWAY }, { v2: torchServe({ canary: { of: 'fraud', weight: 10 }, mirror: { of: 'fraud' }, route: ModelRoute.path('/v2') }) })).toEqual([
      ['test/prod/v2', 'mirror', '{"of":"fraud"}', 'expected nothing on a canary: a model is either a canary or a shadow'],
      ['test/prod/v2', 'route', 'ModelRoute.path("/v2")', 'expected nothing on a canary: it is reached through the route of the model it shares'],
    ]);
  });
});

describe('what spans models (checked once every model is added)', () => {
  test('canary and mirror targets: unknown, itself, not routed, a second canary', () => {
    expect(problems({ routing: GATEWAY }, {
      fraud: torchServe(),
      internal: torchServe({ route: ModelRoute.none() }),
      a: torchServe({ canary: { of: 'frued', weight: 10 } }),
      b: torchServe({ canary: { of: 'b', weight: 10 } }),
      c: torchServe({ mirror: { of: 'internal' } }),
      d: torchServe({ canary: { of: 'fraud', weight: 10 } }),
      e: torchServe({ canary: { of: 'fraud', weight: 20 } }),
      f: torchServe({ mirror: { of: 'd' } }),
    })).toEqual([
      ['test/prod/a', 'canary.of', '"frued"', 'expected a model of the cluster: "fraud", "internal", "b", "c", "d", "e", "f"'],
      ['test/prod/b', 'canary.of', '"b"', 'expected another model of the cluster ("fraud", "internal", "a", "c", "d", "e", "f"), not this one'],
      ['test/prod/c', 'mirror.of', '"internal"', 'expected a routed model: "internal" is not routed (ModelRoute.none())'],
      ['test/prod/e', 'canary.of', '"fraud"', 'expected a model without a canary: test/prod/d is already the canary of "fraud"'],
      ['test/prod/f', 'mirror.of', '"d"', 'expected a routed model: "d" is a canary'],
    ]);
  });

  test('overlapping routes name both models and a request both match', () => {
    expect(problems({ routing: GATEWAY }, {
      fraud: torchServe(),
      again: torchServe({ route: ModelRoute.path('/fraud/') }),
      deeper: torchServe({ route: ModelRoute.path('/fraud/v2') }),
      fraudulent: torchServe({ route: ModelRoute.path('/fraudulent') }),
      chat: torchServe({ route: ModelRoute.host('chat.example.com') }),
      bad: torchServe({ route: ModelRoute.path('/a/../b') }),
    })).toEqual([
      ['test/prod/again', 'route', 'ModelRoute.path("/fraud/")', 'expected a route that overlaps no other model\'s: any host /fraud and any host /fraud (test/prod/fraud) both match /fraud on any host (give path routes the gateway\'s `hostnames`, or prefixes that are not one another\'s)'],
      ['test/prod/deeper', 'route', 'ModelRoute.path("/fraud/v2")', 'expected a route that overlaps no other model\'s: any host /fraud/v2 and any host /fraud (test/prod/fraud) both match /fraud/v2 on any host (give path routes the gateway\'s `hostnames`, or prefixes that are not one another\'s)'],
      ['test/prod/deeper', 'route', 'ModelRoute.path("/fraud/v2")', 'expected a route that overlaps no other model\'s: any host /fraud/v2 and any host /fraud (test/prod/again) both match /fraud/v2 on any host (give path routes the gateway\'s `hostnames`, or prefixes that are not one another\'s)'],
      ['test/prod/chat', 'route', 'ModelRoute.host("chat.example.com")', 'expected a route that overlaps no other model\'s: chat.example.com / and any host /fraud (test/prod/fraud) both match chat.example.com/fraud (give path routes the gateway\'s `hostnames`, or prefixes that are not one another\'s)'],
      ['test/prod/chat', 'route', 'ModelRoute.host("chat.example.com")', 'expected a route that overlaps no other model\'s: chat.example.com / and any host /fraud (test/prod/again) both match chat.example.com/fraud (give path routes the gateway\'s `hostnames`, or prefixes that are not one another\'s)'],
      ['test/prod/chat', 'route', 'ModelRoute.host("chat.example.com")', 'expected a route that overlaps no other model\'s: chat.example.com / and any host /fraud/v2 (test/prod/deeper) both match chat.example.com/fraud/v2 (give path routes the gateway\'s `hostnames`, or prefixes that are not one another\'s)'],
      ['test/prod/chat', 'route', 'ModelRoute.host("chat.example.com")', 'expected a route that overlaps no other model\'s: chat.example.com / and any host /fraudulent (test/prod/fraudulent) both match chat.example.com/fraudulent (give path routes the gateway\'s `hostnames`, or prefixes that are not one another\'s)'],
      ['test/prod/bad', 'route', 'ModelRoute.path("/a/../b")', 'expected an absolute path prefix such as "/fraud": "/" then path segments of URL characters, no "//", query or fragment'],
    ]);
  });

  test('more shadows of a model than the filters of its HTTPRoute rule can hold', () => {
    const shadows = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`s${i}`, torchServe({ mirror: { of: 'fraud' } })]));
    expectValidCluster(renderCluster({ routing: GATEWAY, monitoring: false }, { fraud: torchServe(), ...shadows(15) }));
    expect(problems({ routing: GATEWAY, monitoring: false }, { fraud: torchServe(), ...shadows(16) })).toEqual([
      ['test/prod/s15', 'mirror.of', '"fraud"', 'expected a model with fewer shadows: "fraud" can have at most 15 (an HTTPRoute rule has at most 16 filters, one of them its URLRewrite)'],
    ]);
    expect(() => renderCluster({ routing: GATEWAY, monitoring: false }, { fraud: torchServe({ route: ModelRoute.host('fraud.example.com') }), ...shadows(16) })).not.toThrow();
  });

  test('two models with one name', () => {
    expect(problems({}, { a: torchServe({ name: 'fraud' }), b: torchServe({ name: 'fraud' }) })).toEqual([
      ['test/prod/b', 'name', '"fraud"', 'expected a name no other model of the cluster has: test/prod/a is also named "fraud"'],
    ]);
  });

  test('a selector no pool matches, a GPU model without a GPU pool, replicas that do not fit at min', () => {
    const pools = [NodePool.cpu('general', { count: 1, cpu: '4', memory: '8Gi', labels: { pool: 'general' } })];
    expect(problems({ nodePools: pools, monitoring: false }, {
      fraud: torchServe({ nodeSelector: { pool: 'fast' } }),
      llm: torchServe({ accelerator: Accelerator.nvidiaGpu(), resources: { cpu: '2', memory: '4Gi' } }),
      big: torchServe({ resources: { cpu: '3', memory: '6Gi' }, replicas: 2 }),
    })).toEqual([
      ['test/prod', 'models.fraud.nodeSelector', '{"pool":"fast"}', 'expected a node selector that a declared node pool matches; none does: general has {"pool":"general"}'],
      ['test/prod', 'models.llm.gpus', '1', 'expected a GPU node pool for a model that requests GPUs; the pools (general) have none'],
      ['test/prod', 'models.big.minReplicas', '2', expect.stringMatching(/^expected replicas that fit the declared node pools: /) as unknown as string],
    ]);
  });

  test('a capacity method that is not a PlanMethod, named by the prop the cluster was given', () => {
    const pools = [NodePool.cpu('general', { count: 1, cpu: '4', memory: '8Gi' })];
    expect(problems({ nodePools: pools, capacity: { method: 'optimal' as PlanMethod }, monitoring: false }, { fraud: torchServe() })).toEqual([
      ['test/prod', 'capacity.method', '"optimal"', 'expected PlanMethod.AUTO, PlanMethod.EXACT or PlanMethod.HEURISTIC'],
    ]);
  });

  test('property: a declared CPU quota passes exactly when it covers the models at maxReplicas plus a rollout\'s extra pods (one starting, one terminating)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 40 }), (replicas, quota) => {
      const render = () => renderCluster({ quota: ClusterQuota.of({ cpu: String(quota) }), monitoring: false }, { fraud: torchServe({ replicas }) });
      if (quota >= replicas + 2) expect(render).not.toThrow();
      else expect(render).toThrow(/quota\.cpu/);
    }), { numRuns: 30 });
  });
});
