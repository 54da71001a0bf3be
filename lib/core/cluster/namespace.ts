import { checkMigProfile } from '../accelerator';
import { checkLabels, isPlainObject, listItems } from '../checks';
import { Problems } from '../errors';
import { KubeObject, Labels } from '../k8s-types';
import { isDnsLabel, isDnsSubdomain, NAME_RULES } from '../names';
import { isQuantity, parseQuantity } from '../quantity';
import { ServingClusterProps } from './props';
import { renderPriorityClasses } from './priority';
import { ClusterQuota } from './quota';
import { ClusterRouting } from './routing';

/** The Pod Security Standards version the namespace enforces: the Kubernetes version the manifests are validated against. */
export const POD_SECURITY_VERSION = 'v1.28';

/** Where the cluster's props come from, for messages and names. */
export interface ClusterContext {
  /** Construct path (cdk8s) or resource name (Pulumi), quoted in error messages. */
  readonly path: string;
  /** The default namespace when the props name none. */
  readonly defaultName: string;
}

/** The namespace-level objects, which depend on the cluster's props only (not on its models). */
export interface RenderedClusterNamespace {
  /** The namespace's name, also the prefix of the PriorityClasses' names. */
  readonly namespace: string;
  readonly namespaceObject: KubeObject;
  readonly limitRange: KubeObject;
  /** Denies all ingress to every pod of the namespace; each model's own NetworkPolicy opens its ports. */
  readonly defaultDenyPolicy: KubeObject;
  /** `<namespace>-critical`, `-standard`, `-batch` (cluster-scoped). */
  readonly priorityClasses: KubeObject[];
  /** Labels of every object of the cluster. */
  readonly labels: Labels;
}

/**
 * Validates the cluster's own props and renders the objects that do not depend on its models:
 * the Namespace (Pod Security "restricted" enforced, audited and warned), its LimitRange, a
 * default-deny NetworkPolicy and the PriorityClasses.
 *
 * The default-deny policy covers ingress only. Denying egress too would need an allowlist of
 * every place a model is fetched from (object storage, Hugging Face, an HTTPS host), which
 * NetworkPolicy can express only as IP ranges, plus DNS; a wrong guess fails model downloads at
 * start. Ingress is where the exposure is: with it denied, a pod is reachable only on the ports
 * its own NetworkPolicy opens (a model's inference port to `inferenceClients`, its metrics port
 * to the monitoring namespace).
 */
export function renderClusterNamespace(ctx: ClusterContext, props: ServingClusterProps, problems: Problems): RenderedClusterNamespace {
  const namespace = props.namespace ?? ctx.defaultName;
  if (!isDnsLabel(namespace)) problems.add('namespace', namespace, NAME_RULES.label);
  // `<namespace>-critical` must itself be a valid name: it is the longest PriorityClass name.
  else if (!isDnsSubdomain(`${namespace}-critical`)) problems.add('namespace', namespace, 'expected a name short enough to prefix the PriorityClass names');
  // The API server refuses PriorityClass names starting with "system-" (reserved for its own).
  // The cluster owns its namespace: Pod Security "restricted" and a default-deny policy on `default` or a
  // `kube-` namespace (reserved for Kubernetes' own) would break what already runs there, CoreDNS included.
  else if (namespace === 'default' || namespace.startsWith('kube-')) problems.add('namespace', namespace, 'expected a namespace of the cluster\'s own, not "default" or a "kube-" namespace: the cluster enforces Pod Security "restricted" and denies ingress to every pod in it');
  else if (namespace.startsWith('system-')) problems.add('namespace', namespace, 'expected a name that does not start with "system-": that prefix of the PriorityClass names is reserved for Kubernetes\' own classes');
  checkRouting(props.routing, problems.at('routing'));
  checkQuota(props.quota, problems.at('quota'));
  const defaultCpu = props.limitRange?.defaultCpu ?? '100m';
  const defaultMemory = props.limitRange?.defaultMemory ?? '128Mi';
  if (!isQuantity(defaultCpu) || parseQuantity(defaultCpu) === 0) problems.add('limitRange.defaultCpu', defaultCpu, 'expected a CPU quantity such as "100m", greater than zero');
  if (!isQuantity(defaultMemory) || parseQuantity(defaultMemory) === 0) problems.add('limitRange.defaultMemory', defaultMemory, 'expected a memory quantity such as "128Mi", greater than zero');

  const podSecurity: Labels = Object.fromEntries(['enforce', 'audit', 'warn'].flatMap((mode) => [
    [`pod-security.kubernetes.io/${mode}`, 'restricted'],
    [`pod-security.kubernetes.io/${mode}-version`, POD_SECURITY_VERSION],
  ]));
  const own: Labels = { 'app.kubernetes.io/managed-by': 'modelship', 'modelship.dev/cluster': namespace };
  checkLabels(problems, 'labels', props.labels, { keys: [...Object.keys(own), ...Object.keys(podSecurity)], why: 'the cluster sets these itself' });
  const labels: Labels = { ...props.labels, ...own };
  const priorityClasses = renderPriorityClasses(namespace, props.priorities, labels, problems);
  const meta = (name: string) => ({ name, namespace, labels });
  return {
    namespace,
    labels,
    namespaceObject: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { ...labels, ...podSecurity } } },
    limitRange: {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: meta('defaults'),
      spec: { limits: [{ type: 'Container', defaultRequest: { cpu: defaultCpu, memory: defaultMemory }, default: { memory: defaultMemory } }] },
    },
    defaultDenyPolicy: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('default-deny-ingress'),
      spec: { podSelector: {}, policyTypes: ['Ingress'] },
    },
    priorityClasses,
  };
}


