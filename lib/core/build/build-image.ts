/**
 * From a model directory to a complete, byte-reproducible image build context: the runtime's
 * planner checks the directory and lays out the model; this module writes the Dockerfile
 * (layers from least to most often changed, non-root `USER` last, OCI labels) and the
 * `.dockerignore`, and hashes the whole for the tag.
 */
import { isPlainObject, mapEntries } from '../checks';
import { Problems } from '../errors';
import { parseImageReference, validateImageReference } from '../image';
import { comparePaths, ContextFile, finalizeContext, ImageBuildContext, ImageBuildTarget } from './context';
import { checkCustomOptions, planCustomImage } from './custom-image';
import { DockerfileWriter, GENERATED_HEADER } from './dockerfile';
import { asDirectory, CONFIG_DIR, ImageLayer, ImagePlan, ImagePlanner } from './image-plan';
import { normalizeRelativePath, readModelDirectory } from './model-directory';
import { ModelDirectoryOptions } from './options';
import { planTfServingImage } from './tfserving-image';
import { planTorchServeImage } from './torchserve-image';
import { planTritonImage } from './triton-image';
import { planVllmImage } from './vllm-image';

/** The planner of each runtime modelship builds images for, by runtime kind. */
export const IMAGE_PLANNERS: ReadonlyMap<string, ImagePlanner> = new Map<string, ImagePlanner>([
  ['torchserve', planTorchServeImage],
  ['tfserving', planTfServingImage],
  ['triton', planTritonImage],
  ['vllm', planVllmImage],
  ['custom', planCustomImage],
]);

/** Human names of the runtimes, for the description label. */
const RUNTIME_TITLES: Readonly<Record<string, string>> = {
  torchserve: 'TorchServe',
  tfserving: 'TensorFlow Serving',
  triton: 'Triton Inference Server',
  vllm: 'vLLM',
  custom: 'a custom server',
};

/** The OCI labels modelship sets on every image (user labels cannot replace them). */
export const OCI_LABELS = Object.freeze({
  /** The image's name: the service name. */
  title: 'org.opencontainers.image.title',
  /** What the image serves and with which runtime. */
  description: 'org.opencontainers.image.description',
  /** The image it was built FROM. */
  baseName: 'org.opencontainers.image.base.name',
});

/**
 * Writable paths every Linux image already has, world-writable: not created or re-owned in the
 * image (Kubernetes mounts an emptyDir over them anyway).
 */
export const SYSTEM_WRITABLE_PATHS: readonly string[] = Object.freeze(['/tmp', '/var/tmp', '/dev/shm']);

function needsCreating(dir: string): boolean {
  const clean = dir.replace(/\/+$/, '') || '/';
  return !SYSTEM_WRITABLE_PATHS.includes(clean) && !/^\/(dev|proc|sys|run)(\/|$)/.test(clean);
}

const CONTROL = /[\u0000-\u001f\u007f]/;
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const REPOSITORY_RULE =
  'expected the repository to push to, without a tag or digest (the tag is the content hash of the build context): lowercase letters, digits and separators, with an optional registry host, e.g. "registry.example.com/ml/fraud"';

function checkRepository(problems: Problems, repository: unknown): void {
  if (typeof repository !== 'string' || repository === '') {
    problems.add('repository', repository, REPOSITORY_RULE);
    return;
  }
  const ref = parseImageReference(repository);
  const scratch = new Problems(problems.construct);
  validateImageReference(`${repository}:0`, scratch, 'repository');
  if (ref.tag !== undefined || ref.digest !== undefined || !scratch.empty) problems.add('repository', repository, REPOSITORY_RULE);
}

function checkOptions(problems: Problems, options: ModelDirectoryOptions, runtime: string): void {
  checkRepository(problems, options.repository);
  if (options.baseImage !== undefined) validateImageReference(options.baseImage, problems, 'baseImage');
  const reserved: readonly string[] = Object.values(OCI_LABELS);
  for (const [key, value] of mapEntries(problems, 'labels', options.labels, 'expected an object of label names to string values')) {
    if (!LABEL_KEY.test(key)) problems.add(`labels.${key}`, key, 'expected a label name of letters, digits, ".", "_", "/" and "-", such as "org.opencontainers.image.source"');
    else if (reserved.includes(key)) problems.add(`labels.${key}`, value, `expected a label modelship does not set itself (it sets ${reserved.join(', ')})`);
    if (typeof value !== 'string' || CONTROL.test(value)) problems.add(`labels.${key}`, value, 'expected a string without control characters (newlines, tabs)');
  }
  if (options.archive !== undefined && runtime !== 'torchserve') {
    problems.add('archive', options.archive, `expected no archive for the ${runtime} runtime: only TorchServe images pack a .mar`);
  }
  if (runtime === 'custom') checkCustomOptions(options, problems);
  if (options.version !== undefined && runtime !== 'tfserving') {
    problems.add('version', options.version, `expected no version for the ${runtime} runtime: it places a single SavedModel for TF Serving only`);
  }
}

