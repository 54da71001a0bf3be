/**
 * Triton images: the model repository lands in the runtime's `--model-repository`, every
 * model's `config.pbtxt` and version directories checked first.
 */
import { groupByTopDirectory, ImagePlanner, weightsAndCodeLayers } from './image-plan';
import { isWeightFile } from './model-directory';
import { parseTritonConfig, tritonMaxBatchSize, TRITON_MAX_BATCH_SIZE_LIMIT } from './triton-config';

/** Whether a directory name is one Triton loads as a version: digits, not starting with `0`. */
export function isTritonVersionName(name: string): boolean {
  return /^[1-9]\d*$/.test(name) && BigInt(name) <= 2n ** 63n - 1n;
}

/**
 * Whether a file of a Triton repository holds weights: any weight file (see
 * {@link isWeightFile}), and every file inside a version directory except Python sources (the
 * Python backend's `model.py`), since that is where each backend's model file lives.
 */
export function isTritonWeightFile(filePath: string, allPaths: ReadonlySet<string>): boolean {
  if (isWeightFile(filePath, allPaths)) return true;
  const segments = filePath.split('/');
  return segments.length >= 3 && isTritonVersionName(segments[1]!) && !filePath.endsWith('.py');
}

/**
 * Plans a Triton image from a model repository (`<model>/config.pbtxt`, `<model>/<version>/…`).
 *
 * Problems (under `directory`, naming the path): a file at the top of the repository; a model
 * without `config.pbtxt`, or whose `config.pbtxt` does not parse, names another model, or sets
 * `max_batch_size` to anything but an integer from 0 to 2^31−1; a version directory Triton
 * would ignore (`0`, `01`); a model without a version directory; an empty repository.
 */
export const planTritonImage: ImagePlanner = (files, directory, _options, target, problems) => {
  const before = problems.all.length;
  const models = groupByTopDirectory(files, problems, 'expected only model directories at the top of a Triton model repository; move or exclude this file');
  if (models.size === 0 && problems.all.length === before) {
    problems.add('directory', directory, 'expected a Triton model repository: one directory per model, each with config.pbtxt and a version directory such as 1/');
  }
  for (const [model, list] of models) {
    const children = new Set(list.map((f) => f.path.split('/')).filter((s) => s.length >= 3).map((s) => s[1]!));
    let versions = 0;
    for (const child of [...children]) {
      if (isTritonVersionName(child)) versions++;
      else if (/^0\d*$/.test(child)) {
        problems.add('directory', `${model}/${child}`, `expected a version directory named by a number without a leading zero: Triton ignores "${child}"; rename it (e.g. to ${/^0+$/.test(child) ? '1' : String(BigInt(child))})`);
      }
    }
    if (versions === 0) {
      problems.add('directory', model, `expected at least one version directory in the model directory (${model}/1/ holding the model file)`);
    }
    const configPath = `${model}/config.pbtxt`;
    const config = list.find((f) => f.path === configPath);
    if (!config) {
      problems.add('directory', configPath, 'expected a config.pbtxt in every model directory; it is missing');
      continue;
    }
    const parsed = parseTritonConfig(config.data.toString('utf8'));
    if (!parsed.ok) {
      problems.add('directory', configPath, `expected a text-format model configuration; line ${parsed.line}: ${parsed.error}`);
      continue;
    }
    const { name, maxBatchSize } = parsed.config;
    if (name !== undefined && name !== model) {
      problems.add('directory', configPath, `expected name ${JSON.stringify(model)} (the model directory's name) or no name; it says ${JSON.stringify(name)}`);
    }
    if (maxBatchSize !== undefined && tritonMaxBatchSize(maxBatchSize) === undefined) {
      problems.add('directory', configPath, `expected max_batch_size to be an integer from 0 (no batching) to ${TRITON_MAX_BATCH_SIZE_LIMIT}; it is ${maxBatchSize}`);
    }
  }
  if (problems.all.length > before) return undefined;
  const all = new Set(files.map((f) => f.path));
  return {
    setup: [],
    model: weightsAndCodeLayers(files, target.modelPath, (p) => isTritonWeightFile(p, all)),
    description: `model repository of ${[...models.keys()].join(', ')}`,
  };
};
