/**
 * Images for a custom server: the whole model directory (server code included) lands in the
 * model path of a base image the user names, weights first.
 */
import { Problems } from '../errors';
import { ImagePlanner, weightsAndCodeLayers } from './image-plan';
import { isWeightFile } from './model-directory';
import { ModelDirectoryOptions } from './options';

/**
 * Records a problem under `baseImage` when it is missing: a custom runtime has no default
 * server image to build FROM. Checked before the directory is read, so it is reported even when
 * the directory is missing too.
 */
export function checkCustomOptions(options: ModelDirectoryOptions, problems: Problems): void {
  if (options.baseImage === undefined) {
    problems.add('baseImage', undefined, 'expected the pinned image to build FROM (e.g. "python:3.12.8-slim-bookworm"): the custom runtime has no default server image');
  }
}

/**
 * Plans an image for the custom runtime: every file of the directory lands in
 * `target.modelPath`, weights (see {@link isWeightFile}) in a layer before the rest.
 *
 * Problems: an empty directory (under `directory`). A missing `baseImage` is recorded by
 * {@link checkCustomOptions}, which `buildImageContext` runs first.
 */
export const planCustomImage: ImagePlanner = (files, directory, options, target, problems) => {
  const before = problems.all.length;
  if (files.length === 0) {
    problems.add('directory', directory, 'expected at least one file in the model directory (after exclusions)');
  }
  // A missing baseImage is reported by checkCustomOptions.
  if (problems.all.length > before || options.baseImage === undefined) return undefined;
  const all = new Set(files.map((f) => f.path));
  return {
    setup: [],
    model: weightsAndCodeLayers(files, target.modelPath, (p) => isWeightFile(p, all)),
    description: 'model directory',
  };
};
