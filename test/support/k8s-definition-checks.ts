/**
 * Rules tied to one schema definition wherever it appears (a LabelSelector is checked
 * the same in a Deployment, a PDB or a pod affinity term). The schema walk calls these
 * after it has checked the object's fields, so they only look at well-typed values and
 * leave type errors to the walk.
 *
 * Cross-field rules that need the whole pod or object are in k8s-pod-checks.ts and
 * k8s-kind-checks.ts.
 */
import { checkLabelMap, checkLabelSelector } from './k8s-label-selectors';
import { configMapKey, dns1123Label, dns1123Subdomain, envVarName, isPercent, portName, portNumber, qualifiedName } from './k8s-name-rules';
import { childPath, stringField, stringMap, type JsonObject, type Report } from './k8s-problem';
import { checkContainerResources, checkPersistentVolumeClaimSpec, checkVolumeResources } from './k8s-resource-checks';
import type { DefinitionCheck } from './k8s-schema-walker';

const MAX_ANNOTATIONS_BYTES = 256 * 1024;

/** A port given as int-or-string: a number in range or an IANA service name. */
export function checkPortRef(value: unknown, path: string, report: Report): void {
  if (typeof value === 'number') for (const e of portNumber(value)) report(path, e);
  if (typeof value === 'string') for (const e of portName(value)) report(path, `invalid port name ${JSON.stringify(value)}: ${e}`);
}

/** Rollout budgets (maxSurge, maxUnavailable, minAvailable): a non-negative integer or "N%". */
function checkIntOrPercent(obj: JsonObject, field: string, path: string, report: Report): void {
  const value = obj[field];
  const at = childPath(path, field);
  if (typeof value === 'number' && value < 0) report(at, 'must be greater than or equal to 0');
  if (typeof value === 'string') {
    if (!isPercent(value)) report(at, `must be an integer or a percentage like "25%", got ${JSON.stringify(value)}`);
    else if (field === 'maxUnavailable' && parseInt(value, 10) > 100) report(at, 'must not be greater than 100%');
  }
}

function isZero(value: unknown): boolean {
  return value === 0 || value === '0%';
}

function nonNegative(obj: JsonObject, fields: string[], path: string, report: Report): void {
  for (const f of fields) {
    const v = obj[f];
    if (typeof v === 'number' && v < 0) report(childPath(path, f), 'must be greater than or equal to 0');
  }
}

/** Objects that must set exactly one of several members (probe handlers, volume sources, ...). */
function exactlyOne(obj: JsonObject, members: string[], noun: string, path: string, report: Report): void {
  const set = members.filter((m) => obj[m] !== undefined && obj[m] !== null);
  if (set.length === 0) report(path, `must specify a ${noun}`);
  if (set.length > 1) report(path, `may not specify more than 1 ${noun} (found ${set.join(', ')})`);
}

/** Relative file paths inside a volume (subPath, items[].path). */
function checkRelativePath(value: unknown, path: string, report: Report): void {
  if (typeof value !== 'string') return;
  if (value.startsWith('/')) report(path, 'must be a relative path');
  if (value.split('/').includes('..')) report(path, "must not contain '..'");
}

const checkObjectMeta: DefinitionCheck = (meta, path, report) => {
  checkLabelMap(meta['labels'], childPath(path, 'labels'), report);
  let size = 0;
  for (const [key, val] of stringMap(meta['annotations'])) {
    size += key.length + val.length;
    for (const e of qualifiedName(key.toLowerCase())) report(childPath(childPath(path, 'annotations'), key), `invalid annotation key ${JSON.stringify(key)}: ${e}`);
  }
  if (size > MAX_ANNOTATIONS_BYTES) report(childPath(path, 'annotations'), `may not have more than ${MAX_ANNOTATIONS_BYTES} bytes in total, has ${size}`);
};

const checkContainerPort: DefinitionCheck = (port, path, report) => {
  const name = stringField(port, 'name');
  if (name !== undefined) for (const e of portName(name)) report(childPath(path, 'name'), `invalid port name ${JSON.stringify(name)}: ${e}`);
  if (typeof port['containerPort'] === 'number') for (const e of portNumber(port['containerPort'])) report(childPath(path, 'containerPort'), e);
  // hostPort 0 means "not set".
  if (typeof port['hostPort'] === 'number' && port['hostPort'] !== 0) for (const e of portNumber(port['hostPort'])) report(childPath(path, 'hostPort'), e);
};

