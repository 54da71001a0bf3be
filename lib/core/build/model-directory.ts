/**
 * Reading a model directory for an image build: a sorted, filtered walk that refuses links and
 * special files, and the rule that tells weights (their own image layer) from code and config.
 */
import { constants as bufferConstants } from 'buffer';
import * as fs from 'fs';
import * as path from 'path';
import { Problems } from '../errors';
import { comparePaths } from './context';

/** A regular file read from a model directory. */
export interface ModelFile {
  /** Path relative to the model directory, `/`-separated, never starting with `/` or containing `..`. */
  readonly path: string;
  /** The file's contents. */
  readonly data: Buffer;
  /** 0o755 when the source file is executable by anyone, else 0o644. */
  readonly mode: number;
}

/** Names always left out of a model directory, wherever they occur. */
export const ALWAYS_EXCLUDED_NAMES: readonly string[] = Object.freeze(['.git', '__pycache__', '.DS_Store']);

/** File name suffixes always left out (compiled Python). */
export const ALWAYS_EXCLUDED_SUFFIXES: readonly string[] = Object.freeze(['.pyc']);

/**
 * File name suffixes of serialized weights. Files ending in one of these (case-insensitive) go
 * into the image's weights layer, which is built before code and config so that changing code
 * does not re-copy gigabytes of weights.
 */
export const WEIGHT_FILE_SUFFIXES: readonly string[] = Object.freeze([
  '.safetensors',
  '.bin',
  '.pt',
  '.pth',
  '.onnx',
  '.onnx_data',
  '.plan',
  '.engine',
  '.h5',
  '.hdf5',
  '.keras',
  '.ckpt',
  '.gguf',
  '.ggml',
  '.msgpack',
  '.tflite',
  '.npy',
  '.npz',
  '.joblib',
  '.pkl',
  '.params',
]);

const EXCLUDE_RULE = 'expected a path relative to the model directory or a glob ("*" within a name, "**" across directories, "?" one character): not empty, not starting with "/", no ".." and no "\\"';

/**
 * Compiles an exclude pattern into a regular expression matching relative `/`-separated
 * paths: `*` matches within one name, `?` one character of a name, `**` any number of whole
 * directories. A pattern is anchored at the model directory (`*.txt` matches only top-level
 * files; `**` + `/*.txt` matches at any depth). A trailing `/` and a leading `./` are ignored.
 *
 * @returns the expression, or undefined when the pattern is not a usable relative glob.
 */
export function compileExcludePattern(pattern: string): RegExp | undefined {
  if (typeof pattern !== 'string') return undefined;
  let p = pattern.replace(/^(\.\/)+/, '').replace(/\/+$/, '');
  if (p === '' || pattern.startsWith('/') || p.includes('\\') || p.includes('\0')) return undefined;
  const segments = p.split('/');
  if (segments.some((s) => s === '' || s === '..' || s === '.')) return undefined;
  p = '';
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === '**') {
      // Zero or more whole directories (or, at the end, everything below).
      p += last ? '.*' : '(?:[^/]+/)*';
      return;
    }
    p += segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
    if (!last) p += '/';
  });
  return new RegExp(`^${p}$`);
}

/** Whether a name is always left out of an image (see {@link ALWAYS_EXCLUDED_NAMES}). */
export function isAlwaysExcluded(name: string): boolean {
  return ALWAYS_EXCLUDED_NAMES.includes(name) || ALWAYS_EXCLUDED_SUFFIXES.some((s) => name.endsWith(s));
}

/**
 * Whether a file holds weights rather than code or config: its name ends in one of
 * {@link WEIGHT_FILE_SUFFIXES}, or it lies under the `variables/` directory of a SavedModel
 * (a directory that also holds `saved_model.pb`).
 *
 * @param filePath the file's path relative to the model directory.
 * @param allPaths every file path of the model directory (to recognize SavedModels).
 */
export function isWeightFile(filePath: string, allPaths: ReadonlySet<string>): boolean {
  const name = filePath.slice(filePath.lastIndexOf('/') + 1).toLowerCase();
  if (WEIGHT_FILE_SUFFIXES.some((suffix) => name.endsWith(suffix) && name.length > suffix.length)) return true;
  const segments = filePath.split('/');
  for (let i = 0; i < segments.length - 1; i++) {
    if (segments[i] !== 'variables') continue;
    const parent = segments.slice(0, i).join('/');
    const prefix = parent ? `${parent}/` : '';
    if (allPaths.has(`${prefix}saved_model.pb`) || allPaths.has(`${prefix}saved_model.pbtxt`)) return true;
  }
  return false;
}

