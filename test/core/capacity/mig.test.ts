/**
 * MIG slices in the capacity plan and the quota: a model that requests `nvidia.com/mig-<profile>`
 * fits only where nodes have that profile, counted like any other resource.
 */
import { Accelerator, capacityWorkloadOf, ClusterQuota, NodePool, planCapacity, Problems, type CapacityWorkload } from '../../../lib/core';
import { formatCapacityReport } from '../../../lib/core/capacity/report';
import { MINIMAL_PROPS, render } from '../../support/fixtures';
import { renderCluster, specOf, torchServe } from '../cluster/support';
import { violations, workload } from './support';
import { validationErrorOf } from '../../support/problems';

const GPU_TOLERATION = [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const }];
const sliced = (name: string, replicas: number, slices: Record<string, number>): CapacityWorkload => workload(name, 1, 4, replicas, { migSlices: slices, tolerations: GPU_TOLERATION });

describe('a pool of A100s cut into seven 1g.10gb slices each, beside CPU nodes', () => {
  const pools = [
    NodePool.cpu('general', { count: 4, cpu: '8', memory: '32Gi' }),
    NodePool.gpu('a100', { count: 3, cpu: '32', memory: '128Gi', gpus: 0, migSlices: { '1g.10gb': 7 } }),
  ];
  const workloads = [sliced('embed', 10, { '1g.10gb': 1 }), workload('api', 2, 4, 3)];
  const plan = planCapacity(pools, workloads);

  test('ten one-slice replicas need two MIG nodes (slices, not CPU or memory, bind); CPU models stay on CPU nodes', () => {
    expect(violations(pools, workloads, plan.min)).toEqual([]);
    expect(plan.min.feasible).toBe(true);
    const a100 = plan.min.placement.filter((n) => n.pool === 'a100');
    expect(a100).toHaveLength(2);
    expect(a100.every((n) => Object.keys(n.replicas).join() === 'embed')).toBe(true);
    expect(plan.min.lpBound).toBe(plan.min.nodesUsed);
  });

  test('the slices are a utilization column and part of the pools and models tables', () => {
    const mig = plan.min.utilization.find((u) => u.resource === 'nvidia.com/mig-1g.10gb')!;
    expect([mig.requested, mig.allocatableUsed, mig.allocatableTotal]).toEqual([10, 14, 21]);
    const report = formatCapacityReport(plan);
    expect(report).toContain('| Pool | CPU | Memory | GPUs | Pods | MIG 1g.10gb |');
    expect(report).toContain('| a100 | 3 | 32 CPU | 128 GiB | 0 + 7 × 1g.10gb |');
    expect(report).toContain('| embed | 1 CPU | 4 GiB | 0 + 1 × 1g.10gb |');
  });

  test('more slices than the pool has: the shortfall names the MIG resource', () => {
    const short = planCapacity(pools, [sliced('embed', 25, { '1g.10gb': 1 })]);
    expect(short.min.feasible).toBe(false);
    expect(short.min.shortfalls).toEqual([
      expect.objectContaining({ workload: 'embed', replicas: 4, resource: 'nvidia.com/mig-1g.10gb', short: 4, message: expect.stringContaining('4 × nvidia.com/mig-1g.10gb short') }),
    ]);
  });

  test('a profile no pool has is a conflict naming the profile and what the pools have', () => {
    const p = planCapacity(pools, [sliced('llm', 1, { '3g.20gb': 1 })]);
    expect(p.conflicts).toEqual([{ workload: 'llm', prop: 'migSlices', given: { '3g.20gb': 1 }, message: 'expected a node pool with MIG slices of profile 3g.20gb: a100 has 1g.10gb' }]);
  });

  test('whole-GPU models do not fit on nodes whose GPUs are all sliced', () => {
    const p = planCapacity(pools, [workload('llm', 4, 16, 1, { gpus: 1, tolerations: GPU_TOLERATION })]);
    expect(p.conflicts.map((c) => c.prop)).toEqual(['gpus']);
  });
});

test('a MIG model rendered with Accelerator.nvidiaGpu({ migProfile }) requests its slices', () => {
  const rendered = render({ ...MINIMAL_PROPS.vllm(), accelerator: Accelerator.nvidiaGpu({ count: 1, migProfile: '3g.40gb' }) });
  expect(capacityWorkloadOf(rendered)).toMatchObject({ gpus: 0, migSlices: { '3g.40gb': 1 } });
});

