import { Accelerator } from '../accelerator';
import { checkDuration, checkInteger, checkLabels, checkTolerations, isPlainObject, mapEntries } from '../checks';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { isDnsLabel, isDnsSubdomain, isEnvName, isLabelKey, isPortName, isServiceName, NAME_RULES } from '../names';
import { isQuantity, parseQuantity } from '../quantity';
import { RuntimePort, WritablePath } from '../runtime/contract';
import { MAX_PROGRESS_DEADLINE_SECONDS } from './budget';
import { DEFAULT_CPU, DEFAULT_MEMORY, InferenceClients, ModelServiceProps, ResourceProps, TopologySpread } from './props';

/** Label keys modelship sets on every object; user labels may not override them. */
export const RESERVED_LABEL_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'modelship.dev/runtime'];

const STRING_MAP = 'expected an object of string keys to string values';


function checkResources(problems: Problems, props: ModelServiceProps): void {
  if (props.resources !== undefined && !isPlainObject(props.resources)) problems.add('resources', props.resources, 'expected { cpu?, memory?, cpuLimit?, memoryLimit? }');
  const r: ResourceProps = isPlainObject(props.resources) ? props.resources : {};
  const p = problems.at('resources');
  const pairs = [
    ['cpu', r.cpu, 'cpuLimit', r.cpuLimit, 'a CPU quantity such as "500m" or "2"'],
    ['memory', r.memory, 'memoryLimit', r.memoryLimit, 'a memory quantity such as "512Mi" or "4Gi"'],
  ] as const;
  for (const [req, reqValue, lim, limValue, example] of pairs) {
    for (const [prop, value] of [[req, reqValue], [lim, limValue]] as const) {
      if (value !== undefined && !(isQuantity(value) && parseQuantity(value)! > 0)) p.add(prop, value, `expected ${example}, greater than zero`);
    }
    if (isQuantity(reqValue) && isQuantity(limValue) && parseQuantity(limValue)! < parseQuantity(reqValue)!) {
      p.add(lim, limValue, `expected at least the request ${req}=${JSON.stringify(reqValue)}: Kubernetes rejects a limit below its request`);
    }
    if (reqValue === undefined && isQuantity(limValue) && req === 'cpu' && parseQuantity(limValue)! < 1) {
      p.add(lim, limValue, `expected at least the default CPU request "${DEFAULT_CPU}", or set cpu too`);
    }
    if (reqValue === undefined && isQuantity(limValue) && req === 'memory' && parseQuantity(limValue)! < 2 * 2 ** 30) {
      p.add(lim, limValue, `expected at least the default memory request "${DEFAULT_MEMORY}", or set memory too`);
    }
  }
}

/** Generic checks of a runtime's ports, so a user-written IRuntime cannot produce a bad Service. */
export function checkRuntimePorts(problems: Problems, ports: readonly RuntimePort[]): void {
  const names = new Set<string>();
  const numbers = new Set<number>();
  for (const port of ports) {
    if (!isPortName(port.name) || names.has(port.name)) problems.add('ports', port.name, `${NAME_RULES.port}, unique among the server's ports`);
    if (!Number.isInteger(port.port) || port.port < 1 || port.port > 65535 || numbers.has(port.port)) problems.add('ports', port.port, 'expected unique port numbers from 1 to 65535');
    names.add(port.name);
    numbers.add(port.port);
  }
  if (ports.filter((p) => p.role === 'http').length !== 1) problems.add('ports', ports.map((p) => p.name).join(', '), 'expected exactly one HTTP inference port');
}

/**
 * Checks the peers of InferenceClients: an empty `namespaces()` would render `from: []`, which a
 * NetworkPolicy reads as "every source", and a bad name or label would never match (or be rejected).
 */
function checkInferenceClients(problems: Problems, clients: InferenceClients): void {
  const peers = clients.peers;
  if (peers === undefined) return;
  if (peers.length === 0) problems.add('inferenceClients', [], 'expected at least one namespace: an empty list would admit every source');
  for (const peer of peers) {
    const namespace = (peer.namespaceSelector as { matchLabels?: Record<string, unknown> } | undefined)?.matchLabels?.['kubernetes.io/metadata.name'];
    if (peer.namespaceSelector !== undefined && !isDnsLabel(namespace as string)) problems.add('inferenceClients.namespaces', namespace, NAME_RULES.label);
    if (peer.podSelector !== undefined) checkLabels(problems, 'inferenceClients.podLabels', (peer.podSelector as { matchLabels?: unknown }).matchLabels);
  }
}

/**
 * Generic checks of the directories a runtime writes, so a user-written IRuntime (or a custom
 * runtime's `writablePaths`) cannot mount two volumes at one path, which the API server rejects.
 */
export function checkWritablePaths(problems: Problems, paths: readonly WritablePath[], otherMounts: readonly string[]): void {
  const normalize = (path: string) => path.replace(/\/+$/, '') || '/';
  const seen = new Set(otherMounts.map(normalize));
  paths.forEach((w, i) => {
    const path = normalize(w.path);
    if (seen.has(path)) problems.add(`writablePaths[${i}]`, w.path, `expected a directory not mounted already (${[...seen].join(', ')})`);
    seen.add(path);
  });
}

