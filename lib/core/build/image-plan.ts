/**
 * What each runtime decides about an image built from a model directory: which files go into
 * which layer and where they land. `buildImageContext` turns a plan into a Dockerfile and
 * a build context.
 */
import { Problems } from '../errors';
import { ContextFile, ImageBuildTarget } from './context';
import { ModelFile } from './model-directory';
import { ModelDirectoryOptions } from './options';

/** One `COPY` of the image, with an optional `RUN` (as root) right after it. */
export interface ImageLayer {
  /** What the `COPY` takes from the context: a folder ending in `/` (its contents) or one file. */
  readonly source: string;
  /** Where it lands in the image: a directory ending in `/` for a folder, else the file's path. */
  readonly destination: string;
  /** The context files the `COPY` takes (paths inside the context, under `source`). */
  readonly files: readonly ContextFile[];
  /** Why the layer exists and what is in it, written above the `COPY`. */
  readonly comment: string;
  /** A program run as root right after the copy (exec form), e.g. `pip install`. */
  readonly run?: readonly string[];
}

/** The runtime-specific part of an image: its layers, in build order, and what it serves. */
export interface ImagePlan {
  /** Layers built first, as root (dependencies that change rarely), before the model. */
  readonly setup: readonly ImageLayer[];
  /** The model's layers: weights first, then code and small files. */
  readonly model: readonly ImageLayer[];
  /** What the image serves, for the `org.opencontainers.image.description` label. */
  readonly description: string;
}

/**
 * A runtime's planner: validates a model directory's files for the runtime (recording problems
 * under `directory`, or the option's prop) and decides the layers.
 *
 * @param files the directory's files, sorted by path.
 * @param directory the directory as the user gave it (for messages about the whole directory).
 * @returns the plan, or undefined when the files cannot make an image.
 */
export type ImagePlanner = (
  files: readonly ModelFile[],
  directory: string,
  options: ModelDirectoryOptions,
  target: ImageBuildTarget,
  problems: Problems,
) => ImagePlan | undefined;

/** Context folder of the weights layer. */
export const WEIGHTS_DIR = 'weights';
/** Context folder of the code layer (everything that is not weights). */
export const CODE_DIR = 'code';
/** Context folder of the runtime's generated config files. */
export const CONFIG_DIR = 'config';

/** `dir` with exactly one trailing `/`. */
export function asDirectory(dir: string): string {
  return dir.endsWith('/') ? dir : `${dir}/`;
}

/**
 * Splits files into a weights layer and a code layer that both land in `destination`, each
 * context folder mirroring the layout below it. The weights layer comes first; a layer with no
 * files is left out (a `COPY` of a missing folder fails).
 *
 * @param files files with paths relative to `destination`.
 * @param isWeight tells weights from the rest.
 */
export function weightsAndCodeLayers(files: readonly ModelFile[], destination: string, isWeight: (path: string) => boolean): ImageLayer[] {
  const weights = files.filter((f) => isWeight(f.path));
  const code = files.filter((f) => !isWeight(f.path));
  const layer = (dir: string, list: readonly ModelFile[], comment: string): ImageLayer[] =>
    list.length === 0
      ? []
      : [{ source: `${dir}/`, destination: asDirectory(destination), files: list.map((f) => ({ path: `${dir}/${f.path}`, data: f.data, mode: f.mode })), comment }];
  return [
    ...layer(WEIGHTS_DIR, weights, 'Weights first, in their own layer: the largest files and the least often changed, so a code or config change reuses this layer.'),
    ...layer(CODE_DIR, code, 'Code and small model files (graphs, configs, tokenizers), after the weights.'),
  ];
}

/**
 * The files grouped by their top directory (in the order first seen, paths unchanged). Both
 * TF Serving and Triton read only directories at the top of theirs, so a file there is recorded
 * under `directory`, naming it, with the runtime's `allowed`, and left out.
 */
export function groupByTopDirectory(files: readonly ModelFile[], problems: Problems, allowed: string): Map<string, ModelFile[]> {
  const groups = new Map<string, ModelFile[]>();
  for (const f of files) {
    const slash = f.path.indexOf('/');
    if (slash < 0) {
      problems.add('directory', f.path, allowed);
      continue;
    }
    const top = f.path.slice(0, slash);
    groups.set(top, [...(groups.get(top) ?? []), f]);
  }
  return groups;
}

/** The files under `prefix/` of a list, with the prefix removed. */
export function filesUnder(files: readonly ModelFile[], prefix: string): ModelFile[] {
  const p = asDirectory(prefix);
  return files.filter((f) => f.path.startsWith(p)).map((f) => ({ ...f, path: f.path.slice(p.length) }));
}
