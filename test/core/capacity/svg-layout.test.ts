/**
 * The layout of the capacity SVG, checked from the coordinates it writes: legend entries, labels
 * and titles never overlap one another or the bars, and everything stays inside the viewBox.
 * Text is measured with the renderer's conservative estimate (itself checked against DejaVu Sans).
 */
import { NodePool, planCapacity, renderCapacitySvg } from '../../../lib/core';
import { textWidth, wrapText } from '../../../lib/core/capacity/svg-text';
import { workload } from './support';

interface Box {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly what: string;
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

function attributes(tag: string): Record<string, string> {
  return Object.fromEntries([...tag.matchAll(/([-a-z]+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]));
}

/** A text element's box: its measured width placed by its anchor, from an em above the baseline to the descent below. */
function textBox(tag: string, content: string): Box {
  const a = attributes(tag);
  const size = Number(a['font-size'] ?? 12);
  const text = unescape(content);
  const w = textWidth(text, size, a['font-weight'] === 'bold');
  const x = Number(a.x);
  const y = Number(a.y);
  const x0 = a['text-anchor'] === 'end' ? x - w : a['text-anchor'] === 'middle' ? x - w / 2 : x;
  return { x0, y0: y - size, x1: x0 + w, y1: y + 0.25 * size, what: text };
}

function rectBox(tag: string, what: string): Box {
  const a = attributes(tag);
  return { x0: Number(a.x), y0: Number(a.y), x1: Number(a.x) + Number(a.width), y1: Number(a.y) + Number(a.height), what };
}

/** The SVG's size, its legend entries (swatch and name together), its other texts and its bars. */
function layoutOf(svg: string) {
  const [, , , vw, vh] = /viewBox="([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+)"/.exec(svg)!.map(Number);
  const legend = [...svg.matchAll(/<g class="legend-item">(<rect [^>]*\/>)(<text [^>]*>)([^<]*)<\/text><\/g>/g)].map((m) => {
    const swatch = rectBox(m[1]!, m[3]!);
    const name = textBox(m[2]!, m[3]!);
    return { x0: Math.min(swatch.x0, name.x0), y0: Math.min(swatch.y0, name.y0), x1: Math.max(swatch.x1, name.x1), y1: Math.max(swatch.y1, name.y1), what: `legend ${name.what}` };
  });
  const texts = [...svg.replace(/<g class="legend-item">.*?<\/g>/g, '').matchAll(/(<text [^>]*>)([^<]*)<\/text>/g)].map((m) => textBox(m[1]!, m[2]!));
  const bars = [...svg.matchAll(/<g><title>([^<]*)<\/title>((?:<rect [^>]*\/>\n?|\n)*)<\/g>/g)].flatMap((m) => [...m[2]!.matchAll(/<rect [^>]*\/>/g)].map((r) => rectBox(r[0], m[1]!)));
  return { width: vw!, height: vh!, legend, texts, bars };
}

const intersect = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const show = (b: Box) => `${b.what} [${b.x0.toFixed(1)}..${b.x1.toFixed(1)} × ${b.y0.toFixed(1)}..${b.y1.toFixed(1)}]`;

function overlaps(a: readonly Box[], b: readonly Box[] = a): string[] {
  const out: string[] = [];
  a.forEach((p, i) => b.forEach((q, j) => (a !== b || j > i) && intersect(p, q) && out.push(`${show(p)} overlaps ${show(q)}`)));
  return out;
}

/** Every layout property the picture promises; empty when it keeps them all. */
function layoutProblems(svg: string): string[] {
  const { width, height, legend, texts, bars } = layoutOf(svg);
  const outside = [...legend, ...texts, ...bars].filter((b) => b.x0 < 0 || b.y0 < 0 || b.x1 > width || b.y1 > height).map((b) => `${show(b)} outside ${width}×${height}`);
  return [...outside, ...overlaps(legend), ...overlaps(texts), ...overlaps(legend, texts), ...overlaps(texts, bars), ...overlaps(legend, bars)];
}

const toleration = [{ key: 'nvidia.com/gpu', operator: 'Exists' as const, effect: 'NoSchedule' as const }];
const gpu = { gpus: 1, tolerations: toleration, surge: 1 };

test('the text estimate is an upper bound of DejaVu Sans (advance widths summed from its TTF), and wraps at spaces', () => {
  const measured: [string, boolean, number][] = [
    ['every model at maxReplicas plus its rolling-update surge pods (all models rolling out at once)', true, 53.109],
    ['5 nodes used; the requests fill 56.0% of their CPU and 39.1% of their memory', false, 39.051],
    ['recommender-shadow', false, 11.24],
    ['WWW mmm %%% @@@', false, 12.693],
    ['WWW mmm %%% @@@', true, 13.485],
    ['32 CPU, 256 GiB, 8 GPUs each', false, 15.175],
  ];
  for (const [text, bold, em] of measured) expect(textWidth(text, 10, bold)).toBeGreaterThanOrEqual(em * 10);
  expect(textWidth('every model', 10)).toBeLessThan(textWidth('every model', 10, true));
  expect(wrapText('aaa bbb ccc', textWidth('aaa bbb', 12), 12)).toEqual(['aaa bbb', 'ccc']);
  expect(wrapText('averyveryverylongword x', 10, 12)).toEqual(['averyveryverylongword', 'x']);
  expect(wrapText('', 100, 12)).toEqual(['']);
});

test('one pool, three scenarios: nothing overlaps, the long surge title wraps inside the picture, every node and pool is labelled', () => {
  const plan = planCapacity([NodePool.cpu('general', { count: 10, cpu: '4', memory: '8Gi' })], ['a', 'b', 'c', 'd', 'e'].map((n, i) => workload(n, 1 + (i % 3), 2 + (i % 3), 1, { maxReplicas: 2, surge: 1 })));
  const svg = renderCapacitySvg(plan);
  expect(layoutProblems(svg)).toEqual([]);
  const { width, texts } = layoutOf(svg);
  expect(width).toBe(640);
  const titles = texts.filter((t) => /every model at maxReplicas plus|rolling out at once/.test(t.what));
  expect(titles.length).toBeGreaterThanOrEqual(2);
  expect(titles.every((t) => t.x1 <= width - 10)).toBe(true);
  for (const s of [plan.min, plan.max, plan.surge]) {
    expect(svg).toContain(`${s.nodesUsed} of 10 nodes used`);
    expect(svg).toContain(`${s.nodesUsed} nodes used; the requests fill`);
  }
  expect(svg).toContain('4 CPU, 8 GiB each');
  expect(svg.match(/>CPU</g)).toHaveLength(3);
  expect(svg.match(/>mem</g)).toHaveLength(3);
  const numbers = texts.filter((t) => /^\d+$/.test(t.what)).map((t) => Number(t.what));
  const expected = [plan.min, plan.max, plan.surge].flatMap((s) => s.placement.map((n) => n.index));
  expect(numbers).toEqual(expected);
  expect(svg).toContain('left bar CPU, right bar memory');
});

test('many models with long names: the legend wraps into rows whose entries and note never overlap', () => {
  const names = Array.from({ length: 14 }, (_, i) => `${['fraud', 'recommender-shadow', 'summarizer-large-context', 'churn'][i % 4]}-${i}`);
  const plan = planCapacity(
    [NodePool.cpu('general', { count: 8, cpu: '16', memory: '64Gi' }), NodePool.gpu('a10', { count: 2, cpu: '16', memory: '64Gi', gpus: 1 })],
    [...names.map((n, i) => workload(n, 0.5 + (i % 3), 1 + (i % 4), 1 + (i % 2), { maxReplicas: 2 + (i % 2), surge: 1 })), workload('llm', 8, 32, 1, gpu)],
  );
  const svg = renderCapacitySvg(plan);
  expect(layoutProblems(svg)).toEqual([]);
  const { legend, width } = layoutOf(svg);
  expect(legend).toHaveLength(15);
  expect(new Set(legend.map((b) => b.y0)).size).toBeGreaterThan(1);
  expect(legend.every((b) => b.x1 <= width - 10)).toBe(true);
  expect(svg).toContain('1 of 2 nodes used');
  expect(svg).toContain('16 CPU, 64 GiB, 1 GPU each');
});

test('many pools wrap onto grid lines at the same places in every scenario; unused pools still show "0 of N nodes used"', () => {
  const pools = Array.from({ length: 7 }, (_, i) => NodePool.cpu(`pool-with-a-long-name-${i}`, { count: 4, cpu: '4', memory: '8Gi', labels: { pool: `p${i}` } }));
  const workloads = Array.from({ length: 6 }, (_, i) => workload(`m${i}`, 3, 4, 2, { nodeSelector: { pool: `p${i}` }, maxReplicas: 3, surge: 1 }));
  const svg = renderCapacitySvg(planCapacity(pools, workloads));
  expect(layoutProblems(svg)).toEqual([]);
  const { width, texts } = layoutOf(svg);
  expect(width).toBeLessThanOrEqual(1000);
  const names = texts.filter((t) => t.what.startsWith('pool-with-a-long-name-'));
  expect(names).toHaveLength(21);
  const place = (k: number) => names.slice(7 * k, 7 * k + 7).map((t) => t.x0);
  expect(place(1)).toEqual(place(0));
  expect(place(2)).toEqual(place(0));
  expect(new Set(place(0)).size).toBeLessThan(7);
  expect(svg.match(/>0 of 4 nodes used</g)).toHaveLength(3);
});

test('a wide pool (120 nodes) numbers only every few columns, and nothing overlaps', () => {
  const plan = planCapacity([NodePool.cpu('general', { count: 130, cpu: '1', memory: '1Gi' })], [workload('w', 1, 1, 120)], { compareWithScheduler: false });
  const svg = renderCapacitySvg(plan);
  expect(layoutProblems(svg)).toEqual([]);
  const numbers = layoutOf(svg).texts.filter((t) => /^\d+$/.test(t.what));
  expect(numbers.length).toBeGreaterThan(3 * 20);
  expect(numbers.length).toBeLessThan(3 * 120);
});

test('the layout check itself catches overlapping legend entries and text outside the picture', () => {
  const entry = (x: number) => `<g class="legend-item"><rect x="${x}" y="10" width="12" height="12" fill="#000"/><text x="${x + 17}" y="20">recommender</text></g>`;
  expect(layoutProblems(`<svg viewBox="0 0 400 100">${entry(10)}${entry(60)}</svg>`)).toHaveLength(1);
  expect(layoutProblems(`<svg viewBox="0 0 400 100">${entry(10)}${entry(200)}</svg>`)).toEqual([]);
  expect(layoutProblems('<svg viewBox="0 0 100 100"><text x="10" y="20">a title longer than the picture</text></svg>')).toHaveLength(1);
});