test('node pool migSlices are validated: known profiles, whole counts; gpus may be 0 only with slices', () => {
  const problems = (pool: NodePool) => {
    const p = new Problems('test');
    pool.validate(p);
    return p.all.map(({ prop, allowed }) => [prop, allowed]);
  };
  expect(problems(NodePool.gpu('a', { count: 1, cpu: '8', memory: '32Gi', gpus: 0, migSlices: { '1g.10gb': 7 } }))).toEqual([]);
  expect(problems(NodePool.gpu('a', { count: 1, cpu: '8', memory: '32Gi', gpus: 0 }))).toEqual([['gpus', 'expected a whole number of GPUs per node, 1 or more (0 when migSlices partition every GPU)']]);
  expect(problems(NodePool.gpu('a', { count: 1, cpu: '8', memory: '32Gi', gpus: 1, migSlices: { '1g.3gb': 1.5 } }))).toEqual([
    ['migSlices.1g.3gb', expect.stringContaining("expected one of NVIDIA's MIG profiles: ")],
    ['migSlices.1g.3gb', 'expected an integer at least 1'],
  ]);
});

test('the quota from the models limits each MIG profile at maxReplicas plus a rollout\'s extra pods', () => {
  const c = renderCluster({}, { embed: torchServe({ accelerator: Accelerator.nvidiaGpu({ count: 1, migProfile: '1g.10gb' }) }) });
  // 2 replicas + 1 starting + 1 terminating, one slice each.
  expect(specOf<{ hard: Record<string, string> }>(c.resourceQuota).hard['requests.nvidia.com/mig-1g.10gb']).toBe('4');
  expect(specOf<{ hard: Record<string, string> }>(c.resourceQuota).hard).not.toHaveProperty(['requests.nvidia.com/gpu']);
});

test('a hand-written workload with an unknown MIG profile or a fractional count is refused', () => {
  const pools = [NodePool.gpu('a100', { count: 1, cpu: '32', memory: '128Gi', gpus: 0, migSlices: { '1g.10gb': 7 } })];
  expect(() => planCapacity(pools, [sliced('embed', 1, { '1g.3gb': 1 })])).toThrow(/migSlices\.1g\.3gb: got "1g\.3gb"; expected one of NVIDIA's MIG profiles/);
  expect(() => planCapacity(pools, [sliced('embed', 1, { '1g.10gb': 0.5 })])).toThrow(/migSlices\.1g\.10gb: got 0\.5; expected an integer at least 0/);
});

test('declared MIG limits are listed and checked against the models\' need like CPU or pods; an unknown profile or a fraction is refused', () => {
  const embed = { embed: torchServe({ accelerator: Accelerator.nvidiaGpu({ migProfile: '1g.10gb' }) }) };
  const ok = renderCluster({ quota: ClusterQuota.of({ migSlices: { '1g.10gb': 4, '3g.20gb': 2 } }) }, embed);
  expect(specOf<{ hard: Record<string, string> }>(ok.resourceQuota).hard).toEqual({ 'requests.nvidia.com/mig-1g.10gb': '4', 'requests.nvidia.com/mig-3g.20gb': '2' });
  const problems = (limits: Record<string, number>) =>
    validationErrorOf(() => renderCluster({ quota: ClusterQuota.of({ migSlices: limits }) }, embed)).problems.map(({ prop, allowed }) => [prop, allowed]);
  expect(problems({ '1g.10gb': 3 })).toEqual([
    ['quota.migSlices.1g.10gb', "expected at least 4: the nvidia.com/mig-1g.10gb the models request at maxReplicas plus a rollout's extra pods, new ones starting and old ones terminating (embed 4 × 1)"],
  ]);
  expect(problems({ '1g.3gb': 1, '1g.10gb': 4.5 })).toEqual([
    ['quota.migSlices.1g.3gb', expect.stringContaining("expected one of NVIDIA's MIG profiles: ")],
    ['quota.migSlices.1g.10gb', 'expected a whole number, 0 or more'],
  ]);
});
