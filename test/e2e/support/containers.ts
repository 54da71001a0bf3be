/**
 * Builds, inspects and runs images for the e2e suite with buildah, skopeo and podman: no Docker
 * daemon, no registry. `scripts/e2e/setup.sh` must have run first (it installs the tools, writes
 * the suite's containers.conf/storage.conf and `env.sh` under the cache dir, and creates the
 * local base images); every command here runs with that env, so the suite's images live in
 * their own storage, apart from any other podman user on the machine.
 *
 * Every call is bounded in time (a timed-out child is killed) and every container started here
 * is labelled and tracked, so `removeAllContainers()` in `afterAll` leaves nothing running.
 */
import { spawn } from 'node:child_process';
import { promises as fs, readFileSync, existsSync, Stats } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** The cache dir setup.sh writes to (same default as the script). */
export const E2E_CACHE_DIR = process.env.MODELSHIP_E2E_CACHE ?? path.join(os.homedir(), '.cache', 'modelship-e2e');
/** `podman import` of a debootstrapped Debian 12 minbase. */
export const DEBIAN_BASE = 'localhost/modelship-e2e/debian-base:bookworm';
/** {@link DEBIAN_BASE} plus Debian's python3. */
export const PYTHON_BASE = 'localhost/modelship-e2e/python-base:bookworm';
/** Label on every container this module starts (teardown and afterAll find strays by it). */
export const CONTAINER_LABEL = 'modelship-e2e';

/** `KEY="value"` lines of the `env.sh` setup.sh writes: CONTAINERS_CONF, CONTAINERS_STORAGE_CONF. */
function readSetupEnv(): Record<string, string> {
  const file = path.join(E2E_CACHE_DIR, 'env.sh');
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run \`bash scripts/e2e/setup.sh\` (as root) before \`npm run test:e2e\``);
  }
  const env: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^export ([A-Z_]+)="([^"]*)"$/.exec(line.trim());
    if (m) env[m[1]] = m[2];
  }
  return env;
}

let setupEnv: Record<string, string> | undefined;
/** The environment of every podman/buildah/skopeo child. */
export function containerEnv(): NodeJS.ProcessEnv {
  setupEnv ??= readSetupEnv();
  return { ...process.env, ...setupEnv, LC_ALL: 'C' };
}

export interface CommandResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr interleaved as they arrived. */
  readonly output: string;
  readonly ms: number;
}

export interface CommandOptions {
  /** Kill the child (SIGKILL) after this long. @default 60 s */
  readonly timeoutMs?: number;
  /** Resolve instead of rejecting on a non-zero exit. @default false */
  readonly allowFailure?: boolean;
}

/** Runs a tool with the suite's env; rejects on timeout or (unless allowed) a non-zero exit. */
export function runCommand(cmd: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env: containerEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => { stdout += d; output += d; });
    child.stderr.on('data', (d: Buffer) => { stderr += d; output += d; });
    const timer = setTimeout(() => { timedOut = true; child.kill('SIGKILL'); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr, output, ms: Date.now() - started };
      const line = `${cmd} ${args.join(' ')}`;
      if (timedOut) reject(new Error(`timed out after ${timeoutMs} ms: ${line}\n${tail(output)}`));
      else if (code !== 0 && !options.allowFailure) reject(new Error(`exit ${code}: ${line}\n${tail(output)}`));
      else resolve(result);
    });
  });
}

function tail(text: string, lines = 40): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}

// ---------------------------------------------------------------------------------------------
// Build

/** A file of a build context, as the library's `ImageBuildContext.files` holds them. */
export interface ContextFileLike {
  readonly path: string;
  readonly data: Buffer | string;
  readonly mode?: number;
}

/** Writes build-context files under `dir` (created), with their modes. */
export async function writeContextFiles(files: readonly ContextFileLike[], dir: string): Promise<void> {
  for (const file of files) {
    if (path.isAbsolute(file.path) || file.path.split('/').includes('..')) throw new Error(`bad context path: ${file.path}`);
    const target = path.join(dir, file.path);
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.writeFile(target, file.data);
    await fs.chmod(target, file.mode ?? 0o644);
  }
}

