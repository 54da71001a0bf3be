import { Bin, emptyNode, fitEmpty, fitOn, isAccelerated, ItemGroup, PackedNode, Packing, PackingInstance, place, PODS, unplace } from './instance';

/**
 * The fast planner. Several packings, each followed by a pass that empties nodes whose replicas
 * fit elsewhere; the one that places the most replicas on the fewest nodes wins, and a last
 * pass empties its emptiest nodes by exchanges:
 *
 * - first-fit and best-fit decreasing. Replicas are ordered GPU models first (they have the
 *   fewest nodes to go to), then models that may use fewer pools, then larger first, "larger"
 *   being the dominant share (the largest fraction of a node any one resource takes) or the sum
 *   of the shares. Identical replicas are placed together: first-fit costs O(models × nodes),
 *   best-fit O(replicas × nodes);
 * - node by node, each filled with the replica that best suits what is left free on it (dot
 *   product, or the smallest residual), which balances CPU against memory; with `guide` (the
 *   LP relaxation's nodes per pool) also with the pool mix the LP found. O(nodes × models).
 *
 * `seen` collects every packing tried, for the recombination MIP.
 */
export function packHeuristic(instance: PackingInstance, guide?: readonly number[], seen?: Packing[]): Packing {
  let best: Packing | undefined;
  const consider = (packing: Packing) => {
    const consolidated = consolidate(instance, packing);
    seen?.push(consolidated);
    if (!best || better(consolidated, best)) best = consolidated;
  };
  for (const size of [dominantShare, shareSum]) {
    const order = orderItems(instance, size);
    for (const rule of [firstFit, bestFit]) consider(rule(instance, order));
  }
  for (const score of [dotProduct, residualNorm]) {
    consider(nodeByNode(instance, score));
    if (guide) consider(nodeByNode(instance, score, guide));
  }
  return emptyByExchange(instance, best!);
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
    return { gpu: isAccelerated(item.demand) ? 0 : 1, pools: item.pools.length, size: size(item, reference) };
  });
  return instance.items.map((_, i) => i).sort((a, b) => keys[a]!.gpu - keys[b]!.gpu || keys[a]!.pools - keys[b]!.pools || keys[b]!.size - keys[a]!.size || a - b);
}

