import { HighsAnswer } from './highs-sync';
import { emptyNode, fitEmpty, fitOn, PackedNode, Packing, PackingInstance, place, unplace } from './instance';

/**
 * The exact planner: a mixed-integer program over node patterns, and the LP lower bound.
 *
 * Nodes of a pool are identical, so a per-node model (a variable for each replica on each node)
 * has as many equivalent optima as there are orderings of the nodes, which is what makes
 * bin-packing MIPs slow. Instead each pool's possible node contents are enumerated as
 * patterns (how many replicas of each model one node holds), keeping only maximal ones, and
 * the integer variables count the nodes using each pattern:
 *
 *     minimise   Σ z[p,q]                                  (nodes used)
 *     subject to Σ a[p,q,j] · z[p,q] ≥ replicas[j]        for every model j
 *                Σ_q z[p,q] ≤ count[p]                    for every pool p
 *                z[p,q] ∈ ℤ≥0
 *
 * Covering (≥) with maximal patterns loses nothing: removing replicas from a node keeps it
 * feasible, so the surplus is trimmed afterwards. The model's size depends on the number of
 * patterns, not of replicas or nodes; past `CapacityPlanOptions.patternLimit` patterns the
 * planner recombines the heuristics' node contents instead ({@link patternsFromPackings}).
 */

export interface Pattern {
  readonly pool: number;
  /** Replicas per item group index. */
  readonly counts: ReadonlyMap<number, number>;
}

/**
 * The maximal patterns of every pool, or `undefined` when there are more than `limit` (or the
 * search visits more than 100 × `limit` partial node contents to find them): node
 * contents that respect every resource, the pods limit and each model's replicas per node,
 * to which no replica of any model can be added.
 */
export function enumeratePatterns(instance: PackingInstance, limit: number): Pattern[] | undefined {
  const patterns: Pattern[] = [];
  for (const bin of instance.bins) {
    if (bin.count === 0) continue;
    const items = instance.items
      .map((item, i) => ({ item, i, bound: Math.min(item.replicas, fitEmpty(item, bin)) }))
      .filter((x) => x.bound > 0 && x.item.pools.includes(bin.pool));
    if (items.length === 0) continue;
    const counts = items.map(() => 0);
    const used = bin.capacity.map(() => 0);
    const fits = (j: number) => items[j]!.item.demand.every((d, r) => used[r]! + d <= bin.capacity[r]!) && counts[j]! < items[j]!.bound;
    let overflow = false;
    let visits = 0;
    const visit = (j: number): void => {
      // Most partial contents are not maximal: bound the search itself, not just what it keeps.
      if (overflow || ++visits > limit * 100) {
        overflow = true;
        return;
      }
      if (j === items.length) {
        if (counts.every((c) => c === 0) || items.some((_, k) => fits(k))) return;
        if (patterns.length >= limit) {
          overflow = true;
          return;
        }
        patterns.push({ pool: bin.pool, counts: new Map(items.flatMap((x, k) => (counts[k]! > 0 ? [[x.i, counts[k]!]] : []))) });
        return;
      }
      const { item, bound } = items[j]!;
      // Most replicas first, so the count is maximal before trying fewer.
      let k = bound;
      for (let r = 0; r < used.length; r++) if (item.demand[r]! > 0) k = Math.min(k, Math.floor((bin.capacity[r]! - used[r]!) / item.demand[r]!));
      for (; k >= 0; k--) {
        counts[j] = k;
        for (let r = 0; r < used.length; r++) used[r]! += item.demand[r]! * k;
        visit(j + 1);
        for (let r = 0; r < used.length; r++) used[r]! -= item.demand[r]! * k;
        counts[j] = 0;
      }
    };
    visit(0);
    if (overflow) return undefined;
  }
  return patterns;
}

/** Writes `terms` (`coefficient name` pairs) as LP-format lines of a few terms each. */
function sum(terms: readonly (readonly [number, string])[]): string {
  const parts = terms.map(([c, name], k) => `${k === 0 ? '' : '+ '}${c === 1 ? '' : `${c} `}${name}`);
  const lines: string[] = [];
  for (let k = 0; k < parts.length; k += 8) lines.push(parts.slice(k, k + 8).join(' '));
  return lines.join('\n   ');
}

/** The pattern MIP in CPLEX LP format; variables are `z<index of the pattern>`. */
export function patternModel(instance: PackingInstance, patterns: readonly Pattern[]): string {
  const rows: string[] = [];
  instance.items.forEach((item, i) => {
    if (item.replicas === 0) return;
    const terms = patterns.flatMap((q, k) => (q.counts.has(i) ? [[q.counts.get(i)!, `z${k}`] as const] : []));
    // A model with no pattern cannot be placed: 0 >= replicas makes the model infeasible.
    rows.push(` m${i}: ${terms.length ? sum(terms) : '0 z0'} >= ${item.replicas}`);
  });
  instance.bins.forEach((bin, p) => {
    const terms = patterns.flatMap((q, k) => (q.pool === p ? [[1, `z${k}`] as const] : []));
    if (terms.length) rows.push(` p${p}: ${sum(terms)} <= ${bin.count}`);
  });
  const names = patterns.map((_, k) => `z${k}`);
  return [
    'Minimize',
    ` nodes: ${names.length ? sum(names.map((n) => [1, n] as const)) : '0'}`,
    'Subject To',
    ...rows,
    'Bounds',
    ...patterns.map((q, k) => ` 0 <= z${k} <= ${instance.bins[q.pool]!.count}`),
    'General',
    ...names.map((n) => ` ${n}`),
    'End',
    '',
  ].join('\n');
}

