/** The documented defaults of the capacity planner (capacity/). */
import { effectiveRequests, formatCapacityReport, NodePool, planCapacity, planCapacityScenario, PlanMethod, renderCapacitySvg, type CapacityWorkload, type PodSpec } from '../../../lib/core';
import * as highs from '../../../lib/core/capacity/highs-sync';
import { documented, type DefaultCases } from './cases';
import { validationErrorOf } from '../../support/problems';

/** The interior-point solve of the LP relaxation whose centre guides the heuristics' pool mix. */
const CENTRE = { solver: 'ipm', run_crossover: 'off' };

const GiB = 2 ** 30;
const workload = (name: string, cpu: number, memoryGiB: number, replicas: number, extra: Partial<CapacityWorkload> = {}): CapacityWorkload => ({
  name, cpuMillis: cpu * 1000, memoryBytes: memoryGiB * GiB, gpus: 0, minReplicas: replicas, maxReplicas: replicas, surge: 0, ...extra,
});
const general = (count = 10) => NodePool.cpu('general', { count, cpu: '4', memory: '8Gi' });
/** The worked example: five models that fit on 3 nodes, which the heuristic finds and the LP bound proves. */
const example = [workload('a', 2, 4, 1), workload('b', 1, 2, 1), workload('c', 3, 6, 1), workload('d', 2, 4, 1), workload('e', 1, 2, 1)];
const poolsOfMin = (pools: NodePool[], workloads: CapacityWorkload[]) => planCapacity(pools, workloads).min.placement.map((n) => n.pool);