const checkServicePort: DefinitionCheck = (port, path, report) => {
  const name = stringField(port, 'name');
  if (name) for (const e of dns1123Label(name)) report(childPath(path, 'name'), `invalid service port name ${JSON.stringify(name)}: ${e}`);
  if (typeof port['port'] === 'number') for (const e of portNumber(port['port'])) report(childPath(path, 'port'), e);
  if (typeof port['nodePort'] === 'number' && port['nodePort'] !== 0) for (const e of portNumber(port['nodePort'])) report(childPath(path, 'nodePort'), e);
  checkPortRef(port['targetPort'], childPath(path, 'targetPort'), report);
};

const checkProbe: DefinitionCheck = (probe, path, report) => {
  exactlyOne(probe, ['exec', 'httpGet', 'tcpSocket', 'grpc'], 'handler type (exec, httpGet, tcpSocket or grpc)', path, report);
  nonNegative(probe, ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'], path, report);
  const grace = probe['terminationGracePeriodSeconds'];
  if (typeof grace === 'number' && grace <= 0) report(childPath(path, 'terminationGracePeriodSeconds'), 'must be greater than 0');
};

const checkEnvVar: DefinitionCheck = (env, path, report) => {
  const name = stringField(env, 'name');
  if (name !== undefined) for (const e of envVarName(name)) report(childPath(path, 'name'), `invalid env var name ${JSON.stringify(name)}: ${e}`);
  if (stringField(env, 'value') && env['valueFrom'] !== undefined) report(childPath(path, 'valueFrom'), 'may not be specified when `value` is not empty');
};

const checkVolume: DefinitionCheck = (volume, path, report) => {
  const name = stringField(volume, 'name');
  if (name !== undefined) for (const e of dns1123Label(name)) report(childPath(path, 'name'), `invalid volume name ${JSON.stringify(name)}: ${e}`);
  // Every member except name is a volume source; unknown members were already reported.
  exactlyOne(volume, Object.keys(volume).filter((k) => k !== 'name'), 'volume type', path, report);
};

const checkVolumeMount: DefinitionCheck = (mount, path, report) => {
  if (stringField(mount, 'mountPath') === '') report(childPath(path, 'mountPath'), 'must not be empty');
  checkRelativePath(mount['subPath'], childPath(path, 'subPath'), report);
  if (mount['subPath'] !== undefined && mount['subPathExpr'] !== undefined) report(childPath(path, 'subPathExpr'), 'subPathExpr and subPath are mutually exclusive');
};

const checkKeyToPath: DefinitionCheck = (item, path, report) => {
  const key = stringField(item, 'key');
  if (key !== undefined) for (const e of configMapKey(key)) report(childPath(path, 'key'), `invalid key ${JSON.stringify(key)}: ${e}`);
  checkRelativePath(item['path'], childPath(path, 'path'), report);
};

const checkHttpGet: DefinitionCheck = (action, path, report) => checkPortRef(action['port'], childPath(path, 'port'), report);

const checkGrpc: DefinitionCheck = (action, path, report) => {
  if (typeof action['port'] === 'number') for (const e of portNumber(action['port'])) report(childPath(path, 'port'), e);
};

const checkRollingUpdateDeployment: DefinitionCheck = (ru, path, report) => {
  checkIntOrPercent(ru, 'maxSurge', path, report);
  checkIntOrPercent(ru, 'maxUnavailable', path, report);
  if (isZero(ru['maxSurge']) && isZero(ru['maxUnavailable'])) report(childPath(path, 'maxUnavailable'), 'may not be 0 when `maxSurge` is 0');
};

const checkRollingUpdateStatefulSet: DefinitionCheck = (ru, path, report) => {
  checkIntOrPercent(ru, 'maxUnavailable', path, report);
  if (isZero(ru['maxUnavailable'])) report(childPath(path, 'maxUnavailable'), 'must be greater than 0');
  nonNegative(ru, ['partition'], path, report);
};

const checkPdbSpec: DefinitionCheck = (spec, path, report) => {
  checkIntOrPercent(spec, 'minAvailable', path, report);
  checkIntOrPercent(spec, 'maxUnavailable', path, report);
  if (spec['minAvailable'] !== undefined && spec['maxUnavailable'] !== undefined) report(path, 'minAvailable and maxUnavailable cannot be both set');
};

const checkNetworkPolicyPort: DefinitionCheck = (port, path, report) => {
  checkPortRef(port['port'], childPath(path, 'port'), report);
  const endPort = port['endPort'];
  if (typeof endPort === 'number') {
    if (typeof port['port'] !== 'number') report(childPath(path, 'endPort'), 'may only be set when `port` is a number');
    else if (endPort < port['port']) report(childPath(path, 'endPort'), 'must be greater than or equal to `port`');
  }
};

const checkIngressRule: DefinitionCheck = (rule, path, report) => {
  const host = stringField(rule, 'host');
  if (host === undefined || host === '') return;
  const errs = host.startsWith('*.') ? dns1123Subdomain(host.slice(2)) : host.includes('*') ? ["wildcards are only allowed as the first label ('*.')"] : dns1123Subdomain(host);
  for (const e of errs) report(childPath(path, 'host'), `invalid host ${JSON.stringify(host)}: ${e}`);
};

const checkHttpIngressPath: DefinitionCheck = (p, path, report) => {
  const type = stringField(p, 'pathType');
  const value = stringField(p, 'path');
  if ((type === 'Prefix' || type === 'Exact') && !value?.startsWith('/')) report(childPath(path, 'path'), `must be an absolute path for pathType ${type}`);
};

const checkIngressBackend: DefinitionCheck = (backend, path, report) => exactlyOne(backend, ['service', 'resource'], 'backend (service or resource)', path, report);

const checkServiceBackendPort: DefinitionCheck = (port, path, report) => {
  exactlyOne(port, ['name', 'number'], 'port name or number', path, report);
  checkPortRef(port['name'] ?? port['number'], childPath(path, port['name'] !== undefined ? 'name' : 'number'), report);
};

const RBAC_GROUP = 'rbac.authorization.k8s.io';

const checkRoleRef: DefinitionCheck = (ref, path, report) => {
  const kind = stringField(ref, 'kind');
  if (kind !== undefined && kind !== 'Role' && kind !== 'ClusterRole') report(childPath(path, 'kind'), `unsupported value ${JSON.stringify(kind)}: supported values: "Role", "ClusterRole"`);
  const group = stringField(ref, 'apiGroup');
  if (group !== undefined && group !== RBAC_GROUP) report(childPath(path, 'apiGroup'), `unsupported value ${JSON.stringify(group)}: supported values: "${RBAC_GROUP}"`);
};

const checkSubject: DefinitionCheck = (subject, path, report) => {
  const kind = stringField(subject, 'kind');
  const group = stringField(subject, 'apiGroup') ?? '';
  if (kind === 'ServiceAccount') {
    if (group !== '') report(childPath(path, 'apiGroup'), 'must be "" for ServiceAccount subjects');
    const name = stringField(subject, 'name');
    if (name !== undefined) for (const e of dns1123Subdomain(name)) report(childPath(path, 'name'), `invalid service account name: ${e}`);
  } else if (kind === 'User' || kind === 'Group') {
    if (group !== RBAC_GROUP) report(childPath(path, 'apiGroup'), `must be "${RBAC_GROUP}" for ${kind} subjects`);
  } else if (kind !== undefined) {
    report(childPath(path, 'kind'), `unsupported value ${JSON.stringify(kind)}: supported values: "ServiceAccount", "User", "Group"`);
  }
};

const checkHpaSpec: DefinitionCheck = (spec, path, report) => {
  const min = spec['minReplicas'];
  const max = spec['maxReplicas'];
  if (typeof min === 'number' && min < 1) report(childPath(path, 'minReplicas'), 'must be greater than or equal to 1');
  if (typeof max === 'number' && max < 1) report(childPath(path, 'maxReplicas'), 'must be greater than 0');
  if (typeof max === 'number' && typeof min === 'number' && max < min) report(childPath(path, 'maxReplicas'), 'must be greater than or equal to `minReplicas`');
};

const METRIC_SOURCES: Record<string, string> = {
  Object: 'object', Pods: 'pods', Resource: 'resource', ContainerResource: 'containerResource', External: 'external',
};

const checkMetricSpec: DefinitionCheck = (metric, path, report) => {
  const type = stringField(metric, 'type');
  if (type === undefined) return;
  const member = METRIC_SOURCES[type];
  if (!member) {
    report(childPath(path, 'type'), `unsupported value ${JSON.stringify(type)}: supported values: ${Object.keys(METRIC_SOURCES).map((k) => JSON.stringify(k)).join(', ')}`);
    return;
  }
  if (metric[member] === undefined) report(childPath(path, member), `must be populated for type ${type}`);
  for (const other of Object.values(METRIC_SOURCES)) {
    if (other !== member && metric[other] !== undefined) report(childPath(path, other), `must be omitted for type ${type}`);
  }
};

const METRIC_TARGET_VALUES: Record<string, string> = { Utilization: 'averageUtilization', Value: 'value', AverageValue: 'averageValue' };

const checkMetricTarget: DefinitionCheck = (target, path, report) => {
  const type = stringField(target, 'type');
  if (type === undefined) return;
  const member = METRIC_TARGET_VALUES[type];
  if (!member) report(childPath(path, 'type'), `unsupported value ${JSON.stringify(type)}: supported values: ${Object.keys(METRIC_TARGET_VALUES).map((k) => JSON.stringify(k)).join(', ')}`);
  else if (target[member] === undefined) report(childPath(path, member), `must be set for target type ${type}`);
};

const checkLocalObjectRef: DefinitionCheck = (ref, path, report) => {
  const name = stringField(ref, 'name');
  // The server accepts any string, but such a reference can never resolve to an object.
  if (name) for (const e of dns1123Subdomain(name)) report(childPath(path, 'name'), `invalid object name ${JSON.stringify(name)} (can never match an object): ${e}`);
};

const CORE = 'io.k8s.api.core.v1.';
const META = 'io.k8s.apimachinery.pkg.apis.meta.v1.';

export const DEFINITION_CHECKS: Record<string, DefinitionCheck> = {
  [`${META}ObjectMeta`]: checkObjectMeta,
  [`${META}LabelSelector`]: checkLabelSelector,
  [`${CORE}ContainerPort`]: checkContainerPort,
  [`${CORE}ServicePort`]: checkServicePort,
  [`${CORE}Probe`]: checkProbe,
  [`${CORE}LifecycleHandler`]: (h, path, report) => exactlyOne(h, ['exec', 'httpGet', 'tcpSocket'], 'handler type (exec, httpGet or tcpSocket)', path, report),
  [`${CORE}HTTPGetAction`]: checkHttpGet,
  [`${CORE}TCPSocketAction`]: checkHttpGet,
  [`${CORE}GRPCAction`]: checkGrpc,
  [`${CORE}EnvVar`]: checkEnvVar,
  [`${CORE}EnvVarSource`]: (s, path, report) => exactlyOne(s, ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'], 'source (fieldRef, resourceFieldRef, configMapKeyRef or secretKeyRef)', path, report),
  [`${CORE}Volume`]: checkVolume,
  [`${CORE}VolumeMount`]: checkVolumeMount,
  [`${CORE}KeyToPath`]: checkKeyToPath,
  [`${CORE}LocalObjectReference`]: checkLocalObjectRef,
  [`${CORE}ResourceRequirements`]: checkContainerResources,
  [`${CORE}VolumeResourceRequirements`]: checkVolumeResources,
  [`${CORE}PersistentVolumeClaimSpec`]: checkPersistentVolumeClaimSpec,
  'io.k8s.api.apps.v1.RollingUpdateDeployment': checkRollingUpdateDeployment,
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy': checkRollingUpdateStatefulSet,
  'io.k8s.api.policy.v1.PodDisruptionBudgetSpec': checkPdbSpec,
  'io.k8s.api.networking.v1.NetworkPolicyPort': checkNetworkPolicyPort,
  'io.k8s.api.networking.v1.IngressRule': checkIngressRule,
  'io.k8s.api.networking.v1.HTTPIngressPath': checkHttpIngressPath,
  'io.k8s.api.networking.v1.IngressBackend': checkIngressBackend,
  'io.k8s.api.networking.v1.ServiceBackendPort': checkServiceBackendPort,
  'io.k8s.api.rbac.v1.RoleRef': checkRoleRef,
  'io.k8s.api.rbac.v1.Subject': checkSubject,
  'io.k8s.api.autoscaling.v2.HorizontalPodAutoscalerSpec': checkHpaSpec,
  'io.k8s.api.autoscaling.v2.MetricSpec': checkMetricSpec,
  'io.k8s.api.autoscaling.v2.MetricTarget': checkMetricTarget,
};
