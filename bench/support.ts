/**
 * What the benchmark runners (bench/index.ts, bench/pulumi.ts, bench/images.ts) share: the
 * transpiled snapshot of the code under test, the worker runner, plan and summary maths, git
 * and machine descriptions, number formatting. Runs in the parent process only; workers import
 * nothing from here.
 */
import { execFileSync, fork } from 'child_process';
import { createHash } from 'crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import { dirname, join, relative, sep } from 'path';
import * as ts from 'typescript';
import { TimedResult } from './protocol';

export const ROOT = join(__dirname, '..');

// ---------------------------------------------------------------------------------------------
// Plan

export type Plan = readonly (readonly [n: number, reps: number])[];

/** The default plan, shrunk by `BENCH_SIZES=100,1000` and `BENCH_REPS=2` (for trying changes). */
export function plan(defaults: Plan): (readonly [number, number])[] {
  const sizes = process.env.BENCH_SIZES?.split(',').map(Number);
  const reps = process.env.BENCH_REPS ? Number(process.env.BENCH_REPS) : undefined;
  const base = sizes ? sizes.map((n) => [n, defaults.find(([m]) => m === n)?.[1] ?? 3] as const) : defaults;
  return base.map(([n, r]) => [n, reps ?? r] as const);
}

// ---------------------------------------------------------------------------------------------
// Snapshot of the code under test

function* files(path: string): Generator<string> {
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* files(child);
    else if (entry.isFile()) yield child;
  }
}

/**
 * Transpiles `tops` (directories or files under ROOT, per file, as `ts-node --transpile-only`
 * would, without source maps) into a temporary directory named `${prefix}XXXXXX`; returns it and
 * a digest of lib/'s sources.
 */
export function snapshot(tops: readonly string[], prefix: string): { dir: string; libDigest: string } {
  const dir = mkdtempSync(join(os.tmpdir(), prefix));
  const { config, error } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, ROOT);
  const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false };
  const digest = createHash('sha256');
  for (const top of tops) {
    for (const file of files(join(ROOT, top))) {
      const rel = relative(ROOT, file);
      const target = join(dir, rel);
      mkdirSync(dirname(target), { recursive: true });
      if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
        const source = readFileSync(file, 'utf8');
        if (rel.startsWith(`lib${sep}`)) digest.update(`${rel}\0${source}\0`);
        writeFileSync(target.replace(/\.ts$/, '.js'), ts.transpileModule(source, { compilerOptions, fileName: file }).outputText);
      } else {
        copyFileSync(file, target);
      }
    }
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, libDigest: digest.digest('hex').slice(0, 12) };
}

/** The HEAD commit, and whether lib/ has uncommitted changes; `fallback` outside a git checkout. */
export function gitDescription(fallback = 'unknown (not a git checkout)'): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    return git('status', '--porcelain', '--', 'lib') ? `${head} with uncommitted changes in lib/` : head;
  } catch {
    return fallback;
  }
}

// ---------------------------------------------------------------------------------------------
// Workers

/**
 * Forks `script` (a worker in the snapshot) with `--expose-gc` and resolves with the last message
 * it sent, once it exited cleanly; kills it after `timeoutMs`.
 */
export function forkWorker<T>(script: string, args: string[], timeoutMs: number): Promise<T> {
  const label = args.join(' ');
  return new Promise((resolve, reject) => {
    const child = fork(script, args, {
      cwd: ROOT,
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: T | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${label}: no result after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('message', (m) => (result = m as T));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`${label}: worker exited with ${signal ?? code}${result === undefined ? ' and no result' : ''}`));
    });
  });
}

/** Runs a runner's `main`, printing the stack and exiting with 1 if it fails. */
export function runMain(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  });
}

/**
 * Every mode `reps` times at `n`, the modes interleaved within each repetition so that drift in
 * the machine's load reaches them alike, in reverse order every other repetition so that no mode
 * always runs first; each run is logged as it ends. The runs come repetition by repetition (see
 * {@link pairedRatio}).
 */