export interface BuildResult {
  /** Full image id (sha256 hex, no prefix). */
  readonly imageId: string;
  readonly tag: string;
  /** buildah's output. */
  readonly log: string;
  readonly ms: number;
}

export interface BuildOptions {
  /** @default 5 min */
  readonly timeoutMs?: number;
  /** The Dockerfile, relative to the context. @default Dockerfile (or Containerfile) */
  readonly file?: string;
  readonly buildArgs?: Readonly<Record<string, string>>;
}

/**
 * `buildah bud --isolation chroot --pull=never --layers`: chroot isolation because crun rejects
 * this machine's hybrid cgroups; never pull, since no registry is reachable (bases come from
 * setup.sh and the stand-ins from `tagStandIn`); layer cache on, as a developer would build.
 */
export async function buildContext(dir: string, tag: string, options: BuildOptions = {}): Promise<BuildResult> {
  const iidDir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelship-e2e-iid-'));
  const iidFile = path.join(iidDir, 'iid');
  try {
    const args = ['bud', '--isolation', 'chroot', '--pull=never', '--layers', '--iidfile', iidFile, '-t', tag];
    if (options.file) args.push('-f', path.join(dir, options.file));
    for (const [k, v] of Object.entries(options.buildArgs ?? {})) args.push('--build-arg', `${k}=${v}`);
    args.push(dir);
    const result = await runCommand('buildah', args, { timeoutMs: options.timeoutMs ?? 300_000 });
    const imageId = (await fs.readFile(iidFile, 'utf8')).trim().replace(/^sha256:/, '');
    return { imageId, tag, log: result.output, ms: result.ms };
  } finally {
    await fs.rm(iidDir, { recursive: true, force: true });
  }
}

/** Removes images (by name or id); missing ones are ignored. */
export async function removeImages(...images: string[]): Promise<void> {
  for (const image of images) {
    await runCommand('buildah', ['rmi', '-f', image], { allowFailure: true, timeoutMs: 60_000 });
  }
}

/** Whether an image is in the suite's storage. */
export async function imageExists(image: string): Promise<boolean> {
  const r = await runCommand('podman', ['image', 'exists', image], { allowFailure: true, timeoutMs: 30_000 });
  return r.code === 0;
}

// ---------------------------------------------------------------------------------------------
// Inspect

/** The parts of an OCI image config the tests check. */
export interface ImageConfig {
  /** `USER`, as written (`1000`, `1000:1000`, `model-server`); empty when unset (root). */
  readonly user: string;
  /** `EXPOSE`d ports, e.g. `8080/tcp`, sorted. */
  readonly exposedPorts: string[];
  readonly entrypoint: string[] | undefined;
  readonly cmd: string[] | undefined;
  readonly env: Record<string, string>;
  readonly labels: Record<string, string>;
  readonly workingDir: string;
  /** `created_by` of each history entry, oldest first (one per Dockerfile instruction). */
  readonly history: string[];
  /** The whole config document, as skopeo printed it. */
  readonly raw: OciImageConfig;
}

interface OciImageConfig {
  config?: {
    User?: string;
    ExposedPorts?: Record<string, object>;
    Entrypoint?: string[] | null;
    Cmd?: string[] | null;
    Env?: string[];
    Labels?: Record<string, string>;
    WorkingDir?: string;
  };
  history?: { created_by?: string; empty_layer?: boolean }[];
}

/** Resolves a name (short, qualified or an id) to the full image id. */
export async function imageId(image: string): Promise<string> {
  const r = await runCommand('podman', ['image', 'inspect', '--format', '{{.Id}}', image], { timeoutMs: 30_000 });
  return r.stdout.trim();
}

