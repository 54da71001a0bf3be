/**
 * TorchServe model archives (`.mar`), packed the way torch-model-archiver 0.12.0 packs them
 * with `--archive-format default` (or `zip-store`), but byte-reproducibly.
 *
 * What torch-model-archiver 0.12.0 does, read from pytorch/serve at tag v0.12.0
 * (`model-archiver/model_archiver/`) and checked by running that source:
 * - `model_packaging.py` / `model_packaging_utils.py` (`copy_artifacts`, `archive`,
 *   `archive_dir`): every artifact is copied flat into a temporary directory (an extra-files
 *   *directory* contributes its contents, sub-directories kept), which is zipped with
 *   `ZIP_DEFLATED` (`ZIP_STORED` for `zip-store`) at paths relative to it, so artifacts sit
 *   at the archive root; directories named `__pycache__`, `__MACOSX` or starting with `.` are
 *   skipped. `MAR-INF/MANIFEST.json` is written last, with `writestr`. A built-in handler
 *   name is not copied.
 * - `manifest_components/manifest.py`: keys `createdOn`
 *   (`datetime.now().strftime("%d/%m/%Y %H:%M:%S")`), `runtime`, `model`, `archiverVersion`;
 *   serialized with `json.dumps(manifest_dict, indent=2)`: two-space indent, `","` between
 *   items and `": "` after keys (Python's separators when an indent is given),
 *   `ensure_ascii=True` (every character outside printable ASCII as a lowercase `\uXXXX`
 *   escape), and no trailing newline.
 * - `manifest_components/model.py`: `model` keys in the order `modelName`, `serializedFile`,
 *   `handler`, `modelFile`, `modelVersion`, `extensions`, `requirementsFile`, `configFile`,
 *   file names reduced to base names, each optional key omitted when empty. The CLI never
 *   passes `extensions` (`generate_model` leaves it `None`), so a 0.12.0 manifest never has
 *   it and neither does this one.
 * - `--handler` for the python runtimes: a built-in name (the keys of `model_handlers`) is
 *   recorded as is; `path/x.py` is copied and recorded as `x.py`; `path/x:fn` copies `x.py`
 *   and records `x:fn`. For `LSP`, `BaseHandler` and `TorchScriptHandler` are built in and
 *   `path/libx:Cls` copies `libx.so` and records `libx:Cls`.
 *
 * Differences, all deliberate: entries are in a fixed order (the archiver's follows the file
 * system's directory order — see {@link packMar}); every entry has the fixed timestamp
 * 1980-01-01 00:00:00 and mode 0644 (the archiver keeps source mtimes and modes, and writes
 * the manifest as 0600 at the current time); `createdOn` is the caller's value in UTC (the
 * archiver uses the local clock); and inputs the archiver would silently overwrite or drop
 * (duplicate names, hidden directories) are rejected instead.
 */
import { Problems } from '../errors';
import { writeZip, type ZipEntryInput } from './zip';

/** A file to put into a `.mar`: its name in the archive and its contents. */
export interface MarFile {
  /** The file's name: a base name (no `/`), except in `extraFiles`, where a relative path is allowed. */
  readonly name: string;
  /** The file's contents. */
  readonly data: Buffer;
}

/** A custom handler file, optionally with the function or class TorchServe should call in it. */
export interface MarHandlerFile extends MarFile {
  /**
   * The entry point inside the handler (`--handler x:fn`): recorded in the manifest as
   * `<stem>:<entryPoint>` instead of the file name. Required by neither runtime.
   */
  readonly entryPoint?: string;
}

/** The runtime recorded in the manifest (torch-model-archiver's `RuntimeType`). */
export type MarRuntime = 'python' | 'python3' | 'LSP';

/** How the `.mar` zip is compressed: `default` deflates, `zip-store` stores. */
export type MarArchiveFormat = 'default' | 'zip-store';

/** The runtimes torch-model-archiver 0.12.0 accepts. */
export const MAR_RUNTIMES: readonly MarRuntime[] = Object.freeze(['python', 'python3', 'LSP'] as const);

const PYTHON_BUILTIN_HANDLERS = Object.freeze([
  'base_handler',
  'text_classifier',
  'image_classifier',
  'object_detector',
  'image_segmenter',
  'dali_image_classifier',
  'vllm_handler',
  'trt_llm_handler',
] as const);

