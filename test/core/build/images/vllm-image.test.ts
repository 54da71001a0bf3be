import * as fs from 'fs';
import * as path from 'path';
import { copyOfFixture, MODELS } from '../../../support/images';
import { build, buildOk, parseDockerfile, paths } from './support';

describe('vLLM image from the fixture snapshot', () => {
  const context = buildOk('vllm');

  it('puts the safetensors shards in weights/ and config and tokenizer in code/', () => {
    expect(paths(context)).toEqual([
      '.dockerignore',
      'Dockerfile',
      'code/config.json',
      'code/generation_config.json',
      'code/model.safetensors.index.json',
      'code/tokenizer.json',
      'code/tokenizer_config.json',
      'weights/model-00001-of-00002.safetensors',
      'weights/model-00002-of-00002.safetensors',
    ]);
  });

  it('copies into --model, keeps the runtime env, and names the architecture', () => {
    const instructions = parseDockerfile(context.dockerfile);
    expect(instructions.map((i) => i.keyword)).toEqual(['FROM', 'COPY', 'COPY', 'ENV', 'ENV', 'ENV', 'ENV', 'ENV', 'ENV', 'EXPOSE', 'LABEL', 'LABEL', 'LABEL', 'ENTRYPOINT', 'CMD', 'USER']);
    expect(instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args)).toEqual(['weights/ /models/demo/', 'code/ /models/demo/']);
    expect(instructions.find((i) => i.keyword === 'CMD')!.args).toContain('"--model=/models/demo"');
    expect(instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args)).toContain('HF_HUB_OFFLINE="1"');
    expect(context.dockerfile).toContain('LABEL org.opencontainers.image.description="Hugging Face model LlamaForCausalLM for vLLM"');
    expect(instructions[instructions.length - 1]!.args).toBe('1000:1000');
  });
});

describe('vLLM validation', () => {
  const problemsOf = (mutate: (dir: string) => void) => {
    const dir = copyOfFixture('vllm');
    mutate(dir);
    const { context, problems } = build('vllm', dir);
    expect(context).toBeUndefined();
    return problems.map((p) => [p.prop, p.given, p.allowed]);
  };

  it('names a missing config.json', () => {
    expect(problemsOf((dir) => fs.rmSync(path.join(dir, 'config.json')))).toEqual([
      ['runtime.image.directory', '"config.json"', "expected a Hugging Face snapshot with config.json at its top (the model's architecture); it is missing"],
    ]);
  });

  it('names a config.json that is not a JSON object', () => {
    expect(problemsOf((dir) => fs.writeFileSync(path.join(dir, 'config.json'), '["llama"]'))).toEqual([
      ['runtime.image.directory', '"config.json"', 'expected a JSON object; it is not an object'],
    ]);
  });

  it('names a shard the index lists but the snapshot lacks', () => {
    expect(problemsOf((dir) => fs.rmSync(path.join(dir, 'model-00002-of-00002.safetensors')))).toEqual([
      ['runtime.image.directory', '"model-00002-of-00002.safetensors"', 'expected this weights file, which model.safetensors.index.json lists, in the snapshot; it is missing'],
    ]);
  });

  it('requires at least one weight file', () => {
    const dir = copyOfFixture('vllm');
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.safetensors') || f.endsWith('.index.json'))) fs.rmSync(path.join(dir, f));
    const { problems } = build('vllm', dir);
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([
      ['runtime.image.directory', JSON.stringify(dir), 'expected at least one weight file (*.safetensors, *.bin, *.pt, *.pth, *.gguf) at the top of the snapshot; there is none'],
    ]);
  });

  it('builds the unmodified fixture', () => {
    expect(build('vllm', path.join(MODELS, 'vllm')).problems).toEqual([]);
  });
});
