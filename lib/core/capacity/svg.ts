import { CapacityPlan, CapacityScenario, PlacedNode } from './plan';
import { NodePool } from './node-pool';
import { textWidth, widestWord, wrapText } from './svg-text';
import { formatAmount, formatCpu, formatMemory, formatPercent } from './units';
import { escapeXml } from '../xml';

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
const num = (x: number) => String(Math.round(x * 10) / 10);

/** Font sizes (px): titles and legend, pool labels, node numbers, the CPU/mem ticks. */
const FONT = 12;
const POOL_FONT = 11;
const NODE_FONT = 10;
const TICK_FONT = 9;
/** Baseline to baseline, for text at FONT and at POOL_FONT. */
const LINE = 16;
const POOL_LINE = 14;
const BAR_HEIGHT = 80;
const MARGIN = 10;
const MIN_WIDTH = 640;
/** Pool cells go side by side up to this width, then onto another grid line. */
const WRAP_WIDTH = 1000;
const CELL_GAP = 24;
/** Room above a pool's bars for the CPU/mem ticks, and below them for the node numbers. */
const TICK_STRIP = 12;
const NODE_STRIP = 14;
/** Space between the pool labels and the bars, between pool rows, and between scenarios. */
const GUTTER_GAP = 16;
const ROW_GAP = 8;
const SCENARIO_GAP = 14;
const SWATCH = 12;
const LEGEND_GAP = 18;
/** The tick label "CPU" reaches this far left of the first node's CPU bar, "mem" this far right of its memory bar. */
const TICK_OVERHANG = textWidth('mem', TICK_FONT) + 2;
/** Steps at which node numbers are written when there is no room for every one. */
const NODE_LABEL_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

const NOTE =
  'Each column is one node: left bar CPU, right bar memory, each as tall as the node’s allocatable and filled by the requests of the models’ replicas on it. Numbers under the bars are the node’s index in its pool.';

interface TextLine {
  readonly text: string;
  readonly size: number;
  readonly bold?: boolean;
  readonly fill?: string;
}

/** One pool within one scenario: its labels and the nodes drawn. */
interface PoolRow {
  readonly pool: NodePool;
  readonly labels: readonly TextLine[];
  readonly nodes: readonly PlacedNode[];
}

/** The labels left of a pool's bars: its name, how many of its nodes are used, what one node has. */
function poolLabels(pool: NodePool, used: number, drawn: number): TextLine[] {
  const count = `${used} of ${formatAmount('nodes', pool.count)} used${drawn < used ? ` (${drawn} drawn)` : ''}`;
  const lines: TextLine[] = [
    { text: pool.name, size: FONT, bold: true },
    { text: count, size: POOL_FONT, fill: '#333333' },
  ];
  if (drawn > 0) {
    const gpus = pool.gpus > 0 ? `, ${formatAmount('gpu', pool.gpus)}` : '';
    lines.push({ text: `${formatCpu(pool.cpuMillis)}, ${formatMemory(pool.memoryBytes)}${gpus} each`, size: POOL_FONT, fill: '#555555' });
  }
  return lines;
}

function textElement(x: number, y: number, line: TextLine, extra = ''): string {
  const attributes = [line.size !== FONT ? ` font-size="${line.size}"` : '', line.bold ? ' font-weight="bold"' : '', line.fill ? ` fill="${line.fill}"` : '', extra].join('');
  return `<text x="${num(x)}" y="${num(y)}"${attributes}>${escapeXml(line.text)}</text>`;
}

/**
 * The packing as an SVG picture: one row per scenario, one column per node used, each with a
 * CPU bar and a memory bar filled by the models' requests (colours in the legend); the bar's
 * height is the node's allocatable. Deterministic and self-contained (no scripts, no fonts).
 */
