/**
 * The worked example from the project's origin: ten 4-CPU / 8 GiB nodes and five applications
 * (A 2 CPU / 4 GiB, B 1/2, C 3/6, D 2/4, E 1/2). Together they request 9 CPU and 18 GiB: at
 * least ⌈9/4⌉ = 3 nodes by CPU and ⌈18/8⌉ = 3 by memory, and 3 is achievable (C+B, A+D, E):
 * 3 nodes, 75% of their CPU and memory, 22.5% of the pool's.
 */
import { capacityProblems, formatCapacityReport, NodePool, planCapacity, PlanMethod, Problems } from '../../../lib/core';
import { violations, workload } from './support';

const pools = [NodePool.cpu('general', { count: 10, cpu: '4', memory: '8Gi' })];
const apps = [workload('a', 2, 4), workload('b', 1, 2), workload('c', 3, 6), workload('d', 2, 4), workload('e', 1, 2)];

describe.each([PlanMethod.EXACT, PlanMethod.HEURISTIC, PlanMethod.AUTO])('the worked example, method %s', (method) => {
  const plan = planCapacity(pools, apps, { method });

  test('all five fit on 3 nodes, the minimum, and the placement is valid', () => {
    expect(plan.min.feasible).toBe(true);
    expect(plan.min.nodesUsed).toBe(3);
    expect(plan.min.lpBound).toBe(3);
    expect(plan.min.optimal).toBe(true);
    expect(plan.min.pools).toEqual([expect.objectContaining({ pool: 'general', nodesUsed: 3, nodes: 10 })]);
    expect(violations(pools, apps, plan.min)).toEqual([]);
  });

  test('utilization: 75% of the nodes used, 22.5% of the pool, for CPU and memory', () => {
    const [cpu, memory, gpu, pods] = plan.min.utilization;
    expect(cpu).toEqual({ resource: 'cpu', requested: 9000, allocatableUsed: 12000, allocatableTotal: 40000, ofUsed: 0.75, ofTotal: 0.225 });
    expect(memory).toEqual({ resource: 'memory', requested: 18 * 2 ** 30, allocatableUsed: 24 * 2 ** 30, allocatableTotal: 80 * 2 ** 30, ofUsed: 0.75, ofTotal: 0.225 });
    expect(gpu).toEqual({ resource: 'gpu', requested: 0, allocatableUsed: 0, allocatableTotal: 0, ofUsed: 0, ofTotal: 0 });
    expect(pods).toMatchObject({ requested: 5, allocatableUsed: 330, allocatableTotal: 1100 });
  });
});

test('the exact method places the example with HiGHS, and the report says so', () => {
  const plan = planCapacity(pools, apps, { method: PlanMethod.EXACT });
  expect(plan.min.method).toBe(PlanMethod.EXACT);
  const problems = new Problems('test/cluster');
  capacityProblems(plan, problems);
  expect(problems.all).toEqual([]);
  const report = formatCapacityReport(plan, { title: 'Worked example' });
  expect(report).toContain('- **every model at minReplicas** (5 pods): fits on **3** node(s) (general 3 of 10), minimal.');
  expect(report).toContain('| general (3 of 10 nodes) | 9 CPU / 12 CPU (75.0%); 22.5% of 40 CPU | 18 GiB / 24 GiB (75.0%); 22.5% of 80 GiB | — | 5 pods / 330 pods (1.5%); 0.5% of 1100 pods |');
});

test('the default kube-scheduler imitation spreads the five over five nodes', () => {
  expect(planCapacity(pools, apps).min.schedulerNodes).toBe(5);
});
