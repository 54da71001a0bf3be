/**
 * One measurement in a fresh process: `worker <mode> <n>`, or `worker verify <n>`. Reports a
 * {@link WorkerResult} to the parent over IPC (or prints it as JSON when run by hand).
 *
 * Untimed setup: load modules, build the N props (user code), and for the baselines render the
 * plain objects with the core's `renderModelService`. Then a full GC, and the timed region:
 *
 * - `modelship`: App + Chart + N × `new ModelService(...)` + `app.synth()` to a temp outdir.
 * - `apiobject`: App + Chart + one `new ApiObject(chart, ...)` per precomputed object + `app.synth()`.
 * - `json`: `JSON.stringify` of the precomputed objects (one string per object).
 *
 * In the two synth modes the time spent in cdk8s's `Yaml.stringify` (synth's serialization
 * step) is recorded too.
 */
import { deepStrictEqual, strictEqual } from 'assert';
import { createHash } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { ApiObject, App, Chart, Yaml } from 'cdk8s';
import { ModelService } from '../lib/cdk8s';
import { KubeObject, ModelServiceProps, renderModelService } from '../lib/core';
import { CHART_ID, serviceId, servicePath, serviceProps } from './mix';
import { Mode, MODES, WorkerResult } from './protocol';

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('bench worker needs --expose-gc');
  collect();
  collect();
}

/** The plain objects of every service, rendered by the core exactly as `ModelService` renders them. */
function precompute(n: number): KubeObject[][] {
  return Array.from({ length: n }, (_, i) => renderModelService({ path: servicePath(i), defaultName: serviceId(i) }, serviceProps(i)).objects);
}

/** App + Chart + N ModelServices. */
function buildModelship(outdir: string, props: ModelServiceProps[]): App {
  const app = new App({ outdir });
  const chart = new Chart(app, CHART_ID);
  props.forEach((p, i) => new ModelService(chart, serviceId(i), p));
  return app;
}

/** App + Chart + one plain ApiObject per precomputed object. */
function buildApiObjects(outdir: string, rendered: KubeObject[][]): App {
  const app = new App({ outdir });
  const chart = new Chart(app, CHART_ID);
  rendered.forEach((objects, i) => {
    const id = serviceId(i);
    for (const object of objects) new ApiObject(chart, `${id}-${object.kind}`, object);
  });
  return app;
}

/** The chart's manifest; a modelship synth also writes compose.yaml (and config/), which the baseline has no equal of. */
function readManifest(outdir: string): string {
  const files = readdirSync(outdir).filter((f) => f.endsWith('.k8s.yaml'));
  if (files.length !== 1) throw new Error(`expected one manifest in ${outdir}, found ${readdirSync(outdir).join(', ') || 'none'}`);
  return readFileSync(join(outdir, files[0]!), 'utf8');
}

function withTempDirs<T>(count: number, body: (dirs: string[]) => T): T {
  const dirs = Array.from({ length: count }, () => mkdtempSync(join(tmpdir(), 'modelship-bench-')));
  try {
    return body(dirs);
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

/** Throws unless modelship and the baselines get equal objects and synthesize byte-identical manifests. */
function verify(n: number): void {
  withTempDirs(2, ([a, b]) => {
    const rendered = precompute(n);
    const modelship = buildModelship(a!, Array.from({ length: n }, (_, i) => serviceProps(i)));
    const baseline = buildApiObjects(b!, rendered);
    // Each ModelService rendered the very objects the baselines are given…
    const services = modelship.charts[0]!.node.children.filter((c): c is ModelService => c instanceof ModelService);
    strictEqual(services.length, n, 'ModelService count');
    services.forEach((s, i) => deepStrictEqual(s.rendered.objects, rendered[i], `rendered objects of ${servicePath(i)}`));
    // …both charts resolve to equal objects, equal to what JSON.stringify is given…
    const ours = Object.values(modelship.charts[0]!.toJson());
    deepStrictEqual(ours, Object.values(baseline.charts[0]!.toJson()), 'chart.toJson() of modelship vs the ApiObject baseline');
    deepStrictEqual(ours, JSON.parse(JSON.stringify(rendered.flat())), "chart.toJson() vs the core's objects");
    // …and synthesize byte-identical manifests.
    modelship.synth();
    baseline.synth();
    strictEqual(readManifest(a!), readManifest(b!), 'synthesized YAML of modelship vs the ApiObject baseline');
  });
}

function measure(mode: Mode, n: number): WorkerResult {
  const props = Array.from({ length: n }, (_, i) => serviceProps(i));
  const rendered = mode === 'modelship' ? [] : precompute(n);
  const flat = rendered.flat();
  // Time inside synth's YAML serialization (app.synth → Yaml.save → Yaml.stringify).
  let yamlMs = 0;
  const stringify = Yaml.stringify.bind(Yaml);
  Yaml.stringify = (...docs: unknown[]) => {
    const t = performance.now();
    try {
      return stringify(...docs);
    } finally {
      yamlMs += performance.now() - t;
    }
  };
  return withTempDirs(1, ([outdir]) => {
    let output = '';
    gc();
    const rssBeforeBytes = process.memoryUsage().rss;
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    switch (mode) {
      case 'modelship':
        buildModelship(outdir!, props).synth();
        break;
      case 'apiobject':
        buildApiObjects(outdir!, rendered).synth();
        break;
      case 'json':
        output = flat.map((o) => JSON.stringify(o)).join('\n');
        break;
    }
    const ms = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    const peakRssBytes = process.resourceUsage().maxRSS * 1024;
    let objects = flat.length;
    if (mode !== 'json') {
      output = readManifest(outdir!);
      objects = output.split(/^---$/m).length;
    }
    return {
      mode,
      n,
      ms,
      cpuMs: (cpu.user + cpu.system) / 1000,
      ...(mode === 'json' ? {} : { yamlMs }),
      peakRssBytes,
      rssBeforeBytes,
      objects,
      outputBytes: Buffer.byteLength(output),
      outputSha256: createHash('sha256').update(output).digest('hex'),
    };
  });
}

const [command, count] = process.argv.slice(2);
const n = Number(count);
if (!(command === 'verify' || MODES.includes(command as Mode)) || !Number.isInteger(n) || n < 1) {
  console.error(`usage: worker <verify|${MODES.join('|')}> <n>`);
  process.exit(2);
}
let result: WorkerResult | { verified: number };
if (command === 'verify') {
  verify(n);
  result = { verified: n };
} else {
  result = measure(command as Mode, n);
}
if (process.send) process.send(result);
else console.log(JSON.stringify(result));
