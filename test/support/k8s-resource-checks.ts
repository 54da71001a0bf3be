/**
 * Compute/storage resource rules the API server enforces beyond the schema
 * (pkg/apis/core/validation ValidateResourceRequirements, 1.28).
 */
import { qualifiedName } from './k8s-name-rules';
import { childPath, isObject, type JsonObject, type Report } from './k8s-problem';
import { quantityValue } from './k8s-quantity';

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function isHugePages(name: string): boolean {
  return name.startsWith('hugepages-');
}

/** Native resources live in the default namespace: no prefix, or a kubernetes.io prefix. */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** Extended resources (e.g. nvidia.com/gpu) and huge pages can't be overcommitted: request must equal limit. */
function isOvercommitAllowed(name: string): boolean {
  return isNative(name) && !isHugePages(name);
}

function resourceNameErrors(name: string, volume: boolean): string[] {
  if (volume) return name === 'storage' ? [] : ['must be "storage" for volume claims'];
  const syntax = qualifiedName(name);
  if (syntax.length > 0) return syntax;
  if (STANDARD_CONTAINER_RESOURCES.has(name) || isHugePages(name) || !isNative(name)) return [];
  return ['must be a standard resource for containers (cpu, memory, ephemeral-storage, hugepages-<size>) or an extended resource such as example.com/gpu'];
}

function quantities(value: unknown): Map<string, { raw: unknown; amount: number | undefined }> {
  const out = new Map<string, { raw: unknown; amount: number | undefined }>();
  if (isObject(value)) for (const [k, v] of Object.entries(value)) out.set(k, { raw: v, amount: quantityValue(v) });
  return out;
}

function makeResourceCheck(volume: boolean) {
  return (value: JsonObject, path: string, report: Report): void => {
    const limits = quantities(value['limits']);
    const requests = quantities(value['requests']);
    for (const [field, entries] of [['limits', limits], ['requests', requests]] as const) {
      for (const [name, q] of entries) {
        const at = childPath(childPath(path, field), name);
        for (const e of resourceNameErrors(name, volume)) report(at, `invalid resource name ${JSON.stringify(name)}: ${e}`);
        if (q.amount === undefined) continue; // bad syntax was reported by the schema walk
        if (q.amount < 0) report(at, 'must be greater than or equal to 0');
        if (!isNative(name) && !Number.isInteger(q.amount)) report(at, `must be an integer (extended resource ${name})`);
      }
    }
    for (const [name, req] of requests) {
      const lim = limits.get(name);
      const at = childPath(childPath(path, 'requests'), name);
      if (lim?.amount !== undefined && req.amount !== undefined && req.amount > lim.amount) {
        report(at, `must be less than or equal to ${name} limit of ${String(lim.raw)}`);
      }
      if (!volume && !isOvercommitAllowed(name)) {
        if (!lim) report(at, `limit must be set for non overcommitable resource ${name}`);
        else if (lim.amount !== undefined && req.amount !== undefined && req.amount !== lim.amount) {
          report(at, `must be equal to ${name} limit of ${String(lim.raw)} (${name} cannot be overcommitted)`);
        }
      }
    }
  };
}

export const checkContainerResources = makeResourceCheck(false);
export const checkVolumeResources = makeResourceCheck(true);

const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];

export function checkPersistentVolumeClaimSpec(spec: JsonObject, path: string, report: Report): void {
  const modes = spec['accessModes'];
  if (!Array.isArray(modes) || modes.length === 0) report(childPath(path, 'accessModes'), 'at least 1 access mode is required');
  else {
    modes.forEach((m, i) => {
      if (typeof m === 'string' && !ACCESS_MODES.includes(m)) {
        report(`${childPath(path, 'accessModes')}[${i}]`, `unsupported value ${JSON.stringify(m)}: supported values: ${ACCESS_MODES.map((a) => JSON.stringify(a)).join(', ')}`);
      }
    });
  }
  const resources = isObject(spec['resources']) ? spec['resources'] : {};
  const requests = isObject(resources['requests']) ? resources['requests'] : {};
  const at = childPath(childPath(childPath(path, 'resources'), 'requests'), 'storage');
  if (requests['storage'] === undefined) report(at, 'required field is missing');
  else if ((quantityValue(requests['storage']) ?? 1) <= 0) report(at, 'must be greater than zero');
}