/** Reads a whole file; unlike `readFileSync`, files over 2 GiB work, up to the largest Buffer. */
function readWholeFile(file: string, size: number): Buffer {
  if (size > bufferConstants.MAX_LENGTH) {
    throw new RangeError(`the file is ${size} bytes; at most ${bufferConstants.MAX_LENGTH} bytes fit in one build-context file`);
  }
  const fd = fs.openSync(file, 'r');
  try {
    const data = Buffer.allocUnsafe(size);
    let offset = 0;
    while (offset < size) {
      const read = fs.readSync(fd, data, offset, Math.min(size - offset, 1 << 30), offset);
      if (read === 0) throw new Error(`the file shrank while it was read (${offset} of ${size} bytes)`);
      offset += read;
    }
    return data;
  } finally {
    fs.closeSync(fd);
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Reads every regular file of a model directory, in path order (UTF-8 bytes), leaving out
 * `.git`, `__pycache__`, `*.pyc`, `.DS_Store` and whatever `exclude` names (see
 * {@link compileExcludePattern}; a matching directory leaves out everything below it).
 *
 * Symbolic links and special files (sockets, FIFOs, devices) are refused: each is recorded
 * under `directory` with its relative path. Problems with `exclude` are recorded under
 * `exclude[i]`.
 *
 * @param directory the model directory (resolved against the working directory).
 * @param exclude the user's exclude patterns.
 * @param problems a collector narrowed to the image prop.
 * @returns the files, or undefined when the directory cannot be read at all.
 */
export function readModelDirectory(directory: string, exclude: readonly string[] | undefined, problems: Problems): ModelFile[] | undefined {
  const patterns: RegExp[] = [];
  if (exclude !== undefined && !Array.isArray(exclude)) {
    problems.add('exclude', exclude, 'expected an array of relative paths or globs');
  } else {
    (exclude ?? []).forEach((pattern, i) => {
      const re = compileExcludePattern(pattern);
      if (re) patterns.push(re);
      else problems.add(`exclude[${i}]`, pattern, EXCLUDE_RULE);
    });
  }
  if (typeof directory !== 'string' || directory === '') {
    problems.add('directory', directory, 'expected the path of a model directory');
    return undefined;
  }
  let root: fs.Stats;
  try {
    root = fs.statSync(directory);
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
    problems.add('directory', directory, missing ? 'expected an existing model directory; there is nothing at that path' : `expected a readable model directory; ${errorMessage(error)}`);
    return undefined;
  }
  if (!root.isDirectory()) {
    problems.add('directory', directory, 'expected a directory, not a file');
    return undefined;
  }

  const excluded = (rel: string): boolean => patterns.some((re) => re.test(rel));
  const files: ModelFile[] = [];
  const walk = (rel: string): void => {
    const abs = rel ? path.join(directory, ...rel.split('/')) : directory;
    let names: string[];
    try {
      names = fs.readdirSync(abs);
    } catch (error) {
      problems.add('directory', rel, `expected a readable directory; ${errorMessage(error)}`);
      return;
    }
    for (const name of names.sort(comparePaths)) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (isAlwaysExcluded(name) || excluded(childRel)) continue;
      const childAbs = path.join(abs, name);
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(childAbs);
      } catch (error) {
        problems.add('directory', childRel, `expected a readable file; ${errorMessage(error)}`);
        continue;
      }
      if (stat.isSymbolicLink()) {
        problems.add('directory', childRel, 'expected a regular file or directory: symbolic links are not followed (they may point outside the model directory); copy the target in or list the link in exclude');
      } else if (stat.isDirectory()) {
        walk(childRel);
      } else if (!stat.isFile()) {
        problems.add('directory', childRel, 'expected a regular file or directory, not a socket, FIFO or device; list it in exclude');
      } else {
        try {
          files.push({ path: childRel, data: readWholeFile(childAbs, stat.size), mode: (stat.mode & 0o111) !== 0 ? 0o755 : 0o644 });
        } catch (error) {
          problems.add('directory', childRel, `expected a readable file; ${errorMessage(error)}`);
        }
      }
    }
  };
  walk('');
  return files.sort((a, b) => comparePaths(a.path, b.path));
}

/**
 * Normalizes a path the user wrote relative to the model directory (`./x/y.py`, `x//y.py`)
 * into the `/`-separated form {@link ModelFile.path} uses.
 *
 * @returns the normalized path, or undefined for an empty or absolute path, `..`, `\` or NUL.
 */
export function normalizeRelativePath(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || ref.startsWith('/') || ref.includes('\\') || ref.includes('\0')) return undefined;
  const segments = ref.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0 || segments.includes('..')) return undefined;
  return segments.join('/');
}