/** Checks every prop of a ModelService that does not depend on the runtime, recording all problems. */
export function validateServiceProps(problems: Problems, name: string, props: ModelServiceProps): void {
  if (!isServiceName(name)) {
    const fromId = props.name === undefined ? ' (the name defaults to the construct id; set props.name to keep the id)' : '';
    problems.add('name', name, `${NAME_RULES.service}${fromId}`);
  }
  if (props.namespace !== undefined && !isDnsLabel(props.namespace)) problems.add('namespace', props.namespace, NAME_RULES.label);
  checkInteger(problems, 'replicas', props.replicas, 0, 10_000);
  checkResources(problems, props);
  if (props.accelerator !== undefined) {
    if (props.accelerator instanceof Accelerator) props.accelerator.validate(problems, 'accelerator');
    else problems.add('accelerator', props.accelerator, 'expected Accelerator.nvidiaGpu({ ... })');
  }
  checkDuration(problems, 'modelLoadTime', props.modelLoadTime, 1, 24 * 3600);
  checkDuration(problems, 'imagePullTime', props.imagePullTime, 0, 24 * 3600);
  checkDuration(problems, 'progressDeadline', props.progressDeadline, 1, MAX_PROGRESS_DEADLINE_SECONDS);
  checkDuration(problems, 'terminationGracePeriod', props.terminationGracePeriod, 1, 24 * 3600);
  checkDuration(problems, 'preStopDrain', props.preStopDrain, 0, 24 * 3600);
  const grace = props.terminationGracePeriod ?? Duration.seconds(60);
  const drain = props.preStopDrain ?? Duration.seconds(15);
  // Compared as rendered (whole seconds, rounded up): 1.2 s of drain and a 1.5 s grace period both become 2.
  if (grace instanceof Duration && drain instanceof Duration && grace.isValid() && drain.isValid() && drain.toSeconds() >= grace.toSeconds()) {
    problems.add('preStopDrain', drain, `expected less than terminationGracePeriod (${grace.toSeconds()} s), leaving the server time to finish in-flight requests after the drain`);
  }
  if (props.startupProbe !== undefined && !isPlainObject(props.startupProbe)) problems.add('startupProbe', props.startupProbe, 'expected { periodSeconds?, failureThreshold? }');
  checkInteger(problems, 'startupProbe.periodSeconds', props.startupProbe?.periodSeconds, 1, 3600);
  checkInteger(problems, 'startupProbe.failureThreshold', props.startupProbe?.failureThreshold, 1, 2 ** 31 - 1);
  checkLabels(problems, 'nodeSelector', props.nodeSelector);
  checkTolerations(problems, 'tolerations', props.tolerations);
  if (props.spread !== undefined && !(props.spread instanceof TopologySpread)) problems.add('spread', props.spread, 'expected TopologySpread.zonesAndNodes(), .nodes() or .none()');
  if (props.inferenceClients !== undefined && !(props.inferenceClients instanceof InferenceClients)) {
    problems.add('inferenceClients', props.inferenceClients, 'expected InferenceClients.any(), .namespaces(...) or .podsWithLabels({...})');
  } else if (props.inferenceClients !== undefined) {
    checkInferenceClients(problems, props.inferenceClients);
  }
  if (props.priorityClassName !== undefined && !isDnsSubdomain(props.priorityClassName)) problems.add('priorityClassName', props.priorityClassName, NAME_RULES.subdomain);
  const env = mapEntries(problems, 'env', props.env, STRING_MAP);
  for (const [key, value] of env) {
    if (!isEnvName(key)) problems.add(`env.${key}`, key, NAME_RULES.env);
    if (typeof value !== 'string') problems.add(`env.${key}`, value, 'expected a string value');
  }
  const envNames = new Set(env.map(([key]) => key));
  for (const [key, ref] of mapEntries(problems, 'secretEnv', props.secretEnv, 'expected an object of variable name → { secretName, key }') as [string, { secretName: string; key: string } | undefined][]) {
    if (!isEnvName(key)) problems.add(`secretEnv.${key}`, key, NAME_RULES.env);
    if (!isDnsSubdomain(ref?.secretName as string)) problems.add(`secretEnv.${key}.secretName`, ref?.secretName, NAME_RULES.subdomain);
    if (typeof ref?.key !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(ref.key)) problems.add(`secretEnv.${key}.key`, ref?.key, 'expected a Secret key of letters, digits, "-", "_" and "."');
    if (envNames.has(key)) problems.add(`secretEnv.${key}`, key, 'expected a name not also set in env');
  }
  checkLabels(problems, 'labels', props.labels, { keys: RESERVED_LABEL_KEYS, why: "modelship sets these to select the service's pods" });
  for (const [key, value] of mapEntries(problems, 'serviceAccountAnnotations', props.serviceAccountAnnotations, STRING_MAP)) {
    if (!isLabelKey(key)) problems.add(`serviceAccountAnnotations.${key}`, key, NAME_RULES.labelKey);
    if (typeof value !== 'string') problems.add(`serviceAccountAnnotations.${key}`, value, 'expected a string value');
  }
  if (props.monitoringNamespace !== undefined && !isDnsLabel(props.monitoringNamespace)) problems.add('monitoringNamespace', props.monitoringNamespace, NAME_RULES.label);
  checkInteger(problems, 'maxSurge', props.maxSurge, 1, 1000);
}
