import { Problems } from '../errors';
import { InferenceClients, ModelServiceProps } from '../service/props';
import { RenderedClusterNamespace } from './namespace';
import { CanaryOptions, ClusterModelProps, MirrorOptions, ModelRef } from './props';
import { Priority } from './priority';
import { ClusterRouting, ModelRoute } from './routing';

/** Where a model sits in its cluster, resolved from its {@link ClusterModelProps}. */
export interface ClusterPlacement {
  /** The model's name (its Service's). */
  readonly name: string;
  /** Its route (`ModelRoute.none()` for canaries, shadows and unrouted models). */
  readonly route: ModelRoute;
  readonly canary?: CanaryOptions;
  readonly mirror?: MirrorOptions;
}

/** The name a {@link ModelRef} refers to. */
export function refName(ref: ModelRef): string | undefined {
  if (typeof ref === 'string') return ref;
  return typeof ref === 'object' && ref !== null && typeof ref.name === 'string' ? ref.name : undefined;
}

/** The namespace whose pods forward the entry point's requests, admitted by every routed model's NetworkPolicy. */
export function proxyNamespace(routing: ClusterRouting | undefined, clusterNamespace: string): string | undefined {
  if (routing?.gatewayOptions) return routing.gatewayOptions.proxyNamespace ?? routing.gatewayOptions.gatewayNamespace ?? clusterNamespace;
  if (routing?.ingressOptions) return routing.ingressOptions.controllerNamespace ?? 'ingress-nginx';
  return undefined;
}

/**
 * The ModelService props of a model added to the cluster, and its placement: the cluster's
 * namespace, the PriorityClass of its `priority`, and, when the entry point forwards requests
 * to it, `inferenceClients` widened to admit the entry point's proxies (what the user wrote is
 * kept). Problems are recorded under the model's own path.
 */
export function clusterModelServiceProps(
  cluster: RenderedClusterNamespace,
  routing: ClusterRouting | undefined,
  defaultName: string,
  props: ClusterModelProps,
  problems: Problems,
): { props: ModelServiceProps; placement: ClusterPlacement } {
  const { route, priority, canary, mirror, ...service } = props;
  const name = props.name ?? defaultName;
  const namespace = cluster.namespace;
  const policy = cluster.defaultDenyPolicy.metadata.name;
  if (name === policy) problems.add('name', name, `expected a name other than "${policy}": the model's NetworkPolicy would replace the cluster's default-deny policy`);
  if (props.namespace !== undefined && props.namespace !== namespace) {
    problems.add('namespace', props.namespace, `expected nothing or "${namespace}": a ServingCluster's models run in its namespace`);
  }
  if (priority !== undefined && !(priority instanceof Priority)) problems.add('priority', priority, 'expected Priority.critical(), Priority.standard() or Priority.batch()');
  if (priority !== undefined && props.priorityClassName !== undefined) {
    problems.add('priorityClassName', props.priorityClassName, `expected nothing with priority ${String(priority)}: give one or the other`);
  }
  if (route !== undefined && !(route instanceof ModelRoute)) problems.add('route', route, 'expected ModelRoute.path(prefix), ModelRoute.host(hostname) or ModelRoute.none()');
  checkShare(canary, 'canary', 'weight', true, problems);
  checkShare(mirror, 'mirror', 'percent', false, problems);
  if (canary !== undefined && mirror !== undefined) problems.add('mirror', mirror, 'expected nothing on a canary: a model is either a canary or a shadow');
  const shared = canary !== undefined || mirror !== undefined;
  const kind = routing?.kind ?? 'none';
  if (shared && route !== undefined && route instanceof ModelRoute && route.routed) {
    problems.add('route', route, `expected nothing on a ${canary ? 'canary' : 'shadow'}: it is reached through the route of the model it ${canary ? 'shares' : 'mirrors'}`);
  }
  if (shared && kind !== 'gateway') {
    const prop = canary ? 'canary' : 'mirror';
    const why = kind === 'ingress' ? 'Ingress has no portable weighted split or request mirroring' : 'the cluster has no routing';
    problems.add(prop, canary ?? mirror, `expected a cluster with ClusterRouting.gateway(...): ${why}`);
  }
  const resolvedRoute = route instanceof ModelRoute ? route : defaultRoute(routing, name, shared);
  if (resolvedRoute.routed && kind === 'none') problems.add('route', route, 'expected nothing or ModelRoute.none(): the cluster has no routing (give it ClusterRouting.gateway(...) or .ingress(...))');
  if (resolvedRoute.routed && kind === 'ingress' && resolvedRoute.hostname === undefined) {
    const why = route === undefined ? ' (the default: the cluster\'s ingress routing has no `domain` for a default host)' : '';
    problems.add('route', route, `expected ModelRoute.host(hostname) or ModelRoute.none() with ClusterRouting.ingress(...)${why}: an Ingress cannot strip a path prefix without controller-specific annotations`);
  }

  const proxies = proxyNamespace(routing, namespace);
  const reached = resolvedRoute.routed || shared;
  // Only a valid list is widened: anything else reaches the ModelService's own check unchanged
  // (widening an empty list or a non-InferenceClients would hide the mistake, or admit any client).
  const widen = reached && proxies !== undefined && props.inferenceClients instanceof InferenceClients && (props.inferenceClients.peers?.length ?? 1) > 0;
  const inferenceClients = widen ? InferenceClients.anyOf(props.inferenceClients!, InferenceClients.namespaces(proxies!)) : props.inferenceClients;
  const priorityClassName = props.priorityClassName ?? (priority instanceof Priority ? priority : Priority.standard()).className(namespace);
  return {
    props: { ...service, namespace, priorityClassName, ...(inferenceClients ? { inferenceClients } : {}) },
    placement: { name, route: shared ? ModelRoute.none() : resolvedRoute, ...(canary ? { canary } : {}), ...(mirror ? { mirror } : {}) },
  };
}

function defaultRoute(routing: ClusterRouting | undefined, name: string, shared: boolean): ModelRoute {
  if (shared) return ModelRoute.none();
  if (routing?.gatewayOptions) return ModelRoute.path(`/${name}`);
  if (routing?.ingressOptions) return routing.ingressOptions.domain ? ModelRoute.host(`${name}.${routing.ingressOptions.domain}`) : ModelRoute.path(`/${name}`);
  return ModelRoute.none();
}

function checkShare(share: CanaryOptions | MirrorOptions | undefined, prop: string, key: 'weight' | 'percent', required: boolean, problems: Problems): void {
  if (share === undefined) return;
  if (typeof share !== 'object' || share === null) {
    problems.add(prop, share, `expected { of, ${key} }`);
    return;
  }
  if (refName(share.of) === undefined) problems.add(`${prop}.of`, share.of, 'expected the name of another model of the cluster, or its ModelService');
  const value = (share as unknown as Record<string, unknown>)[key];
  if ((value !== undefined || required) && !(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 100)) {
    problems.add(`${prop}.${key}`, value, 'expected a whole percentage from 0 to 100');
  }
}