/** `skopeo inspect --config containers-storage:<id>`, parsed. */
export async function inspectConfig(image: string): Promise<ImageConfig> {
  const id = await imageId(image);
  const r = await runCommand('skopeo', ['inspect', '--config', `containers-storage:${id}`], { timeoutMs: 30_000 });
  const raw = JSON.parse(r.stdout) as OciImageConfig;
  const c = raw.config ?? {};
  const env: Record<string, string> = {};
  for (const entry of c.Env ?? []) {
    const eq = entry.indexOf('=');
    env[eq < 0 ? entry : entry.slice(0, eq)] = eq < 0 ? '' : entry.slice(eq + 1);
  }
  return {
    user: c.User ?? '',
    exposedPorts: Object.keys(c.ExposedPorts ?? {}).sort(),
    entrypoint: c.Entrypoint ?? undefined,
    cmd: c.Cmd ?? undefined,
    env,
    labels: c.Labels ?? {},
    workingDir: c.WorkingDir ?? '',
    history: (raw.history ?? []).map((h) => h.created_by ?? ''),
    raw,
  };
}

/** A path in an image's filesystem. */
export interface ImageFile {
  readonly path: string;
  readonly type: 'file' | 'directory' | 'symlink' | 'other';
  readonly uid: number;
  readonly gid: number;
  /** Permission bits, e.g. 0o644. */
  readonly mode: number;
  readonly size: number;
  /** Directory entries, sorted (directories only). */
  readonly entries?: string[];
  /** Symlink target (symlinks only). */
  readonly target?: string;
}

/**
 * Mounts an image's root filesystem read-only-by-convention (`buildah from` + `buildah mount`),
 * calls `fn` with the mount point, then unmounts and removes the working container. Works for
 * any image, including ones without a shell or `ls`.
 */
export async function withImageRoot<T>(image: string, fn: (root: string) => Promise<T>): Promise<T> {
  const name = `modelship-e2e-inspect-${process.pid}-${Date.now()}`;
  await runCommand('buildah', ['from', '--pull=never', '--name', name, image], { timeoutMs: 60_000 });
  try {
    const root = (await runCommand('buildah', ['mount', name], { timeoutMs: 30_000 })).stdout.trim();
    return await fn(root);
  } finally {
    await runCommand('buildah', ['umount', name], { allowFailure: true, timeoutMs: 30_000 });
    await runCommand('buildah', ['rm', name], { allowFailure: true, timeoutMs: 30_000 });
  }
}

/** Whether `p` stays under `root` (no `..` or symlink escape out of the mounted image). */
function insideRoot(root: string, p: string): string {
  const full = path.join(root, path.posix.normalize(`/${p}`));
  if (full !== root && !full.startsWith(`${root}/`)) throw new Error(`path escapes the image root: ${p}`);
  return full;
}

function fileType(st: Stats): ImageFile['type'] {
  if (st.isSymbolicLink()) return 'symlink';
  if (st.isDirectory()) return 'directory';
  if (st.isFile()) return 'file';
  return 'other';
}

/**
 * Stats paths (absolute, in the image) without following a final symlink. The result maps each
 * path to its {@link ImageFile}, or `undefined` when it does not exist.
 */
export async function listFiles(image: string, paths: readonly string[]): Promise<Record<string, ImageFile | undefined>> {
  return withImageRoot(image, async (root) => {
    const out: Record<string, ImageFile | undefined> = {};
    for (const p of paths) {
      const full = insideRoot(root, p);
      const st = await fs.lstat(full).catch(() => undefined);
      if (!st) { out[p] = undefined; continue; }
      const type = fileType(st);
      out[p] = {
        path: p,
        type,
        uid: st.uid,
        gid: st.gid,
        mode: st.mode & 0o7777,
        size: st.size,
        ...(type === 'directory' ? { entries: (await fs.readdir(full)).sort() } : {}),
        ...(type === 'symlink' ? { target: await fs.readlink(full) } : {}),
      };
    }
    return out;
  });
}

