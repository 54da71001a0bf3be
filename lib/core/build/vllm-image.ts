/**
 * vLLM images: a Hugging Face snapshot lands where the runtime's `--model` points, weights
 * before config and tokenizer files.
 */
import { comparePaths } from './context';
import { ImagePlanner, weightsAndCodeLayers } from './image-plan';
import { isWeightFile } from './model-directory';

/** File name suffixes of weights vLLM loads from a snapshot's top level. */
export const VLLM_WEIGHT_SUFFIXES: readonly string[] = Object.freeze(['.safetensors', '.bin', '.pt', '.pth', '.gguf']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Plans a vLLM image from a Hugging Face snapshot (the files of a model repository at one
 * commit). Everything lands in `target.modelPath`.
 *
 * Problems (under `directory`, naming the file): no `config.json` at the top, or one that is
 * not a JSON object; no weight file ({@link VLLM_WEIGHT_SUFFIXES}) at the top; a shard listed in
 * a `*.index.json` weight map (`model.safetensors.index.json`) that is missing, or an index that
 * is not JSON.
 */
export const planVllmImage: ImagePlanner = (files, directory, _options, target, problems) => {
  const before = problems.all.length;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const top = files.filter((f) => !f.path.includes('/'));

  let description = 'Hugging Face model';
  const config = byPath.get('config.json');
  if (!config) {
    problems.add('directory', 'config.json', "expected a Hugging Face snapshot with config.json at its top (the model's architecture); it is missing");
  } else {
    let parsed: unknown;
    try {
      parsed = JSON.parse(config.data.toString('utf8'));
    } catch (error) {
      parsed = error;
    }
    if (!isObject(parsed) || parsed instanceof Error) {
      problems.add('directory', 'config.json', `expected a JSON object; ${parsed instanceof Error ? parsed.message : 'it is not an object'}`);
    } else {
      const architectures = Array.isArray(parsed.architectures) ? parsed.architectures.filter((a): a is string => typeof a === 'string') : [];
      const kind = architectures.length > 0 ? architectures.join(', ') : typeof parsed.model_type === 'string' ? parsed.model_type : undefined;
      if (kind) description = `Hugging Face model ${kind}`;
    }
  }

  if (!top.some((f) => VLLM_WEIGHT_SUFFIXES.some((s) => f.path.endsWith(s)))) {
    problems.add('directory', directory, `expected at least one weight file (${VLLM_WEIGHT_SUFFIXES.map((s) => `*${s}`).join(', ')}) at the top of the snapshot; there is none`);
  }

  for (const index of top.filter((f) => f.path.endsWith('.index.json'))) {
    let weightMap: unknown;
    try {
      weightMap = (JSON.parse(index.data.toString('utf8')) as { weight_map?: unknown }).weight_map;
    } catch (error) {
      problems.add('directory', index.path, `expected a JSON weight index; ${error instanceof Error ? error.message : String(error)}`);
      continue;
    }
    if (!isObject(weightMap)) continue;
    const shards = [...new Set(Object.values(weightMap).filter((v): v is string => typeof v === 'string'))].sort(comparePaths);
    for (const shard of shards) {
      if (!byPath.has(shard)) problems.add('directory', shard, `expected this weights file, which ${index.path} lists, in the snapshot; it is missing`);
    }
  }

  if (problems.all.length > before) return undefined;
  const all = new Set(files.map((f) => f.path));
  return {
    setup: [],
    model: weightsAndCodeLayers(files, target.modelPath, (p) => isWeightFile(p, all)),
    description,
  };
};
