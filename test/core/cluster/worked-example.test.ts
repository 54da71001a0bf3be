/**
 * The capacity worked example (examples/capacity-worked-example.ts) through the core cluster:
 * the numbers the README quotes, and the packing picture committed as
 * docs/capacity-worked-example.svg is the one the synth draws.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderCapacitySvg } from '../../../lib/core/capacity/svg';
import { workedExampleCluster, workedExampleModels } from '../../../examples/capacity-worked-example';
import { renderCluster, specOf } from './support';

const cluster = renderCluster(workedExampleCluster(), workedExampleModels());
const plan = cluster.capacityPlan!;

test('9 CPU and 18 GiB in five pods fit on 3 of the 10 nodes (the LP bound, so minimal); the kube-scheduler would spread them over 5', () => {
  expect([plan.min.feasible, plan.min.nodesUsed, plan.min.lpBound, plan.min.optimal, plan.min.schedulerNodes]).toEqual([true, 3, 3, true, 5]);
  expect(plan.min.placement.map((n) => Object.keys(n.replicas).sort().join('+')).sort()).toEqual(['a+d', 'b', 'c+e']);
});

test('a rollout of every model at once (a pod starting and one terminating each) needs 7 nodes (the LP bound: 27 CPU over 4-CPU nodes); the quota is the same fifteen pods', () => {
  expect([plan.surge.feasible, plan.surge.nodesUsed, plan.surge.lpBound]).toEqual([true, 7, 7]);
  expect(specOf(cluster.resourceQuota)).toEqual({ hard: { 'requests.cpu': '27', 'requests.memory': '54Gi', pods: '15' } });
});

test('docs/capacity-worked-example.svg is the picture the synth draws (regenerate it with `npm run synth` and copy dist/reports/capacity-worked-example.svg)', () => {
  expect(fs.readFileSync(path.join(__dirname, '../../../docs/capacity-worked-example.svg'), 'utf8')).toBe(renderCapacitySvg(plan));
});
