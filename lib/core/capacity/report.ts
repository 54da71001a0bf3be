import { CapacityPlan, CapacityScenario, PlanMethod, ResourceUtilization } from './plan';
import { MIG_RESOURCE_PREFIX } from '../accelerator';
import { formatAmount, formatCpu, formatMemory, formatPercent } from './units';

/** Options for {@link formatCapacityReport}. */
export interface CapacityReportOptions {
  /**
   * The report's heading.
   * @default 'Capacity plan'
   */
  readonly title?: string;
  /**
   * The SVG picture of the packing to link to (a path relative to the report).
   * @default - no link
   */
  readonly svgFile?: string;
  /**
   * Nodes listed per scenario in the placement tables; the rest are counted.
   * @default 50
   */
  readonly maxPlacementRows?: number;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
/** Whole GPUs, then MIG slices by profile: `1`, `0 + 7 × 1g.10gb`. */
const accelerators = (gpus: number, slices: Readonly<Record<string, number>> = {}) => [String(gpus), ...Object.entries(slices).map(([m, n]) => `${n} × ${m}`)].join(' + ');
const labels = (m: Readonly<Record<string, string>>) => Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ') || '—';

function verdict(s: CapacityScenario): string {
  const perPool = s.pools.filter((p) => p.nodesUsed > 0).map((p) => `${p.pool} ${p.nodesUsed} of ${p.nodes}`).join(', ');
  const how = s.optimal ? 'minimal' : `not proven minimal${s.lpBound !== undefined ? `; no placement needs fewer than ${s.lpBound}` : ''}`;
  const fit = s.feasible ? `fits on **${s.nodesUsed}** node(s) (${perPool || 'none'}), ${how}` : `**does not fit**: ${s.shortfalls.map((f) => f.message).join('; ')}`;
  return `- **${s.description}** (${Object.values(s.replicas).reduce((a, b) => a + b, 0)} pods): ${fit}.`;
}

function utilizationRow(label: string, u: readonly ResourceUtilization[]): string {
  const show = (r: ResourceUtilization) => {
    if (r.allocatableTotal === 0) return '—';
    return `${formatAmount(r.resource, r.requested)} / ${formatAmount(r.resource, r.allocatableUsed)} (${formatPercent(r.ofUsed)}); ${formatPercent(r.ofTotal)} of ${formatAmount(r.resource, r.allocatableTotal)}`;
  };
  return `| ${cell(label)} | ${u.map(show).join(' | ')} |`;
}

function scenarioSection(s: CapacityScenario, maxRows: number): string[] {
  const lines = [`## ${s.description[0]!.toUpperCase()}${s.description.slice(1)}`, ''];
  const method = s.method === PlanMethod.EXACT ? 'exact (HiGHS mixed-integer program over node patterns)' : 'heuristic (first/best-fit decreasing and node-by-node packing, then emptying nodes; above the LP bound, HiGHS recombines their nodes)';
  lines.push(`- **Placed by:** ${method}; ${s.optimal ? 'proven minimal' : 'not proven minimal'}.`);
  lines.push(`- **Nodes used:** ${s.nodesUsed}; LP lower bound ${s.lpBound ?? 'unknown'}${s.schedulerNodes !== undefined ? `; the default kube-scheduler (least-allocated spreading) would put pods on ${s.schedulerNodes}` : ''}.`);
  if (!s.feasible) for (const f of s.shortfalls) lines.push(`- **Short:** ${f.message}.`);
  for (const note of s.notes) lines.push(`- **Note:** ${note}.`);
  lines.push('', 'Requested / allocatable of the nodes used (share), and share of the whole pool:', '');
  const columns = ['CPU', 'Memory', 'GPUs', 'Pods', ...s.utilization.slice(4).map((u) => `MIG ${u.resource.slice(MIG_RESOURCE_PREFIX.length)}`)];
  lines.push(`| Pool | ${columns.join(' | ')} |`, `|---|${columns.map(() => '---').join('|')}|`);
  for (const p of s.pools) lines.push(utilizationRow(`${p.pool} (${p.nodesUsed} of ${p.nodes} nodes)`, p.utilization));
  if (s.pools.length > 1) lines.push(utilizationRow('all pools', s.utilization));
  lines.push('', '| Node | Replicas |', '|---|---|');
  for (const n of s.placement.slice(0, maxRows)) {
    lines.push(`| ${cell(`${n.pool}-${n.index}`)} | ${cell(Object.entries(n.replicas).map(([w, c]) => `${w} ×${c}`).join(', '))} |`);
  }
  if (s.placement.length > maxRows) lines.push(`| … | ${s.placement.length - maxRows} more nodes |`);
  lines.push('');
  return lines;
}

/**
 * The capacity plan as markdown: the pools and models, a verdict per scenario, then per
 * scenario the method, the LP bound, utilization per pool and the placement. Deterministic:
 * the same plan gives the same text.
 */
export function formatCapacityReport(plan: CapacityPlan, options: CapacityReportOptions = {}): string {
  const lines = [`# ${options.title ?? 'Capacity plan'}`, ''];
  lines.push('Where every model\'s replicas go on the declared node pools, at minReplicas, at maxReplicas and during a rollout at maxReplicas, placed to use as few nodes as possible. Requests are what the scheduler counts; limits and actual usage are not.', '');
  if (options.svgFile) lines.push(`![Packing of the replicas onto nodes](${options.svgFile})`, '');
  lines.push('## Verdict', '');
  for (const c of plan.conflicts) lines.push(`- **${c.workload}** cannot run anywhere (${c.prop}): ${c.message}.`);
  lines.push(verdict(plan.min), verdict(plan.max), verdict(plan.surge), '');
  if (!plan.min.feasible || plan.conflicts.length) lines.push('Not fitting at minReplicas is an error: the models could not all start.', '');
  else if (!plan.max.feasible) lines.push('Warning: the autoscalers cannot reach maxReplicas on these pools.', '');
  else if (!plan.surge.feasible) lines.push('Warning: a rollout of every model at maxReplicas at once would leave new pods Pending while old ones terminate (rollouts one model at a time may still fit).', '');
  lines.push('## Node pools', '', '| Pool | Nodes | CPU | Memory | GPUs | Max pods | Labels | Taints |', '|---|--:|--:|--:|--:|--:|---|---|');
  for (const p of plan.pools) {
    const taints = p.taints.map((t) => `${t.key}${t.value !== undefined ? `=${t.value}` : ''}:${t.effect}`).join(', ') || '—';
    lines.push(`| ${p.name} | ${p.count} | ${formatCpu(p.cpuMillis)} | ${formatMemory(p.memoryBytes)} | ${accelerators(p.gpus, p.migSlices)} | ${p.maxPods} | ${cell(labels(p.labels))} | ${cell(taints)} |`);
  }
  lines.push('', '## Models', '', '| Model | CPU | Memory | GPUs | Min | Max | Rollout extra | Node selector | Per node |', '|---|--:|--:|--:|--:|--:|--:|---|--:|');
  for (const w of plan.workloads) {
    lines.push(`| ${cell(w.name)} | ${formatCpu(w.cpuMillis)} | ${formatMemory(w.memoryBytes)} | ${accelerators(w.gpus, w.migSlices)} | ${w.minReplicas} | ${w.maxReplicas} | ${w.surge} | ${cell(labels(w.nodeSelector ?? {}))} | ${w.maxPerNode ?? 'any'} |`);
  }
  lines.push('');
  const maxRows = options.maxPlacementRows ?? 50;
  for (const s of [plan.min, plan.max, plan.surge]) lines.push(...scenarioSection(s, maxRows));
  return `${lines.join('\n').trimEnd()}\n`;
}
