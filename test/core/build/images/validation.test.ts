import * as path from 'path';
import { buildImageContext } from '../../../../lib/core/build/build-image';
import { Problems } from '../../../../lib/core/errors';
import { MODELS } from '../../../support/images';
import { build, buildOk, optionsFor, parseDockerfile, targetFor } from './support';

const VLLM = path.join(MODELS, 'vllm');

describe('options shared by every runtime', () => {
  it.each(['registry.example.com/ml/fraud:1.0', 'registry.example.com/ml/fraud@sha256:' + 'a'.repeat(64), 'Registry.Example.com/ML', ''])(
    'rejects the repository %j',
    (repository) => {
      const { context, problems } = build('vllm', VLLM, { repository });
      expect(context).toBeUndefined();
      expect(problems).toEqual([
        {
          construct: 'Chart/Svc',
          prop: 'runtime.image.repository',
          given: JSON.stringify(repository),
          allowed:
            'expected the repository to push to, without a tag or digest (the tag is the content hash of the build context): lowercase letters, digits and separators, with an optional registry host, e.g. "registry.example.com/ml/fraud"',
        },
      ]);
    },
  );

  it('accepts a registry with a port', () => {
    expect(buildOk('vllm', VLLM, { repository: 'localhost:5000/ml/llm' }).reference).toMatch(/^localhost:5000\/ml\/llm:[0-9a-f]{20}$/);
  });

  it('rejects labels that would replace modelship\'s, bad names and non-string values', () => {
    const labels = { 'org.opencontainers.image.title': 'x', 'bad key': 'v', 'com.example.multi': 'a\nb', 'com.example.n': 3 } as unknown as Record<string, string>;
    const { problems } = build('vllm', VLLM, optionsFor('vllm', { labels }));
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([
      [
        'runtime.image.labels.org.opencontainers.image.title',
        '"x"',
        'expected a label modelship does not set itself (it sets org.opencontainers.image.title, org.opencontainers.image.description, org.opencontainers.image.base.name)',
      ],
      ['runtime.image.labels.bad key', '"bad key"', 'expected a label name of letters, digits, ".", "_", "/" and "-", such as "org.opencontainers.image.source"'],
      ['runtime.image.labels.com.example.multi', '"a\\nb"', 'expected a string without control characters (newlines, tabs)'],
      ['runtime.image.labels.com.example.n', '3', 'expected a string without control characters (newlines, tabs)'],
    ]);
  });

  it('rejects options of another runtime', () => {
    const { problems } = build('vllm', VLLM, optionsFor('vllm', { archive: { handler: 'h.py' }, version: 2 }));
    expect(problems.map((p) => [p.prop, p.allowed])).toEqual([
      ['runtime.image.archive', 'expected no archive for the vllm runtime: only TorchServe images pack a .mar'],
      ['runtime.image.version', 'expected no version for the vllm runtime: it places a single SavedModel for TF Serving only'],
    ]);
  });

  it('builds FROM options.baseImage when given, else the runtime\'s pinned image', () => {
    const from = (baseImage?: string) => parseDockerfile(buildOk('vllm', VLLM, optionsFor('vllm', baseImage ? { baseImage } : {})).dockerfile)[0]!.args;
    expect(from()).toBe('vllm/vllm-openai:v0.6.6');
    expect(from('registry.example.com/base/vllm-cpu:0.6.6')).toBe('registry.example.com/base/vllm-cpu:0.6.6');
  });
});

describe('what the target asks of the image', () => {
  it('refuses to end as root', () => {
    const { problems } = build('vllm', VLLM, undefined, { ...targetFor('vllm'), user: { uid: 0, gid: 0 } });
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([['runtime.image.user', '"0:0"', 'expected a non-root user: a uid of at least 1 (the image runs as USER uid:gid)']]);
  });

  it('never writes an env var that comes from a Secret', () => {
    const target = targetFor('vllm');
    const context = buildOk('vllm', VLLM, undefined, {
      ...target,
      env: [...target.env, { name: 'HF_TOKEN', valueFrom: { secretKeyRef: { name: 'hf', key: 'token' } } }, { name: 'PLAIN', value: 'yes' }],
    });
    expect(context.dockerfile).not.toContain('HF_TOKEN');
    expect(context.dockerfile).not.toContain('secret');
    expect(context.dockerfile).toContain('ENV PLAIN="yes"');
  });

  it('records an env value no Dockerfile can hold', () => {
    const target = targetFor('vllm');
    const { problems } = build('vllm', VLLM, undefined, { ...target, env: [{ name: 'MULTI', value: 'a\nb' }] });
    expect(problems.map((p) => [p.prop, p.given])).toEqual([['runtime.image.env.MULTI', '"a\\nb"']]);
  });

  it('names an unknown runtime', () => {
    const { problems } = build('vllm', VLLM, undefined, { ...targetFor('vllm'), runtime: 'onnxruntime-server' });
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([
      ['runtime.image', '"onnxruntime-server"', 'expected a runtime modelship can build images for: torchserve, tfserving, triton, vllm, custom'],
    ]);
  });
});

describe('problem collection', () => {
  it('reports problems from every part at once', () => {
    const { problems } = build('custom', path.join(MODELS, 'nope'), { repository: 'x:1', exclude: ['/abs'] });
    expect(problems.map((p) => p.prop)).toEqual(['runtime.image.repository', 'runtime.image.baseImage', 'runtime.image.exclude[0]', 'runtime.image.directory']);
  });

  it('returns a context although the shared collector already had other problems', () => {
    const problems = new Problems('Chart/Svc');
    problems.add('resources.cpu', -1, 'expected a positive quantity');
    const context = buildImageContext(VLLM, optionsFor('vllm'), targetFor('vllm'), problems.at('runtime.image'));
    expect(context?.tag).toMatch(/^[0-9a-f]{20}$/);
    expect(problems.all).toHaveLength(1);
  });
});