export async function interleavedRuns<M extends string, R extends TimedResult<M>>(n: number, reps: number, modes: readonly M[], run: (mode: M) => Promise<R>): Promise<R[]> {
  const runs: R[] = [];
  for (let rep = 0; rep < reps; rep++) {
    for (const mode of rep % 2 ? [...modes].reverse() : modes) {
      const r = await run(mode);
      runs.push(r);
      console.log(`N=${String(n).padStart(5)} rep ${rep + 1}/${reps} ${mode.padEnd(9)} ${fmtMs(r.ms).padStart(11)}  cpu ${fmtMs(r.cpuMs).padStart(11)}  peak ${fmtMiB(r.peakRssBytes)}`);
    }
  }
  return runs;
}

// ---------------------------------------------------------------------------------------------
// Summary maths

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * The median over repetitions of `f(a) / f(b)`, each ratio taken between the runs of one
 * repetition of {@link interleavedRuns} (`modes.length` consecutive runs), which ran back to
 * back: slow spells of a shared machine, which last longer than a repetition's runs apart, cancel
 * out of each ratio, where a ratio of per-mode medians pairs runs from different moments.
 */
export function pairedRatio<M extends string, R extends TimedResult<M>>(runs: readonly R[], modes: readonly M[], a: M, b: M, f: (r: R) => number): number {
  const ratios: number[] = [];
  for (let i = 0; i < runs.length; i += modes.length) {
    const rep = runs.slice(i, i + modes.length);
    const ra = rep.find((r) => r.mode === a);
    const rb = rep.find((r) => r.mode === b);
    if (!ra || !rb) throw new Error(`pairedRatio: repetition ${i / modes.length + 1} lacks a run of ${ra ? b : a}`);
    ratios.push(f(ra) / f(rb));
  }
  return median(ratios);
}

/** Time and memory of one mode at one N over its repetitions. */
export interface TimedCell {
  readonly ms: number;
  readonly min: number;
  readonly max: number;
  readonly cpuMs: number;
  readonly peakRss: number;
  readonly rssDelta: number;
}

/** Medians (and wall-time range) of the repetitions' timings. */
export function summarizeTimes(runs: readonly TimedResult<string>[]): TimedCell {
  const ms = runs.map((r) => r.ms);
  return {
    ms: median(ms),
    min: Math.min(...ms),
    max: Math.max(...ms),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    peakRss: median(runs.map((r) => r.peakRssBytes)),
    rssDelta: median(runs.map((r) => r.peakRssBytes - r.rssBeforeBytes)),
  };
}

// ---------------------------------------------------------------------------------------------
// Formatting

export const en = (n: number): string => n.toLocaleString('en-US');
export const fmtMiB = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
export const fmtMs = (ms: number): string => `${en(Number(ms >= 100 ? ms.toFixed(0) : ms >= 10 ? ms.toFixed(1) : ms.toFixed(2)))} ms`;
export const fmtRatio = (r: number): string => `${r.toFixed(2)}×`;
export const fmtLoad = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' / ');
/** The current time, ISO 8601 to the second. */
export const isoDate = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** CPU, cores, RAM, OS and the load average before and after the run (a report's Machine line). */
export function machine(loadBefore: readonly number[], loadAfter: readonly number[]): string {
  const cpus = os.cpus();
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}; load average (1/5/15 min) ${fmtLoad(loadBefore)} before the run, ${fmtLoad(loadAfter)} after`;
}

/** The range of the 1-minute load averages sampled during the run. */
export const loadDuring = (samples: readonly number[]): string => `1-minute load during the run ${Math.min(...samples).toFixed(2)}–${Math.max(...samples).toFixed(2)}`;

// ---------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a small seeded PRNG, uniform in [0, 1), so every run generates the same inputs. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
