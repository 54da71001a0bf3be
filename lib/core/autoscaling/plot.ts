/**
 * A standalone SVG chart of a simulation ({@link simulateAutoscaling}): load, replicas and latency
 * against the objective over time, for reports. Pure and deterministic: the same result and
 * options give the same bytes.
 * @module
 */
import { Problems } from '../errors';
import type { LatencyObjective } from './load-model';
import type { OracleNeed } from './oracle';
import type { SimulationResult } from './simulate';
import { escapeXml } from '../xml';

/** Options of {@link renderSimulationSvg}. */
export interface SimulationPlotOptions {
  /** The objective the simulation was measured against: drawn on the latency panel. */
  readonly slo: LatencyObjective;
  /**
   * The chart's title (escaped; any text).
   * @default "Autoscaling simulation"
   */
  readonly title?: string;
  /**
   * Width of the viewBox, px (at least 320).
   * @default 960
   */
  readonly width?: number;
  /**
   * Height of the viewBox, px (at least 240).
   * @default 600
   */
  readonly height?: number;
  /**
   * The ready replicas an offline oracle needs (`oracleAutoscaling(...).needed`), drawn dashed on
   * the replicas panel.
   * @default - not drawn
   */
  readonly oracle?: readonly OracleNeed[];
}

/** Series colours (distinguishable in print and by most colour-blind readers). */
const COLOURS = { rps: '#1f77b4', desired: '#ff7f0e', ready: '#2ca02c', oracle: '#555555', latency: '#9467bd', objective: '#d62728' } as const;
const MARGIN = { left: 64, right: 20, top: 56, bottom: 40 } as const;
const PANEL_GAP = 22;
/** Legend layout: a fixed advance per character (about right for 11 px sans-serif) keeps it deterministic. */
const LEGEND_CHAR_WIDTH = 6;
const LEGEND_ROW = 16;
/** The latency axis stops at this multiple of the objective; higher (and unbounded) latency is drawn at the top. */
const LATENCY_AXIS_CAP = 4;

/** Coordinates at one decimal: deterministic and small. */
const px = (v: number): string => v.toFixed(1);

/** The largest value of long arrays (no spread: week-long series exceed the argument limit). */
const maxOf = (...series: readonly (readonly number[])[]): number => series.reduce((m, xs) => xs.reduce((a, b) => Math.max(a, b), m), -Infinity);

/** A tick step of 1, 2 or 5 × 10ᵏ giving about `count` intervals up to `max`. */
function niceStep(max: number, count: number): number {
  const raw = max / count;
  const pow = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw * (1 - 1e-9))!;
}

/** Ticks 0, step, … up to the first at or above `max`. */
function ticks(max: number, count = 4): number[] {
  const step = niceStep(max > 0 ? max : 1, count);
  const top = Math.max(step, Math.ceil(max / step - 1e-9) * step);
  return Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
}

/** A tick label: integers as they are, else three significant digits. */
function label(v: number): string {
  return Number.isInteger(Math.round(v * 1e9) / 1e9) ? String(Math.round(v)) : String(Number(v.toPrecision(3)));
}

/** The time unit for an axis spanning `seconds`. */
function timeUnit(seconds: number): { name: string; seconds: number } {
  if (seconds <= 1200) return { name: 's', seconds: 1 };
  if (seconds <= 3 * 86_400) return { name: 'h', seconds: 3600 };
  return { name: 'days', seconds: 86_400 };
}

interface Panel {
  readonly top: number;
  readonly height: number;
  readonly yMax: number;
  readonly y: (v: number) => number;
}

/**
 * A step-shaped series as polyline points: each value holds from its time to the next. With more
 * values than pixel columns, each column keeps its first, lowest, highest and last value (what a
 * line at that resolution shows), so week-long simulations stay small.
 */
function stepPoints(times: readonly number[], values: readonly number[], end: number, x: (t: number) => number, y: (v: number) => number, columns: number): string {
  const out: string[] = [];
  const push = (a: number, b: number): void => {
    const point = `${px(a)},${px(b)}`;
    if (out[out.length - 1] !== point) out.push(point);
  };
  if (times.length <= columns) {
    times.forEach((t, i) => {
      out.push(`${px(x(t))},${px(y(values[i]!))}`, `${px(x(times[i + 1] ?? end))},${px(y(values[i]!))}`);
    });
    return out.join(' ');
  }
  let column = -1;
  let first = 0;
  let low = 0;
  let high = 0;
  let last = 0;
  let colX = 0;
  const flush = (): void => {
    if (column < 0) return;
    push(colX, y(first));
    push(colX, y(low));
    push(colX, y(high));
    push(colX, y(last));
  };
  const left = x(times[0]!);
  times.forEach((t, i) => {
    const v = values[i]!;
    const c = Math.floor(x(t) - left);
    if (c !== column) {
      flush();
      column = c;
      colX = left + c;
      first = low = high = v;
    }
    low = Math.min(low, v);
    high = Math.max(high, v);
    last = v;
  });
  flush();
  push(x(end), y(last));
  return out.join(' ');
}