/** Reads files from an image (absolute paths in the image; a final symlink is not followed). */
export async function readImageFiles(image: string, paths: readonly string[]): Promise<Record<string, Buffer>> {
  return withImageRoot(image, async (root) => {
    const out: Record<string, Buffer> = {};
    for (const p of paths) {
      const full = insideRoot(root, p);
      if ((await fs.lstat(full)).isSymbolicLink()) throw new Error(`${p} is a symlink in ${image}`);
      out[p] = await fs.readFile(full);
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// Run

export interface RunOptions {
  /**
   * Ports the server listens on. With `--network host` nothing is published; these are checked
   * to be free on 127.0.0.1 before the start, so a leftover server cannot answer for this one.
   */
  readonly ports?: readonly number[];
  readonly env?: Readonly<Record<string, string>>;
  /** `--read-only` root plus the given tmpfs mounts (only those: podman's automatic /run, /tmp and /var/tmp tmpfs are off). */
  readonly readOnly?: boolean;
  /** tmpfs mounts, e.g. ['/tmp']. @default ['/tmp'] when readOnly, else none */
  readonly tmpfs?: readonly string[];
  /** `--user`, e.g. '1000:1000'. @default the image's USER */
  readonly user?: string;
  /** Replaces the image's ENTRYPOINT (`[]` clears it). */
  readonly entrypoint?: readonly string[];
  /** Replaces the image's CMD. */
  readonly command?: readonly string[];
  /** Extra `podman run` flags. */
  readonly extraArgs?: readonly string[];
}

export interface RunningContainer {
  readonly id: string;
  readonly name: string;
  readonly image: string;
}

const started = new Map<string, RunningContainer>();
let counter = 0;

function runArgs(image: string, options: RunOptions): string[] {
  // --pull=never: a missing image would otherwise be "pulled" from a registry named localhost,
  // with retries, ending in a misleading connection-refused error.
  const args = ['--pull=never', '--network', 'host', '--label', `${CONTAINER_LABEL}=1`];
  if (options.readOnly) args.push('--read-only', '--read-only-tmpfs=false');
  for (const t of options.tmpfs ?? (options.readOnly ? ['/tmp'] : [])) args.push('--tmpfs', t);
  if (options.user !== undefined) args.push('--user', options.user);
  for (const [k, v] of Object.entries(options.env ?? {})) args.push('--env', `${k}=${v}`);
  // podman takes a JSON array for an exec-form entrypoint, '' to clear it.
  if (options.entrypoint !== undefined) args.push('--entrypoint', options.entrypoint.length === 0 ? '' : JSON.stringify(options.entrypoint));
  args.push(...(options.extraArgs ?? []), image, ...(options.command ?? []));
  return args;
}

/** Starts a detached container with `--network host`: its loopback listeners are the test's. */
export async function runContainer(image: string, options: RunOptions = {}): Promise<RunningContainer> {
  for (const port of options.ports ?? []) {
    if (await portOpen(port)) throw new Error(`port ${port} is already in use on 127.0.0.1: a leftover server? (podman ps -a --filter label=${CONTAINER_LABEL})`);
  }
  const name = `modelship-e2e-${process.pid}-${++counter}`;
  const r = await runCommand('podman', ['run', '--detach', '--name', name, ...runArgs(image, options)], { timeoutMs: 60_000 });
  const container = { id: r.stdout.trim().split('\n').pop() ?? name, name, image };
  started.set(name, container);
  return container;
}

/** Runs a container to completion (`--rm`) and returns its output; e.g. `id -u` in an image. */
export async function runToCompletion(image: string, options: RunOptions & { timeoutMs?: number } = {}): Promise<CommandResult> {
  return runCommand('podman', ['run', '--rm', ...runArgs(image, options)], { timeoutMs: options.timeoutMs ?? 60_000, allowFailure: true });
}

/** `podman exec` in a running container; resolves with any exit code. */
export async function execInContainer(container: RunningContainer, command: readonly string[], timeoutMs = 30_000): Promise<CommandResult> {
  return runCommand('podman', ['exec', container.name, ...command], { allowFailure: true, timeoutMs });
}

/** The container's stdout and stderr so far. */
export async function containerLogs(container: RunningContainer): Promise<string> {
  const r = await runCommand('podman', ['logs', container.name], { allowFailure: true, timeoutMs: 30_000 });
  return r.output;
}

/** `running`, `exited`, ... or `missing`. */
export async function containerState(container: RunningContainer): Promise<string> {
  const r = await runCommand('podman', ['inspect', '--format', '{{.State.Status}}', container.name], { allowFailure: true, timeoutMs: 30_000 });
  return r.code === 0 ? r.stdout.trim() : 'missing';
}

/** Stops (SIGTERM, then SIGKILL after `graceSeconds`) and removes the container. */
export async function stopContainer(container: RunningContainer, graceSeconds = 5): Promise<void> {
  await runCommand('podman', ['rm', '--force', '--time', String(graceSeconds), container.name], {
    allowFailure: true,
    timeoutMs: (graceSeconds + 30) * 1000,
  });
  started.delete(container.name);
}

/** Stops every container this process started, plus any labelled leftover. For afterAll. */
export async function removeAllContainers(): Promise<void> {
  for (const c of [...started.values()]) await stopContainer(c, 2);
  const r = await runCommand('podman', ['ps', '--all', '--quiet', '--filter', `label=${CONTAINER_LABEL}`], { allowFailure: true, timeoutMs: 30_000 });
  const ids = r.stdout.split('\n').filter(Boolean);
  if (ids.length > 0) await runCommand('podman', ['rm', '--force', '--time', '2', ...ids], { allowFailure: true, timeoutMs: 60_000 });
}

// ---------------------------------------------------------------------------------------------
// HTTP

function checkLoopback(url: URL): void {
  if (url.hostname !== '127.0.0.1') throw new Error(`e2e HTTP goes to 127.0.0.1 only, not ${url.host}`);
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (open: boolean) => { socket.destroy(); resolve(open); };
    socket.setTimeout(1000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export interface HttpRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  /** @default 5 s */
  readonly timeoutMs?: number;
}

/** One HTTP request to 127.0.0.1, bounded in time; resolves with any status. */
export function httpRequest(target: string, options: HttpRequestOptions = {}): Promise<HttpResponse> {
  const url = new URL(target);
  checkLoopback(url);
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { body += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no response from ${target} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

export interface WaitOptions {
  /** Give up at once (with its logs) when this container is no longer running. */
  readonly container?: RunningContainer;
  /** Status codes that count as up. @default 200–399 */
  readonly accept?: (status: number) => boolean;
  /** @default 250 ms */
  readonly intervalMs?: number;
}

/** Polls `url` (127.0.0.1 only) until it answers with an accepted status or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs: number, options: WaitOptions = {}): Promise<HttpResponse> {
  checkLoopback(new URL(url));
  const accept = options.accept ?? ((s: number) => s >= 200 && s < 400);
  const deadline = Date.now() + timeoutMs;
  let last = 'no attempt';
  for (let attempt = 1; ; attempt++) {
    const left = deadline - Date.now();
    try {
      const res = await httpRequest(url, { timeoutMs: Math.max(100, Math.min(2000, left)) });
      if (accept(res.status)) return res;
      last = `HTTP ${res.status}: ${res.body.slice(0, 200)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (options.container && (await containerState(options.container)) !== 'running') {
      throw new Error(`${options.container.name} stopped before ${url} answered (${last}); logs:\n${tail(await containerLogs(options.container))}`);
    }
    if (Date.now() + (options.intervalMs ?? 250) >= deadline) {
      const logs = options.container ? `; logs:\n${tail(await containerLogs(options.container))}` : '';
      throw new Error(`${url} did not answer within ${timeoutMs} ms after ${attempt} attempts (last: ${last})${logs}`);
    }
    await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
  }
}