/**
 * Handler names that are built into TorchServe, per runtime (torch-model-archiver 0.12.0's
 * `model_handlers` for python and python3; `BaseHandler` and `TorchScriptHandler` for LSP).
 * These are recorded in the manifest and not packed as files.
 */
export const MAR_BUILTIN_HANDLERS: Readonly<Record<MarRuntime, readonly string[]>> = Object.freeze({
  python: PYTHON_BUILTIN_HANDLERS,
  python3: PYTHON_BUILTIN_HANDLERS,
  LSP: Object.freeze(['BaseHandler', 'TorchScriptHandler'] as const),
});

/** The archiver version written by default. */
export const MAR_ARCHIVER_VERSION = '0.12.0';

/** Where the manifest sits in the archive (`MAR-INF` is reserved for it). */
export const MAR_MANIFEST_PATH = 'MAR-INF/MANIFEST.json';

/**
 * The model name rule: starts with a letter; letters, digits, `_`, `-` and `.` after that
 * (torch-model-archiver's README; its code also lets a digit start the name).
 */
export const MAR_MODEL_NAME = /^[A-Za-z][A-Za-z0-9_.-]*$/;

/** What to pack into a `.mar`. */
export interface PackMarInput {
  /** `--model-name`; the archive is `<modelName>.mar`. Must match {@link MAR_MODEL_NAME}. */
  readonly modelName: string;
  /** `--version`, recorded as `modelVersion`: a non-empty string such as `"1.0"`. */
  readonly version: string;
  /** `--handler`: a built-in handler name (see {@link MAR_BUILTIN_HANDLERS}) or a handler file (`.py`; `.so` for LSP). */
  readonly handler: string | MarHandlerFile;
  /** `--serialized-file`: the weights (`.pt`, `.pth`, …). */
  readonly serializedFile?: MarFile;
  /** `--model-file`: the model's Python source (eager mode). */
  readonly modelFile?: MarFile;
  /**
   * `--extra-files`: packed at the archive root under `name`, which may be a relative path
   * (`vocab/merges.txt`), as the contents of an extra-files directory are. No directory in it
   * may be `__pycache__`, `__MACOSX` or start with `.` (the archiver would drop it).
   */
  readonly extraFiles?: readonly MarFile[];
  /** `--requirements-file`. */
  readonly requirementsFile?: MarFile;
  /** `--config-file`: the model's `model-config.yaml`. */
  readonly configFile?: MarFile;
  /** `--runtime`; default `python`. */
  readonly runtime?: MarRuntime;
  /**
   * The manifest's `createdOn`, formatted from the date's UTC fields. Required so the archive
   * is reproducible: pass a fixed value (e.g. derived from the inputs or a source date).
   */
  readonly createdOn: Date;
  /** The `archiverVersion` written; default {@link MAR_ARCHIVER_VERSION}. */
  readonly archiverVersion?: string;
  /** `--archive-format`: `default` (deflated, the default) or `zip-store` (stored). */
  readonly archiveFormat?: MarArchiveFormat;
}

/** The `model` object of a `.mar` manifest, keys in the order the archiver writes them. */
export interface MarManifestModel {
  /** `--model-name`. */
  readonly modelName: string;
  /** Base name of the serialized file, when there is one. */
  readonly serializedFile?: string;
  /** The built-in handler name, the handler file's name, or `<stem>:<entryPoint>`. */
  readonly handler: string;
  /** Base name of the model file, when there is one. */
  readonly modelFile?: string;
  /** `--version`. */
  readonly modelVersion: string;
  /** Base name of the requirements file, when there is one. */
  readonly requirementsFile?: string;
  /** Base name of the model config file, when there is one. */
  readonly configFile?: string;
}

/** `MAR-INF/MANIFEST.json`, keys in the order the archiver writes them. */
export interface MarManifest {
  /** `DD/MM/YYYY HH:MM:SS` (see {@link formatMarCreatedOn}). */
  readonly createdOn: string;
  /** The runtime TorchServe starts the handler in. */
  readonly runtime: MarRuntime;
  /** What the archive serves. */
  readonly model: MarManifestModel;
  /** The torch-model-archiver version this archive claims to come from. */
  readonly archiverVersion: string;
}

