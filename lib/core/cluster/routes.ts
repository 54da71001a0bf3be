import type { Problems } from '../errors';
import { KubeObject, Labels } from '../k8s-types';
import { PortRole } from '../runtime/contract';
import { RenderedModelService } from '../service/render';
import { checkHostname } from './namespace';
import { ClusterPlacement, refName } from './model-props';
import { ClusterRouting } from './routing';

/** A model of the cluster as the cross-model checks and the routes see it. */
export interface PlacedModel {
  /** Construct path (cdk8s) or resource name (Pulumi) of the model, quoted in its problems. */
  readonly path: string;
  readonly placement: ClusterPlacement;
  readonly rendered: RenderedModelService;
}

/** Where a path route sits: its host names (undefined: any) and its prefix without a trailing `/`. */
interface RouteKey {
  readonly hosts: readonly string[] | undefined;
  readonly prefix: string;
}

/** The most filters an HTTPRoute rule may have (its CRD's `maxItems`). */
const MAX_RULE_FILTERS = 16;

/** Characters Gateway API accepts in a path match (its CRD's CEL rule). */
const PATH_CHARACTERS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$/;

/** Whether `prefix` is a path prefix the Gateway API accepts: absolute, no empty, `.` or `..` segments, no encoded `/`. */
function isPathPrefix(prefix: unknown): prefix is string {
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || prefix.length > 1024 || !PATH_CHARACTERS.test(prefix)) return false;
  if (prefix.includes('//') || /%2f/i.test(prefix)) return false;
  return !prefix.split('/').some((segment) => segment === '.' || segment === '..');
}

function segments(prefix: string): string[] {
  return prefix.split('/').filter((s) => s !== '');
}

/** Whether one prefix is the other or a whole-segment prefix of it (`/fraud` and `/fraud/v2`). */
function prefixesOverlap(a: string, b: string): boolean {
  const [x, y] = [segments(a), segments(b)];
  const n = Math.min(x.length, y.length);
  return x.slice(0, n).every((s, i) => s === y[i]);
}

function hostsOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === undefined || b === undefined) return true;
  const matches = (pattern: string, host: string) => pattern === host || (pattern.startsWith('*.') && host.endsWith(pattern.slice(1)));
  return a.some((x) => b.some((y) => matches(x, y) || matches(y, x)));
}

/** A request both routes match: on a host they share, the longer prefix. */
function exampleRequest(a: RouteKey, b: RouteKey): string {
  const host = a.hosts?.[0] ?? b.hosts?.[0];
  const prefix = segments(a.prefix).length >= segments(b.prefix).length ? a.prefix : b.prefix;
  if (host === undefined) return `${prefix} on any host`;
  return `${host.startsWith('*.') ? `x${host.slice(1)}` : host}${prefix}`;
}

function describeRoute(key: RouteKey): string {
  return `${key.hosts ? key.hosts.join(', ') : 'any host'} ${key.prefix}`;
}

/**
 * The checks that span models: unique names, canary and mirror targets that exist and are
 * routed, one canary per model, and routes that do not overlap (two routes on a common host
 * whose prefixes are equal, or one a whole-segment prefix of the other: a request could match
 * both, and which wins depends on the implementation's precedence rules, not on what you meant).
 */
export function checkClusterModels(routing: ClusterRouting | undefined, models: readonly PlacedModel[], problems: Problems): void {
  const byName = new Map<string, PlacedModel>();
  for (const model of models) {
    const other = byName.get(model.placement.name);
    if (other) problems.of(model.path).add('name', model.placement.name, `expected a name no other model of the cluster has: ${other.path} is also named "${model.placement.name}"`);
    else byName.set(model.placement.name, model);
  }
  const canaryOf = new Map<string, PlacedModel>();
  const mirrorsOf = new Map<string, number>();
  for (const model of models) {
    for (const [prop, share] of [['canary', model.placement.canary], ['mirror', model.placement.mirror]] as const) {
      if (!share) continue;
      const target = refName(share.of);
      if (target === undefined) continue;
      const stable = byName.get(target);
      const at = problems.of(model.path).at(`${prop}.of`);
      const names = [...byName.keys()].filter((n) => n !== model.placement.name).map((n) => `"${n}"`).join(', ') || 'none';
      if (target === model.placement.name) at.add('', target, `expected another model of the cluster (${names}), not this one`);
      else if (!stable) at.add('', target, `expected a model of the cluster: ${names}`);
      else if (!stable.placement.route.routed) {
        at.add('', target, `expected a routed model: "${target}" is ${stable.placement.canary ? 'a canary' : stable.placement.mirror ? 'a shadow' : 'not routed (ModelRoute.none())'}`);
      } else if (prop === 'canary') {
        const first = canaryOf.get(target);
        if (first) at.add('', target, `expected a model without a canary: ${first.path} is already the canary of "${target}"`);
        else canaryOf.set(target, model);
      } else {
        // One RequestMirror filter per shadow, beside the URLRewrite of a path route, in a rule of at most 16 filters.
        const count = (mirrorsOf.get(target) ?? 0) + 1;
        mirrorsOf.set(target, count);
        const max = MAX_RULE_FILTERS - (stable.placement.route.prefix === '/' ? 0 : 1);
        if (count > max) at.add('', target, `expected a model with fewer shadows: "${target}" can have at most ${max} (an HTTPRoute rule has at most ${MAX_RULE_FILTERS} filters${max < MAX_RULE_FILTERS ? ', one of them its URLRewrite' : ''})`);
      }
    }
  }
  const gatewayHosts = routing?.gatewayOptions?.hostnames;
  const routed: { model: PlacedModel; key: RouteKey }[] = [];
  for (const model of models) {
    const route = model.placement.route;
    if (!route.routed) continue;
    const at = problems.of(model.path).at('route');
    if (route.hostname !== undefined) checkHostname(route.hostname, at);
    if (!isPathPrefix(route.prefix)) {
      at.add('', route, 'expected an absolute path prefix such as "/fraud": "/" then path segments of URL characters, no "//", query or fragment');
      continue;
    }
    const key: RouteKey = { hosts: route.hostname !== undefined ? [route.hostname] : gatewayHosts, prefix: route.prefix!.replace(/\/$/, '') || '/' };
    for (const other of routed) {
      if (hostsOverlap(key.hosts, other.key.hosts) && prefixesOverlap(key.prefix, other.key.prefix)) {
        at.add('', route, `expected a route that overlaps no other model's: ${describeRoute(key)} and ${describeRoute(other.key)} (${other.model.path}) both match ${exampleRequest(key, other.key)} (give path routes the gateway's \`hostnames\`, or prefixes that are not one another's)`);
      }
    }
    routed.push({ model, key });
  }
}

