/** HiGHS called synchronously from a worker thread, and the planner without it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NodePool, planCapacityScenario, PlanMethod } from '../../../lib/core';
import * as highs from '../../../lib/core/capacity/highs-sync';
import { violations, workload } from './support';

const MIP = ['Minimize', ' obj: x + y', 'Subject To', ' c: 2 x + 3 y >= 7', 'General', ' x y', 'End', ''].join('\n');

test('solves an LP and a MIP synchronously, with and without a starting solution', () => {
  expect(highs.solveLpSync(MIP.replace(/General\n x y\n/, ''), 5)).toMatchObject({ status: 'Optimal', objective: 7 / 3 });
  expect(highs.solveLpSync(MIP, 5)).toMatchObject({ status: 'Optimal', objective: 3 });
  const started = highs.solveLpSync(MIP, 5, { x: 4, y: 0 }, { mip_max_nodes: 100 });
  expect(started).toMatchObject({ status: 'Optimal', objective: 3 });
  expect(started.columns['x']! * 2 + started.columns['y']! * 3).toBeGreaterThanOrEqual(7);
  expect(highs.solveLpSync(['Minimize', ' obj: x', 'Subject To', ' c: x >= 2', ' d: x <= 1', 'End', ''].join('\n'), 5).status).toBe('Infeasible');
});

test('a model HiGHS cannot read is an error, not an answer', () => {
  expect(() => highs.solveLpSync('Minimize\n obj: x +\nNonsense', 5)).toThrow(/^HiGHS failed: /);
});

test('without HiGHS the plan falls back to the heuristic and says so', () => {
  const spy = jest.spyOn(highs, 'solveLpSync').mockImplementation(() => {
    throw new Error('HiGHS failed: unavailable');
  });
  try {
    const pools = [NodePool.cpu('general', { count: 5, cpu: '4', memory: '8Gi' })];
    const workloads = [workload('a', 2, 4, 3), workload('b', 1, 1, 2)];
    const s = planCapacityScenario('min', pools, workloads, [3, 2]);
    expect(s).toMatchObject({ feasible: true, method: PlanMethod.HEURISTIC, optimal: false, nodesUsed: 2, notes: ['HiGHS failed: unavailable: placed by the heuristic, no LP bound'] });
    expect(s).not.toHaveProperty('lpBound');
    expect(violations(pools, workloads, s)).toEqual([]);
  } finally {
    spy.mockRestore();
  }
});

/** `solveLpSync` from a fresh copy of the module whose worker loads HiGHS from `highsPath`. */
function solverLoading(highsPath: string): typeof highs.solveLpSync {
  let solve: typeof highs.solveLpSync | undefined;
  jest.isolateModules(() => {
    jest.doMock('worker_threads', () => {
      const actual = jest.requireActual<typeof import('worker_threads')>('worker_threads');
      class Redirected extends actual.Worker {
        constructor(source: string, options: import('worker_threads').WorkerOptions) {
          super(source, { ...options, workerData: { highsPath } });
        }
      }
      return { ...actual, Worker: Redirected };
    });
    solve = (jest.requireActual('../../../lib/core/capacity/highs-sync') as typeof highs).solveLpSync;
  });
  return solve!;
}

test('a HiGHS that cannot load is an error at once, not a wait for the time limit plus the startup allowance', () => {
  const solve = solverLoading(path.join(os.tmpdir(), 'modelship-no-such-highs.js'));
  expect(() => solve(MIP, 1)).toThrow(/^HiGHS failed: Cannot find module/);
});

test('a worker that exits mid-solve wakes the caller with an error; the next call starts a new worker', () => {
  const exiting = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'modelship-highs-')), 'exits.js');
  fs.writeFileSync(exiting, 'module.exports = () => process.exit(3);\n');
  const solve = solverLoading(exiting);
  expect(() => solve(MIP, 1)).toThrow('HiGHS stopped without an answer (its worker thread exited)');
  expect(() => solve(MIP, 1)).toThrow('HiGHS stopped without an answer (its worker thread exited)');
});

test('the heuristics aim at the centre of the LP optimum (interior point); when that solve fails, at its vertex, with the same bound', () => {
  // Two node shapes the LP finds equally good in many mixes: a vertex puts one pool at its bound.
  const pools = [NodePool.cpu('general', { count: 40, cpu: '16', memory: '64Gi' }), NodePool.cpu('highmem', { count: 10, cpu: '16', memory: '128Gi' })];
  const models = [workload('a', 2, 6, 60), workload('b', 1, 12, 40), workload('c', 4, 8, 20)];
  const replicas = models.map((m) => m.minReplicas);
  const real = highs.solveLpSync;
  const options: (Readonly<Record<string, number | string>> | undefined)[] = [];
  const spy = jest.spyOn(highs, 'solveLpSync').mockImplementation((lp, limit, start, extra) => {
    options.push(extra);
    if (extra?.['solver'] === 'ipm') throw new Error('HiGHS failed: no interior point');
    return real(lp, limit, start, extra);
  });
  try {
    const fallback = planCapacityScenario('min', pools, models, replicas, { method: PlanMethod.HEURISTIC });
    expect(options).toEqual([undefined, { solver: 'ipm', run_crossover: 'off' }]);
    expect(fallback.notes).toEqual([]);
    spy.mockRestore();
    const centred = planCapacityScenario('min', pools, models, replicas, { method: PlanMethod.HEURISTIC });
    expect(centred.lpBound).toBe(fallback.lpBound);
    for (const s of [fallback, centred]) {
      expect(s.shortfalls).toEqual([]);
      expect(violations(pools, models, s)).toEqual([]);
    }
  } finally {
    spy.mockRestore();
  }
});
