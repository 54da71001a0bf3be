/**
 * TorchServe images: the model directory is packed into a `.mar` (see {@link packMar}) that
 * lands where the runtime's `load_models` expects it, with the handler's requirements installed
 * at build time.
 */
import { ValidationError } from '../errors';
import { ImageLayer, ImagePlan, ImagePlanner } from './image-plan';
import { MAR_BUILTIN_HANDLERS, MAR_MODEL_NAME, packMar, type MarFile, type MarHandlerFile } from './mar';
import { ModelFile, normalizeRelativePath } from './model-directory';
import { TorchServeArchiveOptions } from './options';

/** Where a TorchServe image keeps the requirements file it installed. */
export const TORCHSERVE_REQUIREMENTS_PATH = '/opt/modelship/requirements.txt';

/** The `createdOn` of a `.mar` when `SOURCE_DATE_EPOCH` is not set: 1980-01-01T00:00:00Z, the ZIP epoch. */
export const MAR_DEFAULT_CREATED_ON: Date = new Date(Date.UTC(1980, 0, 1, 0, 0, 0));

/**
 * The `.mar`'s `createdOn`: `SOURCE_DATE_EPOCH` (whole seconds since 1970, the
 * reproducible-builds convention) when set, else {@link MAR_DEFAULT_CREATED_ON}. Never the clock,
 * so the same inputs give the same archive.
 *
 * @returns the date, or undefined when the variable is set to something else than whole
 *   seconds in years 1000–9999.
 */
export function marCreatedOn(sourceDateEpoch: string | undefined = process.env.SOURCE_DATE_EPOCH): Date | undefined {
  if (sourceDateEpoch === undefined || sourceDateEpoch === '') return MAR_DEFAULT_CREATED_ON;
  if (!/^\d{1,12}$/.test(sourceDateEpoch)) return undefined;
  const date = new Date(Number(sourceDateEpoch) * 1000);
  const year = date.getUTCFullYear();
  return year >= 1000 && year <= 9999 ? date : undefined;
}

const PYTHON_BUILTINS = MAR_BUILTIN_HANDLERS.python;

/** The archive's model name: the model path's base name without `.mar`. */
function marModelName(modelPath: string): string {
  return modelPath.slice(modelPath.lastIndexOf('/') + 1).replace(/\.mar$/, '');
}

/** A value whose rendering in a problem is exactly `text` (for problems passed on from {@link packMar}). */
function rendered(text: string): { toString(): string } {
  return { toString: () => text };
}

/**
 * Packs a TorchServe model directory into a `.mar` per `options.archive` and plans the image:
 * the requirements (when given) installed first, then the archive at `target.modelPath`.
 *
 * Problems (under `archive.*`): no `archive`; a handler that is neither a built-in name nor a
 * `.py` file in the directory; any other named file or directory missing; anything
 * {@link packMar} rejects (two files with one archive name, hidden directories).
 */
