/**
 * What the plan says when models do not fit (which model, which resource, how short) and the
 * ValidationErrors for bad input, with their exact messages.
 */
import { capacityProblems, NodePool, planCapacity, planCapacityScenario, PlanMethod, Problems, type CapacityPlan, type CapacityWorkload, type Toleration } from '../../../lib/core';
import * as instance from '../../../lib/core/capacity/instance';
import { violations, workload } from './support';
import { validationErrorOf } from '../../support/problems';

const problemsOf = (plan: CapacityPlan) => {
  const problems = new Problems('test/cluster');
  capacityProblems(plan, problems);
  return problems.all.map(({ prop, given, allowed }) => [prop, given, allowed]);
};

describe('a cluster too small at minReplicas', () => {
  const pools = [NodePool.cpu('general', { count: 2, cpu: '4', memory: '8Gi' })];
  const workloads = [
    workload('big', 6, 4),
    workload('many', 2, 2, 5),
    workload('ssd', 1, 1, 1, { nodeSelector: { disk: 'ssd' } }),
    workload('llm', 1, 1, 1, { gpus: 1 }),
  ];
  const plan = planCapacity(pools, workloads);

  test('names the model, the resource and how short, in human units', () => {
    expect(plan.min.feasible).toBe(false);
    expect(plan.min.shortfalls).toEqual([
      { workload: 'big', replicas: 1, resource: 'cpu', short: 2000, message: 'each replica of big requests 6 CPU; the largest node it may use has 4 CPU (2 CPU short per replica)' },
      { workload: 'many', replicas: 1, resource: 'cpu', short: 2000, message: '1 replica of many does not fit: 2 CPU short (it needs 2 CPU; the nodes many may use have 0 CPU free)' },
      { workload: 'ssd', replicas: 1, resource: 'nodes', short: 1, message: '1 replica of ssd has no node: no pool with nodes matches its node selector and tolerations' },
      { workload: 'llm', replicas: 1, resource: 'gpu', short: 1, message: 'each replica of llm requests 1 GPU; the largest node it may use has 0 GPUs (1 GPU short per replica)' },
    ]);
    expect(violations(pools, workloads, plan.min)).toEqual([]);
  });

  test('is a ValidationError: every conflict and every shortfall at minReplicas', () => {
    expect(problemsOf(plan)).toEqual([
      ['ssd.nodeSelector', '{"disk":"ssd"}', 'expected a node selector that a declared node pool matches; none does: general has {}'],
      ['llm.gpus', '1', 'expected a GPU node pool for a model that requests GPUs; the pools (general) have none'],
      ['big.minReplicas', '1', 'expected replicas that fit the declared node pools: each replica of big requests 6 CPU; the largest node it may use has 4 CPU (2 CPU short per replica)'],
      ['many.minReplicas', '5', 'expected replicas that fit the declared node pools: 1 replica of many does not fit: 2 CPU short (it needs 2 CPU; the nodes many may use have 0 CPU free)'],
    ]);
  });
});

test('memory and GPUs short; a GPU model that does not tolerate the GPU taint', () => {
  const pools = [NodePool.cpu('general', { count: 2, cpu: '8', memory: '8Gi' }), NodePool.gpu('a10', { count: 1, cpu: '8', memory: '32Gi', gpus: 1 })];
  const plan = planCapacity(pools, [workload('llm', 1, 1, 2, { gpus: 1, tolerations: [{ operator: 'Exists' }] }), workload('mem', 1, 6, 3)]);
  expect(plan.min.shortfalls.map((s) => [s.workload, s.resource, s.short, s.message])).toEqual([
    ['llm', 'gpu', 1, '1 replica of llm does not fit: 1 GPU short (it needs 1 GPU; the nodes llm may use have 0 GPUs free)'],
    ['mem', 'memory', 2 * 2 ** 30, '1 replica of mem does not fit: 2 GiB short (it needs 6 GiB; the nodes mem may use have 4 GiB free)'],
  ]);
  const untolerated = planCapacity([NodePool.gpu('a10', { count: 1, cpu: '8', memory: '32Gi', gpus: 1 })], [workload('llm', 1, 1, 1, { gpus: 1 })]);
  expect(problemsOf(untolerated)).toEqual([['llm.tolerations', '[]', 'expected tolerations of the taints of a pool its node selector matches: a10 has nvidia.com/gpu=present:NoSchedule']]);
});