function validate(result: SimulationResult, o: SimulationPlotOptions): void {
  const problems = new Problems('renderSimulationSvg');
  if (!Array.isArray(result.steps) || result.steps.length === 0) problems.add('result.steps', result.steps, 'expected at least one step (a simulation result)');
  if (!(Number.isFinite(result.durationSeconds) && result.durationSeconds > 0)) problems.add('result.durationSeconds', result.durationSeconds, 'expected a finite number of seconds greater than 0');
  if (!(Number.isFinite(o.slo?.latencySeconds) && o.slo.latencySeconds > 0)) problems.add('slo.latencySeconds', o.slo?.latencySeconds, 'expected a finite number of seconds greater than 0');
  if (o.width !== undefined && !(Number.isInteger(o.width) && o.width >= 320 && o.width <= 20_000)) problems.add('width', o.width, 'expected an integer from 320 to 20000 px');
  if (o.height !== undefined && !(Number.isInteger(o.height) && o.height >= 240 && o.height <= 20_000)) problems.add('height', o.height, 'expected an integer from 240 to 20000 px');
  problems.throwIfAny();
}

/**
 * Draws a simulation as a standalone SVG (xmlns, viewBox, a `<title>`), three panels over one
 * time axis: the load (requests/s); the replicas the controller set and those ready (and, given
 * `oracle`, those an offline oracle needs); and the SLO statistic in ms against the objective, with
 * the syncs in violation shaded. Each series is a step line (a value holds until the next sync);
 * latency above 4× the objective, or unbounded (the ready pods cannot keep up), is drawn at the top
 * of its axis. Every series is a `<polyline>` with a `data-series` attribute (`rps`, `desired`,
 * `ready`, `oracle`, `latency`). Numbers are written at fixed precision, so the output is
 * byte-for-byte deterministic.
 */
