/**
 * `npm run bench`: synthesis time and memory of N ModelServices against a plain-ApiObject
 * baseline and bare `JSON.stringify`, each measurement in a fresh child process. Writes
 * bench/results/synth.md, which bench/assemble.ts joins into BENCHMARKS.md.
 *
 * lib/ and bench/ are first transpiled (per file, as `ts-node --transpile-only` would) into a
 * temporary snapshot, and every worker runs that snapshot: all measurements of one run see the
 * same code even while lib/ is being edited, and workers start without TypeScript compilation.
 *
 * Environment: `BENCH_SIZES=100,1000` and `BENCH_REPS=2` shrink the run (for trying changes;
 * BENCHMARKS.md should come from the defaults).
 */
import { rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import { join } from 'path';
import { performance } from 'perf_hooks';
import { Mode, MODES, WorkerResult } from './protocol';
import { en, fmtMiB, fmtMs, fmtRatio, forkWorker, interleavedRuns, gitDescription, isoDate, loadDuring, machine, median, plan, Plan, ROOT, runMain, snapshot, summarizeTimes, TimedCell } from './support';

const OUTPUT = join(ROOT, 'bench', 'results', 'synth.md');
const CHILD_TIMEOUT_MS = 180_000;
/** Services in the fairness check: enough to cycle through the mix many times. */
const VERIFY_N = 100;
/** The issue's target: modelship within 1.2× the ApiObject baseline, growing linearly. */
const TARGET_RATIO = 1.2;
/** Per-service time at the largest N over the smallest N above which growth is called superlinear. */
const LINEAR_TOLERANCE = 1.2;

const DEFAULT_PLAN: Plan = [
  [100, 7],
  [1000, 5],
  [5000, 3],
];

// ---------------------------------------------------------------------------------------------
// Measurements

const runWorker = <T>(snapshotDir: string, args: string[]): Promise<T> => forkWorker<T>(join(snapshotDir, 'bench', 'worker.js'), args, CHILD_TIMEOUT_MS);

interface Cell extends TimedCell {
  readonly yamlMs: number;
  /** Median over runs of (wall time − YAML time). */
  readonly nonYamlMs: number;
  readonly objects: number;
  readonly outputBytes: number;
}

function summarize(runs: WorkerResult[]): Cell {
  return {
    ...summarizeTimes(runs),
    yamlMs: median(runs.map((r) => r.yamlMs ?? 0)),
    nonYamlMs: median(runs.map((r) => r.ms - (r.yamlMs ?? 0))),
    objects: runs[0]!.objects,
    outputBytes: runs[0]!.outputBytes,
  };
}

/** Fails loudly if the two synth modes wrote different manifests or the modes saw different objects. */
function checkOutputs(n: number, runs: WorkerResult[]): void {
  const synth = new Set(runs.filter((r) => r.mode !== 'json').map((r) => r.outputSha256));
  if (synth.size !== 1) throw new Error(`N=${n}: modelship and the ApiObject baseline synthesized different manifests (${[...synth].join(', ')})`);
  const objects = new Set(runs.map((r) => r.objects));
  if (objects.size !== 1) throw new Error(`N=${n}: modes produced different object counts (${[...objects].join(', ')})`);
}

// ---------------------------------------------------------------------------------------------
// Report

interface RunInfo {
  readonly plan: (readonly [number, number])[];
  readonly elapsedS: number;
  readonly code: string;
  readonly loadBefore: number[];
  readonly loadAfter: number[];
  /** 1-minute load average sampled before each worker started (the previous worker still counts in it). */
  readonly loadSamples: number[];
}

const fmtUs = (ms: number) => `${en(Math.round(ms * 1000))} µs`;

function report(results: Map<number, Record<Mode, Cell>>, info: RunInfo): { text: string; verdict: string[] } {
  const cpus = os.cpus();
  const sizes = [...results.keys()];
  const first = sizes[0]!;
  const last = sizes[sizes.length - 1]!;
  const at = (n: number) => results.get(n)!;
  const wallRatio = (n: number) => at(n).modelship.ms / at(n).apiobject.ms;
  const cpuRatio = (n: number) => at(n).modelship.cpuMs / at(n).apiobject.cpuMs;
  const perService = (mode: Mode, n: number) => at(n)[mode].ms / n;
  const growth = (mode: Mode, from = first) => perService(mode, last) / perService(mode, from);
  const wallMet = sizes.every((n) => wallRatio(n) <= TARGET_RATIO);
  const cpuMet = sizes.every((n) => cpuRatio(n) <= TARGET_RATIO);
  const linearMet = growth('modelship') <= LINEAR_TOLERANCE;

  const meanLoad = info.loadSamples.reduce((a, b) => a + b, 0) / info.loadSamples.length;
  // The benchmark itself keeps about one core busy; more than that means someone else was running.
  const busy = info.loadBefore[0]! > cpus.length * 0.5 || meanLoad > 1 + cpus.length * 0.5;
  const ratioVerdict =
    wallMet === cpuMet ? (wallMet ? 'met' : 'not met') : `${wallMet ? 'met' : 'not met'} by wall time, ${cpuMet ? 'met' : 'not met'} by CPU time${busy ? ': inconclusive on this busy machine' : ''}`;
  const verdict = [
    `- **Within ${TARGET_RATIO}× the ApiObject baseline: ${ratioVerdict}.** modelship / baseline wall time: ${sizes.map((n) => `${fmtRatio(wallRatio(n))} at N=${en(n)}`).join(', ')} ` +
      `(CPU time: ${sizes.map((n) => fmtRatio(cpuRatio(n))).join(', ')}).`,
    `- **Linear growth: ${linearMet ? 'met' : 'not met'}.** Time per service at N=${en(last)} is ${fmtRatio(growth('modelship'))} that at N=${en(first)} ` +
      `(baseline ${fmtRatio(growth('apiobject'))})${sizes.length > 2 ? `; N=${en(last)} vs N=${en(sizes[sizes.length - 2]!)}: ${fmtRatio(growth('modelship', sizes[sizes.length - 2]))} (baseline ${fmtRatio(growth('apiobject', sizes[sizes.length - 2]))})` : ''}. ` +
      `"Linear" is taken as a ratio ≤ ${LINEAR_TOLERANCE}×.`,
  ];
  if (busy) {
    verdict.push(
      `- **Caution:** other work was running on the machine (1-minute load average ${info.loadBefore[0]!.toFixed(2)} before the run and ${meanLoad.toFixed(2)} on average during it, of which about 1 is the benchmark, on ${cpus.length} cores), so wall times are inflated and noisy; the CPU-time ratios are the steadier comparison. Re-run on an idle machine for publishable numbers.`,
    );
  }

  const lines = [
    '# Benchmarks',
    '',
    'Synthesis time and peak memory of N `ModelService`s in one cdk8s app, against the same',
    'manifests built from plain cdk8s `ApiObject`s, and against a bare `JSON.stringify` of the objects.',
    '',
    `- **Command:** \`npm run bench\` (\`bench/index.ts\`; ${info.elapsedS.toFixed(0)} s in all; this section)`,
    `- **Date:** ${isoDate()}`,
    `- **Code:** ${info.code}`,
    `- **Machine:** ${machine(info.loadBefore, info.loadAfter)}; ${loadDuring(info.loadSamples)} (the benchmark itself accounts for about 1)`,
    `- **Software:** Node ${process.version}, cdk8s ${require('cdk8s/package.json').version}, constructs ${require('constructs/package.json').version}, yaml ${require('yaml/package.json').version}`,
    '',
    '## Result',
    '',
    ...verdict,
    '',
    '## Wall time',
    '',
    'Medians, with the range over repetitions in brackets.',
    '',
    '| N | objects | modelship: construct + synth | ApiObject baseline: construct + synth | `JSON.stringify` | modelship / baseline | modelship / `JSON.stringify` |',
    '|--:|--:|--:|--:|--:|--:|--:|',
    ...sizes.map((n) => {
      const r = at(n);
      const cell = (c: Cell) => `${fmtMs(c.ms)} (${fmtMs(c.min)} – ${fmtMs(c.max)})`;
      return `| ${en(n)} | ${en(r.modelship.objects)} | ${cell(r.modelship)} | ${cell(r.apiobject)} | ${cell(r.json)} | **${fmtRatio(wallRatio(n))}** | ${fmtRatio(r.modelship.ms / r.json.ms)} |`;
    }),
    '',
    '## Where the time goes',
    '',
    'Medians. CPU time counts every thread of the process (so includes parallel GC); "YAML" is the',
    "wall time inside cdk8s's `Yaml.stringify` during `app.synth()`, the serialization step alone.",
    '',
    '| N | modelship CPU | baseline CPU | CPU ratio | modelship YAML | baseline YAML | modelship without YAML | baseline without YAML |',
    '|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...sizes.map((n) => {
      const r = at(n);
      return `| ${en(n)} | ${fmtMs(r.modelship.cpuMs)} | ${fmtMs(r.apiobject.cpuMs)} | ${fmtRatio(cpuRatio(n))} | ${fmtMs(r.modelship.yamlMs)} | ${fmtMs(r.apiobject.yamlMs)} | ${fmtMs(r.modelship.nonYamlMs)} | ${fmtMs(r.apiobject.nonYamlMs)} |`;
    }),
    '',
    '## Growth: wall time per service',
    '',
    'Per-service time falls as N grows because cold-JIT and fixed costs are spread over more services;',
    'the modelship − baseline column is the cost modelship adds per service.',
    '',
    '| N | modelship | ApiObject baseline | modelship − baseline | `JSON.stringify` |',
    '|--:|--:|--:|--:|--:|',
    ...sizes.map((n) => `| ${en(n)} | ${fmtUs(perService('modelship', n))} | ${fmtUs(perService('apiobject', n))} | ${fmtUs(perService('modelship', n) - perService('apiobject', n))} | ${fmtUs(perService('json', n))} |`),
    `| **ratio ${en(last)} / ${en(first)}** | **${fmtRatio(growth('modelship'))}** | ${fmtRatio(growth('apiobject'))} | | ${fmtRatio(growth('json'))} |`,
    '',
    '## Peak memory',
    '',
    'Median peak RSS of the worker process (`process.resourceUsage().maxRSS`), and in brackets its',
    'rise over the RSS just before the timed region (after setup and a full GC).',
    '',
    '| N | modelship | ApiObject baseline | `JSON.stringify` | manifest size |',
    '|--:|--:|--:|--:|--:|',
    ...sizes.map((n) => {
      const r = at(n);
      const cell = (c: Cell) => `${fmtMiB(c.peakRss)} (+${fmtMiB(c.rssDelta)})`;
      return `| ${en(n)} | ${cell(r.modelship)} | ${cell(r.apiobject)} | ${cell(r.json)} | ${fmtMiB(r.modelship.outputBytes)} |`;
    }),
    '',
    '## Method',
    '',
    '- **Services:** a cycle of five (`bench/mix.ts`): TorchServe from S3 (declared size, workload-identity annotation), TF Serving from HTTPS with sha256, Triton from a PVC, vLLM from Hugging Face (pinned revision, token Secret) on one NVIDIA GPU, and a custom image with a metrics port. Each service renders 5 or 6 objects: ServiceAccount, ConfigMap (runtimes with config files), Deployment, Service, PodDisruptionBudget, NetworkPolicy.',
    '- **modelship:** timed from `new App({ outdir })` through N × `new ModelService(chart, "m<i>", props)` to `app.synth()` writing the manifest to a temporary directory, as `cdk8s synth` does. Building the props (user code) is not timed.',
    "- **ApiObject baseline:** the same objects, rendered before the timed region with the core's `renderModelService` (the function `ModelService` calls); timed: `new App`, `new Chart`, one `new ApiObject(chart, id, object)` per object, `app.synth()` the same way.",
    "- **`JSON.stringify`:** one `JSON.stringify` per object of the same precomputed objects: the floor of any serialization.",
    `- **Fairness checks (the run fails otherwise):** for N=${VERIFY_N}, every \`ModelService\` rendered objects deep-equal to the precomputed ones, both charts' \`toJson()\` are deep-equal and equal to the objects \`JSON.stringify\` gets, and both synthesized files are byte-identical; in every measured run the SHA-256 of the modelship manifest equals the baseline's.`,
    `- **Isolation:** lib/ and bench/ are transpiled once per run (TypeScript \`transpileModule\`, the repository's tsconfig) into a temporary snapshot; every repetition is a fresh \`child_process.fork\` of the snapshot's worker with \`--expose-gc\`. Modules are loaded and a full GC run before the timed region, so times exclude process start but include cold JIT, as a real \`cdk8s synth\` does. The three modes are interleaved within each repetition. Repetitions: ${info.plan.map(([n, r]) => `${r} at N=${en(n)}`).join(', ')}.`,
    '- **Ratios** are ratios of medians. The baselines\' peak RSS includes the precomputed objects, which they hold through the timed region.',
    '',
  ];
  return { text: lines.join('\n'), verdict };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = os.loadavg();
  const steps = plan(DEFAULT_PLAN);
  const { dir, libDigest } = snapshot(['lib', 'bench'], 'modelship-bench-snapshot-');
  try {
    process.stdout.write(`verifying the baseline builds the same objects (N=${VERIFY_N})… `);
    await runWorker(dir, ['verify', String(VERIFY_N)]);
    console.log('equal');

    const results = new Map<number, Record<Mode, Cell>>();
    const loadSamples: number[] = [];
    for (const [n, reps] of steps) {
      const runs = await interleavedRuns(n, reps, MODES, (mode) => {
        loadSamples.push(os.loadavg()[0]!);
        return runWorker<WorkerResult>(dir, [mode, String(n)]);
      });
      checkOutputs(n, runs);
      results.set(n, Object.fromEntries(MODES.map((m) => [m, summarize(runs.filter((r) => r.mode === m))])) as Record<Mode, Cell>);
    }

    const { text, verdict } = report(results, {
      plan: steps,
      elapsedS: (performance.now() - started) / 1000,
      code: `${gitDescription()} (lib/ sources sha256 ${libDigest}…)`,
      loadBefore,
      loadAfter: os.loadavg(),
      loadSamples,
    });
    writeFileSync(OUTPUT, text);
    console.log(`\nwrote ${OUTPUT}\n${verdict.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