function checkRouting(routing: ClusterRouting | undefined, problems: Problems): void {
  if (routing === undefined) return;
  const expected = 'expected ClusterRouting.gateway({ gatewayName }), ClusterRouting.ingress({ className }) or ClusterRouting.none()';
  if (!(routing instanceof ClusterRouting)) {
    problems.add('', routing, expected);
    return;
  }
  // A JavaScript caller can give gateway() or ingress() no options: refused rather than routing nothing.
  const options = routing.kind === 'gateway' ? routing.gatewayOptions : routing.ingressOptions;
  if (routing.kind !== 'none' && (typeof options !== 'object' || options === null)) {
    problems.add('', routing, expected);
    return;
  }
  const gateway = routing.gatewayOptions;
  if (gateway) {
    if (!isDnsSubdomain(gateway.gatewayName)) problems.add('gatewayName', gateway.gatewayName, NAME_RULES.subdomain);
    for (const key of ['gatewayNamespace', 'proxyNamespace'] as const) {
      if (gateway[key] !== undefined && !isDnsLabel(gateway[key]!)) problems.add(key, gateway[key], NAME_RULES.label);
    }
    if (gateway.sectionName !== undefined && !isDnsSubdomain(gateway.sectionName)) problems.add('sectionName', gateway.sectionName, 'expected a listener name (an RFC 1123 subdomain)');
    listItems(problems, 'hostnames', gateway.hostnames, 'expected an array of host names').forEach((h, i) => checkHostname(h, problems.at(`hostnames[${i}]`)));
  }
  const ingress = routing.ingressOptions;
  if (ingress) {
    if (!isDnsSubdomain(ingress.className)) problems.add('className', ingress.className, 'expected the name of an IngressClass');
    if (ingress.controllerNamespace !== undefined && !isDnsLabel(ingress.controllerNamespace)) problems.add('controllerNamespace', ingress.controllerNamespace, NAME_RULES.label);
    if (ingress.domain !== undefined && !isDnsSubdomain(ingress.domain)) problems.add('domain', ingress.domain, 'expected a DNS domain such as "models.example.com"');
  }
}

/** Checks a route host name as Gateway API and Ingress accept it: a DNS name, optionally with a leading `*.` wildcard label. */
export function checkHostname(hostname: unknown, problems: Problems): void {
  const bare = typeof hostname === 'string' && hostname.startsWith('*.') ? hostname.slice(2) : hostname;
  if (typeof bare !== 'string' || !isDnsSubdomain(bare) || !bare.includes('.') || /^[0-9]+$/.test(bare.slice(bare.lastIndexOf('.') + 1))) {
    problems.add('', hostname, 'expected a fully qualified host name such as "fraud.models.example.com" (a leading "*." wildcard allowed), without a port or IP address');
  }
}

function checkQuota(quota: ClusterQuota | undefined, problems: Problems): void {
  if (quota === undefined) return;
  if (!(quota instanceof ClusterQuota)) {
    problems.add('', quota, 'expected ClusterQuota.fromModels(), ClusterQuota.of({ cpu, memory, gpus, pods, migSlices }) or ClusterQuota.none()');
    return;
  }
  const limits = quota.limits ?? {};
  const checkCount = (prop: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) problems.add(prop, value, 'expected a whole number, 0 or more');
  };
  if (limits.cpu !== undefined && !isQuantity(limits.cpu)) problems.add('cpu', limits.cpu, 'expected a CPU quantity such as "64"');
  if (limits.memory !== undefined && !isQuantity(limits.memory)) problems.add('memory', limits.memory, 'expected a memory quantity such as "256Gi"');
  checkCount('gpus', limits.gpus);
  checkCount('pods', limits.pods);
  if (limits.migSlices !== undefined && !isPlainObject(limits.migSlices)) problems.add('migSlices', limits.migSlices, 'expected slices by MIG profile, e.g. { "1g.10gb": 14 }');
  else {
    for (const [profile, value] of Object.entries(limits.migSlices ?? {})) {
      if (checkMigProfile(problems, `migSlices.${profile}`, profile)) checkCount(`migSlices.${profile}`, value);
    }
  }
}
