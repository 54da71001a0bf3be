/**
 * Independent checks of a capacity plan's placement: written from the Kubernetes rules, not
 * from the planner's code, so a planner bug cannot hide in a shared helper.
 */
import type { CapacityScenario, CapacityWorkload, NodePool } from '../../../lib/core';

export const GiB = 2 ** 30;

/** A workload at `replicas` replicas in every scenario (no surge) unless `extra` says otherwise. */
export function workload(name: string, cpu: number, memoryGiB: number, replicas = 1, extra: Partial<CapacityWorkload> = {}): CapacityWorkload {
  return { name, cpuMillis: Math.round(cpu * 1000), memoryBytes: memoryGiB * GiB, gpus: 0, minReplicas: replicas, maxReplicas: replicas, surge: 0, ...extra };
}

/** Kubernetes' taint toleration rule, restated. */
function tolerated(w: CapacityWorkload, taint: { key: string; value?: string; effect: string }): boolean {
  if (taint.effect === 'PreferNoSchedule') return true;
  return (w.tolerations ?? []).some((t) => {
    const effectOk = t.effect === undefined || t.effect === taint.effect;
    if (!effectOk) return false;
    if (t.key === undefined) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

/**
 * The constraints a placement breaks (empty when it is valid): nodes that exist, resources,
 * MIG slices, pods, selectors, taints, replicas per node, and, for a feasible scenario, every replica placed.
 */
export function violations(pools: readonly NodePool[], workloads: readonly CapacityWorkload[], s: CapacityScenario): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const placed = new Map<string, number>();
  for (const node of s.placement) {
    const id = `${node.pool}-${node.index}`;
    const pool = pools.find((p) => p.name === node.pool);
    if (!pool) {
      out.push(`${id}: no such pool`);
      continue;
    }
    if (node.index < 0 || node.index >= pool.count || seen.has(id)) out.push(`${id}: not a distinct node of the pool`);
    seen.add(id);
    let cpu = 0;
    let memory = 0;
    let gpus = 0;
    let pods = 0;
    const slices = new Map<string, number>();
    for (const [name, count] of Object.entries(node.replicas)) {
      const w = workloads.find((x) => x.name === name)!;
      cpu += w.cpuMillis * count;
      memory += w.memoryBytes * count;
      gpus += w.gpus * count;
      pods += count;
      for (const [profile, n] of Object.entries(w.migSlices ?? {})) slices.set(profile, (slices.get(profile) ?? 0) + n * count);
      placed.set(name, (placed.get(name) ?? 0) + count);
      for (const [k, v] of Object.entries(w.nodeSelector ?? {})) if (pool.labels[k] !== v) out.push(`${id}: ${name} needs ${k}=${v}`);
      for (const taint of pool.taints) if (!tolerated(w, taint)) out.push(`${id}: ${name} does not tolerate ${taint.key}`);
      if (w.maxPerNode !== undefined && count > w.maxPerNode) out.push(`${id}: ${count} replicas of ${name}, at most ${w.maxPerNode}`);
    }
    if (cpu > pool.cpuMillis) out.push(`${id}: CPU ${cpu} > ${pool.cpuMillis}`);
    if (memory > pool.memoryBytes) out.push(`${id}: memory ${memory} > ${pool.memoryBytes}`);
    if (gpus > pool.gpus) out.push(`${id}: GPUs ${gpus} > ${pool.gpus}`);
    if (pods > pool.maxPods) out.push(`${id}: pods ${pods} > ${pool.maxPods}`);
    for (const [profile, n] of slices) if (n > (pool.migSlices[profile] ?? 0)) out.push(`${id}: MIG ${profile} ${n} > ${pool.migSlices[profile] ?? 0}`);
  }
  for (const w of workloads) {
    const want = s.replicas[w.name] ?? 0;
    const got = placed.get(w.name) ?? 0;
    if (got > want) out.push(`${w.name}: ${got} placed, only ${want} wanted`);
    if (s.feasible && got !== want) out.push(`${w.name}: ${got} of ${want} placed in a feasible scenario`);
  }
  if (s.nodesUsed !== s.placement.length) out.push(`nodesUsed ${s.nodesUsed} but ${s.placement.length} nodes placed`);
  return out;
}