test('anti-affinity needing more nodes than the pool has: short in nodes', () => {
  const plan = planCapacity([NodePool.cpu('general', { count: 3, cpu: '16', memory: '64Gi' })], [workload('ha', 1, 1, 5, { maxPerNode: 1 })]);
  expect(plan.min.shortfalls).toEqual([
    { workload: 'ha', replicas: 2, resource: 'nodes', short: 2, message: '2 replicas of ha do not fit: 2 nodes short (at most 1 per node, and the nodes it may use have room for 0 more)' },
  ]);
});

test('infeasible only at maxReplicas or with surge is a warning in the report, not a problem', () => {
  const plan = planCapacity([NodePool.cpu('general', { count: 2, cpu: '4', memory: '8Gi' })], [workload('a', 2, 2, 2, { maxReplicas: 4, surge: 1 })]);
  expect([plan.min.feasible, plan.max.feasible, plan.surge.feasible]).toEqual([true, true, false]);
  expect(plan.surge.replicas).toEqual({ a: 5 });
  expect(problemsOf(plan)).toEqual([]);
});

test('bad pools, workloads and method: every problem at once, with the prop, the value and what is allowed', () => {
  const error = validationErrorOf(() =>
    planCapacity(
      [
        NodePool.cpu('Bad_Name', { count: -1, cpu: 'four', memory: '0', maxPods: 0, labels: { 'bad key!': 'x' } }),
        NodePool.gpu('g', { count: 1.5, cpu: '8', memory: '8Gi', gpus: 0, gpuProduct: 'bad product', taints: [{ key: 'k', effect: 'Sometimes' as 'NoSchedule' }] }),
        NodePool.cpu('g', { count: 1, cpu: '1', memory: '1Gi' }),
      ],
      [workload('a', 1, 1), { ...workload('a', 1, 1, 2), maxReplicas: 1, cpuMillis: 0.5, maxPerNode: 0 }],
      // A JavaScript caller is not stopped by the enum type.
      { path: 'test/cluster', method: 'fast' as PlanMethod },
    ),
  );
  expect(error.problems.map(({ construct, prop, given, allowed }) => [construct, prop, given, allowed])).toEqual([
    ['test/cluster', 'nodePools[0].name', '"Bad_Name"', 'expected a DNS-1123 label: at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit'],
    ['test/cluster', 'nodePools[0].count', '-1', 'expected a whole number of nodes, 0 or more'],
    ['test/cluster', 'nodePools[0].cpu', '"four"', 'expected a positive CPU quantity such as "4" or "3920m"'],
    ['test/cluster', 'nodePools[0].memory', '"0"', 'expected a positive memory quantity such as "8Gi"'],
    ['test/cluster', 'nodePools[0].maxPods', '0', 'expected an integer at least 1'],
    ['test/cluster', 'nodePools[0].labels.bad key!', '"bad key!"', 'expected a label key: an optional DNS subdomain prefix and "/", then at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric'],
    ['test/cluster', 'nodePools[1].count', '1.5', 'expected a whole number of nodes, 0 or more'],
    ['test/cluster', 'nodePools[1].gpus', '0', 'expected a whole number of GPUs per node, 1 or more (0 when migSlices partition every GPU)'],
    ['test/cluster', 'nodePools[1].gpuProduct', '"bad product"', 'expected a GPU product name such as "NVIDIA-A10G" (expected a label value: empty, or at most 63 letters, digits, "-", "_" or "." starting and ending alphanumeric)'],
    ['test/cluster', 'nodePools[1].taints[0].effect', '"Sometimes"', 'expected one of NoSchedule, PreferNoSchedule, NoExecute'],
    ['test/cluster', 'nodePools[2].name', '"g"', 'expected a name no other pool has'],
    ['test/cluster', 'workloads[1].cpuMillis', '0.5', 'expected a whole number of millicores, 0 or more'],
    ['test/cluster', 'workloads[1].maxReplicas', '1', 'expected at least minReplicas (2)'],
    ['test/cluster', 'workloads[1].maxPerNode', '0', 'expected an integer at least 1'],
    ['test/cluster', 'workloads[1].name', '"a"', 'expected a name no other workload has'],
    ['test/cluster', 'capacity.method', '"fast"', 'expected PlanMethod.AUTO, PlanMethod.EXACT or PlanMethod.HEURISTIC'],
  ]);
});

