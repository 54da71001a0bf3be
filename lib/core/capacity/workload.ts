import { checkMigProfile, GPU_RESOURCE, MIG_RESOURCE_PREFIX } from '../accelerator';
import { checkInteger, isPlainObject, listItems } from '../checks';
import { Problems } from '../errors';
import { Container, PodSpec, Toleration } from '../k8s-types';
import { parseQuantity } from '../quantity';
import type { RenderedModelService } from '../service/render';

/**
 * What the capacity plan needs to know about one model: what a replica requests, where it
 * may run, and how many replicas there can be.
 */
export interface CapacityWorkload {
  /** The model's name, unique among the workloads of a plan. */
  readonly name: string;
  /** CPU a replica requests, in millicores (the pod's effective request). */
  readonly cpuMillis: number;
  /** Memory a replica requests, in bytes. */
  readonly memoryBytes: number;
  /** Whole GPUs (`nvidia.com/gpu`) a replica requests. */
  readonly gpus: number;
  /**
   * MIG slices a replica requests, by profile (`{ "1g.10gb": 1 }` for `nvidia.com/mig-1g.10gb`):
   * it fits only on pools with those `migSlices`.
   * @default - none
   */
  readonly migSlices?: Record<string, number>;
  /** Replicas at the least (without an autoscaler, the Deployment's replicas). */
  readonly minReplicas: number;
  /** Replicas at the most. */
  readonly maxReplicas: number;
  /**
   * Extra pods at the height of a rolling update at `maxReplicas`: the new pods starting (the
   * Deployment's maxSurge) plus the old pods still terminating, which keep their requests on
   * their nodes and count against the ResourceQuota until they exit (see {@link capacityWorkloadOf}).
   */
  readonly surge: number;
  /**
   * Node labels a replica requires.
   * @default - none
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Taints a replica tolerates.
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * Replicas per node at most: 1 with required pod anti-affinity on `kubernetes.io/hostname`,
   * `maxSkew` with a `DoNotSchedule` topology spread on it (with empty eligible nodes in the
   * pool, a node can hold no more than `maxSkew`).
   * @default - no limit
   */
  readonly maxPerNode?: number;
}

const HOSTNAME = 'kubernetes.io/hostname';

/** What a pod requests of the resources the plan counts. */
export interface PodRequests {
  /** Millicores. */
  readonly cpu: number;
  /** Bytes. */
  readonly memory: number;
  /** Whole GPUs (`nvidia.com/gpu`). */
  readonly gpus: number;
  /**
   * MIG slices, by profile.
   * @default - none
   */
  readonly migSlices?: Readonly<Record<string, number>>;
}
type Amounts = PodRequests;
const NONE: Amounts = { cpu: 0, memory: 0, gpus: 0 };

function amountsOf(container: Container): Amounts {
  const requests = container.resources?.requests ?? {};
  const limits = container.resources?.limits ?? {};
  // Kubernetes defaults a missing request to the limit; extended resources are set equal.
  const read = (key: string) => parseQuantity(requests[key] ?? limits[key] ?? '0') ?? 0;
  const migSlices: Record<string, number> = {};
  for (const key of new Set([...Object.keys(requests), ...Object.keys(limits)])) {
    if (key.startsWith(MIG_RESOURCE_PREFIX) && read(key) > 0) migSlices[key.slice(MIG_RESOURCE_PREFIX.length)] = read(key);
  }
  return { cpu: Math.round(read('cpu') * 1000), memory: read('memory'), gpus: read(GPU_RESOURCE), ...(Object.keys(migSlices).length ? { migSlices } : {}) };
}

