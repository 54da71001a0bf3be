import { Bin, emptyNode, fitEmpty, fitOn, ItemGroup, PackedNode, Packing, PackingInstance, place, unplace } from './instance';

/**
 * The fast planner: first-fit and best-fit decreasing over several orders of the replicas,
 * each followed by a pass that empties nodes whose replicas fit elsewhere; the packing that
 * places the most replicas on the fewest nodes wins.
 *
 * Replicas are ordered GPU models first (they have the fewest nodes to go to), then models that
 * may use fewer pools, then larger first, "larger" being either the dominant share (the largest
 * fraction of a node any one resource takes) or the sum of the shares. Identical replicas of a
 * model are placed together, so first-fit costs O(models × nodes) and best-fit
 * O(replicas × nodes).
 */
export function packHeuristic(instance: PackingInstance): Packing {
  let best: Packing | undefined;
  for (const size of [dominantShare, shareSum]) {
    const order = orderItems(instance, size);
    for (const rule of [firstFit, bestFit]) {
      const packing = consolidate(instance, rule(instance, order));
      if (!best || better(packing, best)) best = packing;
    }
  }
  return best!;
}

const unplacedTotal = (p: Packing) => p.unplaced.reduce((a, b) => a + b, 0);
const better = (a: Packing, b: Packing) => unplacedTotal(a) < unplacedTotal(b) || (unplacedTotal(a) === unplacedTotal(b) && a.nodes.length < b.nodes.length);

type Size = (item: ItemGroup, reference: readonly number[]) => number;
const shares = (item: ItemGroup, reference: readonly number[]) => item.demand.map((d, r) => (reference[r]! > 0 ? d / reference[r]! : 0));
const dominantShare: Size = (item, reference) => Math.max(...shares(item, reference));
const shareSum: Size = (item, reference) => shares(item, reference).reduce((a, b) => a + b, 0);

function orderItems(instance: PackingInstance, size: Size): number[] {
  const keys = instance.items.map((item) => {
    const reference = item.demand.map((_, r) => Math.max(0, ...item.pools.map((p) => instance.bins[p]!.capacity[r]!)));
    return { gpu: item.demand[2]! > 0 ? 0 : 1, pools: item.pools.length, size: size(item, reference) };
  });
  return instance.items.map((_, i) => i).sort((a, b) => keys[a]!.gpu - keys[b]!.gpu || keys[a]!.pools - keys[b]!.pools || keys[b]!.size - keys[a]!.size || a - b);
}

/** The pool to open a node of for `item`: CPU pools for CPU models first, then the most replicas per node. */
function poolToOpen(instance: PackingInstance, item: ItemGroup, opened: readonly number[]): number | undefined {
  let choice: number | undefined;
  let bestKey: [number, number] | undefined;
  for (const p of item.pools) {
    const bin = instance.bins[p]!;
    const fit = fitEmpty(item, bin);
    if (opened[p]! >= bin.count || fit < 1) continue;
    const key: [number, number] = [item.demand[2] === 0 && bin.capacity[2]! > 0 ? 1 : 0, -fit];
    if (!bestKey || key[0] < bestKey[0] || (key[0] === bestKey[0] && key[1] < bestKey[1])) {
      bestKey = key;
      choice = p;
    }
  }
  return choice;
}

interface State {
  readonly nodes: PackedNode[];
  readonly opened: number[];
  readonly unplaced: number[];
}

const start = (instance: PackingInstance): State => ({ nodes: [], opened: instance.bins.map(() => 0), unplaced: instance.items.map(() => 0) });

/** Opens nodes for the replicas left, as many per node as fit. */
function openFor(instance: PackingInstance, state: State, i: number, remaining: number): void {
  const item = instance.items[i]!;
  while (remaining > 0) {
    const p = poolToOpen(instance, item, state.opened);
    if (p === undefined) {
      state.unplaced[i] = remaining;
      return;
    }
    state.opened[p]!++;
    const node = emptyNode(p);
    const k = Math.min(remaining, fitEmpty(item, instance.bins[p]!));
    place(node, i, item, k);
    state.nodes.push(node);
    remaining -= k;
  }
}