/** A packed `.mar`. */
export interface PackedMar {
  /** The archive's bytes. */
  readonly bytes: Buffer;
  /** The manifest written into it. */
  readonly manifest: MarManifest;
  /** The manifest exactly as written (`MAR-INF/MANIFEST.json`'s contents). */
  readonly manifestJson: string;
  /** `<modelName>.mar`. */
  readonly fileName: string;
  /** The archive's entry paths, in archive order (the manifest last). */
  readonly entries: readonly string[];
}

/**
 * Formats a date as torch-model-archiver's `createdOn`: `DD/MM/YYYY HH:MM:SS`
 * (`%d/%m/%Y %H:%M:%S`), from the date's UTC fields.
 *
 * @throws RangeError for an invalid date or a year outside 1000–9999.
 */
export function formatMarCreatedOn(date: Date): string {
  if (!isFormattableDate(date)) throw new RangeError(`createdOn must be a valid Date with a four-digit UTC year; got ${String(date)}`);
  const two = (n: number): string => String(n).padStart(2, '0');
  return (
    `${two(date.getUTCDate())}/${two(date.getUTCMonth() + 1)}/${date.getUTCFullYear()} ` +
    `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`
  );
}

function isFormattableDate(date: unknown): date is Date {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return false;
  const year = date.getUTCFullYear();
  return year >= 1000 && year <= 9999;
}

type PyJson = string | { readonly [key: string]: PyJson | undefined };

/** A string as Python's `json.dumps` writes it with the default `ensure_ascii=True`. */
function pyJsonString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x0c) out += '\\f';
    // Python escapes everything outside ' '..'~' (so DEL too), one \u per UTF-16 code unit.
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

function pyJsonDumps(value: PyJson, indent: number, depth = 0): string {
  if (typeof value === 'string') return pyJsonString(value);
  const keys = Object.keys(value).filter((k) => value[k] !== undefined);
  if (keys.length === 0) return '{}';
  const inner = ' '.repeat(indent * (depth + 1));
  const items = keys.map((k) => `${inner}${pyJsonString(k)}: ${pyJsonDumps(value[k]!, indent, depth + 1)}`);
  return `{\n${items.join(',\n')}\n${' '.repeat(indent * depth)}}`;
}

/**
 * Serializes a manifest exactly as torch-model-archiver 0.12.0 does
 * (`json.dumps(manifest, indent=2)`): keys in the manifest's order, two-space indent,
 * `": "` after keys, non-ASCII escaped as `\uXXXX`, no trailing newline.
 */