/** Two MIG slice maps combined per profile; undefined when both are. */
function combineSlices(a: Amounts, b: Amounts, f: (x: number, y: number) => number): Pick<Amounts, 'migSlices'> {
  if (!a.migSlices && !b.migSlices) return {};
  const profiles = new Set([...Object.keys(a.migSlices ?? {}), ...Object.keys(b.migSlices ?? {})]);
  return { migSlices: Object.fromEntries([...profiles].sort().map((m) => [m, f(a.migSlices?.[m] ?? 0, b.migSlices?.[m] ?? 0)])) };
}
const plus = (a: Amounts, b: Amounts): Amounts => ({ cpu: a.cpu + b.cpu, memory: a.memory + b.memory, gpus: a.gpus + b.gpus, ...combineSlices(a, b, (x, y) => x + y) });
const max = (a: Amounts, b: Amounts): Amounts => ({ cpu: Math.max(a.cpu, b.cpu), memory: Math.max(a.memory, b.memory), gpus: Math.max(a.gpus, b.gpus), ...combineSlices(a, b, Math.max) });

/**
 * A pod's effective request, per resource: the larger of what the app containers (and sidecars)
 * request together and what each init container needs while it runs (with the sidecars started
 * before it), as the scheduler computes it.
 */
export function effectiveRequests(spec: PodSpec): Amounts {
  let sidecars = NONE;
  let init = NONE;
  for (const c of spec.initContainers ?? []) {
    const amounts = amountsOf(c);
    if ((c as { restartPolicy?: string }).restartPolicy === 'Always') {
      sidecars = plus(sidecars, amounts);
      init = max(init, sidecars);
    } else {
      init = max(init, plus(sidecars, amounts));
    }
  }
  const app = spec.containers.reduce((sum, c) => plus(sum, amountsOf(c)), sidecars);
  return max(app, init);
}

/** Replicas per node allowed by required anti-affinity or a hard topology spread on the hostname. */
function maxPerNodeOf(spec: PodSpec & { affinity?: { podAntiAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { topologyKey?: string }[] } } }): number | undefined {
  const limits: number[] = [];
  for (const t of spec.topologySpreadConstraints ?? []) {
    if (t.topologyKey === HOSTNAME && t.whenUnsatisfiable === 'DoNotSchedule') limits.push(t.maxSkew);
  }
  for (const term of spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) {
    if (term.topologyKey === HOSTNAME) limits.push(1);
  }
  return limits.length ? Math.min(...limits) : undefined;
}

type RollingStrategy = { type?: string; rollingUpdate?: { maxSurge?: number | string; maxUnavailable?: number | string } };

/** maxSurge or maxUnavailable at `replicas`: a count, or a percentage rounded as the Deployment controller rounds it. */
function resolvePods(value: number | string, replicas: number, round: (x: number) => number): number {
  if (typeof value === 'number') return value;
  const percent = /^(\d+)%$/.exec(value);
  return percent ? round((Number(percent[1]) * replicas) / 100) : Number(value);
}

/**
 * Extra pods at the height of a rolling update at `replicas`, beyond `replicas`.
 *
 * - **Starting:** maxSurge new pods (a percentage rounded up; Kubernetes' default 25%).
 * - **Terminating:** once new pods are ready, the controller deletes as many old ones, up to
 *   maxSurge + maxUnavailable (rounded down; default 25%) per batch, and starts the next batch at
 *   once. A deleted pod keeps its requests on its node (the scheduler counts it) and counts
 *   against the ResourceQuota until its containers exit, which may take its whole
 *   `terminationGracePeriodSeconds`. Meanwhile a new batch becomes ready no sooner than the model
 *   loads, so up to ceil(grace period / model load time) batches terminate at once; never more
 *   than the old pods there are.
 *
 * `Recreate` adds none: it deletes every old pod and waits for them to exit before starting new ones.
 */
function rolloutExtraPods(strategy: RollingStrategy | undefined, replicas: number, gracePeriodSeconds: number, modelLoadSeconds: number): number {
  if (strategy?.type === 'Recreate') return 0;
  const surge = resolvePods(strategy?.rollingUpdate?.maxSurge ?? '25%', replicas, Math.ceil);
  const unavailable = resolvePods(strategy?.rollingUpdate?.maxUnavailable ?? '25%', replicas, Math.floor);
  const terminatingBatches = Math.ceil(gracePeriodSeconds / Math.max(1, modelLoadSeconds));
  return surge + Math.min(replicas, (surge + unavailable) * terminatingBatches);
}