export function renderCapacitySvg(plan: CapacityPlan, options: CapacitySvgOptions = {}): string {
  const maxNodes = options.maxNodes ?? 200;
  const scenarios = [plan.min, plan.max, plan.surge];
  const colour = new Map(plan.workloads.map((w, i) => [w.name, PALETTE[i % PALETTE.length]!]));
  const demand = new Map(plan.workloads.map((w) => [w.name, w]));

  // Every pool gets a row in every scenario, so that unused nodes (and unused pools) show.
  const rows = scenarios.map((s) => {
    const drawn = s.placement.slice(0, maxNodes);
    return plan.pools.map((pool): PoolRow => {
      const nodes = drawn.filter((n) => n.pool === pool.name);
      const used = s.pools.find((u) => u.pool === pool.name)?.nodesUsed ?? s.placement.filter((n) => n.pool === pool.name).length;
      return { pool, labels: poolLabels(pool, used, nodes.length), nodes };
    });
  });
  const headings = scenarios.map((s: CapacityScenario) => {
    const cpu = s.utilization[0]!;
    const memory = s.utilization[1]!;
    const more = s.placement.length > maxNodes ? ` (first ${maxNodes} drawn)` : '';
    const used = `${formatAmount('nodes', s.nodesUsed)} used${more}`;
    const status = s.feasible
      ? `${used}; the requests fill ${formatPercent(cpu.ofUsed)} of their CPU and ${formatPercent(memory.ofUsed)} of their memory`
      : `${used}; does not fit: ${s.shortfalls.map((f) => f.workload).join(', ')} short`;
    return { title: s.description, status };
  });

  // Horizontal layout: a cell per pool (its labels, then one column per node), at the same place
  // in every scenario so that they compare; cells wrap onto grid lines no wider than WRAP_WIDTH.
  const widestRow = Math.max(1, ...rows.flat().map((r) => r.nodes.length));
  const column = Math.max(4, Math.min(28, Math.floor(1200 / widestRow)));
  const half = (column - 2) / 2;
  const cells = plan.pools.map((_, p) => {
    const labelWidth = Math.max(...rows.map((r) => Math.max(...r[p]!.labels.map((l) => textWidth(l.text, l.size, l.bold)))));
    const nodes = Math.max(...rows.map((r) => r[p]!.nodes.length));
    return { labelWidth, width: labelWidth + (nodes > 0 ? GUTTER_GAP + nodes * column + TICK_OVERHANG : 0), x: 0, line: 0 };
  });
  const gridWidth = Math.max(WRAP_WIDTH - 2 * MARGIN, ...cells.map((c) => c.width));
  let lines = 0;
  cells.reduce((x, cell, p) => {
    const wrap = p > 0 && x + cell.width > gridWidth;
    if (wrap) lines++;
    cell.x = wrap ? 0 : x;
    cell.line = lines;
    return cell.x + cell.width + CELL_GAP;
  }, 0);
  const legendItems = plan.workloads.map((w) => ({ name: w.name, width: SWATCH + 5 + textWidth(w.name, FONT) }));
  const width = Math.ceil(
    Math.max(
      MIN_WIDTH,
      ...cells.map((c) => MARGIN + c.x + c.width + MARGIN),
      ...legendItems.map((item) => item.width + 2 * MARGIN),
      ...headings.map((h) => Math.max(widestWord(h.title, FONT, true), widestWord(h.status, FONT)) + 2 * MARGIN),
      widestWord(NOTE, FONT) + 2 * MARGIN,
    ),
  );
  const textWidthAvailable = width - 2 * MARGIN;

  const body: string[] = [];
  let y = MARGIN;
  scenarios.forEach((_, k) => {
    if (k > 0) {
      body.push(`<rect x="${MARGIN}" y="${num(y - SCENARIO_GAP / 2)}" width="${width - 2 * MARGIN}" height="1" fill="#dddddd"/>`);
    }
    for (const text of wrapText(headings[k]!.title, textWidthAvailable, FONT, true)) body.push(textElement(MARGIN, (y += LINE), { text, size: FONT, bold: true }));
    for (const text of wrapText(headings[k]!.status, textWidthAvailable, FONT)) body.push(textElement(MARGIN, (y += LINE), { text, size: FONT, fill: '#333333' }));
    y += ROW_GAP;
    for (let line = 0; line <= lines; line++) {
      const inLine = cells.map((cell, p) => ({ cell, row: rows[k]![p]! })).filter(({ cell }) => cell.line === line);
      const top = y;
      // Bars leave room above them for the CPU/mem ticks; a grid line without bars is just labels.
      const bars = inLine.some(({ row }) => row.nodes.length > 0);
      const labelTop = bars ? top + TICK_STRIP : top;
      let bottom = labelTop;
      for (const { cell, row } of inLine) {
        const left = MARGIN + cell.x;
        row.labels.forEach((text, i) => body.push(textElement(left, labelTop + FONT + i * POOL_LINE, text)));
        bottom = Math.max(bottom, labelTop + FONT + (row.labels.length - 1) * POOL_LINE + 4);
        if (row.nodes.length === 0) continue;
        const barTop = top + TICK_STRIP;
        const base = barTop + BAR_HEIGHT;
        const barsLeft = left + cell.labelWidth + GUTTER_GAP;
        // Which bar is which, once per pool, above its first node: "CPU | mem".
        const split = barsLeft + half;
        body.push(
          `<rect x="${num(split - 0.4)}" y="${top + 1}" width="0.8" height="${TICK_STRIP - 1}" fill="#888888"/>`,
          textElement(split - 2, barTop - 3, { text: 'CPU', size: TICK_FONT, fill: '#555555' }, ' text-anchor="end"'),
          textElement(split + 2, barTop - 3, { text: 'mem', size: TICK_FONT, fill: '#555555' }),
        );
        const pool = row.pool;
        row.nodes.forEach((node, i) => {
          const x = barsLeft + i * column;
          body.push(`<g><title>${escapeXml(`${node.pool}-${node.index}: ${Object.entries(node.replicas).map(([w, c]) => `${w} ×${c}`).join(', ')}`)}</title>`);
          [pool.cpuMillis, pool.memoryBytes].forEach((capacity, r) => {
            const bx = x + r * half;
            body.push(`<rect x="${num(bx)}" y="${barTop}" width="${num(half)}" height="${BAR_HEIGHT}" fill="#eeeeee" stroke="#bbbbbb" stroke-width="0.5"/>`);
            let fill = base;
            for (const [name, count] of Object.entries(node.replicas)) {
              const w = demand.get(name)!;
              const h = (BAR_HEIGHT * count * (r === 0 ? w.cpuMillis : w.memoryBytes)) / capacity;
              fill -= h;
              body.push(`<rect x="${num(bx)}" y="${num(fill)}" width="${num(half)}" height="${num(h)}" fill="${colour.get(name)}"/>`);
            }
          });
          body.push('</g>');
        });
        // Node numbers under the columns: every one when they fit, else every 2nd, 5th, 10th, ...
        const label = Math.max(...row.nodes.map((n) => textWidth(String(n.index), NODE_FONT))) + 2;
        const step = NODE_LABEL_STEPS.find((st) => st * column >= label) ?? NODE_LABEL_STEPS[NODE_LABEL_STEPS.length - 1]!;
        row.nodes.forEach((node, i) => {
          if (i % step === 0) body.push(textElement(barsLeft + i * column + half, base + NODE_STRIP - 3, { text: String(node.index), size: NODE_FONT, fill: '#555555' }, ' text-anchor="middle"'));
        });
        bottom = Math.max(bottom, base + NODE_STRIP);
      }
      y = bottom + ROW_GAP;
    }
    y += SCENARIO_GAP - ROW_GAP;
  });

  // The legend: one entry per model, in rows that wrap before the right margin; the note below.
  let x = MARGIN;
  y += LINE;
  for (const item of legendItems) {
    if (x > MARGIN && x + item.width > width - MARGIN) {
      x = MARGIN;
      y += LINE + 4;
    }
    body.push(
      `<g class="legend-item"><rect x="${num(x)}" y="${num(y - SWATCH + 2)}" width="${SWATCH}" height="${SWATCH}" fill="${colour.get(item.name)}"/>${textElement(x + SWATCH + 5, y, { text: item.name, size: FONT })}</g>`,
    );
    x += item.width + LEGEND_GAP;
  }
  y += 4;
  for (const text of wrapText(NOTE, textWidthAvailable, FONT)) body.push(textElement(MARGIN, (y += LINE), { text, size: FONT, fill: '#555555' }, ' class="legend-note"'));
  const height = Math.ceil(y + MARGIN);

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="${FONT}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