function checkTarget(problems: Problems, target: ImageBuildTarget): void {
  const { uid, gid } = target.user;
  if (!Number.isInteger(uid) || uid < 1 || !Number.isInteger(gid) || gid < 0) {
    problems.add('user', `${uid}:${gid}`, 'expected a non-root user: a uid of at least 1 (the image runs as USER uid:gid)');
  }
  for (const e of target.env) {
    if (e.value !== undefined && CONTROL.test(e.value)) problems.add(`env.${e.name}`, e.value, 'expected a value without control characters (newlines, tabs): a Dockerfile ENV cannot hold them');
  }
  for (const p of [target.modelPath, target.configPath]) {
    if (!p.startsWith('/') || p.split('/').includes('..')) throw new RangeError(`image build target paths must be absolute without "..": got ${JSON.stringify(p)}`);
  }
}

/** The `.dockerignore`: everything but the folders modelship wrote, so stray files never reach the builder. */
function dockerignore(tops: readonly string[]): string {
  return [
    GENERATED_HEADER,
    '# Only what modelship wrote is sent to the builder: stray files in this folder never reach the image.',
    '*',
    '!Dockerfile',
    ...tops.map((t) => `!${t}`),
    '',
  ].join('\n');
}

function writeLayer(w: DockerfileWriter, layer: ImageLayer): void {
  w.blank().comment(layer.comment).copy(layer.source, layer.destination);
  if (layer.run) w.run(layer.run);
}

/** Writes the Dockerfile of a plan (see {@link buildImageContext} for the layout). */
function writeDockerfile(target: ImageBuildTarget, baseImage: string, plan: ImagePlan, config: readonly ContextFile[], labels: readonly [string, string][]): string {
  const { uid, gid } = target.user;
  const w = new DockerfileWriter();
  w.comment(`Image "${target.name}" for the ${target.runtime} runtime. Do not edit: modelship rewrites this build context, and its content hash is the image tag.`);
  w.comment('Layers run from the least to the most often changed (setup, weights, code, config), metadata last, so a rebuild reuses every layer before the change.');
  w.from(baseImage);
  const writable = [...new Set(target.writablePaths.map((p) => p.path).filter(needsCreating))];
  if (writable.length > 0 || plan.setup.length > 0) {
    w.blank().comment("Build steps that need root; the server's own user is set last.").user('root');
  }
  if (writable.length > 0) {
    w.comment(`Directories the server writes, owned by its user (Kubernetes mounts emptyDirs over them; this lets the image run on its own too).`);
    w.run(['install', '-d', '-o', String(uid), '-g', String(gid), '-m', '0755', ...writable]);
  }
  plan.setup.forEach((layer) => writeLayer(w, layer));
  plan.model.forEach((layer) => writeLayer(w, layer));
  if (config.length > 0) {
    w.blank().comment("The runtime's generated config, baked in so the image also runs without Kubernetes (which mounts the same files from a ConfigMap).");
    w.copy(`${CONFIG_DIR}/`, asDirectory(target.configPath));
  }
  w.blank();
  for (const e of target.env) if (e.value !== undefined && e.valueFrom === undefined) w.env(e.name, e.value);
  w.expose([...new Set(target.ports.map((p) => p.port))]);
  for (const [key, value] of labels) w.label(key, value);
  if (target.command !== undefined) w.entrypoint(target.command);
  if (target.args.length > 0) w.cmd(target.args);
  w.comment("The server's non-root user, last.").user(`${uid}:${gid}`);
  return w.toString();
}

