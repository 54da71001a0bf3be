/**
 * Model directories for the image benchmark (`bench/images.ts`): temporary copies of the
 * example models with large, deterministic pseudo-random weights, and the edits that make a
 * "code only" or "weights only" change.
 *
 * Weights are an AES-256-CTR keystream keyed by a seed string: incompressible like real
 * float weights, identical on every run for the same seed, and generated at ~1 GB/s.
 */
import { createCipheriv, createHash } from 'crypto';
import { closeSync, cpSync, openSync, rmSync, writeFileSync, writeSync, appendFileSync } from 'fs';
import { join } from 'path';

export const MiB = 2 ** 20;
const CHUNK = 16 * MiB;

/** Writes `bytes` pseudo-random bytes derived from `seed` to `file` (replacing it). */
export function writePseudoRandom(file: string, bytes: number, seed: string): void {
  const key = createHash('sha256').update(`modelship-bench-weights\0${seed}`).digest();
  const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  const zeros = Buffer.alloc(Math.min(CHUNK, bytes));
  const fd = openSync(file, 'w');
  try {
    for (let left = bytes; left > 0; left -= zeros.length) {
      const chunk = cipher.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}

/** A model the rebuild benchmark changes: where its code and weights are, and how it is built. */
export interface RebuildModel {
  /** The example model (examples/models/<name>) and service name. */
  readonly name: 'churn' | 'fraud';
  /** Runtime, for the report. */
  readonly runtime: string;
  /** The code file a "code only" change edits, relative to the model directory. */
  readonly codeFile: string;
  /** The weights file a "weights only" change rewrites, relative to the model directory. */
  readonly weightsFile: string;
  /** What the model directory holds, for the report. */
  readonly layout: string;
  /** Size of the large weights file, MiB (the environment variable overrides it). */
  readonly weightsMiB: number;
  readonly weightsEnv: string;
}

export const REBUILD_MODELS: readonly RebuildModel[] = [
  {
    name: 'churn',
    runtime: 'custom',
    codeFile: 'server.py',
    // A second weights file beside the example's real (552-byte) model.safetensors, which the
    // server keeps loading: the image is built, never run, here.
    weightsFile: 'weights/large.safetensors',
    layout: 'examples/models/churn plus `weights/large.safetensors`; weights in their own layer (`COPY weights/`), code after (`COPY code/`)',
    weightsMiB: 256,
    weightsEnv: 'BENCH_IMAGES_CHURN_MIB',
  },
  {
    name: 'fraud',
    runtime: 'torchserve',
    codeFile: 'handler.py',
    // The archive's serializedFile: replaced by the large file.
    weightsFile: 'model.pt',
    layout: 'examples/models/fraud with `model.pt` (the `.mar`\'s serialized file) replaced; handler and weights packed into one deflated `.mar`, one layer',
    // Smaller than churn's to keep the run within about four minutes on two cores: every
    // regeneration of this context deflates the whole archive (about 30 MiB/s here).
    weightsMiB: 128,
    weightsEnv: 'BENCH_IMAGES_FRAUD_MIB',
  },
];

/** Copies examples/models/<name> into `modelsDir` and writes its large weights (seed `<name>/<seedTag>`). */
export function prepareRebuildModel(examplesDir: string, modelsDir: string, model: RebuildModel, bytes: number, seedTag: string): string {
  const dir = join(modelsDir, model.name);
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(examplesDir, model.name), dir, { recursive: true });
  writePseudoRandom(join(dir, model.weightsFile), bytes, `${model.name}/${seedTag}`);
  return dir;
}

/** A code-only change: appends a comment line (unique per `stamp`) to the code file. */
export function changeCode(dir: string, model: RebuildModel, stamp: string): void {
  appendFileSync(join(dir, model.codeFile), `\n# modelship image benchmark: code change ${stamp}\n`);
}

/** A weights-only change: the weights file rewritten with new pseudo-random bytes of the same size. */
export function changeWeights(dir: string, model: RebuildModel, bytes: number, stamp: string): void {
  writePseudoRandom(join(dir, model.weightsFile), bytes, `${model.name}/changed/${stamp}`);
}

/**
 * A Hugging Face-style snapshot of `totalBytes` weights for the hashing benchmark: the
 * examples/models/summarizer config and tokenizer files, its tiny model.safetensors replaced by
 * `shards` equal shards and a `model.safetensors.index.json` listing them.
 */
export function prepareHashSnapshot(examplesDir: string, dir: string, totalBytes: number, shards: number): string[] {
  rmSync(dir, { recursive: true, force: true });
  cpSync(join(examplesDir, 'summarizer'), dir, { recursive: true });
  rmSync(join(dir, 'model.safetensors'));
  const names = Array.from({ length: shards }, (_, i) => `model-${String(i + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`);
  const per = Math.floor(totalBytes / shards);
  names.forEach((name, i) => writePseudoRandom(join(dir, name), i === shards - 1 ? totalBytes - per * (shards - 1) : per, `hash/${name}`));
  const weightMap = Object.fromEntries(names.map((n, i) => [`model.layers.${i}.weight`, n]));
  writeFileSync(join(dir, 'model.safetensors.index.json'), `${JSON.stringify({ metadata: { total_size: totalBytes }, weight_map: weightMap }, null, 2)}\n`);
  return names;
}
