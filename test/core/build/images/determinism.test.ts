import * as fs from 'fs';
import * as path from 'path';
import { hashContext } from '../../../../lib/core/build/context';
import type { ImageBuildContext } from '../../../../lib/core/build/context';
import type { RuntimeKind } from '../../../support/fixtures';
import { copyOfFixture, MODELS } from '../../../support/images';
import { buildOk, fileMap, paths, targetFor } from './support';

const KINDS: RuntimeKind[] = ['torchserve', 'tfserving', 'triton', 'vllm', 'custom'];

/** The context paths whose bytes or mode differ between two builds, plus those only one has. */
function changedFiles(a: ImageBuildContext, b: ImageBuildContext): string[] {
  const before = new Map(a.files.map((f) => [f.path, f]));
  const after = new Map(b.files.map((f) => [f.path, f]));
  const all = [...new Set([...before.keys(), ...after.keys()])].sort();
  return all.filter((p) => {
    const x = before.get(p);
    const y = after.get(p);
    return !x || !y || x.mode !== y.mode || !x.data.equals(y.data);
  });
}

/** A weight file of each fixture and where it lands in the context. */
const WEIGHT: Record<RuntimeKind, [string, string]> = {
  torchserve: ['weights.pt', 'archive/demo.mar'],
  tfserving: ['1/variables/variables.data-00000-of-00001', 'weights/1/variables/variables.data-00000-of-00001'],
  triton: ['resnet50_onnx/1/model.onnx', 'weights/resnet50_onnx/1/model.onnx'],
  vllm: ['model-00001-of-00002.safetensors', 'weights/model-00001-of-00002.safetensors'],
  custom: ['model.pt', 'weights/model.pt'],
};

/** A code file of each fixture (not TorchServe: see torchserve-image.test.ts) and where it lands. */
const CODE: Partial<Record<RuntimeKind, [string, string]>> = {
  tfserving: ['2/assets/vocab.txt', 'code/2/assets/vocab.txt'],
  triton: ['preprocess/1/model.py', 'code/preprocess/1/model.py'],
  vllm: ['tokenizer_config.json', 'code/tokenizer_config.json'],
  custom: ['app/predict.py', 'code/app/predict.py'],
};

describe.each(KINDS)('%s build context', (kind) => {
  it('is identical when built twice, and from a copy elsewhere with fresh timestamps', () => {
    const first = buildOk(kind);
    const second = buildOk(kind);
    expect(second).toEqual(first);
    const copy = copyOfFixture(kind);
    fs.utimesSync(path.join(copy, WEIGHT[kind][0]), new Date(2030, 0, 1), new Date(2030, 0, 1));
    const third = buildOk(kind, copy);
    expect(third.tag).toBe(first.tag);
    expect(changedFiles(first, third)).toEqual([]);
  });

  it('is tagged by the hash of its files', () => {
    const context = buildOk(kind);
    expect(context.contentHash).toBe(hashContext(context.files));
    expect(context.tag).toMatch(/^[0-9a-f]{20}$/);
    expect(context.tag).toBe(context.contentHash.slice(0, 20));
    expect(context.reference).toBe(`registry.example.com/ml/${kind}:${context.tag}`);
    expect(paths(context)).toEqual(expect.arrayContaining(['Dockerfile', '.dockerignore']));
  });

  it('changes tag when one weight byte changes, and only the weights layer changes', () => {
    const dir = copyOfFixture(kind);
    const before = buildOk(kind, dir);
    const [source, inContext] = WEIGHT[kind];
    const bytes = fs.readFileSync(path.join(dir, source));
    bytes[bytes.length - 1] ^= 1;
    fs.writeFileSync(path.join(dir, source), bytes);
    const after = buildOk(kind, dir);
    expect(after.tag).not.toBe(before.tag);
    expect(changedFiles(before, after)).toEqual([inContext]);
  });

  it('changes tag when a file becomes executable', () => {
    const dir = copyOfFixture(kind);
    const before = buildOk(kind, dir);
    fs.chmodSync(path.join(dir, WEIGHT[kind][0]), 0o755);
    const after = buildOk(kind, dir);
    // TorchServe packs files into the .mar with mode 0644 whatever their source mode.
    if (kind === 'torchserve') expect(after.tag).toBe(before.tag);
    else expect(changedFiles(before, after)).toEqual([WEIGHT[kind][1]]);
  });
});

describe.each(Object.keys(CODE) as RuntimeKind[])('%s code change', (kind) => {
  it('changes only the code layer, leaving the weights layer byte-identical', () => {
    const dir = copyOfFixture(kind);
    const before = buildOk(kind, dir);
    const [source, inContext] = CODE[kind]!;
    fs.appendFileSync(path.join(dir, source), '\n');
    const after = buildOk(kind, dir);
    expect(changedFiles(before, after)).toEqual([inContext]);
    const weights = (c: ImageBuildContext) => [...fileMap(c)].filter(([p]) => p.startsWith('weights/'));
    expect(weights(after)).toEqual(weights(before));
    expect(weights(before).length).toBeGreaterThan(0);
  });
});

describe('context hashing', () => {
  it('depends on the Dockerfile too: another service name changes the tag', () => {
    const a = buildOk('vllm');
    const b = buildOk('vllm', path.join(MODELS, 'vllm'), undefined, targetFor('vllm', 'other'));
    expect(b.tag).not.toBe(a.tag);
    expect(changedFiles(a, b)).toEqual(['Dockerfile']);
  });
});
