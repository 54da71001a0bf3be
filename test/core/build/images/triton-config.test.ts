import * as fs from 'fs';
import * as path from 'path';
import { parseTritonConfig, tritonMaxBatchSize, TRITON_MAX_BATCH_SIZE_LIMIT } from '../../../../lib/core/build/triton-config';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'models', 'triton');

describe('parseTritonConfig', () => {
  it('reads the reference configs (copied into the fixtures; checked upstream with google.protobuf.text_format)', () => {
    const read = (model: string) => parseTritonConfig(fs.readFileSync(path.join(FIXTURE, model, 'config.pbtxt'), 'utf8'));
    expect(read('resnet50_onnx')).toEqual({ ok: true, config: { name: 'resnet50_onnx', maxBatchSize: '8', backend: 'onnxruntime' } });
    expect(read('densenet_trt')).toEqual({ ok: true, config: { maxBatchSize: '8', platform: 'tensorrt_plan' } });
  });

  it('ignores nested fields of the same name and text inside comments and strings', () => {
    const text = [
      '# name: "commented"',
      'input [ { name: "INPUT0" data_type: TYPE_FP32 dims: [ -1, 3 ] } ]',
      "parameters { key: \"name\" value: { string_value: 'max_batch_size: 99 # not a comment' } }",
      'name: "real" # trailing',
      'max_batch_size: 16;',
    ].join('\n');
    expect(parseTritonConfig(text)).toEqual({ ok: true, config: { name: 'real', maxBatchSize: '16' } });
  });

  it('understands escapes, adjacent strings, <> messages, colon-less messages and separators', () => {
    const text = "name: 'my' \"_\\x6dodel\",\nversion_policy < all { } >\ndynamic_batching { preferred_batch_size: [ 4, 8 ] }\nmax_batch_size: 0x10";
    expect(parseTritonConfig(text)).toEqual({ ok: true, config: { name: 'my_model', maxBatchSize: '0x10' } });
  });

  it.each([
    ['name: "a"\nname: "b"', 2, 'name is set more than once'],
    ['name: a_model', 1, 'expected name to be a quoted string'],
    ['max_batch_size: [8]', 1, 'expected max_batch_size to be a number'],
    ['max_batch_size 8', 1, 'expected ":" after max_batch_size'],
    ['dims [ 3 ]', 1, 'expected ":" before the list of values of dims'],
    ['input [ { name: "x" }', 1, 'unexpected end of file, expected "," or "]"'],
    ['instance_group { count: 1', 1, 'unexpected end of file, expected "}"'],
    ['\n\nname: "x\\q"', 3, 'invalid escape \\q in a string'],
    ['name: "ok" }', 1, 'expected a field name, found "}"'],
    ['max_batch_size: 8 @', 1, 'unexpected character "@"'],
  ])('rejects %j', (text, line, error) => {
    expect(parseTritonConfig(text)).toEqual({ ok: false, line, error });
  });
});

describe('tritonMaxBatchSize', () => {
  it.each([
    ['0', 0],
    ['8', 8],
    ['0x10', 16],
    ['010', 8],
    [String(TRITON_MAX_BATCH_SIZE_LIMIT), TRITON_MAX_BATCH_SIZE_LIMIT],
  ])('reads %s as %d', (token, value) => {
    expect(tritonMaxBatchSize(token)).toBe(value);
  });

  it.each(['-1', '4.5', '1e3', '2147483648', '0x80000000', 'inf', '08'])('rejects %s', (token) => {
    expect(tritonMaxBatchSize(token)).toBeUndefined();
  });
});
