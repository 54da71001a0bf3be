/**
 * buildah for the image benchmark: the e2e suite's tools, config and flags
 * (test/e2e/support/containers.ts: `buildah bud --isolation chroot --pull=never --layers`),
 * but a private, temporary container storage, into which the suite's python3 base is copied
 * and tagged as the stand-ins the generated Dockerfiles build FROM.
 *
 * Private because buildah's layer cache takes the first cached image that matches a step: in
 * the suite's storage, the e2e images built FROM the same stand-in (an identical
 * `RUN install -d …` first step) would be picked, and the rest of the benchmark's chain then
 * missed the cache. A private storage also keeps the benchmark from touching the suite's
 * images, and the suite (possibly running at the same time) from touching the benchmark's.
 */
import { spawn } from 'child_process';
import { promises as fs, readFileSync, writeFileSync, mkdirSync } from 'fs';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { containerEnv } from '../../test/e2e/support/containers';
import { parseBuildLog, LoggedStep } from '../../test/e2e/support/layers';

export interface Build {
  readonly ms: number;
  readonly imageId: string;
  readonly steps: readonly LoggedStep[];
  readonly log: string;
}

interface Result {
  readonly code: number | null;
  readonly stdout: string;
  readonly output: string;
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 300_000, allowFailure = false): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d; output += d; });
    child.stderr.on('data', (d: Buffer) => { output += d; });
    let timedOut = false;
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = `${cmd} ${args.join(' ')}`;
      if (timedOut) reject(new Error(`timed out after ${timeoutMs} ms: ${line}\n${output.slice(-4000)}`));
      else if (code !== 0 && !allowFailure) reject(new Error(`exit ${code}: ${line}\n${output.slice(-4000)}`));
      else resolve({ code, stdout, output });
    });
  });
}

/** A temporary container storage (overlay) under `root`, holding a copy of `base`. */
export class BenchStorage {
  /** Creates the storage under `root` (which must be new or empty) and copies `base` into it from the e2e suite's storage. */
  static async create(root: string, base: string): Promise<BenchStorage> {
    const graph = path.join(root, 'storage');
    const runroot = path.join(root, 'run');
    mkdirSync(graph, { recursive: true });
    mkdirSync(runroot, { recursive: true });
    const conf = path.join(root, 'storage.conf');
    writeFileSync(conf, `[storage]\ndriver = "overlay"\ngraphroot = "${graph}"\nrunroot = "${runroot}"\n`);
    const storage = new BenchStorage(root, { ...containerEnv(), CONTAINERS_STORAGE_CONF: conf });
    await run('buildah', ['push', '--quiet', base, `containers-storage:[overlay@${graph}+${runroot}]${base}`], containerEnv(), 300_000);
    storage.baseId = (await storage.buildah(['inspect', '--type', 'image', '--format', '{{.FromImageID}}', base])).stdout.trim();
    storage.base = base;
    return storage;
  }

  private baseId = '';
  private base = '';

  private constructor(readonly root: string, private readonly env: NodeJS.ProcessEnv) {}

  buildah(args: readonly string[], timeoutMs = 120_000, allowFailure = false): Promise<Result> {
    return run('buildah', args, this.env, timeoutMs, allowFailure);
  }

  /** Tags the base as `reference` (a stand-in), as test/e2e/support/stand-ins.ts does in the suite's storage. */
  async tagStandIn(reference: string): Promise<void> {
    if (reference.includes('@')) throw new Error(`cannot stand in for a digest reference: ${reference}`);
    await this.buildah(['tag', this.base, reference]);
  }

  /**
   * `buildah bud --isolation chroot --pull=never --layers [--no-cache]`. With `noCache` every
   * step runs, and each step's layer is still stored for later builds: a cold build.
   */
  async bud(dir: string, tag: string, options: { noCache?: boolean } = {}): Promise<Build> {
    const iidFile = path.join(this.root, `iid-${process.pid}-${Date.now()}`);
    try {
      const args = ['bud', '--isolation', 'chroot', '--pull=never', '--layers', ...(options.noCache ? ['--no-cache'] : []), '--iidfile', iidFile, '-t', tag, dir];
      const t0 = performance.now();
      const result = await this.buildah(args, 300_000);
      const ms = performance.now() - t0;
      const imageId = readFileSync(iidFile, 'utf8').trim().replace(/^sha256:/, '');
      return { ms, imageId, steps: parseBuildLog(result.output), log: result.output };
    } finally {
      await fs.rm(iidFile, { force: true });
    }
  }

  /** Removes every image but the base (and so its stand-in tags); returns how many images are left besides it. */
  async removeBuilt(): Promise<number> {
    const list = async () => (await this.buildah(['images', '--all', '--no-trunc', '--quiet'])).stdout.split('\n').map((l) => l.trim().replace(/^sha256:/, '')).filter((id) => id && id !== this.baseId);
    // In the order `buildah images` lists them: newest first.
    for (const id of [...new Set(await list())]) await this.buildah(['rmi', '-f', id], 60_000, true);
    return new Set(await list()).size;
  }

  /** Removes every image, unmounts whatever is still mounted under the storage, and deletes it. */
  async destroy(): Promise<void> {
    await this.buildah(['rm', '--all'], 60_000, true);
    await this.buildah(['rmi', '--all', '--force'], 120_000, true);
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((l) => l.split(' ')[1])
      .filter((m): m is string => !!m && (m === this.root || m.startsWith(`${this.root}/`)))
      .sort()
      .reverse();
    for (const m of mounts) await run('umount', ['-l', m], process.env, 30_000, true);
    // --one-file-system: never through a mount that would not go away.
    await run('rm', ['-rf', '--one-file-system', this.root], process.env, 120_000);
  }
}

/** `buildah --version`, e.g. `buildah version 1.28.2 (image-spec 1.1.0-rc2, runtime-spec 1.0.2-dev)`. */
export async function buildahVersion(): Promise<string> {
  return (await run('buildah', ['--version'], containerEnv(), 30_000)).stdout.trim();
}
