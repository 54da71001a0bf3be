/**
 * `npx ts-node -T bench/images.ts`: the model-image benchmark of issue 3, written to
 * bench/results/images.md (a fragment for BENCHMARKS.md).
 *
 * 1. Rebuilds with buildah's layer cache: temporary copies of examples/models/churn (custom
 *    runtime) and examples/models/fraud (TorchServe) with large pseudo-random weights, each
 *    repetition built cold, rebuilt unchanged, after a code-only change and after a
 *    weights-only change. The build context is regenerated with the library before every build
 *    (timed on its own, in a fresh process).
 * 2. Hashing a 1 GiB weights directory the library's way (renderModelService: read the
 *    directory, plan, hashContext), beside `sha256sum` and Node's own reading and hashing.
 *
 * Needs `bash scripts/e2e/setup.sh` (buildah and the suite's local base images). Builds FROM
 * stand-in bases, as the e2e suite does. Environment, for trying changes only:
 * BENCH_IMAGES_REPS (default 3), BENCH_IMAGES_CHURN_MIB (256), BENCH_IMAGES_FRAUD_MIB (128),
 * BENCH_IMAGES_HASH_MIB (1024).
 */
import { execFileSync, spawn } from 'child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import { join, relative } from 'path';
import { performance } from 'perf_hooks';
import { containerEnv, imageExists, PYTHON_BASE } from '../test/e2e/support/containers';
import { fromReferences } from '../test/e2e/support/stand-ins';
import { Build, BenchStorage, buildahVersion } from './images/buildah';
import { changeCode, changeWeights, MiB, prepareHashSnapshot, prepareRebuildModel, REBUILD_MODELS, RebuildModel } from './images/fixtures';
import { ContextResult, CryptoResult, ReadHashResult, WorkerResult } from './images/protocol';
import { renderReport, RebuildCase, RebuildRun, HashRun, RunInfo } from './images/report';
import { forkWorker, gitDescription, ROOT, runMain, snapshot } from './support';

const OUTPUT = join(ROOT, 'bench', 'results', 'images.md');
const EXAMPLES = join(ROOT, 'examples', 'models');
const CHILD_TIMEOUT_MS = 180_000;
/** Where the benchmark's images are tagged (in its own storage). */
const BENCH_REPOSITORY = 'localhost/modelship-bench';
const HASH_SHARDS = 4;

