/**
 * Shared helpers of the image-build tests: targets rendered by the real runtimes, builds of the
 * fixture model directories (test/support/images), and a strict reading of generated
 * Dockerfiles with dockerfile-ast.
 */
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import { ModelArtifact } from '../../../../lib/core/artifact/artifact';
import { buildImageContext } from '../../../../lib/core/build/build-image';
import type { ImageBuildContext, ImageBuildTarget } from '../../../../lib/core/build/context';
import type { ModelDirectoryOptions } from '../../../../lib/core/build/options';
import { Problems, type ValidationProblem } from '../../../../lib/core/errors';
import { ModelImage } from '../../../../lib/core/image';
import { IRuntime, PortRole } from '../../../../lib/core/runtime/contract';
import { Runtime } from '../../../../lib/core/runtime/runtime';
import type { RuntimeKind } from '../../../support/fixtures';
import { CUSTOM_BASE, fixtureDir, fixtureOptions } from '../../../support/images';

/** Where the service mounts (and the image bakes) the runtime's config files. */
export const CONFIG_PATH = '/etc/modelship';

/** The construct path problems are reported for, and the prop the image sits at. */
export const CONSTRUCT = 'Chart/Svc';
export const IMAGE_PROP = 'runtime.image';

const RUNTIMES: Record<RuntimeKind, () => IRuntime> = {
  torchserve: () => Runtime.torchServe({ model: ModelArtifact.inImage() }),
  tfserving: () => Runtime.tensorflowServing({ model: ModelArtifact.inImage() }),
  triton: () => Runtime.triton({ model: ModelArtifact.inImage() }),
  vllm: () => Runtime.vllm({ model: ModelArtifact.inImage() }),
  custom: () =>
    Runtime.custom({
      image: ModelImage.fromRegistry(CUSTOM_BASE),
      model: ModelArtifact.inImage('/models'),
      command: ['python3', '/models/server.py'],
      args: ['--port', '8080'],
      ports: [
        { name: 'http', port: 8080 },
        { name: 'metrics', port: 9090, role: PortRole.METRICS },
      ],
      writablePaths: ['/tmp', '/var/cache/model server'],
    }),
};

/** The target the real runtime gives for a service `name` with the model baked into the image. */
export function targetFor(kind: RuntimeKind, name = 'demo'): ImageBuildTarget {
  const runtime = RUNTIMES[kind]();
  const defaults = runtime.defaults(0, name);
  const profile = runtime.render({ name, modelPath: defaults.defaultImagePath, gpus: 0, cpus: 2, configPath: CONFIG_PATH });
  return {
    name,
    runtime: runtime.kind,
    baseImage: defaults.image,
    user: defaults.user,
    modelPath: defaults.defaultImagePath,
    configPath: CONFIG_PATH,
    configFiles: profile.configFiles,
    ...(profile.command ? { command: profile.command } : {}),
    args: profile.args,
    ports: profile.ports,
    env: profile.env,
    writablePaths: profile.writablePaths,
  };
}

/** The archive options of the TorchServe fixture: every file it has. */
export const TORCHSERVE_ARCHIVE = {
  handler: 'handler.py',
  serializedFile: 'weights.pt',
  modelFile: 'model.py',
  extraFiles: ['index_to_name.json', 'extra'],
  requirementsFile: 'requirements.txt',
  configFile: 'model-config.yaml',
};

/** Options that build each fixture, packing the whole TorchServe archive. */
export function optionsFor(kind: RuntimeKind, extra: Partial<ModelDirectoryOptions> = {}): ModelDirectoryOptions {
  return fixtureOptions(kind, TORCHSERVE_ARCHIVE, extra);
}

/** The outcome of one build: the context, or the problems recorded. */
export interface BuildResult {
  readonly context: ImageBuildContext | undefined;
  readonly problems: readonly ValidationProblem[];
}

/** Builds `directory` for `kind` with a fresh collector narrowed to {@link IMAGE_PROP}. */
export function build(kind: RuntimeKind, directory: string, options: ModelDirectoryOptions = optionsFor(kind), target = targetFor(kind)): BuildResult {
  const problems = new Problems(CONSTRUCT);
  const context = buildImageContext(directory, options, target, problems.at(IMAGE_PROP));
  return { context, problems: problems.all };
}

