/**
 * One measurement of the image benchmark, in a fresh process (forked by `bench/images.ts` from
 * a transpiled snapshot): the result goes back over IPC. Modules are loaded and a full GC run
 * before the timed region, so times exclude process start.
 *
 *   context <model> <modelsDir> <outDir|->   render the example service, hash, write the context
 *   crypto <bytes>                            SHA-256 of one in-memory buffer
 *   read-hash <dir>                           readFileSync + SHA-256 of each file of a directory
 */
import { createHash } from 'crypto';
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { dirname, join } from 'path';
import { performance } from 'perf_hooks';
import { hashContext, ImageBuildContext, renderModelService } from '../../lib/core';
import { servingStack } from '../../examples/serving-stack';
import { WorkerResult } from './protocol';

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();
const maxRss = (): number => process.resourceUsage().maxRSS * 1024;

/** The same as lib/cdk8s/image-assets.ts writes a context at synth. */
function writeContext(dir: string, build: ImageBuildContext): void {
  for (const file of build.files) {
    const target = join(dir, ...file.path.split('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.data, { mode: file.mode });
    chmodSync(target, file.mode);
  }
}

function context(model: string, modelsDir: string, outDir: string): WorkerResult {
  const props = servingStack(modelsDir)[model];
  if (!props) throw new Error(`no example service ${model}`);
  if (outDir !== '-') rmSync(outDir, { recursive: true, force: true });
  gc();
  const rssBeforeBytes = process.memoryUsage().rss;
  const t0 = performance.now();
  const rendered = renderModelService({ path: `bench/${model}`, defaultName: model }, { name: model, ...props });
  const renderMs = performance.now() - t0;
  const peakRssAfterRenderBytes = maxRss();
  const build = rendered.imageBuild;
  if (!build) throw new Error(`${model}: no image build context`);
  let writeMs = 0;
  if (outDir !== '-') {
    const t1 = performance.now();
    writeContext(outDir, build);
    writeMs = performance.now() - t1;
  }
  const t2 = performance.now();
  const again = hashContext(build.files);
  const hashMs = performance.now() - t2;
  if (again !== build.contentHash) throw new Error(`${model}: hashContext gave ${again}, the context says ${build.contentHash}`);
  const peakRssBytes = maxRss();
  const files = build.files.map((f) => ({ path: f.path, bytes: f.data.length, sha256: createHash('sha256').update(f.data).digest('hex') }));
  return {
    kind: 'context',
    renderMs,
    hashMs,
    writeMs,
    peakRssAfterRenderBytes,
    peakRssBytes,
    rssBeforeBytes,
    tag: build.tag,
    dockerfile: build.dockerfile,
    files,
    contextBytes: files.reduce((n, f) => n + f.bytes, 0),
  };
}

function crypto(bytes: number): WorkerResult {
  const buffer = Buffer.alloc(bytes, 0x5a);
  // Touch every page before timing (Buffer.alloc fills it already; this keeps it honest if that changes).
  for (let i = 0; i < bytes; i += 4096) buffer[i] = (i >> 12) & 0xff;
  gc();
  const t0 = performance.now();
  const digest = createHash('sha256').update(buffer).digest('hex');
  const hashMs = performance.now() - t0;
  return { kind: 'crypto', hashMs, peakRssBytes: maxRss(), digest };
}

function readHash(dir: string): WorkerResult {
  const names = readdirSync(dir).sort();
  gc();
  const t0 = performance.now();
  let bytes = 0;
  const held: Buffer[] = [];
  for (const name of names) {
    const data = readFileSync(join(dir, name));
    createHash('sha256').update(data).digest();
    bytes += data.length;
    held.push(data); // kept, as the library keeps every file of the context
  }
  const ms = performance.now() - t0;
  return { kind: 'read-hash', ms, bytes, peakRssBytes: maxRss() };
}

function main(): void {
  const [mode, ...args] = process.argv.slice(2);
  let result: WorkerResult;
  if (mode === 'context') result = context(args[0]!, args[1]!, args[2]!);
  else if (mode === 'crypto') result = crypto(Number(args[0]));
  else if (mode === 'read-hash') result = readHash(args[0]!);
  else throw new Error(`unknown mode ${mode}`);
  process.send!(result, () => process.exit(0));
}

main();