const envNumber = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number; got ${v}`);
  return n;
};
const REPS = Math.round(envNumber('BENCH_IMAGES_REPS', 3));
/** The size of a model's large weights file. */
const weightsBytes = (model: RebuildModel): number => Math.round(envNumber(model.weightsEnv, model.weightsMiB) * MiB);
const HASH_BYTES = Math.round(envNumber('BENCH_IMAGES_HASH_MIB', 1024) * MiB);

const loadSamples: number[] = [];

function runWorker<T extends WorkerResult>(snapshotDir: string, args: string[]): Promise<T> {
  loadSamples.push(os.loadavg()[0]!);
  return forkWorker<T>(join(snapshotDir, 'bench', 'images', 'worker.js'), args, CHILD_TIMEOUT_MS);
}

/** `/usr/bin/time -f '%e %M' sha256sum files…`: wall time measured here, peak RSS from time(1). */
function sha256sum(files: readonly string[]): Promise<{ ms: number; peakRssBytes: number }> {
  loadSamples.push(os.loadavg()[0]!);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', 'TIME %e %M', 'sha256sum', '--', ...files], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      const m = /TIME [\d.]+ (\d+)/.exec(stderr);
      if (code !== 0 || !m) reject(new Error(`sha256sum exited with ${code}: ${stderr}`));
      else resolve({ ms, peakRssBytes: Number(m[1]) * 1024 });
    });
  });
}

function tool(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

/** The context files that differ between two renders. */
function changedFiles(before: ContextResult, after: ContextResult): string[] {
  const old = new Map(before.files.map((f) => [f.path, f.sha256]));
  return after.files.filter((f) => old.get(f.path) !== f.sha256).map((f) => f.path);
}

/** Bytes of the context the build copied again: the sources of every COPY step not taken from the cache. */
function recopiedBytes(build: Build, ctx: ContextResult): number {
  let bytes = 0;
  for (const step of build.steps) {
    const m = /^(?:COPY|ADD)\s+(?:--\S+\s+)*(\S+)\s/.exec(step.instruction);
    if (!m || step.cached) continue;
    const source = m[1]!;
    bytes += ctx.files.filter((f) => (source.endsWith('/') ? f.path.startsWith(source) : f.path === source)).reduce((n, f) => n + f.bytes, 0);
  }
  return bytes;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function rebuildBenchmark(snapshotDir: string, work: string, storage: BenchStorage, model: RebuildModel, standIns: Set<string>): Promise<RebuildRun[]> {
  const modelsDir = join(work, 'models');
  const runs: RebuildRun[] = [];
  for (let rep = 1; rep <= REPS; rep++) {
    const dir = prepareRebuildModel(EXAMPLES, modelsDir, model, weightsBytes(model), `rep${rep}`);
    let previous: ContextResult | undefined;
    try {
      const step = async (kind: RebuildCase, expectChanged: readonly string[] | undefined): Promise<void> => {
        const ctxDir = join(work, 'contexts', `${model.name}-${kind}`);
        const ctx = await runWorker<ContextResult>(snapshotDir, ['context', model.name, modelsDir, ctxDir]);
        if (previous && expectChanged) {
          const changed = changedFiles(previous, ctx);
          if (changed.join(',') !== expectChanged.join(',')) {
            throw new Error(`${model.name} ${kind}: expected only ${expectChanged.join(', ') || 'nothing'} to change in the context, got ${changed.join(', ') || 'nothing'}`);
          }
        }
        // The generated FROM, satisfied by a stand-in: the suite's python3 base under that name.
        for (const ref of fromReferences(ctx.dockerfile)) {
          if (standIns.has(ref)) continue;
          await storage.tagStandIn(ref);
          standIns.add(ref);
        }
        const tag = `${BENCH_REPOSITORY}/${model.name}:${ctx.tag}`;
        const build = await storage.bud(ctxDir, tag, { noCache: kind === 'cold' });
        rmSync(ctxDir, { recursive: true, force: true });
        const cached = build.steps.filter((s) => s.cached).length;
        const recopied = recopiedBytes(build, ctx);
        runs.push({ model: model.name, rep, kind, context: ctx, buildMs: build.ms, steps: build.steps.length, cachedSteps: cached, recopiedBytes: recopied, instructions: build.steps.map((s) => `${s.cached ? 'cached' : 'built '} ${s.instruction}`) });
        console.log(
          `${model.name.padEnd(6)} rep ${rep}/${REPS} ${kind.padEnd(12)} context ${secs(ctx.renderMs).padStart(8)} + write ${secs(ctx.writeMs).padStart(7)}  ` +
            `build ${secs(build.ms).padStart(8)}  cached ${cached}/${build.steps.length - 1} steps, re-copied ${(recopied / MiB).toFixed(1)} MiB  peak RSS ${(ctx.peakRssBytes / MiB).toFixed(0)} MiB`,
        );
        previous = ctx;
      };
      const codeChanged = model.runtime === 'torchserve' ? ['archive/fraud.mar'] : [`code/${model.codeFile}`];
      const weightsChanged = model.runtime === 'torchserve' ? ['archive/fraud.mar'] : [`weights/${model.weightsFile}`];

      await step('cold', undefined);
      await step('no-change', []);
      changeCode(dir, model, `rep ${rep}`);
      await step('code-only', codeChanged);
      changeWeights(dir, model, weightsBytes(model), `rep ${rep}`);
      await step('weights-only', weightsChanged);
    } finally {
      // Each repetition starts from the base alone.
      const left = await storage.removeBuilt();
      if (left > 0) console.warn(`warning: ${left} image(s) of ${model.name} rep ${rep} could not be removed (the storage is deleted at the end anyway)`);
    }
  }
  return runs;
}

async function hashBenchmark(snapshotDir: string, work: string): Promise<{ runs: HashRun[]; files: number }> {
  const modelsDir = join(work, 'hash-models');
  const dir = join(modelsDir, 'summarizer');
  mkdirSync(modelsDir, { recursive: true });
  const t0 = performance.now();
  prepareHashSnapshot(EXAMPLES, dir, HASH_BYTES, HASH_SHARDS);
  console.log(`wrote a ${(HASH_BYTES / MiB).toFixed(0)} MiB snapshot (${HASH_SHARDS} shards) in ${secs(performance.now() - t0)}`);
  const files = readdirSync(dir).sort().map((f) => join(dir, f));
  const runs: HashRun[] = [];
  for (let rep = 1; rep <= REPS; rep++) {
    const lib = await runWorker<ContextResult>(snapshotDir, ['context', 'summarizer', modelsDir, '-']);
    const sum = await sha256sum(files);
    const read = await runWorker<ReadHashResult>(snapshotDir, ['read-hash', dir]);
    const crypto = await runWorker<CryptoResult>(snapshotDir, ['crypto', String(HASH_BYTES)]);
    runs.push({ rep, library: lib, sha256sum: sum, readHash: read, crypto });
    console.log(
      `hash   rep ${rep}/${REPS} modelship ${secs(lib.renderMs)} (hashContext ${secs(lib.hashMs)}, peak ${(lib.peakRssAfterRenderBytes / MiB).toFixed(0)} MiB)  ` +
        `sha256sum ${secs(sum.ms)}  node read+hash ${secs(read.ms)}  node crypto ${secs(crypto.hashMs)}`,
    );
  }
  return { runs, files: files.length };
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadBefore = os.loadavg();
  containerEnv(); // throws, with the fix, when scripts/e2e/setup.sh has not run
  if (!(await imageExists(PYTHON_BASE))) throw new Error(`${PYTHON_BASE} is missing: run \`bash scripts/e2e/setup.sh\` (as root) first`);
  const buildah = await buildahVersion();
  const { dir: snapshotDir, libDigest } = snapshot(['lib', join('bench', 'images'), join('examples', 'serving-stack.ts')], 'modelship-bench-images-snapshot-');
  const work = mkdtempSync(join(os.tmpdir(), 'modelship-bench-images-'));
  const standIns = new Set<string>();
  let storage: BenchStorage | undefined;
  try {
    const t0 = performance.now();
    storage = await BenchStorage.create(join(work, 'containers'), PYTHON_BASE);
    console.log(`copied ${PYTHON_BASE} into the benchmark's container storage in ${secs(performance.now() - t0)}`);
    const storageDriver = (await storage.buildah(['info', '--format', '{{.store.GraphDriverName}}'], 30_000, true)).stdout.trim() || 'overlay';
    const rebuilds: RebuildRun[] = [];
    for (const model of REBUILD_MODELS) rebuilds.push(...(await rebuildBenchmark(snapshotDir, work, storage, model, standIns)));
    const hash = await hashBenchmark(snapshotDir, work);
    const info: RunInfo = {
      reps: REPS,
      weightsBytes: Object.fromEntries(REBUILD_MODELS.map((m) => [m.name, weightsBytes(m)])),
      hashBytes: HASH_BYTES,
      hashFiles: hash.files,
      hashShards: HASH_SHARDS,
      elapsedS: (performance.now() - started) / 1000,
      code: `${gitDescription('unknown')} (lib/ sources sha256 ${libDigest}…)`,
      buildah,
      storageDriver,
      sha256sum: tool('sha256sum', ['--version']).split('\n')[0] ?? 'unknown',
      sha256sumLinksOpenssl: /libcrypto/.test(tool('ldd', [tool('sh', ['-c', 'command -v sha256sum'])])),
      cpuShaExtensions: /\bsha_ni\b/.test(readFileSync('/proc/cpuinfo', 'utf8')),
      standIns: [...standIns].sort(),
      standInBase: PYTHON_BASE,
      loadBefore,
      loadAfter: os.loadavg(),
      loadSamples,
      output: relative(ROOT, OUTPUT),
    };
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    const text = renderReport(rebuilds, hash.runs, info);
    writeFileSync(OUTPUT, text);
    console.log(`\nwrote ${OUTPUT} (${info.elapsedS.toFixed(0)} s)`);
  } finally {
    await storage?.destroy();
    rmSync(work, { recursive: true, force: true });
    rmSync(snapshotDir, { recursive: true, force: true });
  }
}

runMain(main);
