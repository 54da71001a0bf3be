import { checkInteger, isPlainObject } from '../checks';
import { Problems } from '../errors';
import { enumeratePatterns, packingFromPatterns, Pattern, patternModel, patternsFromPackings, relaxationModel } from './exact';
import { consolidate, packHeuristic } from './heuristic';
import { type HighsAnswer, solveLpSync } from './highs-sync';
import { admits, Packing, packingInstance, PackingInstance, Resource, selects, untoleratedTaints } from './instance';
import { scheduleLikeKube } from './kube-scheduler';
import { NodePool } from './node-pool';
import { CapacityShortfall, shortfallsOf } from './shortfall';
import { CapacityWorkload, validateWorkload } from './workload';

/** How a scenario's placement is computed ({@link CapacityPlanOptions.method}), and which way it was placed ({@link CapacityScenario.method}). */
export enum PlanMethod {
  /**
   * The heuristics, then, unless they meet the LP lower bound, the exact pattern MIP (at most
   * `patternLimit` patterns) or else a MIP recombining the heuristics' nodes (`improveNodes`).
   * An option only: a scenario is placed `EXACT` or `HEURISTIC`.
   */
  AUTO = 'auto',
  /**
   * As an option, the MIPs of `AUTO` even when the heuristics meet the LP bound. As a result,
   * the placement is HiGHS's MIP solution.
   */
  EXACT = 'exact',
  /**
   * As an option, never a MIP (the LP bound and its pool mix still come from HiGHS). As a
   * result, the placement is the heuristics' (first/best-fit decreasing, node-by-node packing,
   * then emptying nodes).
   */
  HEURISTIC = 'heuristic',
}

/** How the plan is computed. */
export interface CapacityPlanOptions {
  /**
   * Whether the heuristics' placement is improved by a mixed-integer program (HiGHS):
   * when it is above the LP lower bound ({@link PlanMethod.AUTO}), always
   * ({@link PlanMethod.EXACT}) or never ({@link PlanMethod.HEURISTIC}).
   * @default PlanMethod.AUTO
   */
  readonly method?: PlanMethod;
  /**
   * Seconds HiGHS may spend on each solve (each scenario has up to three: the LP bound, the
   * centre of its optimal face that guides the heuristics, and the MIP). On the limit the better of HiGHS's best placement and the heuristic's is kept, not
   * proven optimal.
   * @default 10
   */
  readonly timeLimitSeconds?: number;
  /**
   * Node patterns (distinct node contents) past which the MIP is not attempted. Measured: 2,000
   * patterns solve in well under a second (bench/capacity.ts).
   * @default 2000
   */
  readonly patternLimit?: number;
  /**
   * Branch-and-bound nodes HiGHS may explore, when an instance has too many patterns for the
   * exact MIP, recombining the node contents the heuristics found (a MIP over those patterns
   * only, started from the best heuristic placement, so it never does worse). A work limit
   * rather than a time limit, so the plan is the same on a fast or a busy machine; 0 skips it.
   * @default 1000
   */
  readonly improveNodes?: number;
  /**
   * Also simulate the default kube-scheduler (least-allocated spreading) on the same replicas,
   * for comparison in the report.
   * @default true
   */
  readonly compareWithScheduler?: boolean;
  /**
   * Construct path or resource name quoted in the ValidationError thrown for malformed pools,
   * workloads or options.
   * @default 'capacity plan'
   */
  readonly path?: string;
}

/** The three scenarios a plan checks. */
export type CapacityScenarioName = 'min' | 'max' | 'surge';

/** One node the plan uses and the replicas on it. */
export interface PlacedNode {
  readonly pool: string;
  /** The node's index within its pool (0-based): the plan calls it `<pool>-<index>`. */
  readonly index: number;
  /** Replicas per model on this node. */
  readonly replicas: Readonly<Record<string, number>>;
}

/** Requested against allocatable, for one resource of one pool (or of all pools). */
export interface ResourceUtilization {
  readonly resource: Resource;
  /** What the placed replicas request, in base units (millicores, bytes, GPUs, pods, MIG slices). */
  readonly requested: number;
  /** Allocatable on the nodes used. */
  readonly allocatableUsed: number;
  /** Allocatable on every node of the pool. */
  readonly allocatableTotal: number;
  /** `requested / allocatableUsed` (0 when no node is used). */
  readonly ofUsed: number;
  /** `requested / allocatableTotal` (0 for an empty pool). */
  readonly ofTotal: number;
}

