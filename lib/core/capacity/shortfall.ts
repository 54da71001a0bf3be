import { emptyNode, Packing, PackingInstance, Resource } from './instance';
import { formatAmount, formatCpu, formatMemory } from './units';

/** Why some replicas of a model found no node. */
export interface CapacityShortfall {
  /** The model. */
  readonly workload: string;
  /** Its replicas left without a node. */
  readonly replicas: number;
  /**
   * The resource that runs out: `nodes` when required spreading over nodes (anti-affinity or a
   * hard topology spread) needs more nodes than the pools it may use have.
   */
  readonly resource: Resource | 'nodes';
  /** How much more of `resource` the replicas need, in base units (millicores, bytes, GPUs, pods, MIG slices, nodes). */
  readonly short: number;
  /** The same in words, with human units. */
  readonly message: string;
}

/**
 * The shortfalls of a packing that left replicas unplaced: per model, the resource its
 * unplaced replicas lack most, measured against what is free on every node of the pools it
 * may use (the unused nodes included).
 */
export function shortfallsOf(instance: PackingInstance, packing: Packing, names: readonly string[]): CapacityShortfall[] {
  const out: CapacityShortfall[] = [];
  const replicasOf = (u: number, name: string) => `${u} replica${u === 1 ? '' : 's'} of ${name}`;
  instance.items.forEach((item, i) => {
    const u = packing.unplaced[i]!;
    if (u === 0) return;
    const name = names[item.workload]!;
    const pools = item.pools.filter((p) => instance.bins[p]!.count > 0);
    if (pools.length === 0) {
      out.push({ workload: name, replicas: u, resource: 'nodes', short: u, message: `${replicasOf(u, name)} ${u === 1 ? 'has' : 'have'} no node: no pool with nodes matches its node selector and tolerations` });
      return;
    }
    // A replica larger than every node it may use.
    for (let r = 0; r < instance.resources.length; r++) {
      const largest = Math.max(...pools.map((p) => instance.bins[p]!.capacity[r]!));
      const demand = item.demand[r]!;
      if (demand > largest) {
        const resource = instance.resources[r]!;
        out.push({
          workload: name,
          replicas: u,
          resource,
          short: demand - largest,
          message: `each replica of ${name} requests ${formatAmount(resource, demand)}; the largest node it may use has ${formatAmount(resource, largest)} (${formatAmount(resource, demand - largest)} short per replica)`,
        });
        return;
      }
    }
    // What is free on the nodes it may use, opened or not.
    const nodes = [...packing.nodes.filter((n) => pools.includes(n.pool))];
    for (const p of pools) {
      const opened = packing.nodes.filter((n) => n.pool === p).length;
      for (let k = opened; k < instance.bins[p]!.count; k++) nodes.push(emptyNode(instance, p));
    }
    let worst: { resource: Resource | 'nodes'; short: number; need: number; free: number } | undefined;
    instance.resources.forEach((resource, r) => {
      const need = u * item.demand[r]!;
      if (need === 0) return;
      const free = nodes.reduce((s, n) => s + instance.bins[n.pool]!.capacity[r]! - n.used[r]!, 0);
      if (need > free && (!worst || (need - free) / need > worst.short / worst.need)) worst = { resource, short: need - free, need, free };
    });
    if (Number.isFinite(item.maxPerNode)) {
      const slots = nodes.reduce((s, n) => s + item.maxPerNode - (n.counts.get(i) ?? 0), 0);
      if (u > slots && (!worst || (u - slots) / u > worst.short / worst.need)) {
        worst = { resource: 'nodes', short: Math.ceil((u - slots) / item.maxPerNode), need: u, free: slots };
      }
    }
    if (worst) {
      const { resource, short, free } = worst;
      const what = resource === 'nodes'
        ? `at most ${item.maxPerNode} per node, and the nodes it may use have room for ${free} more`
        : `${u === 1 ? 'it needs' : 'they need'} ${formatAmount(resource, worst.need)}; the nodes ${name} may use have ${formatAmount(resource, free)} free`;
      out.push({ workload: name, replicas: u, resource, short, message: `${replicasOf(u, name)} ${u === 1 ? 'does' : 'do'} not fit: ${formatAmount(resource, short)} short (${what})` });
      return;
    }
    // Enough in total, but no single node has room: name the resource the roomiest node lacks most.
    let pick = 0;
    let pickShort = 0;
    for (let r = 0; r < instance.resources.length; r++) {
      if (item.demand[r]! === 0) continue;
      const roomiest = Math.max(...nodes.map((n) => instance.bins[n.pool]!.capacity[r]! - n.used[r]!));
      const lack = (item.demand[r]! - roomiest) / item.demand[r]!;
      if (lack > pickShort || pickShort === 0) {
        pick = r;
        pickShort = lack;
      }
    }
    const resource = instance.resources[pick]!;
    out.push({
      workload: name,
      replicas: u,
      resource,
      short: u * item.demand[pick]!,
      message: `${replicasOf(u, name)} (${formatCpu(item.demand[0]!)}, ${formatMemory(item.demand[1]!)} each) ${u === 1 ? 'does' : 'do'} not fit: enough is free in total, but spread over nodes none of which has room for a replica`,
    });
  });
  return out;
}
