/**
 * The Pulumi benchmark: registration time and peak memory of N Pulumi `ModelService`s under
 * `pulumi.runtime.setMocks`, against the identical objects registered directly as typed
 * `@pulumi/kubernetes` resources, each measurement in a fresh child process. Writes its own
 * section to bench/results/pulumi.md (merged into BENCHMARKS.md by hand).
 *
 *   npx ts-node -T bench/pulumi.ts
 *
 * lib/ and bench/ are first transpiled (per file, as `ts-node --transpile-only` would, without
 * source maps) into a temporary snapshot and every worker runs that JavaScript: all measurements
 * of one run see the same code even while lib/ is being edited, and no worker pays for ts-node's
 * source-map support, which maps the stack trace the Pulumi SDK captures for every promise it
 * creates and would otherwise dominate both modes.
 *
 * Environment: `BENCH_SIZES=100` and `BENCH_REPS=2` shrink the run (for trying changes).
 */
import { mkdirSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import { dirname, join } from 'path';
import { performance } from 'perf_hooks';
import { LIVE_MODES, PULUMI_MODES, PulumiLiveResult, PulumiMode, PulumiWorkerResult } from './pulumi-protocol';
import { en, fmtMiB, fmtMs, fmtRatio, forkWorker, interleavedRuns, gitDescription, isoDate, machine, pairedRatio, plan, Plan, ROOT, runMain, snapshot, summarizeTimes, TimedCell } from './support';

const OUTPUT = join(ROOT, 'bench', 'results', 'pulumi.md');
const CHILD_TIMEOUT_MS = 600_000;
/** Services in the fairness check. */
const VERIFY_N = 100;
/** The issue's target: modelship within 1.2× the raw-resource baseline. */
const TARGET_RATIO = 1.2;

/** The issue's sizes (100, 1,000), and 800 and 1,200 to show the peak-memory ratio is not one lucky point of V8's collection schedule. */
const DEFAULT_PLAN: Plan = [
  [100, 7],
  [800, 3],
  [1000, 7],
  [1200, 3],
];

const runWorker = <T>(snapshotDir: string, args: string[]): Promise<T> => forkWorker<T>(join(snapshotDir, 'bench', 'pulumi-worker.js'), args, CHILD_TIMEOUT_MS);

interface Cell extends TimedCell {
  readonly registrations: number;
  readonly kubernetesResources: number;
  /** Heap live after a full GC once every registration is issued (one untimed run; not measured for `modelship-lighter-start`). */
  readonly liveHeap: number;
}

function summarize(runs: PulumiWorkerResult[], live: PulumiLiveResult | undefined): Cell {
  return {
    ...summarizeTimes(runs),
    liveHeap: live?.liveHeapBytes ?? Number.NaN,
    registrations: runs[0]!.registrations,
    kubernetesResources: runs[0]!.kubernetesResources,
  };
}


interface RunInfo {
  readonly plan: (readonly [number, number])[];
  readonly elapsedS: number;
  readonly code: string;
  readonly loadBefore: number[];
  readonly loadAfter: number[];
}

/** The runs at one N and their per-mode summaries. */
interface Measured {
  readonly cells: Record<PulumiMode, Cell>;
  readonly runs: readonly PulumiWorkerResult[];
}

type RunMeasure = (r: PulumiWorkerResult) => number;
const WALL: RunMeasure = (r) => r.ms;
const CPU: RunMeasure = (r) => r.cpuMs;
const PEAK: RunMeasure = (r) => r.peakRssBytes;

function report(results: Map<number, Measured>, info: RunInfo): { text: string; verdict: string[] } {
  const cpus = os.cpus();
  const sizes = [...results.keys()];
  const at = (n: number) => results.get(n)!.cells;
  /** `a` over `b` within each repetition, the median over repetitions. */
  const ratio = (n: number, f: RunMeasure, a: PulumiMode = 'modelship', b: PulumiMode = 'raw') => pairedRatio(results.get(n)!.runs, PULUMI_MODES, a, b, f);
  const liveRatio = (n: number) => at(n).modelship.liveHeap / at(n).raw.liveHeap;
  const met = (r: (n: number) => number) => sizes.every((n) => r(n) <= TARGET_RATIO);
  const list = (r: (n: number) => number) => sizes.map((n) => `${fmtRatio(r(n))} at N=${en(n)}`).join(', ');
  const pair = (a: PulumiMode, b: PulumiMode, f: RunMeasure) => list((n) => ratio(n, f, a, b));
  const verdict = [
    `- **Time within ${TARGET_RATIO}× the raw-resource baseline: ${met((n) => ratio(n, WALL)) ? 'met' : 'not met'}.** modelship / baseline wall time: ${list((n) => ratio(n, WALL))} (CPU time: ${list((n) => ratio(n, CPU))}).`,
    `- **Peak memory within ${TARGET_RATIO}×: ${met((n) => ratio(n, PEAK)) ? 'met' : 'not met'}.** modelship / baseline peak RSS: ${list((n) => ratio(n, PEAK))}.`,
    `- **Peak RSS depends on the heap a run starts from:** every mode starts holding the baselines' pre-rendered objects (modelship leaves them unused). Started without them, modelship's peak RSS is ${pair('modelship-lighter-start', 'raw', PEAK)} the baseline's: V8 triggers each major collection at a multiple of the heap live after the previous one, so a lighter start collects earlier and ends with more uncollected garbage, holding no more at any point.`,
    `- **Live memory within ${TARGET_RATIO}×: ${met(liveRatio) ? 'met' : 'not met'}.** modelship / baseline heap live once every service is registered: ${list(liveRatio)}. Peak RSS is that plus garbage not yet collected: the process ends before V8's next major collection, so its peak depends on when the last one ran, which is why the two ratios differ.`,
    `- **Where the difference comes from:** the same resources as children of a bare ComponentResource per service take ${pair('component', 'raw', WALL)} the baseline's time and ${pair('component', 'raw', PEAK)} its peak memory: the cost of being a Pulumi component at all (one more registration per service, plus \`registerOutputs\`). modelship over that bare component: ${pair('modelship', 'component', WALL)} the time, ${pair('modelship', 'component', PEAK)} the peak memory (rendering and validation inside the registration loop, outputs, await timeouts and dependencies).`,
  ];
  const meanLoad = (info.loadBefore[0]! + info.loadAfter[0]!) / 2;
  if (meanLoad > 1 + cpus.length * 0.5) {
    verdict.push(`- **Caution:** other work was running (1-minute load average ${info.loadBefore[0]!.toFixed(2)} before the run, ${info.loadAfter[0]!.toFixed(2)} after, of which about 1 is the benchmark, on ${cpus.length} cores): wall times are noisy; the CPU-time ratios are the steadier comparison.`);
  }
  const lines = [
    '## Pulumi: registering N ModelServices under mocks',
    '',
    'Time and peak memory of a Pulumi program of N `ModelService`s (`modelship/pulumi`) run under',
    '`pulumi.runtime.setMocks`, against the identical objects registered directly as typed',
    '`@pulumi/kubernetes` resources (no component) in the same run.',
    '',
    `- **Command:** \`npx ts-node -T bench/pulumi.ts\` (\`bench/pulumi.ts\`, \`bench/pulumi-worker.ts\`; ${info.elapsedS.toFixed(0)} s in all; rewrites bench/results/pulumi.md)`,
    `- **Date:** ${isoDate()}`,
    `- **Code:** ${info.code}`,
    `- **Machine:** ${machine(info.loadBefore, info.loadAfter)}`,
    `- **Software:** Node ${process.version}, @pulumi/pulumi ${require('@pulumi/pulumi/package.json').version}, @pulumi/kubernetes ${require('@pulumi/kubernetes/package.json').version}`,
    '',
    '### Result',
    '',
    ...verdict,
    '',
    '### Time',
    '',
    'Medians, with the range over repetitions in brackets. Registrations count every resource the',
    'SDK sent to the (mock) engine: a component per service adds one.',
    '',
    '| N | registrations (modelship / baseline) | modelship | bare component + typed children | raw typed resources (baseline) | modelship / baseline | bare component / baseline |',
    '|--:|--:|--:|--:|--:|--:|--:|',
    ...sizes.map((n) => {
      const r = at(n);
      const cell = (c: Cell) => `${fmtMs(c.ms)} (${fmtMs(c.min)} – ${fmtMs(c.max)})`;
      return `| ${en(n)} | ${en(r.modelship.registrations)} / ${en(r.raw.registrations)} | ${cell(r.modelship)} | ${cell(r.component)} | ${cell(r.raw)} | **${fmtRatio(ratio(n, WALL))}** | ${fmtRatio(ratio(n, WALL, 'component'))} |`;
    }),
    '',
    'CPU time (user + system, all threads, so including parallel GC), medians:',
    '',
    '| N | modelship | bare component | baseline | modelship / baseline | per service: modelship, baseline |',
    '|--:|--:|--:|--:|--:|--:|',
    ...sizes.map((n) => {
      const r = at(n);
      return `| ${en(n)} | ${fmtMs(r.modelship.cpuMs)} | ${fmtMs(r.component.cpuMs)} | ${fmtMs(r.raw.cpuMs)} | **${fmtRatio(ratio(n, CPU))}** | ${fmtMs(r.modelship.cpuMs / n)}, ${fmtMs(r.raw.cpuMs / n)} |`;
    }),
    '',
    '### Peak memory',
    '',
    'Median peak RSS of the worker process (`process.resourceUsage().maxRSS`), and in brackets its',
    'rise over the RSS just before the timed region (after setup and a full GC).',
    '',
    '| N | modelship | bare component | raw typed resources (baseline) | modelship / baseline | modelship, lighter start | its ratio to the baseline |',
    '|--:|--:|--:|--:|--:|--:|--:|',
    ...sizes.map((n) => {
      const r = at(n);
      const cell = (c: Cell) => `${fmtMiB(c.peakRss)} (+${fmtMiB(c.rssDelta)})`;
      const lighter = r['modelship-lighter-start'];
      return `| ${en(n)} | ${cell(r.modelship)} | ${cell(r.component)} | ${cell(r.raw)} | **${fmtRatio(ratio(n, PEAK))}** | ${cell(lighter)} | ${fmtRatio(ratio(n, PEAK, 'modelship-lighter-start'))} |`;
    }),
    '',
    '### Live memory',
    '',
    'Heap live after a full GC once every service has been registered and before the mock engine has',
    'answered (one untimed run per mode, `live <mode> <n>`), counted from before anything was rendered:',
    'what the program and the SDK hold at the height of the run, whenever V8 would collect.',
    '',
    '| N | modelship | bare component | raw typed resources (baseline) | modelship / baseline |',
    '|--:|--:|--:|--:|--:|',
    ...sizes.map((n) => {
      const r = at(n);
      return `| ${en(n)} | ${fmtMiB(r.modelship.liveHeap)} | ${fmtMiB(r.component.liveHeap)} | ${fmtMiB(r.raw.liveHeap)} | **${fmtRatio(liveRatio(n))}** |`;
    }),
    '',
    '### Method',
    '',
    '- **Services:** the cycle of five of the synthesis benchmark (`bench/mix.ts`): TorchServe, TF Serving, Triton, vLLM on a GPU and a custom image, 5 or 6 Kubernetes objects each.',
    '- **modelship:** timed from the first `new ModelService(name, props)` until `pulumi.runtime.disconnect()` has seen every registration answered (the component, its typed children, `registerOutputs`). Rendering, validation and the outputs (endpoint, image, …) are inside the timed region.',
    "- **Raw typed resources (the baseline):** the same objects, rendered before the timed region by the core's `renderModelService` (the function `ModelService` calls), registered as `new k8s.apps.v1.Deployment(name, object)` etc. with the names `ModelService` gives its children, no parent and no options; timed the same way.",
    '- **Bare component (for attribution):** the same pre-rendered typed resources as children of one `ComponentResource` per service that calls `registerOutputs({})` and does nothing else.',
    "- **Same starting heap:** the baselines' objects are rendered before the timed region in every mode, modelship's too (which renders its own inside the region and leaves these unused), and stay reachable to the end, so every mode's timed region starts from the same live heap and hence the same schedule of V8's major collections. `modelship, lighter start` is modelship without them.",
    `- **Fairness check (the run fails otherwise):** for N=${VERIFY_N}, all three modes register the same Kubernetes resources (type, name) with deep-equal inputs, equal to the core's objects.`,
    `- **Mocks:** every resource is answered with its inputs as state; the mock monitor deserializes each request and serializes its answer, as the engine's gRPC boundary would, so most of the time is the Pulumi SDK's own per-resource work in both modes.`,
    `- **Isolation:** lib/ and bench/ are transpiled once per run (TypeScript \`transpileModule\`, no source maps) into a temporary snapshot; every repetition is a fresh \`child_process.fork\` with \`--expose-gc\`; modules load and a full GC runs before the timed region. The three modes alternate within each repetition. Repetitions: ${info.plan.map(([n, r]) => `${r} at N=${en(n)}`).join(', ')}.`,
    "- **Ratios** (in bold) are paired: modelship over the baseline within each repetition, whose modes run back to back (in reverse order every other repetition), then the median over repetitions. One mode's runs on this shared machine differ by as much as the ranges in brackets; paired, a slow spell enters a ratio only when it hits one mode of a repetition and not the other, where a ratio of per-mode medians pairs runs from different moments. The times in the tables are per-mode medians; live heap, measured once, is a plain ratio.",
    '',
  ];
  return { text: lines.join('\n'), verdict };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = os.loadavg();
  const steps = plan(DEFAULT_PLAN);
  const { dir, libDigest } = snapshot(['lib', 'bench'], 'modelship-bench-pulumi-');
  try {
    process.stdout.write(`verifying every mode registers the same objects (N=${VERIFY_N})… `);
    await runWorker(dir, ['verify', String(VERIFY_N)]);
    console.log('equal');

    const results = new Map<number, Measured>();
    for (const [n, reps] of steps) {
      const runs = await interleavedRuns(n, reps, PULUMI_MODES, (mode) => runWorker<PulumiWorkerResult>(dir, [mode, String(n)]));
      const live = new Map<PulumiMode, PulumiLiveResult>();
      for (const mode of LIVE_MODES) {
        const r = await runWorker<PulumiLiveResult>(dir, ['live', mode, String(n)]);
        live.set(mode, r);
        console.log(`N=${String(n).padStart(5)} live heap ${mode.padEnd(9)} ${fmtMiB(r.liveHeapBytes)}`);
      }
      const byMode = (mode: PulumiMode) => runs.filter((r) => r.mode === mode);
      if (new Set(runs.map((r) => r.kubernetesResources)).size !== 1) throw new Error(`N=${n}: the modes registered different numbers of Kubernetes resources`);
      results.set(n, { cells: Object.fromEntries(PULUMI_MODES.map((m) => [m, summarize(byMode(m), live.get(m))])) as Record<PulumiMode, Cell>, runs });
    }

    const { text, verdict } = report(results, {
      plan: steps,
      elapsedS: (performance.now() - started) / 1000,
      code: `${gitDescription()} (lib/ sources sha256 ${libDigest}…)`,
      loadBefore,
      loadAfter: os.loadavg(),
    });
    mkdirSync(dirname(OUTPUT), { recursive: true });
    writeFileSync(OUTPUT, text);
    console.log(`\nwrote ${OUTPUT}\n${verdict.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