/**
 * Turns a model directory into a complete, byte-reproducible image build context for
 * `target.runtime`: the same directory, options and target always give the same files, the same
 * content hash and so the same tag.
 *
 * The directory is read in path order (UTF-8 bytes) without `.git`, `__pycache__`, `*.pyc`,
 * `.DS_Store` and `options.exclude`; symbolic links and special files are refused. Each runtime
 * then checks and lays out the model:
 * - `torchserve`: packs `options.archive` into a `.mar` (see `packMar`) that lands at
 *   `target.modelPath`; a requirements file is installed with pip first.
 * - `tfserving`: integer version directories (or one SavedModel, placed under
 *   `options.version`, default 1) land in `target.modelPath`.
 * - `triton`: a model repository, each `config.pbtxt` and version directory checked, lands in
 *   `target.modelPath`.
 * - `vllm`: a Hugging Face snapshot (`config.json` and weights) lands in `target.modelPath`.
 * - `custom`: the whole directory lands in `target.modelPath`; `options.baseImage` is required.
 *
 * The context holds `Dockerfile`, `.dockerignore`, and folders mirroring the image's layout:
 * `weights/` (weight files), then `code/` (everything else), both copied into the model path,
 * and `config/` (`target.configFiles`, copied into `target.configPath`); TorchServe has
 * `requirements/` and `archive/` instead. The Dockerfile builds FROM `options.baseImage ??
 * target.baseImage`; creates the writable directories and runs setup as root; copies weights
 * before code before config (so changing code or config does not copy the weights again);
 * sets `ENV`, `EXPOSE`, the OCI labels (`org.opencontainers.image.title`, `.description`,
 * `.base.name`, plus `options.labels`), `ENTRYPOINT` and `CMD` in exec form; and ends with the
 * non-root `USER uid:gid`. Nothing in it depends on the clock or the machine, and no secret
 * (an env var from a Secret) is written. Files keep mode 0644, or 0755 when executable.
 *
 * @param directory the model directory.
 * @param options where to push and how to read the directory.
 * @param target what the runtime expects of the image.
 * @param problems a collector narrowed to the image prop (e.g. `runtime.image`). Problems with
 *   the directory are recorded under `directory`, with the offending path relative to it as
 *   the value; problems with an option under its name (`archive.handler`, `baseImage`, …).
 * @returns the build context, or undefined when a problem was recorded.
 */
export function buildImageContext(directory: string, options: ModelDirectoryOptions, target: ImageBuildTarget, problems: Problems): ImageBuildContext | undefined {
  const before = problems.all.length;
  if (!isPlainObject(options)) {
    problems.add('', options, 'expected the model directory options { repository, baseImage?, exclude?, labels?, archive?, version? }');
    return undefined;
  }
  checkOptions(problems, options, target.runtime);
  checkTarget(problems, target);
  const planner = IMAGE_PLANNERS.get(target.runtime);
  if (!planner) problems.add('', target.runtime, `expected a runtime modelship can build images for: ${[...IMAGE_PLANNERS.keys()].join(', ')}`);
  const files = readModelDirectory(directory, options.exclude, problems);
  const plan = files && planner ? planner(files, directory, options, target, problems) : undefined;
  if (problems.all.length > before || !plan) return undefined;

  const config: ContextFile[] = Object.entries(target.configFiles).map(([name, text]) => {
    const rel = normalizeRelativePath(name);
    if (rel === undefined) throw new RangeError(`config file names must be relative paths; got ${JSON.stringify(name)}`);
    return { path: `${CONFIG_DIR}/${rel}`, data: Buffer.from(text, 'utf8'), mode: 0o644 };
  });
  const baseImage = options.baseImage ?? target.baseImage;
  const labels: [string, string][] = [
    [OCI_LABELS.title, target.name],
    [OCI_LABELS.description, `${plan.description} for ${RUNTIME_TITLES[target.runtime] ?? target.runtime}`],
    [OCI_LABELS.baseName, baseImage],
    ...Object.entries(options.labels ?? {}).sort(([a], [b]) => comparePaths(a, b)),
  ];
  const dockerfile = writeDockerfile(target, baseImage, plan, config, labels);
  const layerFiles = [...plan.setup, ...plan.model].flatMap((l) => l.files);
  const tops = [...new Set([...layerFiles, ...config].map((f) => f.path.split('/')[0]!))].sort(comparePaths);
  const contextFiles: ContextFile[] = [
    { path: 'Dockerfile', data: Buffer.from(dockerfile, 'utf8'), mode: 0o644 },
    { path: '.dockerignore', data: Buffer.from(dockerignore(tops), 'utf8'), mode: 0o644 },
    ...layerFiles,
    ...config,
  ];
  const seen = new Set<string>();
  for (const f of contextFiles) {
    if (seen.has(f.path)) throw new Error(`modelship bug: two build-context files at ${f.path}`);
    seen.add(f.path);
  }
  return finalizeContext({ name: target.name, runtime: target.runtime, repository: options.repository, dockerfile, files: contextFiles });
}