/** How a scenario uses one pool. */
export interface PoolUsage {
  readonly pool: string;
  readonly nodesUsed: number;
  readonly nodes: number;
  readonly utilization: readonly ResourceUtilization[];
}

/** The placement and verdict of one scenario. */
export interface CapacityScenario {
  readonly name: CapacityScenarioName;
  /** What the scenario places, in words. */
  readonly description: string;
  /** Replicas placed per model in this scenario (surge pods included in `surge`). */
  readonly replicas: Readonly<Record<string, number>>;
  /** Whether every replica has a node. */
  readonly feasible: boolean;
  /** Why replicas found no node, one entry per model short. */
  readonly shortfalls: readonly CapacityShortfall[];
  /** {@link PlanMethod.EXACT}: the placement is HiGHS's MIP solution; {@link PlanMethod.HEURISTIC}: the heuristics'. */
  readonly method: PlanMethod.EXACT | PlanMethod.HEURISTIC;
  /** Whether `nodesUsed` is proven minimal (the MIP's optimum, or equal to the LP bound). */
  readonly optimal: boolean;
  /** Nodes used, all pools together: the objective minimised. */
  readonly nodesUsed: number;
  /** The LP relaxation's optimum rounded up: no placement uses fewer nodes (`undefined` if HiGHS could not run or the LP is infeasible). */
  readonly lpBound?: number;
  /** Nodes the default kube-scheduler's least-allocated spreading would put pods on, when compared. */
  readonly schedulerNodes?: number;
  readonly pools: readonly PoolUsage[];
  /** Utilization over all pools. */
  readonly utilization: readonly ResourceUtilization[];
  readonly placement: readonly PlacedNode[];
  /** Anything that limited the plan (HiGHS unavailable or stopped at its time limit). */
  readonly notes: readonly string[];
}

/** A model that no pool admits, whatever the replicas. */
export interface CapacityConflict {
  readonly workload: string;
  /** The workload field at fault (`nodeSelector`, `gpus`, `migSlices` or `tolerations`). */
  readonly prop: 'nodeSelector' | 'gpus' | 'migSlices' | 'tolerations';
  readonly given: unknown;
  readonly message: string;
}

/** The capacity plan: three scenarios over the same pools and models. */
export interface CapacityPlan {
  readonly pools: readonly NodePool[];
  readonly workloads: readonly CapacityWorkload[];
  /** Models that no pool admits. */
  readonly conflicts: readonly CapacityConflict[];
  /** Every model at `minReplicas`. Infeasible here is an error. */
  readonly min: CapacityScenario;
  /** Every model at `maxReplicas`. Infeasible here is a warning: the autoscaler cannot reach its maximum. */
  readonly max: CapacityScenario;
  /**
   * Every model at `maxReplicas` plus its rollout's extra pods (`surge`: new pods starting and
   * old ones still terminating): a rollout of every model at once at full scale (as a GitOps
   * sync of a shared change, e.g. a base image, does), the most pods the Deployments can hold
   * together.
   */
  readonly surge: CapacityScenario;
}

const DESCRIPTIONS: Record<CapacityScenarioName, string> = {
  min: 'every model at minReplicas',
  max: 'every model at maxReplicas',
  surge: 'every model at maxReplicas plus its rolling update\'s extra pods, new ones starting and old ones terminating (all models rolling out at once)',
};

/**
 * Plans where every model's replicas go on the declared node pools, at minReplicas, at
 * maxReplicas and with the rollout surge, minimising the number of nodes used. Synchronous
 * (HiGHS runs in a worker thread the call waits for), pure (nothing is written) and
 * deterministic unless HiGHS hits its time limit.
 *
 * Throws a {@link ValidationError} for malformed pools, workloads or options; a plan that does
 * not fit is a result ({@link capacityProblems} turns it into problems).
 */
export function planCapacity(pools: readonly NodePool[], workloads: readonly CapacityWorkload[], options: CapacityPlanOptions = {}): CapacityPlan {
  const problems = new Problems(options.path ?? 'capacity plan');
  validateInput(problems, pools, workloads);
  validateOptions(problems, options);
  problems.throwIfAny();
  const scenario = (name: CapacityScenarioName, replicas: (w: CapacityWorkload) => number) => planCapacityScenario(name, pools, workloads, workloads.map(replicas), options);
  return {
    pools,
    workloads,
    conflicts: conflictsOf(pools, workloads),
    min: scenario('min', (w) => w.minReplicas),
    max: scenario('max', (w) => w.maxReplicas),
    surge: scenario('surge', (w) => w.maxReplicas + w.surge),
  };
}

