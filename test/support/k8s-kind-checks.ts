/**
 * Per-kind rules: object name syntax (which differs by kind), namespace scoping, and
 * the cross-field rules of each kind. Runs after the schema walk on built-in kinds.
 */
import { configMapKey, dns1035Label, dns1123Label, dns1123Subdomain, pathSegmentName } from './k8s-name-rules';
import { childPath, objectField, stringField, stringMap, isObject, type JsonObject, type Report } from './k8s-problem';
import { checkService } from './k8s-service-checks';
import { checkDeployment, checkJob, checkStatefulSet } from './k8s-workload-checks';

type NameRule = (name: string) => string[];

/** ValidateObjectMeta name functions; everything not listed uses DNS-1123 subdomain. */
const NAME_RULES: Record<string, NameRule> = {
  Namespace: dns1123Label,
  Service: dns1035Label,
  Role: pathSegmentName,
  RoleBinding: pathSegmentName,
  // The name becomes the batch.kubernetes.io/job-name label of the pods, so it must also be a label value.
  Job: (name) => [...dns1123Subdomain(name), ...(name.length > 63 ? ['must be no more than 63 characters (it is used as the job-name label value)'] : [])],
  PriorityClass: (name) => [...dns1123Subdomain(name), ...(name.startsWith('system-') ? ['the "system-" prefix is reserved for built-in priority classes'] : [])],
};

const MAX_CONFIG_BYTES = 1024 * 1024;
const HIGHEST_USER_PRIORITY = 1_000_000_000;

export function checkNameAndNamespace(obj: JsonObject, kind: string, namespaced: boolean, report: Report): void {
  const meta = objectField(obj, 'metadata');
  const name = stringField(meta, 'name');
  if (!name && !stringField(meta, 'generateName')) report('metadata.name', 'required field is missing');
  if (name) for (const e of (NAME_RULES[kind] ?? dns1123Subdomain)(name)) report('metadata.name', `invalid ${kind} name ${JSON.stringify(name)}: ${e}`);
  // On cluster-scoped kinds the server silently clears metadata.namespace (and cdk8s
  // charts set it on everything), so it is only checked where it means something.
  const ns = stringField(meta, 'namespace');
  if (ns !== undefined && namespaced) for (const e of dns1123Label(ns)) report('metadata.namespace', `invalid namespace ${JSON.stringify(ns)}: ${e}`);
}

function checkDataKeys(obj: JsonObject, fields: string[], report: Report): Set<string> {
  const keys = new Set<string>();
  for (const field of fields) {
    const data = obj[field];
    if (!isObject(data)) continue;
    for (const key of Object.keys(data)) {
      for (const e of configMapKey(key)) report(childPath(field, key), `invalid key ${JSON.stringify(key)}: ${e}`);
      keys.add(key);
    }
  }
  return keys;
}

function checkConfigMap(obj: JsonObject, report: Report): void {
  checkDataKeys(obj, ['data', 'binaryData'], report);
  const data = isObject(obj['data']) ? obj['data'] : {};
  for (const key of Object.keys(isObject(obj['binaryData']) ? obj['binaryData'] : {})) {
    if (key in data) report(childPath('binaryData', key), 'duplicate of key present in `data`');
  }
  const size = stringMap(obj['data']).reduce((n, [k, v]) => n + k.length + Buffer.byteLength(v), 0)
    + stringMap(obj['binaryData']).reduce((n, [k, v]) => n + k.length + Math.floor((v.length * 3) / 4), 0);
  if (size > MAX_CONFIG_BYTES) report('data', `ConfigMap data may not be larger than ${MAX_CONFIG_BYTES} bytes (has ~${size})`);
}

/** Keys a typed Secret must carry (ValidateSecret). */
const SECRET_REQUIRED_KEYS: Record<string, string[]> = {
  'kubernetes.io/tls': ['tls.crt', 'tls.key'],
  'kubernetes.io/dockerconfigjson': ['.dockerconfigjson'],
  'kubernetes.io/dockercfg': ['.dockercfg'],
  'kubernetes.io/ssh-auth': ['ssh-privatekey'],
};

function checkSecret(obj: JsonObject, report: Report): void {
  const keys = checkDataKeys(obj, ['data', 'stringData'], report);
  const type = stringField(obj, 'type');
  for (const key of SECRET_REQUIRED_KEYS[type ?? ''] ?? []) {
    if (!keys.has(key)) report(childPath('data', key), `required for Secret type ${type}`);
  }
  if (type === 'kubernetes.io/basic-auth' && !keys.has('username') && !keys.has('password')) {
    report('data', 'Secret type kubernetes.io/basic-auth needs `username` or `password`');
  }
  if (type === 'kubernetes.io/service-account-token' && !stringField(objectField(objectField(obj, 'metadata'), 'annotations'), 'kubernetes.io/service-account.name')) {
    report('metadata.annotations["kubernetes.io/service-account.name"]', 'required for Secret type kubernetes.io/service-account-token');
  }
}

function checkPriorityClass(obj: JsonObject, report: Report): void {
  const value = obj['value'];
  if (typeof value === 'number' && value > HIGHEST_USER_PRIORITY) report('value', `must not be greater than ${HIGHEST_USER_PRIORITY} for user-defined priority classes`);
}

const KIND_CHECKS: Record<string, (obj: JsonObject, report: Report) => void> = {
  'apps/v1/Deployment': checkDeployment,
  'apps/v1/StatefulSet': checkStatefulSet,
  'batch/v1/Job': checkJob,
  'v1/Service': checkService,
  'v1/ConfigMap': checkConfigMap,
  'v1/Secret': checkSecret,
  'scheduling.k8s.io/v1/PriorityClass': checkPriorityClass,
};

export function checkKind(obj: JsonObject, apiVersion: string, kind: string, report: Report): void {
  KIND_CHECKS[`${apiVersion}/${kind}`]?.(obj, report);
}
