import { Accelerator } from '../accelerator';
import { checkDuration, checkInteger } from '../checks';
import { Duration } from '../duration';
import { Problems } from '../errors';
import { Toleration } from '../k8s-types';
import { isDnsLabel, isDnsSubdomain, isEnvName, isLabelKey, isLabelValue, isPortName, isServiceName, NAME_RULES } from '../names';
import { isQuantity, parseQuantity } from '../quantity';
import { RuntimePort } from '../runtime/contract';
import { InferenceClients, ModelServiceProps, TopologySpread } from './props';

/** Label keys modelship sets on every object; user labels may not override them. */
export const RESERVED_LABEL_KEYS = ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/managed-by', 'modelship.dev/runtime'];

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function checkLabels(problems: Problems, prop: string, labels: Record<string, string> | undefined, reserved: readonly string[] = []): void {
  for (const [key, value] of Object.entries(labels ?? {})) {
    if (!isLabelKey(key)) problems.add(`${prop}.${key}`, key, NAME_RULES.labelKey);
    if (!isLabelValue(value)) problems.add(`${prop}.${key}`, value, NAME_RULES.labelValue);
    if (reserved.includes(key)) problems.add(`${prop}.${key}`, value, `expected a key other than ${reserved.join(', ')}: modelship sets these to select the service's pods`);
  }
}

function checkTolerations(problems: Problems, tolerations: Toleration[] | undefined): void {
  (tolerations ?? []).forEach((t, i) => {
    const p = problems.at(`tolerations[${i}]`);
    if (t.key !== undefined && !isLabelKey(t.key)) p.add('key', t.key, NAME_RULES.labelKey);
    if (t.operator !== undefined && t.operator !== 'Exists' && t.operator !== 'Equal') p.add('operator', t.operator, 'expected "Exists" or "Equal"');
    if (t.operator === 'Exists' && t.value) p.add('value', t.value, 'expected no value with operator "Exists"');
    if (t.key === undefined && t.operator !== 'Exists') p.add('operator', t.operator, 'expected "Exists" when no key is given (a toleration of every taint)');
    if (t.value !== undefined && !isLabelValue(t.value)) p.add('value', t.value, NAME_RULES.labelValue);
    if (t.effect !== undefined && !EFFECTS.includes(t.effect)) p.add('effect', t.effect, `expected one of ${EFFECTS.join(', ')}`);
    if (t.tolerationSeconds !== undefined && t.effect !== 'NoExecute') p.add('tolerationSeconds', t.tolerationSeconds, 'expected only with effect "NoExecute"');
  });
}

function checkResources(problems: Problems, props: ModelServiceProps): void {
  const r = props.resources ?? {};
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
      p.add(lim, limValue, 'expected at least the default CPU request "1", or set cpu too');
    }
    if (reqValue === undefined && isQuantity(limValue) && req === 'memory' && parseQuantity(limValue)! < 2 * 2 ** 30) {
      p.add(lim, limValue, 'expected at least the default memory request "2Gi", or set memory too');
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

/** Checks every prop of a ModelService that does not depend on the runtime, recording all problems. */
export function validateServiceProps(problems: Problems, name: string, props: ModelServiceProps): void {
  if (!isServiceName(name)) problems.add('name', name, NAME_RULES.service);
  if (props.namespace !== undefined && !isDnsLabel(props.namespace)) problems.add('namespace', props.namespace, NAME_RULES.label);
  checkInteger(problems, 'replicas', props.replicas, 0, 10_000);
  checkResources(problems, props);
  if (props.accelerator !== undefined) {
    if (props.accelerator instanceof Accelerator) props.accelerator.validate(problems, 'accelerator');
    else problems.add('accelerator', props.accelerator, 'expected Accelerator.nvidiaGpu({ ... })');
  }
  checkDuration(problems, 'modelLoadTime', props.modelLoadTime, 1, 24 * 3600);
  checkDuration(problems, 'imagePullTime', props.imagePullTime, 0, 24 * 3600);
  checkDuration(problems, 'progressDeadline', props.progressDeadline, 1, 2 ** 31 / 1000);
  checkDuration(problems, 'terminationGracePeriod', props.terminationGracePeriod, 1, 24 * 3600);
  checkDuration(problems, 'preStopDrain', props.preStopDrain, 0, 24 * 3600);
  const grace = props.terminationGracePeriod ?? Duration.seconds(60);
  const drain = props.preStopDrain ?? Duration.seconds(15);
  if (grace instanceof Duration && drain instanceof Duration && drain.toMilliseconds() >= grace.toMilliseconds()) {
    problems.add('preStopDrain', drain, `expected less than terminationGracePeriod (${grace.toSeconds()} s), leaving the server time to finish in-flight requests after the drain`);
  }
  checkInteger(problems, 'startupProbe.periodSeconds', props.startupProbe?.periodSeconds, 1, 3600);
  checkInteger(problems, 'startupProbe.failureThreshold', props.startupProbe?.failureThreshold, 1);
  checkLabels(problems, 'nodeSelector', props.nodeSelector);
  checkTolerations(problems, props.tolerations);
  if (props.spread !== undefined && !(props.spread instanceof TopologySpread)) problems.add('spread', props.spread, 'expected TopologySpread.zonesAndNodes(), .nodes() or .none()');
  if (props.inferenceClients !== undefined && !(props.inferenceClients instanceof InferenceClients)) {
    problems.add('inferenceClients', props.inferenceClients, 'expected InferenceClients.any(), .namespaces(...) or .podsWithLabels({...})');
  }
  if (props.priorityClassName !== undefined && !isDnsSubdomain(props.priorityClassName)) problems.add('priorityClassName', props.priorityClassName, NAME_RULES.subdomain);
  for (const key of Object.keys(props.env ?? {})) if (!isEnvName(key)) problems.add(`env.${key}`, key, NAME_RULES.env);
  for (const [key, ref] of Object.entries(props.secretEnv ?? {})) {
    if (!isEnvName(key)) problems.add(`secretEnv.${key}`, key, NAME_RULES.env);
    if (!isDnsSubdomain(ref?.secretName)) problems.add(`secretEnv.${key}.secretName`, ref?.secretName, NAME_RULES.subdomain);
    if (typeof ref?.key !== 'string' || !/^[-._a-zA-Z0-9]{1,253}$/.test(ref.key)) problems.add(`secretEnv.${key}.key`, ref?.key, 'expected a Secret key of letters, digits, "-", "_" and "."');
    if (props.env && key in props.env) problems.add(`secretEnv.${key}`, key, 'expected a name not also set in env');
  }
  checkLabels(problems, 'labels', props.labels, RESERVED_LABEL_KEYS);
  for (const key of Object.keys(props.serviceAccountAnnotations ?? {})) if (!isLabelKey(key)) problems.add(`serviceAccountAnnotations.${key}`, key, NAME_RULES.labelKey);
  if (props.monitoringNamespace !== undefined && !isDnsLabel(props.monitoringNamespace)) problems.add('monitoringNamespace', props.monitoringNamespace, NAME_RULES.label);
  checkInteger(problems, 'maxSurge', props.maxSurge, 1, 1000);
}
