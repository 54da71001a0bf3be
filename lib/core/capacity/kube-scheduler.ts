import { emptyNode, fitOn, PackedNode, Packing, PackingInstance, place } from './instance';

/**
 * What the default kube-scheduler would do with the same replicas, as a baseline: pods are
 * scheduled one at a time (models in order, each model's replicas in turn) onto every declared
 * node; the filters are the plan's (selector, taints, resources, pods, replicas per node) and
 * the score is NodeResourcesFit's default `LeastAllocated`: the mean over CPU and memory of
 * (allocatable − requested) / allocatable after placing the pod, highest wins, the first node
 * on a tie. The scheduler's other scores (balanced allocation, soft topology spread, image
 * locality) are left out; least-allocated is the one that spreads pods over nodes.
 */
export function scheduleLikeKube(instance: PackingInstance): Packing {
  const nodes: PackedNode[] = instance.bins.flatMap((bin) => Array.from({ length: bin.count }, () => emptyNode(instance, bin.pool)));
  const unplaced = instance.items.map(() => 0);
  instance.items.forEach((item, i) => {
    const eligible = nodes.filter((n) => item.pools.includes(n.pool));
    for (let replica = 0; replica < item.replicas; replica++) {
      let chosen: PackedNode | undefined;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (const node of eligible) {
        const bin = instance.bins[node.pool]!;
        if (fitOn(item, i, node, bin) < 1) continue;
        const score = ((bin.capacity[0]! - node.used[0]! - item.demand[0]!) / bin.capacity[0]! + (bin.capacity[1]! - node.used[1]! - item.demand[1]!) / bin.capacity[1]!) / 2;
        if (score > bestScore) {
          bestScore = score;
          chosen = node;
        }
      }
      if (!chosen) {
        // Nodes only fill up: no later replica of this model fits either.
        unplaced[i] = item.replicas - replica;
        break;
      }
      place(chosen, i, item, 1);
    }
  });
  return { nodes: nodes.filter((n) => n.counts.size > 0), unplaced };
}
