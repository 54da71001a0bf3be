/**
 * TensorFlow Serving images: the SavedModel versions land in the model's base path, weights
 * (`variables/`) before graphs and assets.
 */
import { groupByTopDirectory, ImagePlanner, weightsAndCodeLayers } from './image-plan';
import { isWeightFile, ModelFile } from './model-directory';

/** The graph file every SavedModel version holds (TensorFlow also reads the text form, `.pbtxt`). */
const SAVED_MODEL_FILES = ['saved_model.pb', 'saved_model.pbtxt'];

/** Whether the version number a directory name stands for fits TF Serving's int64. */
function isTfVersion(name: string): boolean {
  return /^\d+$/.test(name) && BigInt(name) <= 2n ** 63n - 1n;
}

/**
 * Plans a TF Serving image. The directory is either a base path of integer version directories
 * (`1/saved_model.pb`, `2/saved_model.pb`, …; zero-padded names work, as in TF Serving) or a
 * single SavedModel (`saved_model.pb` at its root), which is placed under version
 * `options.version` (default 1). Everything lands in `target.modelPath`, the base path the
 * runtime's `models.config` names.
 *
 * Problems (under `directory`, naming the path): a top-level entry that is not an integer
 * version directory, a version directory without `saved_model.pb`, two directories for one
 * version number (`1` and `01`), no version at all; under `version`: a version that is not a
 * non-negative integer, or one given for a directory that already has version directories.
 */
export const planTfServingImage: ImagePlanner = (files, directory, options, target, problems) => {
  const before = problems.all.length;
  const single = files.some((f) => SAVED_MODEL_FILES.includes(f.path));
  let placed: ModelFile[];
  let versions: string[];
  if (single) {
    const version = options.version ?? 1;
    if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
      problems.add('version', version, 'expected a non-negative integer: the version directory the SavedModel is placed in');
      return undefined;
    }
    versions = [String(version)];
    placed = files.map((f) => ({ ...f, path: `${version}/${f.path}` }));
  } else {
    if (options.version !== undefined) {
      problems.add('version', options.version, 'expected no version: the directory already holds version directories (version applies only to a single SavedModel with saved_model.pb at its root)');
    }
    const tops = groupByTopDirectory(
      files,
      problems,
      'expected only integer version directories (1/, 2/, …) at the top of a TF Serving base path, or saved_model.pb for a single SavedModel; move or exclude this file',
    );
    const byNumber = new Map<string, string>();
    versions = [];
    for (const [top, list] of tops) {
      if (!isTfVersion(top)) {
        problems.add('directory', top, 'expected a version directory named by an integer (TF Serving loads only those, e.g. 1/ or 00000123/); rename or exclude it');
        continue;
      }
      const number = BigInt(top).toString();
      const clash = byNumber.get(number);
      if (clash !== undefined) {
        problems.add('directory', top, `expected one directory per version; ${clash} is version ${number} too`);
        continue;
      }
      byNumber.set(number, top);
      if (!list.some((f) => SAVED_MODEL_FILES.includes(f.path.slice(top.length + 1)))) {
        problems.add('directory', top, `expected a SavedModel in the version directory: ${top}/saved_model.pb is missing`);
        continue;
      }
      versions.push(top);
    }
    if (versions.length === 0 && problems.all.length === before) {
      problems.add('directory', directory, 'expected a SavedModel: saved_model.pb at the top, or integer version directories (1/saved_model.pb, …) below it');
    }
    placed = [...files];
  }
  if (problems.all.length > before) return undefined;
  const all = new Set(placed.map((f) => f.path));
  return {
    setup: [],
    model: weightsAndCodeLayers(placed, target.modelPath, (p) => isWeightFile(p, all)),
    description: `SavedModel version${versions.length === 1 ? '' : 's'} ${versions.join(', ')}`,
  };
};
