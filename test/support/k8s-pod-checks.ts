/**
 * Pod-level rules: things that relate several parts of a pod template to each other
 * (names unique across containers, mounts that refer to volumes, probes that refer to
 * named ports) plus controller-specific constraints on the template.
 */
import { checkLabelMap } from './k8s-label-selectors';
import { dns1123Label, dns1123Subdomain } from './k8s-name-rules';
import { childPath, indexPath, objectField, objectItems, stringField, type JsonObject, type Report } from './k8s-problem';

export interface PodContext {
  /** Restart policies the owning controller accepts (Deployments need Always, Jobs OnFailure/Never). */
  restartPolicies: readonly string[];
  /** Volumes provided from outside the pod spec: a StatefulSet's volumeClaimTemplates. */
  extraVolumes: ReadonlySet<string>;
}

interface ContainerRef {
  container: JsonObject;
  path: string;
  init: boolean;
}

export function checkPodTemplate(template: JsonObject, path: string, ctx: PodContext, report: Report): void {
  const spec = objectField(template, 'spec');
  if (spec) checkPodSpec(spec, childPath(path, 'spec'), ctx, report);
}

export function checkPodSpec(spec: JsonObject, path: string, ctx: PodContext, report: Report): void {
  if (Array.isArray(spec['containers']) && spec['containers'].length === 0) report(childPath(path, 'containers'), 'must have at least one container');
  if (spec['ephemeralContainers'] !== undefined) report(childPath(path, 'ephemeralContainers'), 'ephemeral containers are not allowed in a pod template');

  const restartPolicy = stringField(spec, 'restartPolicy');
  if (restartPolicy !== undefined && !ctx.restartPolicies.includes(restartPolicy)) {
    report(childPath(path, 'restartPolicy'), `unsupported value ${JSON.stringify(restartPolicy)} for this controller: supported values: ${ctx.restartPolicies.map((p) => JSON.stringify(p)).join(', ')}`);
  }
  checkLabelMap(spec['nodeSelector'], childPath(path, 'nodeSelector'), report);
  const sa = stringField(spec, 'serviceAccountName');
  if (sa) for (const e of dns1123Subdomain(sa)) report(childPath(path, 'serviceAccountName'), `invalid service account name ${JSON.stringify(sa)}: ${e}`);
  for (const field of ['hostname', 'subdomain']) {
    const v = stringField(spec, field);
    if (v) for (const e of dns1123Label(v)) report(childPath(path, field), e);
  }

  const containers: ContainerRef[] = [];
  for (const [field, init] of [['initContainers', true], ['containers', false]] as const) {
    for (const [i, c] of objectItems(spec[field])) containers.push({ container: c, path: indexPath(childPath(path, field), i), init });
  }
  checkContainerNames(containers, report);
  checkPortNames(containers, report);
  for (const ref of containers) checkContainer(ref, report);
  checkVolumeReferences(spec, path, containers, ctx, report);
}

function checkContainerNames(containers: ContainerRef[], report: Report): void {
  const seen = new Map<string, ContainerRef>();
  for (const ref of containers) {
    const name = stringField(ref.container, 'name');
    if (name === undefined) continue;
    for (const e of dns1123Label(name)) report(childPath(ref.path, 'name'), `invalid container name ${JSON.stringify(name)}: ${e}`);
    const first = seen.get(name);
    if (first === undefined) seen.set(name, ref);
    // Duplicates inside one list are reported by the schema walk (it is a list-map keyed by name).
    else if (first.init !== ref.init) report(childPath(ref.path, 'name'), `duplicate container name ${JSON.stringify(name)} (also ${first.path})`);
  }
}

/**
 * The API server only rejects duplicate port names inside one container, but across a
 * pod they make Service targetPorts and probes ambiguous, so we reject them pod-wide.
 */
function checkPortNames(containers: ContainerRef[], report: Report): void {
  const seen = new Map<string, string>();
  for (const { container, path } of containers) {
    for (const [i, port] of objectItems(container['ports'])) {
      const name = stringField(port, 'name');
      if (!name) continue;
      const at = childPath(indexPath(childPath(path, 'ports'), i), 'name');
      const first = seen.get(name);
      if (first !== undefined) report(at, `duplicate port name ${JSON.stringify(name)} in pod (also ${first})`);
      else seen.set(name, at);
    }
  }
}

export function containerPortNames(container: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const [, port] of objectItems(container['ports'])) {
    const name = stringField(port, 'name');
    if (name) names.add(name);
  }
  return names;
}

function checkContainer({ container, path, init }: ContainerRef, report: Report): void {
  const name = stringField(container, 'name') ?? '?';
  // Templates may omit the image as far as the server is concerned, but no pod made from them would start.
  if (!stringField(container, 'image')?.trim()) report(childPath(path, 'image'), 'container image is required');

  const restartPolicy = stringField(container, 'restartPolicy');
  if (restartPolicy !== undefined) {
    if (!init) report(childPath(path, 'restartPolicy'), 'may not be set for non-init containers');
    else if (restartPolicy !== 'Always') report(childPath(path, 'restartPolicy'), `unsupported value ${JSON.stringify(restartPolicy)}: supported values: "Always"`);
  }
  const sidecar = init && restartPolicy === 'Always';

  const ports = containerPortNames(container);
  const named = (handler: JsonObject | undefined, handlerPath: string): void => {
    for (const action of ['httpGet', 'tcpSocket']) {
      const port = objectField(handler, action)?.['port'];
      if (typeof port === 'string' && !ports.has(port)) {
        const known = ports.size > 0 ? `its named ports: ${[...ports].join(', ')}` : 'it has no named ports';
        report(childPath(childPath(handlerPath, action), 'port'), `port ${JSON.stringify(port)} is not a named port of container ${JSON.stringify(name)} (${known})`);
      }
    }
  };
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const p = objectField(container, probe);
    if (!p) continue;
    const at = childPath(path, probe);
    if (init && !sidecar) {
      report(at, 'may not be set for init containers');
      continue;
    }
    named(p, at);
    if (probe !== 'readinessProbe' && typeof p['successThreshold'] === 'number' && p['successThreshold'] !== 1) {
      report(childPath(at, 'successThreshold'), 'must be 1');
    }
  }
  const lifecycle = objectField(container, 'lifecycle');
  for (const hook of ['postStart', 'preStop']) {
    const h = objectField(lifecycle, hook);
    if (h) named(h, childPath(childPath(path, 'lifecycle'), hook));
  }
}

function checkVolumeReferences(spec: JsonObject, path: string, containers: ContainerRef[], ctx: PodContext, report: Report): void {
  const volumes = new Set(ctx.extraVolumes);
  for (const [, v] of objectItems(spec['volumes'])) {
    const name = stringField(v, 'name');
    if (name) volumes.add(name);
  }
  const where = ctx.extraVolumes.size > 0 ? `${childPath(path, 'volumes')} or volumeClaimTemplates` : childPath(path, 'volumes');
  for (const { container, path: cPath } of containers) {
    for (const field of ['volumeMounts', 'volumeDevices']) {
      for (const [i, mount] of objectItems(container[field])) {
        const name = stringField(mount, 'name');
        if (name !== undefined && !volumes.has(name)) {
          report(childPath(indexPath(childPath(cPath, field), i), 'name'), `no volume named ${JSON.stringify(name)} in ${where}`);
        }
      }
    }
  }
}