export function serializeMarManifest(manifest: MarManifest): string {
  return pyJsonDumps(manifest as unknown as PyJson, 2);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function badSegment(segment: string): boolean {
  return segment === '' || segment === '.' || segment === '..' || segment.includes('\\') || segment.includes('\0');
}

const BASE_NAME_RULE = 'expected a file base name: non-empty, no "/", "\\" or NUL, not "." or ".."';
const EXTRA_PATH_RULE = 'expected a relative path of "/"-separated names: none empty, "." or "..", no "\\" or NUL, no leading "/"';
const SKIPPED_DIR_RULE = 'expected no directory named __pycache__ or __MACOSX or starting with "." (torch-model-archiver leaves those out of the archive)';
const RESERVED_RULE = 'MAR-INF is reserved for the archive\'s manifest; expected a path outside it';

interface Slot {
  readonly prop: string;
  readonly file: MarFile;
  /** The path inside the archive. */
  readonly path: string;
}

/**
 * Checks one artifact and, when it is usable, returns its archive slot. Problems go to
 * `problems` under `prop` (`prop.name`, `prop.data`).
 */
function checkFile(problems: Problems, prop: string, file: unknown, allowPath: boolean): Slot | undefined {
  if (!isObject(file)) {
    problems.add(prop, file, 'expected a file { name: string, data: Buffer }');
    return undefined;
  }
  let ok = true;
  const name = file.name;
  if (!Buffer.isBuffer(file.data)) {
    problems.add(`${prop}.data`, file.data === undefined ? undefined : typeof file.data, 'expected a Buffer with the file\'s contents');
    ok = false;
  }
  if (typeof name !== 'string') {
    problems.add(`${prop}.name`, name, allowPath ? EXTRA_PATH_RULE : BASE_NAME_RULE);
    return undefined;
  }
  const segments = name.split('/');
  if (allowPath ? segments.some(badSegment) : segments.length !== 1 || badSegment(name)) {
    problems.add(`${prop}.name`, name, allowPath ? EXTRA_PATH_RULE : BASE_NAME_RULE);
    return undefined;
  }
  if (segments[0] === 'MAR-INF') {
    problems.add(`${prop}.name`, name, RESERVED_RULE);
    return undefined;
  }
  if (segments.slice(0, -1).some((d) => d === '__pycache__' || d === '__MACOSX' || d.startsWith('.'))) {
    problems.add(`${prop}.name`, name, SKIPPED_DIR_RULE);
    return undefined;
  }
  return ok ? { prop, file: file as unknown as MarFile, path: name } : undefined;
}

/** Byte-wise order of UTF-8 encodings (the order a C `strcmp` of the names gives). */
function compareNames(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * Order of a top-down directory walk with sorted listings: in each directory its files
 * first, then each sub-directory in turn (the order torch-model-archiver's `os.walk` writes,
 * with the listings sorted).
 */
function compareWalkOrder(a: string, b: string): number {
  const as = a.split('/');
  const bs = b.split('/');
  for (let i = 0; ; i++) {
    if (as[i] === bs[i]) continue;
    const aFile = i === as.length - 1;
    const bFile = i === bs.length - 1;
    if (aFile !== bFile) return aFile ? -1 : 1;
    return compareNames(as[i]!, bs[i]!);
  }
}

/**
 * Packs a TorchServe model archive: a zip with the artifacts at its root and
 * `MAR-INF/MANIFEST.json` written exactly as torch-model-archiver 0.12.0 writes it
 * (see this module's notes for the sources).
 *
 * Entry order, fixed so identical inputs give identical bytes: the artifacts in the order of
 * a top-down walk of the archive root with sorted listings (each directory's files sorted by
 * their UTF-8 bytes, then its sub-directories likewise), then the manifest last, as the
 * archiver writes it. Every entry is dated 1980-01-01 00:00:00 with mode 0644.
 *
 * @param input what to pack.
 * @param construct names the owner in error messages (a construct path or resource name).
 * @throws ValidationError listing every problem: a model name breaking {@link MAR_MODEL_NAME},
 *   an empty version, an unknown runtime or built-in handler, a handler file without the
 *   runtime's extension, a file name that is not a base name (a clean relative path for extra
 *   files) or lies under the reserved `MAR-INF`, and two artifacts at the same archive path.
 */
export function packMar(input: PackMarInput, construct = 'packMar'): PackedMar {
  const problems = new Problems(construct);
  const given = (isObject(input) ? input : {}) as Partial<Record<keyof PackMarInput, unknown>>;
  if (!isObject(input)) problems.add('input', input, 'expected the .mar inputs as an object');

  const modelName = given.modelName;
  if (typeof modelName !== 'string' || !MAR_MODEL_NAME.test(modelName)) {
    problems.add('modelName', modelName, 'expected a name that starts with a letter and has only letters, digits, "_", "-" and "."');
  }
  const version = given.version;
  if (typeof version !== 'string' || version.length === 0) {
    problems.add('version', version, 'expected a non-empty string such as "1.0" (TorchServe rejects a manifest without modelVersion)');
  }
  const runtime = given.runtime ?? 'python';
  const runtimeOk = typeof runtime === 'string' && (MAR_RUNTIMES as readonly string[]).includes(runtime);
  if (!runtimeOk) problems.add('runtime', runtime, `expected one of ${MAR_RUNTIMES.join(', ')}`);
  const archiverVersion = given.archiverVersion ?? MAR_ARCHIVER_VERSION;
  if (typeof archiverVersion !== 'string' || archiverVersion.length === 0) {
    problems.add('archiverVersion', archiverVersion, 'expected a non-empty version string such as "0.12.0"');
  }
  const archiveFormat = given.archiveFormat ?? 'default';
  if (archiveFormat !== 'default' && archiveFormat !== 'zip-store') {
    problems.add('archiveFormat', archiveFormat, 'expected "default" (deflated) or "zip-store" (stored)');
  }
  const createdOn = given.createdOn;
  if (!isFormattableDate(createdOn)) {
    problems.add('createdOn', createdOn, 'expected a valid Date with a four-digit UTC year (pass a fixed value so the archive is reproducible)');
  }

  // Artifacts, in input order; each usable one gets an archive slot.
  const slots: Slot[] = [];
  const push = (slot: Slot | undefined): void => {
    if (slot) slots.push(slot);
  };
  let manifestHandler: string | undefined;
  const handler = given.handler;
  if (typeof handler === 'string') {
    const builtins = runtimeOk ? MAR_BUILTIN_HANDLERS[runtime as MarRuntime] : [];
    if (runtimeOk && builtins.includes(handler)) {
      manifestHandler = handler;
    } else if (runtimeOk) {
      problems.add('handler', handler, `expected a built-in handler of the ${String(runtime)} runtime (${builtins.join(', ')}) or a handler file { name, data }`);
    }
  } else if (!isObject(handler)) {
    problems.add('handler', handler, 'expected a built-in handler name or a handler file { name, data }');
  } else {
    const slot = checkFile(problems, 'handler', handler, false);
    const extension = runtime === 'LSP' ? '.so' : '.py';
    const entryPoint = handler.entryPoint;
    let ok = slot !== undefined;
    if (slot && (!slot.path.endsWith(extension) || slot.path.length === extension.length)) {
      if (runtimeOk) problems.add('handler.name', slot.path, `expected a ${extension} file for the ${String(runtime)} runtime`);
      ok = false;
    }
    if (entryPoint !== undefined && (typeof entryPoint !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(entryPoint))) {
      problems.add('handler.entryPoint', entryPoint, 'expected a Python/C++ identifier naming the function or class to call');
      ok = false;
    }
    if (slot && ok) {
      const stem = slot.path.slice(0, -extension.length);
      manifestHandler = entryPoint !== undefined ? `${stem}:${String(entryPoint)}` : runtime === 'LSP' ? stem : slot.path;
    }
    push(slot);
  }
  const serialized = given.serializedFile === undefined ? undefined : checkFile(problems, 'serializedFile', given.serializedFile, false);
  push(serialized);
  const modelFile = given.modelFile === undefined ? undefined : checkFile(problems, 'modelFile', given.modelFile, false);
  push(modelFile);
  if (given.extraFiles !== undefined) {
    if (!Array.isArray(given.extraFiles)) {
      problems.add('extraFiles', given.extraFiles, 'expected an array of files { name, data }');
    } else {
      given.extraFiles.forEach((f: unknown, i: number) => push(checkFile(problems, `extraFiles[${i}]`, f, true)));
    }
  }
  const requirements = given.requirementsFile === undefined ? undefined : checkFile(problems, 'requirementsFile', given.requirementsFile, false);
  push(requirements);
  const config = given.configFile === undefined ? undefined : checkFile(problems, 'configFile', given.configFile, false);
  push(config);

  // Two artifacts at one path, or a file where another artifact needs a directory.
  const files = new Map<string, string>();
  const dirs = new Map<string, string>();
  for (const slot of slots) {
    const segments = slot.path.split('/');
    const clash =
      files.get(slot.path) ??
      dirs.get(slot.path) ??
      segments
        .slice(0, -1)
        .map((_, i) => files.get(segments.slice(0, i + 1).join('/')))
        .find((owner) => owner !== undefined);
    if (clash !== undefined) {
      problems.add(`${slot.prop}.name`, slot.path, `expected a path not already taken in the archive root; ${clash} is packed there`);
      continue;
    }
    files.set(slot.path, slot.prop);
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (!dirs.has(dir)) dirs.set(dir, slot.prop);
    }
  }

  problems.throwIfAny();

  const base = (slot: Slot | undefined): string | undefined => slot?.path;
  const manifest: MarManifest = {
    createdOn: formatMarCreatedOn(createdOn as Date),
    runtime: runtime as MarRuntime,
    model: dropUndefined({
      modelName: modelName as string,
      serializedFile: base(serialized),
      handler: manifestHandler as string,
      modelFile: base(modelFile),
      modelVersion: version as string,
      requirementsFile: base(requirements),
      configFile: base(config),
    }),
    archiverVersion: archiverVersion as string,
  };
  const manifestJson = serializeMarManifest(manifest);
  const entries: ZipEntryInput[] = [...slots]
    .sort((a, b) => compareWalkOrder(a.path, b.path))
    .map((slot) => ({ path: slot.path, data: slot.file.data }));
  entries.push({ path: MAR_MANIFEST_PATH, data: Buffer.from(manifestJson, 'utf8') });
  const bytes = writeZip(entries, { compression: archiveFormat === 'zip-store' ? 'stored' : 'deflated' });
  return { bytes, manifest, manifestJson, fileName: `${modelName as string}.mar`, entries: entries.map((e) => e.path) };
}

function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
