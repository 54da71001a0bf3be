import { MIG_RESOURCE_PREFIX } from '../accelerator';
import type { CapacityWorkload } from '../capacity/workload';
import { Problems } from '../errors';
import { KubeObject, Labels } from '../k8s-types';
import { parseQuantity } from '../quantity';
import { ClusterQuota, QuotaLimits } from './quota';

/** A quota resource modelship sizes: how one replica of a workload counts against it, and the declared limit. */
interface QuotaResource {
  /** The prop of {@link QuotaLimits} a problem names. */
  readonly prop: string;
  readonly resource: string;
  readonly unit: string;
  readonly each: (w: CapacityWorkload) => number;
  readonly limit: (l: QuotaLimits) => string | number | undefined;
  /** Whether a quota from the models lists it even when no model requests it. */
  readonly always: boolean;
}

const RESOURCES: readonly QuotaResource[] = [
  { prop: 'cpu', resource: 'requests.cpu', unit: 'CPU', each: (w) => w.cpuMillis / 1000, limit: (l) => l.cpu, always: true },
  { prop: 'memory', resource: 'requests.memory', unit: 'memory', each: (w) => w.memoryBytes, limit: (l) => l.memory, always: true },
  { prop: 'gpus', resource: 'requests.nvidia.com/gpu', unit: 'nvidia.com/gpu', each: (w) => w.gpus, limit: (l) => l.gpus, always: false },
  { prop: 'pods', resource: 'pods', unit: 'pods', each: () => 1, limit: (l) => l.pods, always: true },
];

/** The quota resource of one MIG profile (`requests.nvidia.com/mig-1g.10gb`), listed only where requested or declared. */
function migResource(profile: string): QuotaResource {
  const name = `${MIG_RESOURCE_PREFIX}${profile}`;
  return { prop: `migSlices.${profile}`, resource: `requests.${name}`, unit: name, each: (w) => w.migSlices?.[profile] ?? 0, limit: (l) => l.migSlices?.[profile], always: false };
}

/** A quantity for a quota: whole cores or millicores for CPU, Gi or Mi for memory, a count otherwise. */
function formatAmount(resource: string, amount: number): string {
  if (amount === 0) return '0';
  if (resource === 'requests.cpu') {
    const milli = Math.ceil(Math.round(amount * 1e6) / 1e3);
    return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
  }
  if (resource === 'requests.memory') {
    const mi = Math.ceil(amount / 2 ** 20);
    return mi % 1024 === 0 ? `${mi / 1024}Gi` : `${mi}Mi`;
  }
  return String(Math.round(amount));
}

/** The identity of the namespace's ResourceQuota, without its limits. */
export function resourceQuotaIdentity(namespace: string, labels: Labels): KubeObject {
  return { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'models', namespace, labels } };
}

/**
 * The namespace's ResourceQuota: computed from the models (each at its most replicas plus its
 * rollout's extra pods, as the capacity plan's `surge` scenario counts them: a terminating pod
 * counts against the quota until it exits, so a quota without them would refuse the next batch
 * of a rollout until the last one has drained), or the given limits, each
 * checked against that need; `undefined` with `ClusterQuota.none()`. A limit below the need is a
 * problem naming the resource and every model's share of it. MIG slices are extended resources
 * too: a quota from the models limits each profile they request
 * (`requests.nvidia.com/mig-1g.10gb`), and declared `migSlices` are checked the same way.
 * Ephemeral storage is not part of the quota.
 */
export function renderResourceQuota(quota: ClusterQuota, namespace: string, labels: Labels, workloads: readonly CapacityWorkload[], problems: Problems): KubeObject | undefined {
  if (quota.kind === 'none') return undefined;
  const hard: Record<string, string> = {};
  const profiles = new Set([...workloads.flatMap((w) => Object.keys(w.migSlices ?? {})), ...Object.keys(quota.limits?.migSlices ?? {})]);
  for (const { prop, resource, unit, each, limit, always } of [...RESOURCES, ...[...profiles].sort().map(migResource)]) {
    const parts = workloads.map((w) => ({ name: w.name, pods: w.maxReplicas + w.surge, each: each(w) })).filter((p) => p.each > 0 && p.pods > 0);
    const total = parts.reduce((sum, p) => sum + p.pods * p.each, 0);
    if (quota.kind === 'models') {
      if (total > 0 || always) hard[resource] = formatAmount(resource, total);
      continue;
    }
    const value = quota.limits ? limit(quota.limits) : undefined;
    if (value === undefined) continue;
    hard[resource] = String(value);
    const amount = typeof value === 'number' ? value : parseQuantity(value);
    if (amount !== undefined && amount < total - 1e-9) {
      const shares = parts.map((p) => `${p.name} ${p.pods} × ${formatAmount(resource, p.each)}`).join(', ');
      problems.at('quota').add(prop, value, `expected at least ${formatAmount(resource, total)}: the ${unit} the models request at maxReplicas plus a rollout's extra pods, new ones starting and old ones terminating (${shares})`);
    }
  }
  return { ...resourceQuotaIdentity(namespace, labels), spec: { hard } };
}
