/**
 * Rules that relate objects to each other. For now: a Service's named targetPort must be
 * declared by the containers of every workload (in the same set of objects) it selects;
 * otherwise those pods never become endpoints for that port.
 */
import { labelsOf, mapSelectorMatches } from './k8s-label-selectors';
import { containerPortNames } from './k8s-pod-checks';
import { childPath, indexPath, isObject, objectField, objectItems, stringField, stringMap, type JsonObject, type SchemaProblem } from './k8s-problem';

interface Workload {
  label: string;
  namespace: string;
  labels: Record<string, string>;
  portNames: Set<string>;
}

function namespaceOf(obj: JsonObject): string {
  // Objects without a namespace land in the same namespace at apply time, so they belong together.
  return stringField(objectField(obj, 'metadata'), 'namespace') ?? '';
}

function workloadOf(obj: JsonObject): Workload | undefined {
  const template = objectField(objectField(obj, 'spec'), 'template');
  const podSpec = objectField(template, 'spec');
  if (!podSpec || !Array.isArray(podSpec['containers'])) return undefined;
  const portNames = new Set<string>();
  for (const field of ['containers', 'initContainers']) {
    for (const [, c] of objectItems(podSpec[field])) for (const n of containerPortNames(c)) portNames.add(n);
  }
  return {
    label: `${stringField(obj, 'kind') ?? '?'}/${stringField(objectField(obj, 'metadata'), 'name') ?? '?'}`,
    namespace: namespaceOf(obj),
    labels: labelsOf(objectField(template, 'metadata')),
    portNames,
  };
}

/** Problems per object index (only indexes with problems are present). */
export function crossObjectProblems(objs: readonly unknown[]): Map<number, SchemaProblem[]> {
  const out = new Map<number, SchemaProblem[]>();
  const workloads = objs.filter(isObject).map(workloadOf).filter((w): w is Workload => w !== undefined);
  objs.forEach((obj, index) => {
    if (!isObject(obj) || obj['apiVersion'] !== 'v1' || obj['kind'] !== 'Service') return;
    const spec = objectField(obj, 'spec');
    const selector = Object.fromEntries(stringMap(spec?.['selector']));
    if (Object.keys(selector).length === 0) return;
    const selected = workloads.filter((w) => w.namespace === namespaceOf(obj) && mapSelectorMatches(selector, w.labels));
    for (const [i, port] of objectItems(spec?.['ports'])) {
      const target = port['targetPort'];
      if (typeof target !== 'string') continue;
      for (const w of selected) {
        if (w.portNames.has(target)) continue;
        const problems = out.get(index) ?? [];
        problems.push({
          path: childPath(indexPath('spec.ports', i), 'targetPort'),
          message: `named port ${JSON.stringify(target)} is not declared by any container of ${w.label}, which spec.selector selects`,
        });
        out.set(index, problems);
      }
    }
  });
  return out;
}