test('a JavaScript caller\'s malformed options and workloads are ValidationErrors naming the prop, not TypeErrors or a silent fallback', () => {
  const pools = [NodePool.cpu('general', { count: 2, cpu: '4', memory: '8Gi', taints: [{ key: 'spot', effect: 'NoSchedule' }] })];
  const error = validationErrorOf(() =>
    planCapacity(
      pools,
      [null as unknown as CapacityWorkload, workload('a', 1, 1, 1, { tolerations: [null as unknown as Toleration] })],
      { path: 'test/cluster', timeLimitSeconds: -1, patternLimit: 1.5, improveNodes: '10' as unknown as number, compareWithScheduler: 'no' as unknown as boolean },
    ),
  );
  expect(error.problems.map(({ prop, given, allowed }) => [prop, given, allowed])).toEqual([
    ['workloads[0]', 'null', 'expected a capacity workload such as capacityWorkloadOf(...) returns'],
    ['workloads[1].tolerations[0]', 'null', 'expected a toleration such as { key: "nvidia.com/gpu", operator: "Exists", effect: "NoSchedule" }'],
    ['capacity.timeLimitSeconds', '-1', 'expected a number of seconds greater than 0, e.g. 10'],
    ['capacity.patternLimit', '1.5', 'expected an integer at least 0'],
    ['capacity.improveNodes', '"10"', 'expected an integer at least 0'],
    ['capacity.compareWithScheduler', '"no"', 'expected true or false'],
  ]);
  for (const timeLimitSeconds of [Number.NaN, Number.POSITIVE_INFINITY, 0]) {
    expect(() => planCapacity(pools, [workload('a', 1, 1)], { timeLimitSeconds })).toThrow(/capacity\.timeLimitSeconds/);
  }
});

describe('selectors, taints and anti-affinity are respected', () => {
  const pools = [
    NodePool.cpu('general', { count: 4, cpu: '8', memory: '32Gi' }),
    NodePool.cpu('ssd', { count: 3, cpu: '8', memory: '32Gi', labels: { disk: 'ssd' } }),
    NodePool.cpu('spot', { count: 4, cpu: '32', memory: '128Gi', taints: [{ key: 'spot', value: 'true', effect: 'NoSchedule' }] }),
    NodePool.gpu('a10', { count: 2, cpu: '16', memory: '64Gi', gpus: 2, gpuProduct: 'NVIDIA-A10G' }),
  ];
  const workloads = [
    workload('db', 2, 8, 4, { nodeSelector: { disk: 'ssd' } }),
    workload('batch', 4, 8, 6, { tolerations: [{ key: 'spot', operator: 'Equal', value: 'true', effect: 'NoSchedule' }] }),
    workload('llm', 4, 16, 3, { gpus: 1, nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A10G' }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] }),
    workload('web', 1, 1, 4, { maxPerNode: 1 }),
  ];

  test.each([PlanMethod.EXACT, PlanMethod.HEURISTIC])('%s: every replica lands where it may', (method) => {
    const plan = planCapacity(pools, workloads, { method });
    for (const s of [plan.min, plan.max, plan.surge]) {
      expect(s.feasible).toBe(true);
      expect(violations(pools, workloads, s)).toEqual([]);
    }
    // db only on ssd nodes, llm only on a10, web never twice on a node, nothing else on tainted nodes.
    const where = (name: string) => plan.min.placement.filter((n) => n.replicas[name]).map((n) => n.pool);
    expect(new Set(where('db'))).toEqual(new Set(['ssd']));
    expect(new Set(where('llm'))).toEqual(new Set(['a10']));
    expect(plan.min.placement.filter((n) => n.pool === 'spot').every((n) => Object.keys(n.replicas).every((k) => k === 'batch'))).toBe(true);
    expect(plan.min.placement.every((n) => (n.replicas['web'] ?? 0) <= 1)).toBe(true);
  });
});

test('the kube-scheduler imitation stops at a model\'s first replica that finds no node, rather than trying every node for each of the rest', () => {
  const pools = [NodePool.cpu('general', { count: 2, cpu: '64', memory: '256Gi', maxPods: 10 })];
  const fits = jest.spyOn(instance, 'fitOn');
  try {
    const s = planCapacityScenario('max', pools, [workload('huge', 0.1, 0.1, 1_000_000)], [1_000_000], { method: PlanMethod.HEURISTIC });
    expect(s).toMatchObject({ feasible: false, schedulerNodes: 2 });
    expect(s.shortfalls.map((f) => [f.replicas, f.resource])).toEqual([[999_980, 'pods']]);
    // 20 replicas placed and one that fails, each trying both nodes (the planner's own heuristics use fitOn too).
    expect(fits.mock.calls.length).toBeLessThan(10_000);
  } finally {
    fits.mockRestore();
  }
});