/** The port a model is routed to: its Service's HTTP inference port. */
function httpPort(rendered: RenderedModelService): number {
  return rendered.profile.ports.find((p) => p.role === PortRole.HTTP)!.port;
}

/** The identity of a routed model's route object (named after the model), without its spec: known when the model is added. */
export function routeIdentity(routing: ClusterRouting | undefined, namespace: string, labels: Labels, name: string): KubeObject {
  const [apiVersion, kind] = routing?.ingressOptions ? ['networking.k8s.io/v1', 'Ingress'] : ['gateway.networking.k8s.io/v1', 'HTTPRoute'];
  return { apiVersion, kind, metadata: { name, namespace, labels: { ...labels, 'app.kubernetes.io/name': name } } };
}

/**
 * The route objects of the cluster, one per routed model and named after it: a Gateway API
 * HTTPRoute (its rule split by weight with the model's canary, mirrored to its shadows), or an
 * Ingress. Assumes {@link checkClusterModels} found nothing.
 */
export function renderRoutes(routing: ClusterRouting | undefined, namespace: string, labels: Labels, models: readonly PlacedModel[]): Map<string, KubeObject> {
  const routes = new Map<string, KubeObject>();
  const gateway = routing?.gatewayOptions;
  const ingress = routing?.ingressOptions;
  for (const model of models) {
    const { name, route } = model.placement;
    if (!route.routed) continue;
    const identity = routeIdentity(routing, namespace, labels, name);
    const port = httpPort(model.rendered);
    if (ingress) {
      routes.set(name, {
        ...identity,
        spec: {
          ingressClassName: ingress.className,
          rules: [{ host: route.hostname, http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name, port: { number: port } } } }] } }],
        },
      });
      continue;
    }
    if (!gateway) continue;
    const sharesOf = (prop: 'canary' | 'mirror') => models.filter((m) => refName(m.placement[prop]?.of ?? '') === name);
    const canary = sharesOf('canary')[0];
    const weight = canary?.placement.canary?.weight;
    const backendRefs = canary
      ? [{ name, port, weight: 100 - weight! }, { name: canary.placement.name, port: httpPort(canary.rendered), weight }]
      : [{ name, port }];
    const rewrite = route.prefix === '/' ? [] : [{ type: 'URLRewrite', urlRewrite: { path: { type: 'ReplacePrefixMatch', replacePrefixMatch: '/' } } }];
    const mirrors = sharesOf('mirror').map((shadow) => {
      const percent = shadow.placement.mirror?.percent;
      return { type: 'RequestMirror', requestMirror: { backendRef: { name: shadow.placement.name, port: httpPort(shadow.rendered) }, ...(percent !== undefined ? { percent } : {}) } };
    });
    const filters = [...rewrite, ...mirrors];
    const hostnames = route.hostname !== undefined ? [route.hostname] : gateway.hostnames;
    routes.set(name, {
      ...identity,
      spec: {
        parentRefs: [{ name: gateway.gatewayName, ...(gateway.gatewayNamespace ? { namespace: gateway.gatewayNamespace } : {}), ...(gateway.sectionName ? { sectionName: gateway.sectionName } : {}) }],
        ...(hostnames && hostnames.length > 0 ? { hostnames: [...hostnames] } : {}),
        rules: [{
          matches: [{ path: { type: 'PathPrefix', value: route.prefix } }],
          ...(filters.length > 0 ? { filters } : {}),
          backendRefs,
        }],
      },
    });
  }
  return routes;
}