/** The packing a solved pattern model describes, with the surplus replicas removed. */
export function packingFromPatterns(instance: PackingInstance, patterns: readonly Pattern[], answer: HighsAnswer): Packing {
  const nodes: PackedNode[] = [];
  patterns.forEach((q, k) => {
    const z = Math.round(answer.columns[`z${k}`] ?? 0);
    for (let n = 0; n < z; n++) {
      const node = emptyNode(instance, q.pool);
      for (const [i, c] of q.counts) place(node, i, instance.items[i]!, c);
      nodes.push(node);
    }
  });
  // Trim the surplus of each model from the last nodes holding it.
  instance.items.forEach((item, i) => {
    let surplus = nodes.reduce((s, n) => s + (n.counts.get(i) ?? 0), 0) - item.replicas;
    for (let n = nodes.length - 1; n >= 0 && surplus > 0; n--) {
      const k = Math.min(surplus, nodes[n]!.counts.get(i) ?? 0);
      if (k > 0) unplace(nodes[n]!, i, item, k);
      surplus -= k;
    }
  });
  // A solution that stopped short of covering a model (none should) shows as unplaced replicas.
  const placed = instance.items.map((_, i) => nodes.reduce((s, n) => s + (n.counts.get(i) ?? 0), 0));
  return { nodes: nodes.filter((n) => n.counts.size > 0), unplaced: instance.items.map((item, i) => Math.max(0, item.replicas - placed[i]!)) };
}

/**
 * The LP relaxation of the per-node model, aggregated per pool (identical nodes make the two
 * LPs equal): `x[j,p]` replicas of model j and `y[p]` nodes of pool p, both continuous, with
 * every resource of the `y[p]` nodes covering the replicas on them, and no more than the
 * replicas of j an empty node holds (its per-node limit and what fits) per node. `ceil` of its
 * optimum bounds the nodes any placement needs.
 */
export function relaxationModel(instance: PackingInstance): string {
  const rows: string[] = [];
  const bounds: string[] = [];
  const columns = new Map<number, [number, string][]>(); // pool → x terms per resource row later
  instance.items.forEach((item, i) => {
    if (item.replicas === 0) return;
    const terms: [number, string][] = [];
    for (const p of item.pools) {
      const bin = instance.bins[p]!;
      const perNode = fitEmpty(item, bin);
      if (bin.count === 0 || perNode < 1) continue;
      const x = `x${i}_${p}`;
      terms.push([1, x]);
      if (!columns.has(p)) columns.set(p, []);
      columns.get(p)!.push([i, x]);
      rows.push(` f${i}_${p}: ${x} - ${perNode} y${p} <= 0`);
    }
    rows.push(` m${i}: ${terms.length ? sum(terms) : '0 y0'} = ${item.replicas}`);
  });
  for (const [p, xs] of columns) {
    const bin = instance.bins[p]!;
    bin.capacity.forEach((cap, r) => {
      // In shares of a node (every demand here fits one, so 0 < share <= 1): in bytes, with
      // coefficients of 1e10 and more, HiGHS answered "Optimal" at a point above the optimum,
      // which made the bound exceed the nodes a placement needs.
      const terms = xs.flatMap(([i, x]) => (instance.items[i]!.demand[r]! > 0 ? [[instance.items[i]!.demand[r]! / cap, x] as const] : []));
      if (terms.length) rows.push(` r${p}_${r}: ${sum(terms)} - y${p} <= 0`);
    });
    bounds.push(` 0 <= y${p} <= ${bin.count}`);
  }
  const ys = [...columns.keys()].map((p) => [1, `y${p}`] as const);
  return ['Minimize', ` nodes: ${ys.length ? sum(ys) : '0'}`, 'Subject To', ...(rows.length ? rows : [' none: 0 y0 >= 0']), 'Bounds', ...bounds, 'End', ''].join('\n');
}

const patternKey = (pool: number, counts: ReadonlyMap<number, number>) => `${pool}:${[...counts.entries()].sort((a, b) => a[0] - b[0]).join(';')}`;

/**
 * A node's contents made maximal: replicas added, in model order, while they fit and the model
 * has replicas to spare. With covering constraints a maximal pattern serves wherever the node did.
 */
function maximal(instance: PackingInstance, node: PackedNode): Pattern {
  const grown: PackedNode = { pool: node.pool, counts: new Map(node.counts), used: [...node.used] };
  const bin = instance.bins[node.pool]!;
  instance.items.forEach((item, i) => {
    if (!item.pools.includes(node.pool)) return;
    const k = Math.min(fitOn(item, i, grown, bin), item.replicas - (grown.counts.get(i) ?? 0));
    if (k > 0) place(grown, i, item, k);
  });
  return { pool: node.pool, counts: grown.counts };
}

/**
 * The patterns of the nodes of `packings` (made maximal, without repeats) and, for the first
 * packing, how many of its nodes use each: the columns and the start of a recombination MIP,
 * which picks the best mix of the node contents the heuristics found.
 */
export function patternsFromPackings(instance: PackingInstance, packings: readonly Packing[], extra: readonly Pattern[] = []): { patterns: Pattern[]; start: Record<string, number> } {
  const index = new Map<string, number>();
  const patterns: Pattern[] = [];
  const add = (q: Pattern) => {
    const key = patternKey(q.pool, q.counts);
    if (!index.has(key)) {
      index.set(key, patterns.length);
      patterns.push(q);
    }
    return index.get(key)!;
  };
  extra.forEach(add);
  const startCounts = new Map<number, number>();
  packings.forEach((packing, n) => {
    for (const node of packing.nodes) {
      const k = add(maximal(instance, node));
      if (n === 0) startCounts.set(k, (startCounts.get(k) ?? 0) + 1);
    }
  });
  return { patterns, start: Object.fromEntries(patterns.map((_, k) => [`z${k}`, startCounts.get(k) ?? 0])) };
}