function firstFit(instance: PackingInstance, order: readonly number[]): Packing {
  const state = start(instance);
  for (const i of order) {
    const item = instance.items[i]!;
    let remaining = item.replicas;
    for (const node of state.nodes) {
      if (remaining === 0) break;
      if (!item.pools.includes(node.pool)) continue;
      const k = Math.min(remaining, fitOn(item, i, node, instance.bins[node.pool]!));
      if (k > 0) {
        place(node, i, item, k);
        remaining -= k;
      }
    }
    openFor(instance, state, i, remaining);
  }
  return { nodes: state.nodes, unplaced: state.unplaced };
}

/** Free capacity left on a node after adding one more replica, summed over resources as fractions of the node. */
function slackAfter(item: ItemGroup, node: PackedNode, bin: Bin): number {
  let slack = 0;
  for (let r = 0; r < 3; r++) if (bin.capacity[r]! > 0) slack += (bin.capacity[r]! - node.used[r]! - item.demand[r]!) / bin.capacity[r]!;
  return slack;
}

function bestFit(instance: PackingInstance, order: readonly number[]): Packing {
  const state = start(instance);
  for (const i of order) {
    const item = instance.items[i]!;
    const eligible = new Set(item.pools);
    let remaining = item.replicas;
    while (remaining > 0) {
      let target: PackedNode | undefined;
      let targetSlack = Number.POSITIVE_INFINITY;
      for (const node of state.nodes) {
        if (!eligible.has(node.pool)) continue;
        const bin = instance.bins[node.pool]!;
        if (fitOn(item, i, node, bin) < 1) continue;
        const slack = slackAfter(item, node, bin);
        if (slack < targetSlack) {
          target = node;
          targetSlack = slack;
        }
      }
      if (!target) break;
      place(target, i, item, 1);
      remaining--;
    }
    openFor(instance, state, i, remaining);
  }
  return { nodes: state.nodes, unplaced: state.unplaced };
}

/** How full a node is: the mean of its resource shares. */
function fill(node: PackedNode, bin: Bin): number {
  let sum = 0;
  for (let r = 0; r < 3; r++) if (bin.capacity[r]! > 0) sum += node.used[r]! / bin.capacity[r]!;
  return sum;
}

/**
 * Tries to empty nodes, emptiest first, by moving their replicas to the other nodes (fullest
 * first); a node is closed only when all its replicas found room.
 */
export function consolidate(instance: PackingInstance, packing: Packing): Packing {
  const nodes = [...packing.nodes];
  const order = [...nodes].sort((a, b) => fill(a, instance.bins[a.pool]!) - fill(b, instance.bins[b.pool]!));
  const closed = new Set<PackedNode>();
  for (const victim of order) {
    const targets = nodes.filter((n) => n !== victim && !closed.has(n)).sort((a, b) => fill(b, instance.bins[b.pool]!) - fill(a, instance.bins[a.pool]!));
    const moves: [PackedNode, number, number][] = [];
    let ok = true;
    for (const [i, count] of victim.counts) {
      const item = instance.items[i]!;
      let remaining = count;
      for (const target of targets) {
        if (remaining === 0) break;
        if (!item.pools.includes(target.pool)) continue;
        const k = Math.min(remaining, fitOn(item, i, target, instance.bins[target.pool]!));
        if (k > 0) {
          place(target, i, item, k);
          moves.push([target, i, k]);
          remaining -= k;
        }
      }
      if (remaining > 0) {
        ok = false;
        break;
      }
    }
    if (ok) closed.add(victim);
    else for (const [target, i, k] of moves) unplace(target, i, instance.items[i]!, k);
  }
  return { nodes: nodes.filter((n) => !closed.has(n)), unplaced: packing.unplaced };
}
