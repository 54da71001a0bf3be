/**
 * The image a service renders is reproducible: the same props give the same build context and
 * tag; what is baked into the image (model files, the runtime's config) changes the tag, so the
 * Deployment rolls to a new image exactly when the image's contents change.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Duration, type ImageBuildContext } from '../../../lib/core';
import { configFilesOf, render, RUNTIME_KINDS, serverOf } from '../../support/fixtures';
import { copyOfFixture } from '../../support/images';
import { directoryImage, directoryProps, imageBuildOf } from './support';

/** The context paths whose bytes or mode differ, plus those only one context has. */
function changedFiles(a: ImageBuildContext, b: ImageBuildContext): string[] {
  const before = new Map(a.files.map((f) => [f.path, f]));
  const after = new Map(b.files.map((f) => [f.path, f]));
  return [...new Set([...before.keys(), ...after.keys()])].sort().filter((p) => {
    const x = before.get(p);
    const y = after.get(p);
    return !x || !y || x.mode !== y.mode || !x.data.equals(y.data);
  });
}

describe.each(RUNTIME_KINDS)('%s', (kind) => {
  test('the same props twice give the same image build, byte for byte, and the same Deployment', () => {
    const first = render(directoryProps(kind));
    const second = render(directoryProps(kind));
    const [a, b] = [imageBuildOf(first), imageBuildOf(second)];
    expect(b.files.map((f) => [f.path, f.mode])).toEqual(a.files.map((f) => [f.path, f.mode]));
    b.files.forEach((f, i) => expect(f.data.equals(a.files[i]!.data)).toBe(true));
    expect([b.tag, b.reference, b.contentHash, b.dockerfile]).toEqual([a.tag, a.reference, a.contentHash, a.dockerfile]);
    expect(second.objects).toEqual(first.objects);
  });

  test('a copy of the directory elsewhere gives the same tag: the location is not part of the image', () => {
    const original = imageBuildOf(render(directoryProps(kind)));
    const copy = imageBuildOf(render(directoryProps(kind, directoryImage(kind, {}, copyOfFixture(kind)))));
    expect(copy.tag).toBe(original.tag);
    expect(changedFiles(original, copy)).toEqual([]);
  });
});

describe('what is baked into the image decides its tag', () => {
  test('TorchServe batchSize changes only the baked config.properties, and the tag the Deployment runs', () => {
    const before = render(directoryProps('torchserve'));
    const after = render(directoryProps('torchserve', undefined, { batchSize: 4, maxBatchDelay: Duration.millis(50) }));
    const [a, b] = [imageBuildOf(before), imageBuildOf(after)];
    expect(changedFiles(a, b)).toEqual(['config/config.properties']);
    expect(b.tag).not.toBe(a.tag);
    expect(serverOf(after).image).toBe(b.reference);
    expect(serverOf(after).image).not.toBe(serverOf(before).image);
    // The new image bakes exactly the new ConfigMap.
    const baked = b.files.find((f) => f.path === 'config/config.properties')!.data.toString('utf8');
    expect(baked).toBe(configFilesOf(after)['config.properties']);
    expect(baked).toContain('"batchSize":4');
  });

  test('TF Serving model name changes the baked models.config and the tag', () => {
    const a = imageBuildOf(render(directoryProps('tfserving')));
    const b = imageBuildOf(render(directoryProps('tfserving', undefined, { modelName: 'ranker' })));
    expect(changedFiles(a, b)).toEqual(['config/models.config']);
    expect(b.tag).not.toBe(a.tag);
  });

  test('vLLM arguments are baked into the Dockerfile\'s CMD, so they change the tag', () => {
    const a = imageBuildOf(render(directoryProps('vllm')));
    const b = imageBuildOf(render(directoryProps('vllm', undefined, { maxModelLen: 4096 })));
    expect(changedFiles(a, b)).toEqual(['Dockerfile']);
    expect(b.dockerfile).toContain('"--max-model-len=4096"');
    expect(b.tag).not.toBe(a.tag);
  });

  test('one changed weight byte changes only the weights file and the tag', () => {
    const dir = copyOfFixture('vllm');
    const before = imageBuildOf(render(directoryProps('vllm', directoryImage('vllm', {}, dir))));
    const shard = path.join(dir, 'model-00002-of-00002.safetensors');
    const bytes = fs.readFileSync(shard);
    bytes[0] = bytes[0]! ^ 1;
    fs.writeFileSync(shard, bytes);
    const after = imageBuildOf(render(directoryProps('vllm', directoryImage('vllm', {}, dir))));
    expect(changedFiles(before, after)).toEqual(['weights/model-00002-of-00002.safetensors']);
    expect(after.tag).not.toBe(before.tag);
  });

  test('the service name is the image title, so it changes the tag too', () => {
    const a = imageBuildOf(render(directoryProps('triton'), 'fraud'));
    const b = imageBuildOf(render(directoryProps('triton'), 'scorer'));
    expect(b.name).toBe('scorer');
    expect(changedFiles(a, b)).toEqual(['Dockerfile']);
    expect(b.tag).not.toBe(a.tag);
  });

  test('the repository is not in the context: the tag stays, the reference follows the repository', () => {
    const a = imageBuildOf(render(directoryProps('triton')));
    const b = imageBuildOf(render(directoryProps('triton', directoryImage('triton', { repository: 'registry.example.com/other/models' }))));
    expect(changedFiles(a, b)).toEqual([]);
    expect(b.tag).toBe(a.tag);
    expect(b.reference).toBe(`registry.example.com/other/models:${a.tag}`);
  });
});