export const planTorchServeImage: ImagePlanner = (files, _directory, options, target, problems) => {
  const archive = options.archive as TorchServeArchiveOptions | undefined;
  const p = problems.at('archive');
  if (archive === undefined || archive === null || typeof archive !== 'object') {
    problems.add('archive', archive, 'expected { handler, serializedFile?, modelFile?, extraFiles?, requirementsFile?, configFile?, version? }: a TorchServe image packs the directory into a .mar');
    return undefined;
  }
  const before = problems.all.length;
  const byPath = new Map(files.map((f) => [f.path, f]));
  const isDir = (rel: string): boolean => files.some((f) => f.path.startsWith(`${rel}/`));
  const baseName = (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1);

  /** Looks up a named file; records a problem under `prop` when it is not a file of the directory. */
  const file = (prop: string, ref: unknown): ModelFile | undefined => {
    const rel = normalizeRelativePath(ref);
    if (rel === undefined) {
      p.add(prop, ref, 'expected a path relative to the model directory (no leading "/", no "..")');
      return undefined;
    }
    const found = byPath.get(rel);
    if (found) return found;
    p.add(prop, ref, isDir(rel) ? 'expected a file, not a directory' : 'expected a file of the model directory; there is none at that path (or it is excluded)');
    return undefined;
  };
  const optional = (prop: keyof TorchServeArchiveOptions): MarFile | undefined => {
    if (archive[prop] === undefined) return undefined;
    const f = file(prop, archive[prop]);
    return f && { name: baseName(f.path), data: f.data };
  };

  // The handler: a built-in name, or file.py / file.py:fn / file:fn (file.py is packed).
  let handler: string | MarHandlerFile | undefined;
  const h = archive.handler;
  if (typeof h === 'string' && PYTHON_BUILTINS.includes(h)) {
    handler = h;
  } else if (typeof h !== 'string' || h === '') {
    p.add('handler', h, `expected a .py file of the model directory (optionally "file.py:function") or a built-in handler: ${PYTHON_BUILTINS.join(', ')}`);
  } else {
    const m = /^(.+):([A-Za-z_][A-Za-z0-9_]*)$/.exec(h);
    const ref = m ? (m[1]!.endsWith('.py') ? m[1]! : `${m[1]}.py`) : h;
    const rel = normalizeRelativePath(ref);
    const found = rel === undefined ? undefined : byPath.get(rel);
    if (!ref.endsWith('.py')) {
      p.add('handler', h, `expected a built-in handler (${PYTHON_BUILTINS.join(', ')}) or a .py file of the model directory (optionally "file.py:function")`);
    } else if (!found) {
      p.add('handler', h, `expected a built-in handler (${PYTHON_BUILTINS.join(', ')}) or a .py file of the model directory; there is no file ${JSON.stringify(rel ?? ref)} there`);
    } else {
      handler = { name: baseName(found.path), data: found.data, ...(m ? { entryPoint: m[2]! } : {}) };
    }
  }

  const serializedFile = optional('serializedFile');
  const modelFile = optional('modelFile');
  const requirements = optional('requirementsFile');
  const configFile = optional('configFile');

  // Extra files: a file is packed under its base name; a directory contributes its contents, sub-directories kept.
  const extraFiles: MarFile[] = [];
  const extraOwner: number[] = [];
  if (archive.extraFiles !== undefined && !Array.isArray(archive.extraFiles)) {
    p.add('extraFiles', archive.extraFiles, 'expected an array of files or directories of the model directory');
  } else {
    (archive.extraFiles ?? []).forEach((ref, i) => {
      const rel = normalizeRelativePath(ref);
      const prop = `extraFiles[${i}]`;
      if (rel === undefined) {
        p.add(prop, ref, 'expected a path relative to the model directory (no leading "/", no "..")');
        return;
      }
      const single = byPath.get(rel);
      const contents = files.filter((f) => f.path.startsWith(`${rel}/`));
      if (single) {
        extraFiles.push({ name: baseName(single.path), data: single.data });
        extraOwner.push(i);
      } else if (contents.length > 0) {
        for (const f of contents) {
          extraFiles.push({ name: f.path.slice(rel.length + 1), data: f.data });
          extraOwner.push(i);
        }
      } else {
        p.add(prop, ref, 'expected a file or a non-empty directory of the model directory; there is none at that path (or it is excluded)');
      }
    });
  }

  const modelName = marModelName(target.modelPath);
  if (!MAR_MODEL_NAME.test(modelName)) {
    p.add('', modelName, `expected the archive's model name (the base name of the model path ${target.modelPath}) to start with a letter and hold only letters, digits, "_", "-" and "."`);
  }
  // TorchServe applies config.properties' per-model settings to the version in the manifest.
  if (archive.version !== undefined && target.modelVersion !== undefined && archive.version !== target.modelVersion) {
    p.add('version', archive.version, `expected the TorchServe runtime's modelVersion (${JSON.stringify(target.modelVersion)}): config.properties configures workers and batching for that version only`);
  }
  const createdOn = marCreatedOn();
  if (createdOn === undefined) {
    p.add('', `SOURCE_DATE_EPOCH=${process.env.SOURCE_DATE_EPOCH}`, 'expected the environment variable SOURCE_DATE_EPOCH, when set, to be whole seconds since 1970-01-01 (it dates the .mar manifest)');
  }
  if (problems.all.length > before || handler === undefined || createdOn === undefined) return undefined;

  let mar;
  try {
    mar = packMar(
      {
        modelName,
        version: archive.version ?? target.modelVersion ?? '1.0',
        handler,
        ...(serializedFile ? { serializedFile } : {}),
        ...(modelFile ? { modelFile } : {}),
        ...(extraFiles.length > 0 ? { extraFiles } : {}),
        ...(requirements ? { requirementsFile: requirements } : {}),
        ...(configFile ? { configFile } : {}),
        createdOn,
        // Stored, not deflated: weights barely compress, registries gzip layers anyway, and the
        // archive's bytes (so the image tag) then do not depend on the zlib build of Node.
        archiveFormat: 'zip-store',
      },
      problems.construct,
    );
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    for (const problem of error.problems) p.add(archiveProp(problem.prop, extraOwner), rendered(problem.given), problem.allowed);
    return undefined;
  }

  const setup: ImageLayer[] = [];
  if (requirements) {
    setup.push({
      source: 'requirements/requirements.txt',
      destination: TORCHSERVE_REQUIREMENTS_PATH,
      files: [{ path: 'requirements/requirements.txt', data: requirements.data, mode: 0o644 }],
      comment: "The handler's Python requirements, installed at build time (TorchServe is told not to install them at model load, which would need the network). Before the model, so they are reinstalled only when they change.",
      run: ['python', '-m', 'pip', 'install', '--no-cache-dir', '--no-input', '-r', TORCHSERVE_REQUIREMENTS_PATH],
    });
  }
  const marPath = `archive/${mar.fileName}`;
  const plan: ImagePlan = {
    setup,
    model: [
      {
        source: marPath,
        destination: target.modelPath,
        files: [{ path: marPath, data: mar.bytes, mode: 0o644 }],
        comment: 'The model archive. A TorchServe .mar is a single file, so its weights and handler share this one layer: changing either rebuilds it.',
      },
    ],
    description: `model archive ${mar.fileName} (handler ${mar.manifest.model.handler}, version ${mar.manifest.model.modelVersion})`,
  };
  return plan;
};

/** Maps a {@link packMar} prop (`extraFiles[3].name`) to the user's option (`extraFiles[1]`). */
function archiveProp(prop: string, extraOwner: readonly number[]): string {
  const extra = /^extraFiles\[(\d+)\]/.exec(prop);
  if (extra) return `extraFiles[${extraOwner[Number(extra[1])] ?? extra[1]}]`;
  const field = /^(handler|serializedFile|modelFile|requirementsFile|configFile|version)\b/.exec(prop);
  return field ? field[1]! : '';
}
