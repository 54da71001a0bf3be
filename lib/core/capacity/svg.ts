import { CapacityPlan, CapacityScenario } from './plan';
import { formatPercent } from './units';

/** Options for {@link renderCapacitySvg}. */
export interface CapacitySvgOptions {
  /**
   * Nodes drawn per scenario; the rest are counted in the row's title.
   * @default 200
   */
  readonly maxNodes?: number;
}

/** Colour-blind-safe palette (Okabe–Ito), then greys; models take colours in declaration order. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#999999', '#666666'];
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => String(Math.round(x * 10) / 10);

const BAR_HEIGHT = 100;
const ROW_HEIGHT = BAR_HEIGHT + 60;
const LEFT = 10;

/**
 * The packing as an SVG picture: one row per scenario, one column per node used, each with a
 * CPU bar and a memory bar filled by the models' requests (colours in the legend); the bar's
 * height is the node's allocatable. Deterministic and self-contained (no scripts, no fonts).
 */
export function renderCapacitySvg(plan: CapacityPlan, options: CapacitySvgOptions = {}): string {
  const maxNodes = options.maxNodes ?? 200;
  const scenarios = [plan.min, plan.max, plan.surge];
  const widest = Math.max(1, ...scenarios.map((s) => Math.min(maxNodes, s.placement.length)));
  const column = Math.max(4, Math.min(28, Math.floor(1200 / widest)));
  const width = Math.max(640, LEFT * 2 + widest * column);
  const legendY = scenarios.length * ROW_HEIGHT + 20;
  const height = legendY + 20 * Math.ceil(plan.workloads.length / 4) + 10;
  const colour = new Map(plan.workloads.map((w, i) => [w.name, PALETTE[i % PALETTE.length]!]));
  const pools = new Map(plan.pools.map((p) => [p.name, p]));
  const demand = new Map(plan.workloads.map((w) => [w.name, w]));
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  scenarios.forEach((s: CapacityScenario, row) => {
    const top = row * ROW_HEIGHT + 20;
    const cpu = s.utilization[0]!;
    const memory = s.utilization[1]!;
    const more = s.placement.length > maxNodes ? ` (first ${maxNodes} drawn)` : '';
    const status = s.feasible ? `${s.nodesUsed} nodes, CPU ${formatPercent(cpu.ofUsed)}, memory ${formatPercent(memory.ofUsed)} of the nodes used` : `does not fit: ${s.shortfalls.map((f) => f.workload).join(', ')} short`;
    out.push(`<text x="${LEFT}" y="${top}" font-weight="bold">${escape(`${s.description}: ${status}${more}`)}</text>`);
    const base = top + 10 + BAR_HEIGHT;
    s.placement.slice(0, maxNodes).forEach((node, i) => {
      const pool = pools.get(node.pool)!;
      const x = LEFT + i * column;
      const half = (column - 2) / 2;
      out.push(`<g><title>${escape(`${node.pool}-${node.index}: ${Object.entries(node.replicas).map(([w, c]) => `${w} ×${c}`).join(', ')}`)}</title>`);
      [pool.cpuMillis, pool.memoryBytes].forEach((capacity, r) => {
        const bx = x + r * half;
        out.push(`<rect x="${num(bx)}" y="${base - BAR_HEIGHT}" width="${num(half)}" height="${BAR_HEIGHT}" fill="#eeeeee" stroke="#bbbbbb" stroke-width="0.5"/>`);
        let y = base;
        for (const [name, count] of Object.entries(node.replicas)) {
          const w = demand.get(name)!;
          const h = (BAR_HEIGHT * count * (r === 0 ? w.cpuMillis : w.memoryBytes)) / capacity;
          y -= h;
          out.push(`<rect x="${num(bx)}" y="${num(y)}" width="${num(half)}" height="${num(h)}" fill="${colour.get(name)}"/>`);
        }
      });
      out.push('</g>');
    });
    // Pool names under the first node of each pool.
    s.placement.slice(0, maxNodes).forEach((node, i) => {
      if (i === 0 || s.placement[i - 1]!.pool !== node.pool) out.push(`<text x="${LEFT + i * column}" y="${base + 16}">${escape(node.pool)}</text>`);
    });
  });
  plan.workloads.forEach((w, i) => {
    const x = LEFT + (i % 4) * 160;
    const y = legendY + Math.floor(i / 4) * 20;
    out.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" fill="${colour.get(w.name)}"/>`, `<text x="${x + 16}" y="${y}">${escape(w.name)}</text>`);
  });
  out.push(`<text x="${width - LEFT}" y="${legendY}" text-anchor="end" fill="#555555">left bar CPU, right bar memory; height = node allocatable</text>`);
  out.push('</svg>', '');
  return out.join('\n');
}
