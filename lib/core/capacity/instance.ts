import { MIG_RESOURCE_PREFIX } from '../accelerator';
import { Toleration } from '../k8s-types';
import { NodePool, NodeTaint } from './node-pool';
import { CapacityWorkload } from './workload';

/**
 * The packing problem the planners solve, in plain numbers: pools of identical bins and groups
 * of identical items. Resources are indexed `[cpu millicores, memory bytes, GPUs, pods]`, then
 * one index per MIG slice resource any pool or workload of the instance names
 * ({@link PackingInstance.resources}); an item needs one pod slot.
 */
export const RESOURCES = ['cpu', 'memory', 'gpu', 'pods'] as const;
/**
 * The index of the pod count: every item needs one slot, so the heuristics' scores, which weigh
 * how full a node is in what replicas request (CPU, memory, GPUs, MIG slices), leave it out.
 */
export const PODS = RESOURCES.indexOf('pods');
/** A MIG slice resource, `nvidia.com/mig-<profile>`. */
export type MigResource = `${typeof MIG_RESOURCE_PREFIX}${string}`;
/** A resource the plan counts. */
export type Resource = (typeof RESOURCES)[number] | MigResource;

export interface Bin {
  readonly pool: number;
  readonly count: number;
  readonly capacity: readonly number[];
}

export interface ItemGroup {
  readonly workload: number;
  readonly replicas: number;
  readonly demand: readonly number[];
  /** Pools whose nodes the item may run on (selector and taints), whether or not it fits. */
  readonly pools: readonly number[];
  /** Replicas per node at most (Infinity without a limit). */
  readonly maxPerNode: number;
}

export interface PackingInstance {
  /** What each index of a capacity or demand counts: {@link RESOURCES}, then MIG slice resources. */
  readonly resources: readonly Resource[];
  readonly bins: readonly Bin[];
  readonly items: readonly ItemGroup[];
}

/** A node in a packing: its pool and how many replicas of each item group it holds. */
export interface PackedNode {
  readonly pool: number;
  /** Replicas per item group index (sparse). */
  readonly counts: Map<number, number>;
  readonly used: number[];
}

/** A placement of an instance's items, possibly leaving some unplaced. */
export interface Packing {
  readonly nodes: PackedNode[];
  /** Unplaced replicas per item group index. */
  readonly unplaced: number[];
}

/** Whether a toleration tolerates a taint (Kubernetes' `ToleratesTaint`). */
export function tolerates(t: Toleration, taint: NodeTaint): boolean {
  if (t.effect !== undefined && t.effect !== taint.effect) return false;
  if (t.key === undefined || t.key === '') return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

/** Whether a workload's node selector matches a pool's labels. */
export function selects(w: CapacityWorkload, pool: NodePool): boolean {
  return Object.entries(w.nodeSelector ?? {}).every(([key, value]) => pool.labels[key] === value);
}

/** The pool's taints that keep the workload off it (`NoSchedule` and `NoExecute` not tolerated). */
export function untoleratedTaints(w: CapacityWorkload, pool: NodePool): NodeTaint[] {
  return pool.taints.filter((taint) => taint.effect !== 'PreferNoSchedule' && !(w.tolerations ?? []).some((t) => tolerates(t, taint)));
}

/** Whether a workload may run on a pool's nodes (selector and taints; resources aside). */
export function admits(pool: NodePool, w: CapacityWorkload): boolean {
  return selects(w, pool) && untoleratedTaints(w, pool).length === 0;
}

/** The MIG profiles any of the pools or workloads names, sorted: the instance's resources after {@link RESOURCES}. */
export function migProfilesOf(pools: readonly NodePool[], workloads: readonly CapacityWorkload[]): string[] {
  const profiles = new Set([...pools.flatMap((p) => Object.keys(p.migSlices)), ...workloads.flatMap((w) => Object.keys(w.migSlices ?? {}))]);
  return [...profiles].sort();
}

export function capacityOf(pool: NodePool, migProfiles: readonly string[] = []): number[] {
  return [pool.cpuMillis, pool.memoryBytes, pool.gpus, pool.maxPods, ...migProfiles.map((m) => pool.migSlices[m] ?? 0)];
}

export function demandOf(w: CapacityWorkload, migProfiles: readonly string[] = []): number[] {
  return [w.cpuMillis, w.memoryBytes, w.gpus, 1, ...migProfiles.map((m) => w.migSlices?.[m] ?? 0)];
}

/** Whether an item needs an accelerator: whole GPUs or MIG slices (what keeps other items off accelerator nodes in the heuristics). */
export function isAccelerated(demand: readonly number[]): boolean {
  if (demand[2]! > 0) return true;
  // A loop, not slice(): the heuristics ask this for every candidate node.
  for (let r = RESOURCES.length; r < demand.length; r++) if (demand[r]! > 0) return true;
  return false;
}

/** The packing instance of `workloads` at the replica counts `replicas` (one per workload). */
export function packingInstance(pools: readonly NodePool[], workloads: readonly CapacityWorkload[], replicas: readonly number[]): PackingInstance {
  const migProfiles = migProfilesOf(pools, workloads);
  return {
    resources: [...RESOURCES, ...migProfiles.map((m): MigResource => `${MIG_RESOURCE_PREFIX}${m}`)],
    bins: pools.map((pool, i) => ({ pool: i, count: pool.count, capacity: capacityOf(pool, migProfiles) })),
    items: workloads.map((w, i) => ({
      workload: i,
      replicas: replicas[i]!,
      demand: demandOf(w, migProfiles),
      pools: pools.flatMap((pool, p) => (admits(pool, w) ? [p] : [])),
      maxPerNode: w.maxPerNode ?? Number.POSITIVE_INFINITY,
    })),
  };
}

/** Replicas of `item` an empty node of `bin` holds at most. */
export function fitEmpty(item: ItemGroup, bin: Bin): number {
  let k = item.maxPerNode;
  for (let r = 0; r < bin.capacity.length; r++) {
    const d = item.demand[r]!;
    if (d > 0) k = Math.min(k, Math.floor(bin.capacity[r]! / d));
  }
  return k;
}

/** Replicas of `item` that still fit on `node`. */
export function fitOn(item: ItemGroup, itemIndex: number, node: PackedNode, bin: Bin): number {
  let k = item.maxPerNode - (node.counts.get(itemIndex) ?? 0);
  for (let r = 0; r < bin.capacity.length; r++) {
    const d = item.demand[r]!;
    if (d > 0) k = Math.min(k, Math.floor((bin.capacity[r]! - node.used[r]!) / d));
  }
  return Math.max(0, k);
}

/** Adds `k` replicas of an item to a node. */
export function place(node: PackedNode, itemIndex: number, item: ItemGroup, k: number): void {
  node.counts.set(itemIndex, (node.counts.get(itemIndex) ?? 0) + k);
  for (let r = 0; r < node.used.length; r++) node.used[r]! += item.demand[r]! * k;
}

/** Removes `k` replicas of an item from a node. */
export function unplace(node: PackedNode, itemIndex: number, item: ItemGroup, k: number): void {
  const left = (node.counts.get(itemIndex) ?? 0) - k;
  if (left > 0) node.counts.set(itemIndex, left);
  else node.counts.delete(itemIndex);
  for (let r = 0; r < node.used.length; r++) node.used[r]! -= item.demand[r]! * k;
}

/** A node of pool `pool` with nothing on it. */
export function emptyNode(instance: PackingInstance, pool: number): PackedNode {
  return { pool, counts: new Map(), used: instance.resources.map(() => 0) };
}