export const CAPACITY_DEFAULTS: DefaultCases = {
  'capacity/node-pool.ts:NodePoolProps.labels': documented('- none', () => {
    expect(general().labels).toEqual({});
    // A model with a node selector does not land on an unlabelled pool.
    expect(planCapacity([general()], [workload('db', 1, 1, 1, { nodeSelector: { disk: 'ssd' } })]).conflicts.map((c) => c.prop)).toEqual(['nodeSelector']);
  }),
  'capacity/node-pool.ts:NodePoolProps.taints': documented('- none', () => {
    expect(general().taints).toEqual([]);
    expect(poolsOfMin([general()], [workload('web', 1, 1, 2)])).toEqual(['general']);
  }),
  'capacity/node-pool.ts:NodePoolProps.maxPods': documented('110', () => {
    expect(general().maxPods).toBe(110);
    const tiny = (maxPods?: number) => planCapacity([NodePool.cpu('big', { count: 2, cpu: '200', memory: '400Gi', ...(maxPods ? { maxPods } : {}) })], [workload('w', 0.1, 0.1, 111)]).min.nodesUsed;
    expect(tiny()).toBe(2); // 111 pods: one more than 110 per node
    expect(tiny(111)).toBe(1);
  }),
  'capacity/node-pool.ts:GpuNodePoolProps.gpuProduct': documented('- no product label', () => {
    expect(NodePool.gpu('a10', { count: 1, cpu: '8', memory: '32Gi', gpus: 1 }).labels).toEqual({});
    expect(NodePool.gpu('a10', { count: 1, cpu: '8', memory: '32Gi', gpus: 1, gpuProduct: 'NVIDIA-A10G' }).labels).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-A10G' });
  }),
  'capacity/node-pool.ts:GpuNodePoolProps.taints': documented("[{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]", () => {
    const gpu = NodePool.gpu('a10', { count: 2, cpu: '8', memory: '32Gi', gpus: 1 });
    expect(gpu.taints).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NoSchedule' }]);
    // CPU models stay off it; the accelerator's default toleration lets GPU models on.
    expect(planCapacity([gpu], [workload('web', 1, 1, 1)]).conflicts.map((c) => c.prop)).toEqual(['tolerations']);
    expect(poolsOfMin([gpu], [workload('llm', 1, 1, 1, { gpus: 1, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] })])).toEqual(['a10']);
    expect(NodePool.gpu('a10', { count: 2, cpu: '8', memory: '32Gi', gpus: 1, taints: [] }).taints).toEqual([]);
  }),
  'capacity/node-pool.ts:GpuNodePoolProps.migSlices': documented('- none', () => {
    const gpu = NodePool.gpu('a100', { count: 1, cpu: '32', memory: '128Gi', gpus: 4 });
    expect(gpu.migSlices).toEqual({});
    // A model that asks for a MIG slice finds no pool with it.
    const embed = workload('embed', 1, 1, 1, { migSlices: { '1g.10gb': 1 }, tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }] });
    expect(planCapacity([gpu], [embed]).conflicts.map((c) => c.prop)).toEqual(['migSlices']);
  }),
  'capacity/workload.ts:CapacityWorkload.migSlices': documented('- none', () => {
    // Without slices a model never needs a MIG pool: it fits on a CPU pool beside one.
    const mig = NodePool.gpu('a100', { count: 1, cpu: '32', memory: '128Gi', gpus: 0, migSlices: { '1g.10gb': 7 } });
    expect(poolsOfMin([general(), mig], [workload('web', 1, 1, 1)])).toEqual(['general']);
  }),
  'capacity/workload.ts:PodRequests.migSlices': documented('- none', () => {
    const c = (extra: Record<string, string>) => ({ name: 'c', image: 'i', resources: { requests: { cpu: '1', memory: '1Gi', ...extra } } });
    expect(effectiveRequests({ containers: [c({})] } as unknown as PodSpec)).not.toHaveProperty('migSlices');
    expect(effectiveRequests({ containers: [c({ 'nvidia.com/mig-1g.10gb': '2' })] } as unknown as PodSpec).migSlices).toEqual({ '1g.10gb': 2 });
  }),
  'capacity/workload.ts:CapacityWorkload.nodeSelector': documented('- none', () => {
    const ssd = NodePool.cpu('ssd', { count: 1, cpu: '4', memory: '8Gi', labels: { disk: 'ssd' } });
    expect(poolsOfMin([ssd], [workload('web', 1, 1, 1)])).toEqual(['ssd']);
  }),
  'capacity/workload.ts:CapacityWorkload.tolerations': documented('- none', () => {
    const spot = NodePool.cpu('spot', { count: 1, cpu: '4', memory: '8Gi', taints: [{ key: 'spot', effect: 'NoSchedule' }] });
    expect(planCapacity([spot], [workload('web', 1, 1, 1)]).conflicts).toEqual([expect.objectContaining({ workload: 'web', prop: 'tolerations' })]);
  }),
  'capacity/workload.ts:CapacityWorkload.maxPerNode': documented('- no limit', () => {
    expect(planCapacity([general()], [workload('web', 1, 1, 4)]).min.placement).toEqual([{ pool: 'general', index: 0, replicas: { web: 4 } }]);
    expect(planCapacity([general()], [workload('web', 1, 1, 4, { maxPerNode: 1 })]).min.nodesUsed).toBe(4);
  }),
  'capacity/plan.ts:CapacityPlanOptions.method': documented('PlanMethod.AUTO', () => {
    const auto = planCapacity([general()], example);
    expect(auto).toEqual(planCapacity([general()], example, { method: PlanMethod.AUTO }));
    // AUTO skips the MIP when the heuristic meets the LP bound; EXACT runs it anyway.
    expect(auto.min).toMatchObject({ method: PlanMethod.HEURISTIC, optimal: true, nodesUsed: 3 });
    expect(planCapacity([general()], example, { method: PlanMethod.EXACT }).min).toMatchObject({ method: PlanMethod.EXACT, optimal: true, nodesUsed: 3 });
  }),
  'capacity/plan.ts:CapacityPlanOptions.timeLimitSeconds': documented('10', () => {
    const spy = jest.spyOn(highs, 'solveLpSync');
    try {
      planCapacityScenario('min', [general()], example, [1, 1, 1, 1, 1], { method: PlanMethod.EXACT });
      expect(spy.mock.calls.map((call) => call[1])).toEqual([10, 10, 10]); // the LP bound, its centre and the MIP
      spy.mockClear();
      planCapacityScenario('min', [general()], example, [1, 1, 1, 1, 1], { method: PlanMethod.EXACT, timeLimitSeconds: 3 });
      expect(spy.mock.calls.map((call) => call[1])).toEqual([3, 3, 3]);
    } finally {
      spy.mockRestore();
    }
  }),
  'capacity/plan.ts:CapacityPlanOptions.patternLimit': documented('2000', () => {
    // 12 models of 1–12 × 100m on a 64-CPU node: far more than 2,000 ways to fill a node.
    const small = Array.from({ length: 12 }, (_, i) => workload(`m${i}`, (i + 1) / 10, 0.1, 20));
    const pool = NodePool.cpu('big', { count: 20, cpu: '64', memory: '256Gi' });
    const s = planCapacityScenario('min', [pool], small, small.map(() => 20), { method: PlanMethod.EXACT });
    expect(s.notes).toEqual(['more than 2000 node patterns: placed by the heuristic']);
    expect(planCapacityScenario('min', [pool], small.slice(0, 2), [20, 20], { method: PlanMethod.EXACT }).method).toBe(PlanMethod.EXACT);
  }),
  'capacity/plan.ts:CapacityPlanOptions.improveNodes': documented('1000', () => {
    // 20 models of 250m–4 CPU and 0.5–16 GiB on 8-CPU nodes: too many patterns for the exact MIP,
    // and the heuristics above the LP bound, so their nodes are recombined.
    const small = Array.from({ length: 20 }, (_, i) => workload(`m${i}`, 0.25 * (1 + ((i * 7) % 16)), 0.5 * (1 + ((i * 11) % 32)), 1 + ((i * 13) % 20)));
    const pool = NodePool.cpu('general', { count: 200, cpu: '8', memory: '32Gi' });
    const spy = jest.spyOn(highs, 'solveLpSync');
    try {
      for (const [options, nodes] of [[{}, 1000], [{ improveNodes: 50 }, 50]] as const) {
        spy.mockClear();
        const s = planCapacityScenario('min', [pool], small, small.map((w) => w.minReplicas), options);
        expect(s.notes).toEqual(['more than 2000 node patterns: placed by the heuristic']);
        expect(spy.mock.calls.map((call) => call[3])).toEqual([undefined, CENTRE, { mip_max_nodes: nodes, mip_heuristic_effort: 0 }]);
      }
      spy.mockClear();
      planCapacityScenario('min', [pool], small, small.map((w) => w.minReplicas), { improveNodes: 0 });
      expect(spy.mock.calls.map((call) => call[3])).toEqual([undefined, CENTRE]); // the LP bound and its centre only
    } finally {
      spy.mockRestore();
    }
  }),
  'capacity/plan.ts:CapacityPlanOptions.compareWithScheduler': documented('true', () => {
    expect(planCapacity([general()], example).min.schedulerNodes).toBe(5);
    expect(planCapacity([general()], example, { compareWithScheduler: false }).min).not.toHaveProperty('schedulerNodes');
  }),
  'capacity/plan.ts:CapacityPlanOptions.path': documented("'capacity plan'", () => {
    const construct = (options = {}) => validationErrorOf(() => planCapacity([NodePool.cpu('general', { count: -1, cpu: '4', memory: '8Gi' })], [], options)).problems.map((p) => p.construct);
    expect(construct()).toEqual(['capacity plan']);
    expect(construct({ path: 'chart/prod' })).toEqual(['chart/prod']);
  }),
  'capacity/report.ts:CapacityReportOptions.title': documented("'Capacity plan'", () => {
    const plan = planCapacity([general()], example);
    expect(formatCapacityReport(plan).split('\n')[0]).toBe('# Capacity plan');
    expect(formatCapacityReport(plan, { title: 'Prod' }).split('\n')[0]).toBe('# Prod');
  }),
  'capacity/report.ts:CapacityReportOptions.svgFile': documented('- no link', () => {
    const plan = planCapacity([general()], example);
    expect(formatCapacityReport(plan)).not.toContain('![');
    expect(formatCapacityReport(plan, { svgFile: 'capacity.svg' })).toContain('![Packing of the replicas onto nodes](capacity.svg)');
  }),
  'capacity/report.ts:CapacityReportOptions.maxPlacementRows': documented('50', () => {
    const plan = planCapacity([general(60)], [workload('w', 4, 1, 60)]);
    const report = formatCapacityReport(plan);
    expect(report.match(/^\| general-\d+ \|/gm)).toHaveLength(3 * 50);
    expect(report).toContain('| … | 10 more nodes |');
  }),
  'capacity/svg.ts:CapacitySvgOptions.maxNodes': documented('200', () => {
    const plan = planCapacity([general(210)], [workload('w', 4, 1, 210)], { compareWithScheduler: false });
    expect(renderCapacitySvg(plan)).toContain('(first 200 drawn)');
    expect(renderCapacitySvg(plan, { maxNodes: 210 })).not.toContain('drawn)');
  }),
};