function validateInput(problems: Problems, pools: readonly NodePool[], workloads: readonly CapacityWorkload[]): void {
  if (!Array.isArray(pools)) problems.add('nodePools', pools, 'expected an array of NodePool.cpu(...) or NodePool.gpu(...)');
  if (!Array.isArray(workloads)) problems.add('workloads', workloads, 'expected an array of capacity workloads');
  if (!problems.empty) return;
  const seen = new Set<string>();
  pools.forEach((pool, i) => {
    if (!(pool instanceof NodePool)) return problems.add(`nodePools[${i}]`, pool, 'expected NodePool.cpu(...) or NodePool.gpu(...)');
    pool.validate(problems.at(`nodePools[${i}]`));
    if (seen.has(pool.name)) problems.add(`nodePools[${i}].name`, pool.name, 'expected a name no other pool has');
    seen.add(pool.name);
  });
  const names = new Set<string>();
  workloads.forEach((w, i) => {
    if (!isPlainObject(w)) return problems.add(`workloads[${i}]`, w, 'expected a capacity workload such as capacityWorkloadOf(...) returns');
    validateWorkload(problems.at(`workloads[${i}]`), w);
    if (names.has(w.name)) problems.add(`workloads[${i}].name`, w.name, 'expected a name no other workload has');
    names.add(w.name);
  });
}

/** The options, as the cluster's `capacity` prop: a JavaScript caller may pass any value. */
function validateOptions(problems: Problems, options: CapacityPlanOptions): void {
  if (options.method !== undefined && !Object.values(PlanMethod).includes(options.method)) {
    problems.add('capacity.method', options.method, 'expected PlanMethod.AUTO, PlanMethod.EXACT or PlanMethod.HEURISTIC');
  }
  const seconds = options.timeLimitSeconds;
  // HiGHS rejects a negative limit and the wait for it never ends on NaN or Infinity.
  if (seconds !== undefined && !(typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0)) {
    problems.add('capacity.timeLimitSeconds', seconds, 'expected a number of seconds greater than 0, e.g. 10');
  }
  checkInteger(problems, 'capacity.patternLimit', options.patternLimit, 0);
  checkInteger(problems, 'capacity.improveNodes', options.improveNodes, 0);
  if (options.compareWithScheduler !== undefined && typeof options.compareWithScheduler !== 'boolean') {
    problems.add('capacity.compareWithScheduler', options.compareWithScheduler, 'expected true or false');
  }
}