/** Builds a fixture, failing the test with the problems if there are any. */
export function buildOk(kind: RuntimeKind, directory = fixtureDir(kind), options?: ModelDirectoryOptions, target?: ImageBuildTarget): ImageBuildContext {
  const { context, problems } = build(kind, directory, options, target);
  if (!context) throw new Error(`expected a build context; got problems:\n${problems.map((p) => `${p.prop}: ${p.given}: ${p.allowed}`).join('\n')}`);
  return context;
}

/** The context's files as a map of path → contents. */
export function fileMap(context: ImageBuildContext): Map<string, Buffer> {
  return new Map(context.files.map((f) => [f.path, f.data]));
}

/** The context's file paths, in order. */
export function paths(context: ImageBuildContext): string[] {
  return context.files.map((f) => f.path);
}

const KEYWORDS = new Set(['FROM', 'USER', 'COPY', 'RUN', 'ENV', 'EXPOSE', 'LABEL', 'ENTRYPOINT', 'CMD']);

/** Instructions whose arguments the builder itself substitutes `$VAR` in (exec-form RUN, CMD and ENTRYPOINT are never substituted). */
const SUBSTITUTED = new Set(['FROM', 'USER', 'COPY', 'ENV', 'EXPOSE', 'LABEL']);

/**
 * A double-quoted Dockerfile word as BuildKit's shell lexer reads it (moby/buildkit
 * `frontend/dockerfile/shell/lex.go`, `processDoubleQuote`): `\"`, `\$` and `\\` are escapes,
 * any other backslash is kept, and an unescaped `$` would be substituted (so it is an error here).
 */
export function readDoubleQuoted(word: string): string {
  if (!word.startsWith('"') || !word.endsWith('"') || word.length < 2) throw new Error(`not a double-quoted word: ${word}`);
  let out = '';
  for (let i = 1; i < word.length - 1; i++) {
    const c = word[i]!;
    if (c === '"') throw new Error(`unescaped quote inside ${word}`);
    if (c === '$') throw new Error(`unescaped $ inside ${word}`);
    if (c === '\\' && ['"', '$', '\\'].includes(word[i + 1]!) && i + 1 < word.length - 1) {
      out += word[++i];
    } else {
      out += c;
    }
  }
  return out;
}

/** One instruction of a generated Dockerfile, as dockerfile-ast reads it. */
export interface ParsedInstruction {
  readonly keyword: string;
  /** The arguments' raw text. */
  readonly args: string;
  readonly instruction: Instruction;
}

/**
 * Parses a generated Dockerfile with dockerfile-ast and fails on anything it would not read
 * cleanly: an unknown or lowercase keyword, an instruction without arguments, text the parser
 * did not assign to an instruction or comment, a JSON-form instruction whose array does not
 * parse, or a variable reference where the builder would substitute it (generated files never
 * rely on substitution).
 */
export function parseDockerfile(text: string): ParsedInstruction[] {
  const dockerfile = DockerfileParser.parse(text);
  const instructions = dockerfile.getInstructions();
  const lines = text.split('\n');
  const meaningful = lines.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (meaningful.length !== instructions.length) throw new Error(`expected one instruction per line; ${meaningful.length} lines, ${instructions.length} instructions`);
  if (dockerfile.getComments().length !== lines.filter((l) => l.trimStart().startsWith('#')).length) throw new Error('a comment was not read as one');
  if (dockerfile.getDirectives().length !== 0) throw new Error('a comment was read as a parser directive');
  return instructions.map((instruction) => {
    const keyword = instruction.getKeyword();
    if (instruction.getInstruction() !== keyword || !KEYWORDS.has(keyword)) throw new Error(`unexpected instruction ${instruction.getInstruction()}`);
    const args = instruction.getArgumentsContent();
    if (!args) throw new Error(`${keyword} without arguments`);
    if (SUBSTITUTED.has(keyword) && instruction.getVariables().length > 0) throw new Error(`${keyword} ${args} refers to a variable`);
    if (args.startsWith('[')) JSON.parse(args);
    return { keyword, args, instruction };
  });
}
