/**
 * Problems with images built from a model directory, reported through renderModelService like
 * every other prop: exact construct, prop, given value and rule, all in one ValidationError.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ModelArtifact, ModelImage, Runtime, type ValidationProblem } from '../../../lib/core';
import { render, RUNTIME_KINDS, type RuntimeKind } from '../../support/fixtures';
import { copyOfFixture, fixtureDir, MODELS, temporaryDir, writeFiles } from '../../support/images';
import { problemsOf, validationErrorOf } from '../../support/problems';
import { directoryImage, directoryOptions, directoryProps } from './support';

const CONSTRUCT = 'test/fraud';

const problem = (prop: string, given: string, allowed: string): ValidationProblem => ({ construct: CONSTRUCT, prop, given, allowed });

describe('a directory image and a model contradict each other', () => {
  const model = ModelArtifact.fromS3('s3://models/repository/');
  test.each(RUNTIME_KINDS)('%s: runtime.model', (kind: RuntimeKind) => {
    expect(problemsOf(directoryProps(kind, directoryImage(kind), { model }))).toEqual([
      problem(
        'runtime.model',
        'ModelArtifact.fromS3("s3://models/repository/")',
        `expected no model: the image built from ${JSON.stringify(fixtureDir(kind))} already holds it`,
      ),
    ]);
  });

  test('even a model "in the image" is one model too many', () => {
    expect(problemsOf(directoryProps('triton', directoryImage('triton'), { model: ModelArtifact.inImage() })).map((p) => [p.prop, p.allowed])).toEqual([
      ['runtime.model', `expected no model: the image built from ${JSON.stringify(fixtureDir('triton'))} already holds it`],
    ]);
  });
});

describe('no model and no directory image', () => {
  test('a runtime that needs a model says a directory image would do', () => {
    expect(problemsOf({ runtime: Runtime.triton({}) })).toEqual([
      problem('runtime.model', 'nothing', 'expected a ModelArtifact holding a Triton model repository, or an image built with ModelImage.fromModelDirectory(...)'),
    ]);
    expect(problemsOf({ runtime: Runtime.triton({ image: ModelImage.fromRegistry('ghcr.io/acme/triton:24.10') }) })).toEqual([
      problem('runtime.model', 'nothing', 'expected a ModelArtifact holding a Triton model repository, or an image built with ModelImage.fromModelDirectory(...)'),
    ]);
  });
});

test('a fetcher image cannot be built from a model directory: runtime.model.fetchImage', () => {
  const fetchImage = ModelImage.fromModelDirectory(fixtureDir('triton'), directoryOptions('triton'));
  const props = { runtime: Runtime.triton({ model: ModelArtifact.fromS3('s3://models/repository/', { fetchImage }) }) };
  expect(problemsOf(props)).toEqual([
    problem('runtime.model.fetchImage', JSON.stringify(fixtureDir('triton')), 'expected an existing image (ModelImage.fromRegistry): a fetcher is not built from a model directory'),
  ]);
});

test('the custom runtime has no default to build FROM: runtime.image.baseImage', () => {
  const image = ModelImage.fromModelDirectory(fixtureDir('custom'), { repository: 'registry.example.com/ml/custom' });
  expect(problemsOf(directoryProps('custom', image))).toEqual([
    problem('runtime.image.baseImage', 'nothing', 'expected the pinned image to build FROM (e.g. "python:3.12.8-slim-bookworm"): the custom runtime has no default server image'),
  ]);
});

test('a custom runtime needs an image at all: runtime.image', () => {
  expect(problemsOf({ runtime: Runtime.custom({} as never) })).toEqual([
    problem('runtime.image', 'nothing', 'expected ModelImage.fromRegistry("<repo>:<version>") or ModelImage.fromModelDirectory(...): a custom runtime has no default image'),
  ]);
});

test('a TorchServe archive version other than the runtime\'s modelVersion: runtime.image.archive.version', () => {
  const image = directoryImage('torchserve', { archive: { handler: 'handler.py', version: '1.0' } });
  expect(problemsOf(directoryProps('torchserve', image, { modelVersion: '2.0' }))).toEqual([
    problem('runtime.image.archive.version', '"1.0"', 'expected the TorchServe runtime\'s modelVersion ("2.0"): config.properties configures workers and batching for that version only'),
  ]);
  // Matching versions render, and the archive registers that version.
  const ok = render(directoryProps('torchserve', directoryImage('torchserve', { archive: { handler: 'handler.py', version: '2.0' } }), { modelVersion: '2.0' }));
  expect(ok.imageBuild!.dockerfile).toContain('version 2.0');
});

test('a missing directory: runtime.image.directory', () => {
  const missing = path.join(MODELS, 'no-such-model');
  expect(problemsOf(directoryProps('triton', ModelImage.fromModelDirectory(missing, directoryOptions('triton'))))).toEqual([
    problem('runtime.image.directory', JSON.stringify(missing), 'expected an existing model directory; there is nothing at that path'),
  ]);
});

test('a file instead of a directory: runtime.image.directory', () => {
  const file = path.join(fixtureDir('vllm'), 'config.json');
  expect(problemsOf(directoryProps('vllm', ModelImage.fromModelDirectory(file, directoryOptions('vllm'))))).toEqual([
    problem('runtime.image.directory', JSON.stringify(file), 'expected a directory, not a file'),
  ]);
});

test('an empty directory path is caught with the runtime options: runtime.image.directory', () => {
  expect(problemsOf(directoryProps('triton', ModelImage.fromModelDirectory('', directoryOptions('triton'))))).toEqual([
    problem('runtime.image.directory', '""', 'expected the path of a model directory'),
  ]);
});

test('TF Serving: a top-level directory that is not an integer version is named', () => {
  const dir = copyOfFixture('tfserving');
  writeFiles(dir, { 'latest/saved_model.pb': 'graph' });
  expect(problemsOf(directoryProps('tfserving', directoryImage('tfserving', {}, dir)))).toEqual([
    problem('runtime.image.directory', '"latest"', 'expected a version directory named by an integer (TF Serving loads only those, e.g. 1/ or 00000123/); rename or exclude it'),
  ]);
  // Excluding it makes the same directory render.
  expect(render(directoryProps('tfserving', directoryImage('tfserving', { exclude: ['latest'] }, dir))).imageBuild).toBeDefined();
});

test('options that belong to another runtime are named under runtime.image', () => {
  const image = directoryImage('triton', { archive: { handler: 'handler.py' }, version: 3 });
  expect(problemsOf(directoryProps('triton', image))).toEqual([
    problem('runtime.image.archive', '{"handler":"handler.py"}', 'expected no archive for the triton runtime: only TorchServe images pack a .mar'),
    problem('runtime.image.version', '3', 'expected no version for the triton runtime: it places a single SavedModel for TF Serving only'),
  ]);
});

test('a repository with a tag: runtime.image.repository', () => {
  const image = directoryImage('vllm', { repository: 'registry.example.com/ml/vllm:latest' });
  expect(problemsOf(directoryProps('vllm', image))).toEqual([
    problem(
      'runtime.image.repository',
      '"registry.example.com/ml/vllm:latest"',
      'expected the repository to push to, without a tag or digest (the tag is the content hash of the build context): lowercase letters, digits and separators, with an optional registry host, e.g. "registry.example.com/ml/fraud"',
    ),
  ]);
});

describe('image problems are listed together with service prop problems', () => {
  test('a missing directory and replicas: -1, in one ValidationError', () => {
    const missing = path.join(MODELS, 'no-such-model');
    const props = { ...directoryProps('triton', ModelImage.fromModelDirectory(missing, directoryOptions('triton'))), replicas: -1 };
    expect(problemsOf(props)).toEqual([
      problem('replicas', '-1', 'expected an integer from 0 to 10000'),
      problem('runtime.image.directory', JSON.stringify(missing), 'expected an existing model directory; there is nothing at that path'),
    ]);
  });

  test('a misnamed TF Serving version and replicas: -1, and the message lists both', () => {
    const dir = copyOfFixture('tfserving');
    fs.renameSync(path.join(dir, '2'), path.join(dir, 'v2'));
    const thrown = validationErrorOf(() => render({ ...directoryProps('tfserving', directoryImage('tfserving', {}, dir)), replicas: -1 }));
    expect(thrown.problems.map((p) => [p.prop, p.given])).toEqual([
      ['replicas', '-1'],
      ['runtime.image.directory', '"v2"'],
    ]);
    expect(thrown.message.split('\n')).toEqual([
      '2 problems in modelship props:',
      `  - ${CONSTRUCT}: replicas: got -1; expected an integer from 0 to 10000`,
      `  - ${CONSTRUCT}: runtime.image.directory: got "v2"; expected a version directory named by an integer (TF Serving loads only those, e.g. 1/ or 00000123/); rename or exclude it`,
    ]);
  });

  test('an empty directory path and replicas: -1', () => {
    const props = { ...directoryProps('vllm', ModelImage.fromModelDirectory('', directoryOptions('vllm'))), replicas: -1 };
    expect(problemsOf(props)).toEqual([
      problem('replicas', '-1', 'expected an integer from 0 to 10000'),
      problem('runtime.image.directory', '""', 'expected the path of a model directory'),
    ]);
  });

  test('an empty model directory of the custom runtime and replicas: -1', () => {
    const dir = temporaryDir();
    const props = { ...directoryProps('custom', directoryImage('custom', {}, dir)), replicas: -1 };
    expect(problemsOf(props)).toEqual([
      problem('replicas', '-1', 'expected an integer from 0 to 10000'),
      problem('runtime.image.directory', JSON.stringify(dir), 'expected at least one file in the model directory (after exclusions)'),
    ]);
  });
});