const labelsText = (labels: Readonly<Record<string, string>>) => JSON.stringify(labels);
const taintText = (t: { key: string; value?: string; effect: string }) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`;

function conflictsOf(pools: readonly NodePool[], workloads: readonly CapacityWorkload[]): CapacityConflict[] {
  const out: CapacityConflict[] = [];
  for (const w of workloads) {
    const selected = pools.filter((p) => selects(w, p));
    if (selected.length === 0) {
      const have = pools.map((p) => `${p.name} has ${labelsText(p.labels)}`).join(', ') || 'no pools are declared';
      out.push({ workload: w.name, prop: 'nodeSelector', given: w.nodeSelector, message: `expected a node selector that a declared node pool matches; none does: ${have}` });
      continue;
    }
    if (w.gpus > 0 && !pools.some((p) => p.gpus > 0)) {
      out.push({ workload: w.name, prop: 'gpus', given: w.gpus, message: `expected a GPU node pool for a model that requests GPUs; the pools (${pools.map((p) => p.name).join(', ')}) have none` });
      continue;
    }
    const missing = Object.entries(w.migSlices ?? {}).filter(([m, n]) => n > 0 && !pools.some((p) => (p.migSlices[m] ?? 0) > 0));
    if (missing.length > 0) {
      const have = pools.filter((p) => Object.keys(p.migSlices).length > 0).map((p) => `${p.name} has ${Object.keys(p.migSlices).join(', ')}`).join('; ') || 'no pool declares migSlices';
      out.push({ workload: w.name, prop: 'migSlices', given: w.migSlices, message: `expected a node pool with MIG slices of profile ${missing.map(([m]) => m).join(', ')}: ${have}` });
      continue;
    }
    if (!selected.some((p) => admits(p, w))) {
      const taints = selected.map((p) => `${p.name} has ${untoleratedTaints(w, p).map(taintText).join(', ')}`).join('; ');
      out.push({ workload: w.name, prop: 'tolerations', given: w.tolerations ?? [], message: `expected tolerations of the taints of a pool its node selector matches: ${taints}` });
    }
  }
  return out;
}

/**
 * Adds a problem for each model no pool admits and for each shortfall at minReplicas (the
 * models must at least start). Shortfalls at maxReplicas and with surge are warnings, shown in
 * the report. Props are `<model>.<field>`: call with `problems.at('models')` or the like.
 */
export function capacityProblems(plan: CapacityPlan, problems: Problems): void {
  const conflicted = new Set(plan.conflicts.map((c) => c.workload));
  for (const c of plan.conflicts) problems.add(`${c.workload}.${c.prop}`, c.given, c.message);
  for (const s of plan.min.shortfalls) {
    if (conflicted.has(s.workload)) continue;
    const w = plan.workloads.find((x) => x.name === s.workload)!;
    problems.add(`${s.workload}.minReplicas`, w.minReplicas, `expected replicas that fit the declared node pools: ${s.message}`);
  }
}

/**
 * Plans one scenario: `replicas[i]` replicas of `workloads[i]` on the pools. {@link planCapacity}
 * calls it three times; it does not validate its input.
 */
export function planCapacityScenario(
  name: CapacityScenarioName,
  pools: readonly NodePool[],
  workloads: readonly CapacityWorkload[],
  replicas: readonly number[],
  options: CapacityPlanOptions = {},
): CapacityScenario {
  const instance = packingInstance(pools, workloads, replicas);
  const timeLimit = options.timeLimitSeconds ?? 10;
  const method = options.method ?? PlanMethod.AUTO;
  const notes: string[] = [];
  const total = (p: Packing) => p.unplaced.reduce((a, b) => a + b, 0);

  let packing: Packing | undefined;
  let used: PlanMethod.EXACT | PlanMethod.HEURISTIC = PlanMethod.HEURISTIC;
  let optimal = false;
  let lpBound: number | undefined;
  const anything = replicas.some((r) => r > 0);
  const seen: Packing[] = [];
  try {
    if (anything) {
      const relaxation = relaxationModel(instance);
      const lp = solveLpSync(relaxation, timeLimit);
      if (lp.status === 'Optimal') lpBound = Math.ceil((lp.objective ?? 0) - 1e-6);
      packing = packHeuristic(instance, lp.status === 'Optimal' ? poolMix(instance, relaxation, lp, timeLimit) : undefined, seen);
      // Infeasible LP: the heuristic's leftovers explain it; nothing to improve.
      if (lp.status === 'Infeasible') return finish();
    } else {
      lpBound = 0;
    }
    packing ??= packHeuristic(instance, undefined, seen);
    optimal = total(packing) === 0 && packing.nodes.length === lpBound;
    if (!anything || method === PlanMethod.HEURISTIC || (method === PlanMethod.AUTO && optimal)) return finish();
    const limit = options.patternLimit ?? 2000;
    const patterns = enumeratePatterns(instance, limit);
    const improve = (columns: Pattern[], start: Record<string, number>, extra: Record<string, number> = {}) => {
      const answer = solveLpSync(patternModel(instance, columns), timeLimit, total(packing!) === 0 ? start : undefined, extra);
      const solved = Object.keys(answer.columns).length > 0 && ['Optimal', 'Time limit reached', 'Iteration limit reached', 'Solution limit reached'].includes(answer.status);
      return { answer, packing: solved ? consolidate(instance, packingFromPatterns(instance, columns, answer)) : undefined };
    };
    if (patterns) {
      // The exact MIP over every maximal pattern, started from the heuristic's placement.
      const { patterns: columns, start } = patternsFromPackings(instance, [packing], patterns);
      const { answer, packing: exact } = improve(columns, start);
      if (answer.status === 'Time limit reached') notes.push(`HiGHS stopped at its ${timeLimit} s time limit: the placement may not be minimal`);
      else if (answer.status !== 'Optimal' && answer.status !== 'Infeasible') notes.push(`HiGHS answered "${answer.status}": placed by the heuristic`);
      if (exact && (answer.status === 'Optimal' || total(packing) > 0 || exact.nodes.length < packing.nodes.length)) {
        packing = exact;
        used = PlanMethod.EXACT;
        optimal = answer.status === 'Optimal';
      }
    } else {
      notes.push(`more than ${limit} node patterns: placed by the heuristic`);
    }
    const improveNodes = options.improveNodes ?? 1000;
    if (!patterns && total(packing) === 0 && !optimal && improveNodes > 0) {
      // Too many patterns for the exact MIP: recombine the node contents the heuristics found.
      const { patterns: columns, start } = patternsFromPackings(instance, [packing, ...seen]);
      // No primal heuristics: the start is already a good incumbent, and on the bench's
      // 10,000-replica instance they took most of the time and found less than branching alone
      // (876 nodes in 2–3.7 s with them, 875 proven in 1.1–1.3 s without).
      const { packing: recombined } = improve(columns, start, { mip_max_nodes: improveNodes, mip_heuristic_effort: 0 });
      if (recombined && total(recombined) === 0 && recombined.nodes.length < packing.nodes.length) packing = recombined;
      optimal = packing.nodes.length === lpBound;
    }
  } catch (e) {
    notes.push(`${(e as Error).message}: placed by the heuristic, no LP bound`);
  }
  return finish();

  function finish(): CapacityScenario {
    const placed = packing ?? packHeuristic(instance);
    const names = workloads.map((w) => w.name);
    const scheduler = options.compareWithScheduler ?? true ? scheduleLikeKube(instance) : undefined;
    return {
      name,
      description: DESCRIPTIONS[name],
      replicas: Object.fromEntries(names.map((n, i) => [n, replicas[i]!])),
      feasible: total(placed) === 0,
      shortfalls: shortfallsOf(instance, placed, names),
      method: used,
      optimal,
      nodesUsed: placed.nodes.length,
      ...(lpBound !== undefined ? { lpBound } : {}),
      ...(scheduler ? { schedulerNodes: scheduler.nodes.length } : {}),
      pools: pools.map((pool, p) => usageOf(instance, placed, pool, p)),
      utilization: utilizationOf(instance, placed, pools.map((_, p) => p)),
      placement: placementOf(placed, pools, names),
      notes,
    };
  }
}

function utilizationOf(instance: PackingInstance, packing: Packing, poolIndexes: readonly number[]): ResourceUtilization[] {
  return instance.resources.map((resource, r) => {
    const nodes = packing.nodes.filter((n) => poolIndexes.includes(n.pool));
    const requested = nodes.reduce((s, n) => s + n.used[r]!, 0);
    const allocatableUsed = nodes.reduce((s, n) => s + instance.bins[n.pool]!.capacity[r]!, 0);
    const allocatableTotal = poolIndexes.reduce((s, p) => s + instance.bins[p]!.capacity[r]! * instance.bins[p]!.count, 0);
    return { resource, requested, allocatableUsed, allocatableTotal, ofUsed: allocatableUsed > 0 ? requested / allocatableUsed : 0, ofTotal: allocatableTotal > 0 ? requested / allocatableTotal : 0 };
  });
}

function usageOf(instance: PackingInstance, packing: Packing, pool: NodePool, p: number): PoolUsage {
  return { pool: pool.name, nodesUsed: packing.nodes.filter((n) => n.pool === p).length, nodes: pool.count, utilization: utilizationOf(instance, packing, [p]) };
}

function placementOf(packing: Packing, pools: readonly NodePool[], names: readonly string[]): PlacedNode[] {
  const next = pools.map(() => 0);
  const placed = packing.nodes.map((n) => ({
    pool: pools[n.pool]!.name,
    poolIndex: n.pool,
    index: next[n.pool]!++,
    replicas: Object.fromEntries([...n.counts.entries()].sort((a, b) => a[0] - b[0]).map(([i, c]) => [names[i]!, c])),
  }));
  placed.sort((a, b) => a.poolIndex - b.poolIndex || a.index - b.index);
  return placed.map(({ pool, index, replicas }) => ({ pool, index, replicas }));
}

/**
 * Nodes per pool for the heuristics to aim at: the centre of the LP relaxation's optimal face
 * (interior point, no crossover), falling back to the simplex's vertex. The bound comes from the
 * vertex, which is exact; but a vertex of a degenerate optimum can put a pool at its bound and
 * leave the heuristics a mix that packs worse (on the bench's 10,000 replicas of two node shapes,
 * 800 + 75 nodes instead of about 688 + 187), while the centre balances the pools the LP finds
 * equally good.
 */
function poolMix(instance: PackingInstance, relaxation: string, vertex: HighsAnswer, timeLimit: number): number[] {
  const fromAnswer = (answer: HighsAnswer) => instance.bins.map((_, p) => answer.columns[`y${p}`] ?? 0);
  try {
    const centre = solveLpSync(relaxation, timeLimit, undefined, { solver: 'ipm', run_crossover: 'off' });
    if (centre.status === 'Optimal') return fromAnswer(centre);
  } catch {
    // The vertex still guides the heuristics.
  }
  return fromAnswer(vertex);
}