/**
 * The capacity workload of a rendered ModelService, read from its Deployment: the pod's
 * effective requests (init containers included), GPUs, node selector, tolerations, hard
 * spreading over nodes, and the extra pods of its rolling update at `replicas.max` (new ones
 * starting and old ones terminating: see the `surge` field).
 * @param replicas the range of replicas, e.g. an autoscaler's; without it, the Deployment's `spec.replicas` for both
 */
export function capacityWorkloadOf(rendered: RenderedModelService, replicas?: { readonly min: number; readonly max: number }): CapacityWorkload {
  const spec = rendered.deployment['spec'] as { replicas?: number; strategy?: RollingStrategy; template: { spec: PodSpec } };
  const pod = spec.template.spec;
  const fixed = spec.replicas ?? 1;
  const min = replicas?.min ?? fixed;
  const maxReplicas = replicas?.max ?? fixed;
  const requests = effectiveRequests(pod);
  const maxPerNode = maxPerNodeOf(pod);
  return {
    name: rendered.name,
    cpuMillis: requests.cpu,
    memoryBytes: requests.memory,
    gpus: requests.gpus,
    ...(requests.migSlices ? { migSlices: { ...requests.migSlices } } : {}),
    minReplicas: min,
    maxReplicas,
    surge: rolloutExtraPods(spec.strategy, maxReplicas, pod.terminationGracePeriodSeconds, rendered.budget.modelLoadSeconds),
    ...(pod.nodeSelector && Object.keys(pod.nodeSelector).length ? { nodeSelector: { ...pod.nodeSelector } } : {}),
    ...(pod.tolerations?.length ? { tolerations: pod.tolerations.map((t) => ({ ...t })) } : {}),
    ...(maxPerNode !== undefined ? { maxPerNode } : {}),
  };
}

/** Records the problems of a workload's fields under `problems` (e.g. `problems.at('fraud')`). */
export function validateWorkload(problems: Problems, w: CapacityWorkload): void {
  if (typeof w.name !== 'string' || w.name === '') problems.add('name', w.name, 'expected the model\'s name');
  if (!(Number.isInteger(w.cpuMillis) && w.cpuMillis >= 0)) problems.add('cpuMillis', w.cpuMillis, 'expected a whole number of millicores, 0 or more');
  if (!(Number.isFinite(w.memoryBytes) && w.memoryBytes >= 0)) problems.add('memoryBytes', w.memoryBytes, 'expected a number of bytes, 0 or more');
  checkInteger(problems, 'gpus', w.gpus ?? Number.NaN, 0);
  if (w.migSlices !== undefined && !isPlainObject(w.migSlices)) problems.add('migSlices', w.migSlices, 'expected slices per replica by MIG profile, e.g. { "1g.10gb": 1 }');
  else {
    for (const [profile, n] of Object.entries(w.migSlices ?? {})) {
      checkMigProfile(problems, `migSlices.${profile}`, profile);
      checkInteger(problems, `migSlices.${profile}`, (n as number | undefined) ?? Number.NaN, 0);
    }
  }
  checkInteger(problems, 'minReplicas', w.minReplicas ?? Number.NaN, 0);
  checkInteger(problems, 'maxReplicas', w.maxReplicas ?? Number.NaN, 0);
  if (Number.isInteger(w.maxReplicas) && Number.isInteger(w.minReplicas) && w.maxReplicas < w.minReplicas) {
    problems.add('maxReplicas', w.maxReplicas, `expected at least minReplicas (${w.minReplicas})`);
  }
  checkInteger(problems, 'surge', w.surge ?? Number.NaN, 0);
  checkInteger(problems, 'maxPerNode', w.maxPerNode, 1);
  if (w.nodeSelector !== undefined && !isPlainObject(w.nodeSelector)) problems.add('nodeSelector', w.nodeSelector, 'expected a map of node labels');
  listItems(problems, 'tolerations', w.tolerations, 'expected an array of tolerations').forEach((t, i) => {
    if (!isPlainObject(t)) problems.add(`tolerations[${i}]`, t, 'expected a toleration such as { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }');
  });
}
