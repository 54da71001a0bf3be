import { Toleration } from '../k8s-types';
import { NodePool, NodeTaint } from './node-pool';
import { CapacityWorkload } from './workload';

/**
 * The packing problem the planners solve, in plain numbers: pools of identical bins and groups
 * of identical items. Resources are indexed `[cpu millicores, memory bytes, GPUs, pods]`; an
 * item needs one pod slot.
 */
export const RESOURCES = ['cpu', 'memory', 'gpu', 'pods'] as const;
export type Resource = (typeof RESOURCES)[number];

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

export function capacityOf(pool: NodePool): number[] {
  return [pool.cpuMillis, pool.memoryBytes, pool.gpus, pool.maxPods];
}

export function demandOf(w: CapacityWorkload): number[] {
  return [w.cpuMillis, w.memoryBytes, w.gpus, 1];
}

/** The packing instance of `workloads` at the replica counts `replicas` (one per workload). */
export function packingInstance(pools: readonly NodePool[], workloads: readonly CapacityWorkload[], replicas: readonly number[]): PackingInstance {
  return {
    bins: pools.map((pool, i) => ({ pool: i, count: pool.count, capacity: capacityOf(pool) })),
    items: workloads.map((w, i) => ({
      workload: i,
      replicas: replicas[i]!,
      demand: demandOf(w),
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

export function emptyNode(pool: number): PackedNode {
  return { pool, counts: new Map(), used: RESOURCES.map(() => 0) };
}
