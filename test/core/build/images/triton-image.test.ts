import * as fs from 'fs';
import * as path from 'path';
import { isTritonVersionName, isTritonWeightFile } from '../../../../lib/core/build/triton-image';
import { copyOfFixture, MODELS, temporaryDir, writeFiles } from '../../../support/images';
import { build, buildOk, fileMap, parseDockerfile, paths } from './support';

const FIXTURE = path.join(MODELS, 'triton');

describe('Triton image from the fixture repository', () => {
  const context = buildOk('triton');

  it('puts version-directory model files in weights/ and configs, labels and Python models in code/', () => {
    expect(paths(context)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'code/densenet_trt/config.pbtxt',
      'code/preprocess/1/model.py',
      'code/preprocess/config.pbtxt',
      'code/resnet50_onnx/config.pbtxt',
      'code/resnet50_onnx/labels.txt',
      'weights/densenet_trt/1/model.plan',
      'weights/resnet50_onnx/1/model.onnx',
    ]);
    expect(fileMap(context).get('weights/resnet50_onnx/1/model.onnx')).toEqual(fs.readFileSync(path.join(FIXTURE, 'resnet50_onnx/1/model.onnx')));
  });

  it('copies the repository into --model-repository, weights first, USER last', () => {
    const instructions = parseDockerfile(context.dockerfile);
    expect(instructions.map((i) => i.keyword)).toEqual(['FROM', 'COPY', 'COPY', 'EXPOSE', 'LABEL', 'LABEL', 'LABEL', 'ENTRYPOINT', 'CMD', 'USER']);
    expect(instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual(['weights/ /models/', 'code/ /models/']);
    expect(instructions[0]!.args).toBe('nvcr.io/nvidia/tritonserver:24.10-py3');
    expect(instructions.find((i) => i.keyword === 'CMD')!.args).toContain('"--model-repository=/models"');
    expect(instructions.find((i) => i.keyword === 'EXPOSE')!.args).toBe('8000/tcp 8001/tcp 8002/tcp');
    expect(context.dockerfile).toContain('LABEL org.opencontainers.image.description="model repository of densenet_trt, preprocess, resnet50_onnx for Triton Inference Server"');
    expect(instructions[instructions.length - 1]!.args).toBe('1000:1000');
  });

  it('classifies Triton files', () => {
    const all = new Set<string>();
    expect(isTritonWeightFile('m/1/model.savedmodel/saved_model.pb', all)).toBe(true);
    expect(isTritonWeightFile('m/1/model.py', all)).toBe(false);
    expect(isTritonWeightFile('m/config.pbtxt', all)).toBe(false);
    expect(isTritonWeightFile('m/configs/extra.bin', all)).toBe(true);
    expect(isTritonWeightFile('m/01/model.xml', all)).toBe(false);
    expect(['1', '10', '0', '01', 'x1'].map(isTritonVersionName)).toEqual([true, true, false, false, false]);
  });
});

describe('Triton validation', () => {
  const problemsOf = (mutate: (dir: string) => void) => {
    const dir = copyOfFixture('triton');
    mutate(dir);
    const { context, problems } = build('triton', dir);
    expect(context).toBeUndefined();
    return problems.map((p) => [p.prop, p.given, p.allowed]);
  };

  it('names a config.pbtxt whose name is not the directory name', () => {
    expect(problemsOf((dir) => fs.renameSync(path.join(dir, 'resnet50_onnx'), path.join(dir, 'resnet')))).toEqual([
      ['runtime.image.directory', '"resnet/config.pbtxt"', 'expected name "resnet" (the model directory\'s name) or no name; it says "resnet50_onnx"'],
    ]);
  });

  it('names a version directory with a leading zero, and a model left without a version', () => {
    expect(problemsOf((dir) => fs.renameSync(path.join(dir, 'densenet_trt', '1'), path.join(dir, 'densenet_trt', '01')))).toEqual([
      ['runtime.image.directory', '"densenet_trt/01"', 'expected a version directory named by a number without a leading zero: Triton ignores "01"; rename it (e.g. to 1)'],
      ['runtime.image.directory', '"densenet_trt"', 'expected at least one version directory in the model directory (densenet_trt/1/ holding the model file)'],
    ]);
  });

  it('names version directory 0, which Triton also ignores, even beside a good version', () => {
    expect(problemsOf((dir) => writeFiles(dir, { 'preprocess/0/model.py': '' }))).toEqual([
      ['runtime.image.directory', '"preprocess/0"', 'expected a version directory named by a number without a leading zero: Triton ignores "0"; rename it (e.g. to 1)'],
    ]);
  });

  it.each([
    ['-1', '-1'],
    ['4.5', '4.5'],
    ['2147483648', '2147483648'],
    ['0x80000000', '0x80000000'],
  ])('names a max_batch_size of %s', (value, shown) => {
    expect(problemsOf((dir) => writeFiles(dir, { 'densenet_trt/config.pbtxt': `platform: "tensorrt_plan"\nmax_batch_size: ${value}\n` }))).toEqual([
      ['runtime.image.directory', '"densenet_trt/config.pbtxt"', `expected max_batch_size to be an integer from 0 (no batching) to 2147483647; it is ${shown}`],
    ]);
  });

  it('names a max_batch_size that is not a number, and a file that does not parse', () => {
    expect(
      problemsOf((dir) =>
        writeFiles(dir, {
          'densenet_trt/config.pbtxt': 'max_batch_size: "8"\n',
          'preprocess/config.pbtxt': 'name: "preprocess\nbackend: "python"\n',
        }),
      ),
    ).toEqual([
      ['runtime.image.directory', '"densenet_trt/config.pbtxt"', 'expected a text-format model configuration; line 1: expected max_batch_size to be a number'],
      ['runtime.image.directory', '"preprocess/config.pbtxt"', 'expected a text-format model configuration; line 1: unterminated string'],
    ]);
  });

  it('names a missing config.pbtxt and a stray top-level file', () => {
    expect(
      problemsOf((dir) => {
        fs.rmSync(path.join(dir, 'preprocess', 'config.pbtxt'));
        writeFiles(dir, { 'README.md': 'repository notes' });
      }),
    ).toEqual([
      ['runtime.image.directory', '"README.md"', 'expected only model directories at the top of a Triton model repository; move or exclude this file'],
      ['runtime.image.directory', '"preprocess/config.pbtxt"', 'expected a config.pbtxt in every model directory; it is missing'],
    ]);
  });

  it('accepts configs without a name, with max_batch_size 0 or the int32 maximum', () => {
    const dir = copyOfFixture('triton');
    writeFiles(dir, { 'densenet_trt/config.pbtxt': 'max_batch_size: 2147483647\n', 'preprocess/config.pbtxt': '# no name\nbackend: "python" max_batch_size: 0' });
    expect(buildOk('triton', dir).files.length).toBeGreaterThan(0);
  });

  it('reports an empty repository', () => {
    const dir = temporaryDir();
    const { problems } = build('triton', dir);
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([
      ['runtime.image.directory', JSON.stringify(dir), 'expected a Triton model repository: one directory per model, each with config.pbtxt and a version directory such as 1/'],
    ]);
  });
});
