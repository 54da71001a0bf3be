/** The SVG plot of a simulation: well-formed standalone XML, series and scales, legend, determinism. */
import { oracleAutoscaling, renderSimulationSvg, simulateAutoscaling, type SimulationResult, type SimulationStep } from '../../../lib/core';
import { validationErrorOf } from '../../support/problems';

interface XmlElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const decode = (s: string): string =>
  s.replace(/&([a-z]+);/g, (_, e: string) => {
    if (!(e in ENTITIES)) throw new Error(`unknown entity &${e};`);
    return ENTITIES[e]!;
  });

/** A strict parser for the XML subset an SVG needs (elements, quoted attributes, text, the five entities); throws when not well-formed. */
function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const token = /<\/([\w:-]+)\s*>|<([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while (at < xml.length) {
    token.lastIndex = at;
    m = token.exec(xml);
    if (!m) throw new Error(`not well-formed at ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
    at = token.lastIndex;
    const top = stack[stack.length - 1]!;
    if (m[1]) {
      if (top.name !== m[1]) throw new Error(`</${m[1]}> closes <${top.name}>`);
      stack.pop();
    } else if (m[2]) {
      const attributes: Record<string, string> = {};
      for (const a of m[3]!.matchAll(/([\w:-]+)="([^"]*)"/g)) {
        if (a[1]! in attributes) throw new Error(`duplicate attribute ${a[1]}`);
        attributes[a[1]!] = decode(a[2]!);
      }
      const element: XmlElement = { name: m[2], attributes, children: [], text: '' };
      top.children.push(element);
      if (!m[4]) stack.push(element);
    } else {
      if (/&(?![a-z]+;)/.test(m[5]!)) throw new Error(`raw & in text: ${m[5]}`);
      top.text += decode(m[5]!);
    }
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1]!.name}>`);
  const elements = root.children;
  if (elements.length !== 1 || root.text.trim() !== '') throw new Error('expected one root element');
  return elements[0]!;
}

const all = (e: XmlElement, name: string): XmlElement[] => [...(e.name === name ? [e] : []), ...e.children.flatMap((c) => all(c, name))];
const texts = (e: XmlElement): string[] => all(e, 'text').map((t) => t.text);
const pointsOf = (svg: XmlElement, series: string): [number, number][] => {
  const line = all(svg, 'polyline').find((p) => p.attributes['data-series'] === series);
  if (!line) throw new Error(`no ${series} series`);
  return line.attributes['points']!.split(' ').map((p) => p.split(',').map(Number) as [number, number]);
};
const panel = (svg: XmlElement, id: string): XmlElement => all(svg, 'g').find((g) => g.attributes['id'] === id)!;

/** A hand-made result: 4 syncs over 60 s. */
const steps: SimulationStep[] = [
  { t: 0, rps: 0, desiredReplicas: 1, readyReplicas: 1, latencySeconds: 0.05 },
  { t: 15, rps: 40, desiredReplicas: 4, readyReplicas: 1, latencySeconds: Infinity },
  { t: 30, rps: 40, desiredReplicas: 4, readyReplicas: 4, latencySeconds: 0.12 },
  { t: 45, rps: 20, desiredReplicas: 4, readyReplicas: 4, latencySeconds: 0.06 },
];
const small: SimulationResult = { steps, replicaSeconds: 195, violationSeconds: 15, durationSeconds: 60 };
const slo = { latencySeconds: 0.1, percentile: 0.99 };

test('the test parser refuses what is not well-formed', () => {
  expect(() => parseXml('<a><b></a>')).toThrow(/closes/);
  expect(() => parseXml('<a x=1/>')).toThrow(/not well-formed/);
  expect(() => parseXml('<a>R&D</a>')).toThrow(/raw &/);
  expect(() => parseXml('<a/><b/>')).toThrow(/one root/);
});

describe('a small result', () => {
  const text = renderSimulationSvg(small, { slo, title: 'Spike <b> & "friends"', oracle: [{ t: 0, replicas: 0 }, { t: 15, replicas: 3 }, { t: 45, replicas: 2 }] });
  const svg = parseXml(text);

  test('a standalone SVG: one root with the SVG namespace, a viewBox of the default size, the title escaped', () => {
    expect(svg.name).toBe('svg');
    expect(svg.attributes).toMatchObject({ xmlns: 'http://www.w3.org/2000/svg', viewBox: '0 0 960 600', width: '960', height: '600' });
    expect(all(svg, 'title').map((t) => t.text)).toEqual(['Spike <b> & "friends"']);
    expect(text).toContain('Spike &lt;b&gt; &amp; &quot;friends&quot;');
    expect(text).not.toMatch(/NaN|Infinity|undefined/);
  });

  test('a legend names every series and the objective; the axes are labelled', () => {
    const legend = texts(all(svg, 'g').find((g) => g.attributes['class'] === 'legend')!);
    expect(legend).toEqual(['load (requests/s)', 'replicas set', 'replicas ready', 'oracle: ready replicas needed', 'p99 latency', 'objective 100 ms', 'objective missed']);
    expect(texts(svg)).toEqual(expect.arrayContaining(['requests/s', 'replicas', 'p99 latency, ms (capped at 400)', 'time, s']));
  });

  test('each series is a step line: two points per sync, from the left edge of the plot to the right', () => {
    for (const series of ['rps', 'desired', 'ready', 'latency']) {
      const points = pointsOf(svg, series);
      expect(points).toHaveLength(2 * steps.length);
      expect(points[0]![0]).toBe(64);
      expect(points[points.length - 1]![0]).toBe(960 - 20);
    }
    expect(pointsOf(svg, 'oracle')).toHaveLength(6);
    // x: 15 s of 60 s is a quarter of the 876 px plot.
    expect(pointsOf(svg, 'rps')[2]![0]).toBe(64 + 876 / 4);
  });

  test('values scale into their panel: 0 at its bottom, the top tick at its top, everything inside the viewBox', () => {
    const bottoms = ['load', 'replicas', 'latency'].map((id) => {
      const ys = all(panel(svg, id), 'line').map((l) => Number(l.attributes['y1']));
      return { top: Math.min(...ys), bottom: Math.max(...ys) };
    });
    const rps = pointsOf(svg, 'rps');
    expect(rps[0]![1]).toBe(bottoms[0]!.bottom); // 0 rps
    expect(rps[2]![1]).toBe(bottoms[0]!.top); // 40 rps: the top tick is 40
    const desired = pointsOf(svg, 'desired');
    expect(desired[2]![1]).toBe(bottoms[1]!.top); // 4 replicas: the top tick is 4
    // Unbounded latency is drawn at the top of the latency axis, 0.12 s in between.
    const latency = pointsOf(svg, 'latency');
    expect(latency[2]![1]).toBe(bottoms[2]!.top);
    expect(latency[4]![1]).toBeGreaterThan(bottoms[2]!.top);
    expect(latency[4]![1]).toBeLessThan(bottoms[2]!.bottom);
    for (const series of ['rps', 'desired', 'ready', 'oracle', 'latency']) {
      for (const [x, y] of pointsOf(svg, series)) {
        expect(x).toBeGreaterThanOrEqual(0);
        expect(x).toBeLessThanOrEqual(960);
        expect(y).toBeGreaterThanOrEqual(0);
        expect(y).toBeLessThanOrEqual(600);
      }
    }
  });

  test('the syncs that miss the objective are shaded, touching ones merged into one span; the objective is a line', () => {
    const shaded = all(svg, 'rect').filter((r) => r.attributes['class'] === 'violation');
    expect(shaded.map((r) => [Number(r.attributes['x']), Number(r.attributes['width'])])).toEqual([[64 + 219, 438]]); // t = 15…45
    const objective = all(svg, 'line').find((l) => l.attributes['class'] === 'objective')!;
    expect(Number(objective.attributes['y1'])).toBeGreaterThan(pointsOf(svg, 'latency')[2]![1]);
  });

  test('deterministic: the same input gives the same bytes', () => {
    expect(renderSimulationSvg(small, { slo, title: 'Spike <b> & "friends"', oracle: [{ t: 0, replicas: 0 }, { t: 15, replicas: 3 }, { t: 45, replicas: 2 }] })).toBe(text);
  });

  test('without an oracle there is no oracle series nor legend entry; the mean objective is named so', () => {
    const plain = parseXml(renderSimulationSvg(small, { slo: { latencySeconds: 0.1 }, width: 640, height: 400 }));
    expect(all(plain, 'polyline').map((p) => p.attributes['data-series'])).toEqual(['rps', 'desired', 'ready', 'latency']);
    expect(texts(plain)).toContain('mean latency');
    expect(texts(plain)).toContain('Autoscaling simulation');
    expect(plain.attributes['viewBox']).toBe('0 0 640 400');
  });

  test('a narrow chart wraps the legend into rows and moves the panels down to make room', () => {
    const rowsOf = (svg: XmlElement): number => new Set(all(all(svg, 'g').find((g) => g.attributes['class'] === 'legend')!, 'text').map((t) => t.attributes['y'])).size;
    const topOf = (svg: XmlElement): number => Math.min(...all(panel(svg, 'load'), 'line').map((l) => Number(l.attributes['y1'])));
    const wide = parseXml(renderSimulationSvg(small, { slo, width: 1600 }));
    const narrow = parseXml(renderSimulationSvg(small, { slo, width: 320 }));
    expect(rowsOf(wide)).toBe(1);
    expect(rowsOf(narrow)).toBe(4); // at about 6 px a character: two short items share the first row
    expect(topOf(narrow) - topOf(wide)).toBe(3 * 16);
    for (const t of all(narrow, 'text')) expect(Number(t.attributes['y'])).toBeLessThanOrEqual(600);
  });
});

describe('a week of syncs', () => {
  // 40,320 syncs: a daily wave of load, simulated.
  const trace = Array.from({ length: 7 * 24 * 6 }, (_, i) => ({ t: i * 600, rps: 100 + 80 * Math.sin((2 * Math.PI * i) / 144) }));
  const options = { trace, capacity: { throughputPerReplica: 20 }, modelLoadTimeSeconds: 120, slo: { latencySeconds: 0.5 }, hpa: { minReplicas: 1, maxReplicas: 40 }, metrics: [{ type: 'Pods' as const, signal: 'rps' as const, targetAverageValue: 14 }] };
  const result = simulateAutoscaling(options);
  const oracle = oracleAutoscaling(options);
  const text = renderSimulationSvg(result, { slo: options.slo, oracle: oracle.needed });
  const svg = parseXml(text);

  test('each column keeps at most its first, lowest, highest and last value, so the file stays small', () => {
    expect(result.steps.length).toBeGreaterThan(40_000);
    for (const series of ['rps', 'desired', 'ready', 'latency']) expect(pointsOf(svg, series).length).toBeLessThanOrEqual(4 * 876 + 1);
    expect(text.length).toBeLessThan(200_000);
  });

  test('the extremes survive: the highest replica count is drawn, and the time axis is in days', () => {
    const most = Math.max(...result.steps.map((s) => s.desiredReplicas));
    const ticks = all(panel(svg, 'replicas'), 'line').map((l) => Number(l.attributes['y1']));
    const top = Math.min(...ticks);
    const bottom = Math.max(...ticks);
    const topTick = Number(texts(panel(svg, 'replicas')).filter((t) => /^\d+$/.test(t)).at(-1));
    const highest = Math.min(...pointsOf(svg, 'desired').map(([, y]) => y));
    expect(highest).toBeCloseTo(bottom - ((bottom - top) * most) / topTick, 0);
    expect(texts(svg)).toContain('time, days');
  });
});

test('bad input: every problem at once, naming the prop', () => {
  const error = validationErrorOf(() => renderSimulationSvg({ steps: [], replicaSeconds: 0, violationSeconds: 0, durationSeconds: 0 }, { slo: { latencySeconds: 0 }, width: 100, height: 1.5 }));
  expect(error.problems.map((p) => p.prop)).toEqual(['result.steps', 'result.durationSeconds', 'slo.latencySeconds', 'width', 'height']);
});