/** The pool to open a node of for `item`: CPU pools for CPU models first (GPU or MIG nodes for accelerated ones), then the most replicas per node. */
function poolToOpen(instance: PackingInstance, item: ItemGroup, opened: readonly number[]): number | undefined {
  let choice: number | undefined;
  let bestKey: [number, number] | undefined;
  for (const p of item.pools) {
    const bin = instance.bins[p]!;
    const fit = fitEmpty(item, bin);
    if (opened[p]! >= bin.count || fit < 1) continue;
    const key: [number, number] = [!isAccelerated(item.demand) && isAccelerated(bin.capacity) ? 1 : 0, -fit];
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
    const node = emptyNode(instance, p);
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
  for (let r = 0; r < bin.capacity.length; r++) if (r !== PODS && bin.capacity[r]! > 0) slack += (bin.capacity[r]! - node.used[r]! - item.demand[r]!) / bin.capacity[r]!;
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
  for (let r = 0; r < bin.capacity.length; r++) if (r !== PODS && bin.capacity[r]! > 0) sum += node.used[r]! / bin.capacity[r]!;
  return sum;
}

/**
 * Tries to empty the `attempts` emptiest nodes, emptiest first, by moving their replicas to the
 * other nodes (fullest first); a node is closed only when all its replicas found room.
 */
export function consolidate(instance: PackingInstance, packing: Packing, attempts = Number.POSITIVE_INFINITY): Packing {
  const nodes = [...packing.nodes];
  const byFill = [...nodes].sort((a, b) => fill(a, instance.bins[a.pool]!) - fill(b, instance.bins[b.pool]!));
  const closed = new Set<PackedNode>();
  // Targets fullest first, sorted once: fills change little as replicas move in.
  const targets = [...byFill].reverse();
  for (const victim of byFill.slice(0, attempts)) {
    const moves: [PackedNode, number, number][] = [];
    let ok = true;
    for (const [i, count] of victim.counts) {
      const item = instance.items[i]!;
      let remaining = count;
      for (const target of targets) {
        if (remaining === 0) break;
        if (target === victim || closed.has(target) || !item.pools.includes(target.pool)) continue;
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

/** How well one more replica suits a node's free capacity (higher is better); shares of the node's allocatable. */
type Score = (item: ItemGroup, node: PackedNode, bin: Bin) => number;

/** The dot product of the replica's demand and the node's free capacity (Panigrahy et al.'s DotProduct). */
const dotProduct: Score = (item, node, bin) => {
  let dot = 0;
  for (let r = 0; r < bin.capacity.length; r++) if (r !== PODS && bin.capacity[r]! > 0) dot += (item.demand[r]! / bin.capacity[r]!) * ((bin.capacity[r]! - node.used[r]!) / bin.capacity[r]!);
  return dot;
};

/** Minus the squared norm of what would be left free: prefers replicas that fill the node evenly. */
const residualNorm: Score = (item, node, bin) => {
  let norm = 0;
  for (let r = 0; r < bin.capacity.length; r++) if (r !== PODS && bin.capacity[r]! > 0) norm += ((bin.capacity[r]! - node.used[r]! - item.demand[r]!) / bin.capacity[r]!) ** 2;
  return -norm;
};

/**
 * Fills one node at a time: each step adds the replica that scores best on the node, until none
 * fits. The node's pool is the one whose filled node is fullest (GPU pools only while models
 * with GPUs are left, if other pools have nodes); with a `guide` (the LP's nodes per pool), the
 * pool furthest behind its share of the guide, which keeps the mix of node shapes the LP found.
 */
function nodeByNode(instance: PackingInstance, score: Score, guide?: readonly number[]): Packing {
  const left = instance.items.map((item) => item.replicas);
  const state = start(instance);
  const fillNode = (p: number): PackedNode => {
    const node = emptyNode(instance, p);
    const bin = instance.bins[p]!;
    for (;;) {
      let pick = -1;
      let pickScore = Number.NEGATIVE_INFINITY;
      instance.items.forEach((item, i) => {
        if (left[i]! - (node.counts.get(i) ?? 0) <= 0 || !item.pools.includes(p) || fitOn(item, i, node, bin) < 1) return;
        const s = score(item, node, bin);
        if (s > pickScore) {
          pickScore = s;
          pick = i;
        }
      });
      if (pick < 0) return node;
      place(node, pick, instance.items[pick]!, 1);
    }
  };
  const totals = () => instance.resources.map((_, r) => (r === PODS ? 0 : instance.items.reduce((s, item, i) => s + left[i]! * item.demand[r]!, 0)));
  while (left.some((l) => l > 0)) {
    const demand = totals();
    const gpuLeft = instance.items.some((item, i) => left[i]! > 0 && isAccelerated(item.demand));
    let chosen: PackedNode | undefined;
    let chosenKey = Number.NEGATIVE_INFINITY;
    instance.bins.forEach((bin, p) => {
      if (state.opened[p]! >= bin.count) return;
      if (!gpuLeft && isAccelerated(bin.capacity) && instance.bins.some((b, q) => !isAccelerated(b.capacity) && state.opened[q]! < b.count)) return;
      const node = fillNode(p);
      if (node.counts.size === 0) return;
      // How full the node is, ties to the pool whose node takes more of what is left.
      let key = guide ? (guide[p]! > 0 ? 1e3 * (1 - state.opened[p]! / guide[p]!) : -1e3) : 0;
      for (let r = 0; r < bin.capacity.length; r++) if (r !== PODS && bin.capacity[r]! > 0) key += node.used[r]! / bin.capacity[r]!;
      for (let r = 0; r < demand.length; r++) if (r !== PODS && demand[r]! > 0) key += (1e-6 * node.used[r]!) / demand[r]!;
      if (key > chosenKey) {
        chosenKey = key;
        chosen = node;
      }
    });
    if (!chosen) break;
    state.opened[chosen.pool]!++;
    state.nodes.push(chosen);
    for (const [i, c] of chosen.counts) left[i]! -= c;
  }
  return { nodes: state.nodes, unplaced: left.map((l) => Math.max(0, l)) };
}

/** A replica's size: the sum of its shares of a node of `bin`. */
function sizeOn(item: ItemGroup, bin: Bin): number {
  let size = 0;
  for (let r = 0; r < bin.capacity.length; r++) if (r !== PODS && bin.capacity[r]! > 0) size += item.demand[r]! / bin.capacity[r]!;
  return size;
}

/** Whether `node` has room for one replica of `add` once one replica of `remove` leaves it. */
function fitsInstead(instance: PackingInstance, node: PackedNode, add: number, remove: number): boolean {
  const bin = instance.bins[node.pool]!;
  const a = instance.items[add]!;
  const x = instance.items[remove]!;
  if (!a.pools.includes(node.pool) || (node.counts.get(add) ?? 0) + 1 > a.maxPerNode) return false;
  for (let r = 0; r < bin.capacity.length; r++) if (node.used[r]! - x.demand[r]! + a.demand[r]! > bin.capacity[r]!) return false;
  return true;
}

/**
 * Empties the emptiest nodes by moves and exchanges: a replica of the victim node moves to a
 * node with room, or takes the place of a smaller replica there, which moves on to a third node
 * (or back to the victim, which then still gets lighter). Every step makes the victim strictly
 * lighter, so it ends; a node left empty is closed.
 */
function emptyByExchange(instance: PackingInstance, packing: Packing, victims = 8): Packing {
  const nodes = [...packing.nodes];
  const closed = new Set<PackedNode>();
  const order = [...nodes].sort((a, b) => fill(a, instance.bins[a.pool]!) - fill(b, instance.bins[b.pool]!)).slice(0, victims);
  for (const victim of order) {
    const bin = instance.bins[victim.pool]!;
    const others = nodes.filter((n) => n !== victim && !closed.has(n));
    let progress = true;
    while (progress && victim.counts.size > 0) {
      progress = false;
      const mine = [...victim.counts.keys()].sort((a, b) => sizeOn(instance.items[b]!, bin) - sizeOn(instance.items[a]!, bin));
      for (const i of mine) {
        const item = instance.items[i]!;
        const direct = others.find((t) => item.pools.includes(t.pool) && fitOn(item, i, t, instance.bins[t.pool]!) >= 1);
        if (direct) {
          unplace(victim, i, item, 1);
          place(direct, i, item, 1);
          progress = true;
          break;
        }
        const mySize = sizeOn(item, bin);
        for (const t of others) {
          for (const x of t.counts.keys()) {
            if (x === i || sizeOn(instance.items[x]!, bin) >= mySize || !fitsInstead(instance, t, i, x)) continue;
            const xi = instance.items[x]!;
            const onward = others.find((u) => u !== t && xi.pools.includes(u.pool) && fitOn(xi, x, u, instance.bins[u.pool]!) >= 1) ?? (fitsInstead(instance, victim, x, i) ? victim : undefined);
            if (!onward) continue;
            unplace(t, x, xi, 1);
            unplace(victim, i, item, 1);
            place(t, i, item, 1);
            place(onward, x, xi, 1);
            progress = true;
            break;
          }
          if (progress) break;
        }
        if (progress) break;
      }
    }
    if (victim.counts.size === 0) closed.add(victim);
  }
  return { nodes: nodes.filter((n) => !closed.has(n)), unplaced: packing.unplaced };
}