export function renderSimulationSvg(result: SimulationResult, options: SimulationPlotOptions): string {
  validate(result, options);
  const width = options.width ?? 960;
  const height = options.height ?? 600;
  const title = options.title ?? 'Autoscaling simulation';
  const objectiveMs = options.slo.latencySeconds * 1000;
  const stat = options.slo.percentile === undefined ? 'mean' : `p${label(options.slo.percentile * 100)}`;
  const { steps } = result;
  const t0 = steps[0]!.t;
  const end = t0 + result.durationSeconds;
  const plotLeft = MARGIN.left;
  // Legend: rows under the title, wrapped at the plot's right edge.
  const legend: [string, string, string | undefined, 'line' | 'area'][] = [
    ['load (requests/s)', COLOURS.rps, undefined, 'line'],
    ['replicas set', COLOURS.desired, undefined, 'line'],
    ['replicas ready', COLOURS.ready, undefined, 'line'],
    ...(options.oracle ? [['oracle: ready replicas needed', COLOURS.oracle, '4 3', 'line'] as [string, string, string, 'line']] : []),
    [`${stat} latency`, COLOURS.latency, undefined, 'line'],
    [`objective ${label(objectiveMs)} ms`, COLOURS.objective, '6 4', 'line'],
    ['objective missed', COLOURS.objective, undefined, 'area'],
  ];
  const legendItems: string[] = [];
  let lx = plotLeft;
  let row = 0;
  for (const [text, colour, dash, kind] of legend) {
    const advance = 22 + text.length * LEGEND_CHAR_WIDTH + 14;
    if (lx > plotLeft && lx + advance - 14 > width - MARGIN.right) {
      lx = plotLeft;
      row++;
    }
    const y = 36 + row * LEGEND_ROW;
    legendItems.push(
      kind === 'line'
        ? `<line x1="${px(lx)}" y1="${y}" x2="${px(lx + 18)}" y2="${y}" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''}/>`
        : `<rect x="${px(lx)}" y="${y - 5}" width="18" height="10" fill="${colour}" fill-opacity="0.18"/>`,
      `<text x="${px(lx + 22)}" y="${y + 4}">${escapeXml(text)}</text>`,
    );
    lx += advance;
  }
  const plotTop = MARGIN.top + row * LEGEND_ROW;

  const plotWidth = width - MARGIN.left - MARGIN.right;
  const panelHeight = (height - plotTop - MARGIN.bottom - 2 * PANEL_GAP) / 3;
  const x = (t: number): number => plotLeft + ((Math.min(Math.max(t, t0), end) - t0) / result.durationSeconds) * plotWidth;
  const columns = Math.floor(plotWidth);

  const times = steps.map((s) => s.t);
  const rps = steps.map((s) => s.rps);
  const desired = steps.map((s) => s.desiredReplicas);
  const ready = steps.map((s) => s.readyReplicas);
  const latencyCap = objectiveMs * LATENCY_AXIS_CAP;
  const latency = steps.map((s) => Math.min(s.latencySeconds * 1000, latencyCap));
  const oracle = options.oracle ?? [];

  const panel = (index: number, max: number): Panel & { ticks: number[] } => {
    const top = plotTop + index * (panelHeight + PANEL_GAP);
    const t = ticks(max, 5);
    const yMax = t[t.length - 1]!;
    return { top, height: panelHeight, yMax, ticks: t, y: (v: number) => top + panelHeight - (Math.min(Math.max(v, 0), yMax) / yMax) * panelHeight };
  };
  const load = panel(0, maxOf(rps));
  const replicas = panel(1, maxOf(desired, ready, oracle.map((o) => o.replicas)));
  const lat = panel(2, maxOf([objectiveMs * 1.25], latency));

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" font-family="Helvetica, Arial, sans-serif" font-size="11">`);
  out.push(`<title>${escapeXml(title)}</title>`);
  out.push(`<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text class="title" x="${px(plotLeft)}" y="18" font-size="14" font-weight="bold">${escapeXml(title)}</text>`);
  out.push('<g class="legend">', ...legendItems, '</g>');


  const unit = timeUnit(result.durationSeconds);
  const timeTicks = ticks(result.durationSeconds / unit.seconds, 8).filter((v) => v * unit.seconds <= result.durationSeconds + 1e-9);
  const drawPanel = (p: Panel & { ticks: number[] }, name: string, axisLabel: string, body: string[]): void => {
    out.push(`<g class="panel" id="${name}">`);
    for (const v of p.ticks) {
      const yy = px(p.y(v));
      out.push(`<line x1="${px(plotLeft)}" y1="${yy}" x2="${px(plotLeft + plotWidth)}" y2="${yy}" stroke="#e0e0e0" stroke-width="1"/>`);
      out.push(`<text x="${px(plotLeft - 6)}" y="${px(p.y(v) + 4)}" text-anchor="end">${label(v)}</text>`);
    }
    for (const v of timeTicks) {
      const xx = px(x(t0 + v * unit.seconds));
      out.push(`<line x1="${xx}" y1="${px(p.top + p.height)}" x2="${xx}" y2="${px(p.top + p.height + 4)}" stroke="#333333" stroke-width="1"/>`);
    }
    out.push(...body);
    out.push(`<path d="M${px(plotLeft)},${px(p.top)} V${px(p.top + p.height)} H${px(plotLeft + plotWidth)}" fill="none" stroke="#333333" stroke-width="1"/>`);
    const cy = p.top + p.height / 2;
    out.push(`<text x="14" y="${px(cy)}" transform="rotate(-90 14 ${px(cy)})" text-anchor="middle">${escapeXml(axisLabel)}</text>`);
    out.push('</g>');
  };
  const polyline = (series: string, colour: string, points: string, dash?: string): string =>
    `<polyline data-series="${series}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-linejoin="round"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${points}"/>`;

  drawPanel(load, 'load', 'requests/s', [polyline('rps', COLOURS.rps, stepPoints(times, rps, end, x, load.y, columns))]);

  const replicaBody = [
    polyline('desired', COLOURS.desired, stepPoints(times, desired, end, x, replicas.y, columns)),
    polyline('ready', COLOURS.ready, stepPoints(times, ready, end, x, replicas.y, columns)),
  ];
  if (options.oracle && oracle.length > 0) {
    replicaBody.push(polyline('oracle', COLOURS.oracle, stepPoints(oracle.map((o) => o.t), oracle.map((o) => o.replicas), end, x, replicas.y, columns), '4 3'));
  }
  drawPanel(replicas, 'replicas', 'replicas', replicaBody);

  // Syncs whose latency misses the objective, merged into spans (touching within half a pixel).
  const spans: [number, number][] = [];
  steps.forEach((s, i) => {
    if (!(s.rps > 0 && s.latencySeconds * 1000 > objectiveMs)) return;
    const a = x(s.t);
    const b = x(steps[i + 1]?.t ?? end);
    const last = spans[spans.length - 1];
    if (last && a - last[1] < 0.5) last[1] = b;
    else spans.push([a, b]);
  });
  const objectiveY = px(lat.y(objectiveMs));
  drawPanel(lat, 'latency', `${stat} latency, ms (capped at ${label(latencyCap)})`, [
    ...spans.map(([a, b]) => `<rect class="violation" x="${px(a)}" y="${px(lat.top)}" width="${px(Math.max(b - a, 0.5))}" height="${px(lat.height)}" fill="${COLOURS.objective}" fill-opacity="0.18"/>`),
    `<line class="objective" x1="${px(plotLeft)}" y1="${objectiveY}" x2="${px(plotLeft + plotWidth)}" y2="${objectiveY}" stroke="${COLOURS.objective}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    polyline('latency', COLOURS.latency, stepPoints(times, latency, end, x, lat.y, columns)),
  ]);

  const axisY = lat.top + lat.height;
  out.push('<g class="time-axis">');
  for (const v of timeTicks) out.push(`<text x="${px(x(t0 + v * unit.seconds))}" y="${px(axisY + 16)}" text-anchor="middle">${label(v)}</text>`);
  out.push(`<text x="${px(plotLeft + plotWidth / 2)}" y="${px(axisY + 32)}" text-anchor="middle">time, ${unit.name}</text>`);
  out.push('</g>');
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
