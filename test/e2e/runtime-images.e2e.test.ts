/**
 * Library-generated images of the TorchServe, TF Serving, Triton and vLLM runtimes, built from
 * the example model directories (examples/models/*) with buildah and checked against the
 * rendered Deployment: the model is where the server's command line (or its generated config)
 * says it is, the generated config is at /etc/modelship where the ConfigMap is mounted, USER is
 * the pod's uid:gid, EXPOSE matches the container ports, ENTRYPOINT/CMD match command/args,
 * and the layers go weights, then code, then config.
 *
 * The official server images cannot be pulled here, so every build is FROM a STAND-IN: the
 * suite's local Debian python3 base tagged under the exact reference the Dockerfile names
 * (`tagStandInsFor`). The stand-ins are never run as servers; python3 in them only reads files
 * back as the server's user.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { RenderedModelService, SYSTEM_WRITABLE_PATHS } from '../../lib/core';
import { TFSERVING_IMAGE } from '../../lib/core/runtime/tfserving';
import { TORCHSERVE_IMAGE } from '../../lib/core/runtime/torchserve';
import { TRITON_IMAGE } from '../../lib/core/runtime/triton';
import { VLLM_IMAGE } from '../../lib/core/runtime/vllm';
import {
  PYTHON_BASE,
  buildContext,
  inspectConfig,
  listFiles,
  readImageFiles,
  removeImages,
  runToCompletion,
  writeContextFiles,
} from './support/containers';
import { EXAMPLE_MODELS, ExampleModel, exposedPorts, plainEnv, podUser, renderExample, serverContainer, writableMounts } from './support/example-models';
import { BuildStep, buildSteps, stepOf } from './support/layers';
import { STAND_IN_BASES, tagStandInsFor } from './support/stand-ins';

/** Where the generated config is mounted (and baked in). */
const CONFIG_DIR = '/etc/modelship';

/** The value of `--flag=value` or `--flag value` in a command line. */
function flag(argv: readonly string[], name: string): string {
  for (const [i, a] of argv.entries()) {
    if (a.startsWith(`${name}=`)) return a.slice(name.length + 1);
    if (a === name && argv[i + 1] !== undefined) return argv[i + 1]!;
  }
  throw new Error(`${name} is not on the command line: ${argv.join(' ')}`);
}

/** `key=value` lines of a Java properties file (no continuations: the generated file has none). */
function properties(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Za-z0-9_.]+)=(.*)$/.exec(line);
    if (m) out[m[1]!] = m[2]!;
  }
  return out;
}

interface Layout {
  /** Where the server looks for the model, as its command line and generated config say. */
  readonly modelPath: string;
  /** Generated config files the command line names. */
  readonly configFiles: readonly string[];
  /** Image path → path in the model directory, for every model file the server loads. */
  readonly files: Record<string, string>;
  /** Image paths of the weight files (their own layer), the code and small files, the config. */
  readonly weights: readonly string[];
  readonly code: readonly string[];
  readonly config: readonly string[];
}

interface Case {
  readonly model: Exclude<ExampleModel, 'churn'>;
  readonly runtime: string;
  /** The official image the Dockerfile builds FROM (stood in for). */
  readonly from: string;
  /** Where the model must be (the runtime's documented default for this service). */
  readonly modelPath: string;
  /** Where the model lands, found from the container's command line and generated config. */
  layout(argv: readonly string[], config: Readonly<Record<string, string>>): Layout;
}

const CASES: readonly Case[] = [
  {
    model: 'fraud',
    runtime: 'torchserve',
    from: `${TORCHSERVE_IMAGE}-cpu`,
    modelPath: '/home/model-server/model-store/fraud.mar',
    layout(argv, config) {
      // torchserve --ts-config <file>; the file's model_store and load_models (fraud=fraud.mar) name the archive.
      const tsConfig = flag(argv, '--ts-config');
      const props = properties(config[path.posix.basename(tsConfig)] ?? '');
      const mar = /^fraud=(.+)$/.exec(props.load_models ?? '')?.[1];
      const archive = `${props.model_store}/${mar}`;
      // The .mar is one file: weights and handler share its layer. Its contents are checked
      // with Python's zipfile in the image below.
      return { modelPath: archive, configFiles: [tsConfig], files: {}, weights: [archive], code: [], config: [tsConfig] };
    },
  },
  {
    model: 'recommender',
    runtime: 'tfserving',
    from: TFSERVING_IMAGE,
    modelPath: '/models/recommender',
    layout(argv, config) {
      // --model_config_file names models.config, whose model "recommender" has the base path.
      const modelsConfig = flag(argv, '--model_config_file');
      const text = config[path.posix.basename(modelsConfig)] ?? '';
      const base = /name: 'recommender'\s+base_path: '([^']+)'/.exec(text)?.[1] ?? '(none)';
      const extra = ['--monitoring_config_file', '--batching_parameters_file'].map((f) => flag(argv, f));
      return {
        modelPath: base,
        configFiles: [modelsConfig, ...extra],
        files: {
          [`${base}/1/saved_model.pb`]: '1/saved_model.pb',
          [`${base}/1/variables/variables.index`]: '1/variables/variables.index',
          [`${base}/1/variables/variables.data-00000-of-00001`]: '1/variables/variables.data-00000-of-00001',
        },
        weights: [`${base}/1/variables/variables.data-00000-of-00001`, `${base}/1/variables/variables.index`],
        code: [`${base}/1/saved_model.pb`],
        config: [modelsConfig, ...extra],
      };
    },
  },
  {
    model: 'vision',
    runtime: 'triton',
    from: TRITON_IMAGE,
    modelPath: '/models',
    layout(argv) {
      const repo = flag(argv, '--model-repository');
      return {
        modelPath: repo,
        configFiles: [],
        files: { [`${repo}/mobilenet_v2/config.pbtxt`]: 'mobilenet_v2/config.pbtxt', [`${repo}/mobilenet_v2/1/model.onnx`]: 'mobilenet_v2/1/model.onnx' },
        weights: [`${repo}/mobilenet_v2/1/model.onnx`],
        code: [`${repo}/mobilenet_v2/config.pbtxt`],
        config: [],
      };
    },
  },
  {
    model: 'summarizer',
    runtime: 'vllm',
    from: VLLM_IMAGE,
    modelPath: '/models/summarizer',
    layout(argv) {
      const dir = flag(argv, '--model');
      const small = ['config.json', 'generation_config.json', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json'];
      return {
        modelPath: dir,
        configFiles: [],
        files: Object.fromEntries(['model.safetensors', ...small].map((f) => [`${dir}/${f}`, f])),
        weights: [`${dir}/model.safetensors`],
        code: small.map((f) => `${dir}/${f}`),
        config: [],
      };
    },
  },
];

let work: string;
const standIns = new Set<string>();

beforeAll(async () => {
  work = await fs.mkdtemp(path.join(os.tmpdir(), 'modelship-e2e-runtimes-'));
});

afterAll(async () => {
  // The built images stay: their layers are the next run's cache. Only the stand-in names go.
  await removeImages(...standIns);
  if (work) await fs.rm(work, { recursive: true, force: true });
});

describe.each(CASES.map((c) => [c.runtime, c.model, c] as const))('%s image of examples/models/%s, built FROM a stand-in base', (_runtime, model, c) => {
  let rendered: RenderedModelService;
  let reference: string;
  let argv: string[];
  let layout: Layout;
  let steps: BuildStep[];

  beforeAll(async () => {
    rendered = renderExample(model);
    reference = rendered.imageBuild!.reference;
    const container = serverContainer(rendered);
    argv = [...(container.command ?? []), ...(container.args ?? [])];
    layout = c.layout(argv, rendered.profile.configFiles);
    const dir = path.join(work, model);
    await writeContextFiles(rendered.imageBuild!.files, dir);
    for (const ref of await tagStandInsFor(rendered.imageBuild!.dockerfile, PYTHON_BASE)) standIns.add(ref);
    await buildContext(dir, reference);
    steps = await buildSteps(reference, PYTHON_BASE);
  });

  test(`builds FROM the stand-in for ${c.from}; the Deployment runs the built image`, () => {
    expect(rendered.imageBuild!.dockerfile).toMatch(new RegExp(`^FROM ${c.from.replace(/[.]/g, '\\.')}$`, 'm'));
    expect(standIns.has(c.from)).toBe(true);
    expect(serverContainer(rendered).image).toBe(reference);
    expect(reference).toBe(`registry.example.com/ml/${model}:${rendered.imageBuild!.tag}`);
  });

  test(`the command line and generated config point at ${c.modelPath}; config files named there are in ${CONFIG_DIR}`, () => {
    expect(layout.modelPath).toBe(c.modelPath);
    for (const f of layout.configFiles) {
      expect(path.posix.dirname(f)).toBe(CONFIG_DIR);
      expect(Object.keys(rendered.profile.configFiles)).toContain(path.posix.basename(f));
    }
  });

  test('image config (stand-in base): USER is the pod uid:gid, EXPOSE the container ports, ENTRYPOINT/CMD the command/args', async () => {
    const container = serverContainer(rendered);
    const config = await inspectConfig(reference);
    expect(config.user).toBe(podUser(rendered));
    expect(config.user).toBe('1000:1000');
    expect(config.exposedPorts).toEqual(exposedPorts(container));
    expect(config.entrypoint).toEqual(container.command);
    // Kubernetes ignores the image's CMD when the container has a command and no args; the
    // image has none either (an ENTRYPOINT resets the CMD inherited from the base).
    expect(config.cmd).toEqual(container.args);
    expect(config.env).toMatchObject(plainEnv(container));
    expect(config.labels).toMatchObject({
      'org.opencontainers.image.title': model,
      'org.opencontainers.image.base.name': c.from,
    });
    expect(config.labels['org.opencontainers.image.description']).toEqual(expect.any(String));
  });

  test('model files (stand-in base) are where the command line and generated config point, byte for byte', async () => {
    const paths = [...layout.weights, ...layout.code];
    const stats = await listFiles(reference, paths);
    for (const p of paths) expect(stats[p]).toMatchObject({ type: 'file', uid: 0, gid: 0, mode: 0o644 });
    const data = await readImageFiles(reference, Object.keys(layout.files));
    for (const [imagePath, rel] of Object.entries(layout.files)) {
      expect(data[imagePath]!.equals(await fs.readFile(path.join(EXAMPLE_MODELS, model, rel)))).toBe(true);
    }
    if (c.runtime === 'triton') {
      // Nothing but model directories at the top of the repository, or Triton refuses to start.
      expect((await listFiles(reference, ['/models']))['/models']!.entries).toEqual(['mobilenet_v2']);
    }
  });

  test('config files (stand-in base) are baked in at /etc/modelship, equal to the ConfigMap the Deployment mounts there', async () => {
    const configFiles = rendered.profile.configFiles;
    const names = Object.keys(configFiles).sort();
    const stats = await listFiles(reference, [CONFIG_DIR, ...names.map((n) => `${CONFIG_DIR}/${n}`)]);
    if (names.length === 0) {
      expect(stats[CONFIG_DIR]).toBeUndefined();
      expect(rendered.configMap).toBeUndefined();
      return;
    }
    expect(stats[CONFIG_DIR]).toMatchObject({ type: 'directory', entries: names });
    expect(layout.config.map((p) => path.posix.basename(p)).sort()).toEqual(names);
    const mount = serverContainer(rendered).volumeMounts!.find((m) => m.mountPath === CONFIG_DIR);
    expect(mount).toMatchObject({ readOnly: true });
    expect((rendered.configMap!.data as Record<string, string>)).toEqual(configFiles);
    const data = await readImageFiles(reference, names.map((n) => `${CONFIG_DIR}/${n}`));
    for (const n of names) {
      expect(stats[`${CONFIG_DIR}/${n}`]).toMatchObject({ type: 'file', uid: 0, gid: 0, mode: 0o644 });
      expect(data[`${CONFIG_DIR}/${n}`]!.toString('utf8')).toBe(configFiles[n]);
    }
  });

  test("the server's user can read every model and config file (python3 of the stand-in, not the server)", async () => {
    const all = [...layout.weights, ...layout.code, ...layout.config];
    const script = [
      'import hashlib, json, sys, zipfile',
      'out = {}',
      'for p in sys.argv[1:]:',
      '    with open(p, "rb") as f:',
      '        out[p] = len(f.read())',
      '    if p.endswith(".mar"):',
      '        z = zipfile.ZipFile(p)',
      '        out["mar"] = {"manifest": json.loads(z.read("MAR-INF/MANIFEST.json")),',
      '                      "sha256": {n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist()}}',
      'print(json.dumps(out))',
    ].join('\n');
    const r = await runToCompletion(reference, { user: podUser(rendered), readOnly: true, entrypoint: ['python3'], command: ['-c', script, ...all] });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const read = JSON.parse(r.stdout) as Record<string, unknown> & { mar?: { sha256: Record<string, string>; manifest: { model: Record<string, string> } } };
    for (const p of all) expect(read[p]).toEqual(expect.any(Number));
    if (c.runtime === 'torchserve') {
      // The archive TorchServe loads, read by Python's own zipfile: the model directory's files
      // at its root, byte for byte, and the manifest naming them.
      const { sha256 } = read.mar!;
      expect(Object.keys(sha256).sort()).toEqual(['MAR-INF/MANIFEST.json', 'handler.py', 'index_to_name.json', 'model-config.yaml', 'model.pt', 'model.py']);
      for (const name of Object.keys(sha256).filter((n) => !n.startsWith('MAR-INF/'))) {
        expect(sha256[name]).toBe(createHash('sha256').update(await fs.readFile(path.join(EXAMPLE_MODELS, model, name))).digest('hex'));
      }
      expect(read.mar!.manifest.model).toMatchObject({ modelName: 'fraud', handler: 'handler.py', serializedFile: 'model.pt', modelFile: 'model.py', configFile: 'model-config.yaml', modelVersion: '1.0' });
    }
  });

  test('writable directories of the pod (stand-in base) exist in the image, owned by the server user', async () => {
    const own = writableMounts(rendered).filter((p) => !SYSTEM_WRITABLE_PATHS.includes(p) && !p.startsWith('/dev/'));
    const stats = await listFiles(reference, own);
    const [uid, gid] = podUser(rendered).split(':').map(Number);
    for (const p of own) expect(stats[p]).toMatchObject({ type: 'directory', uid, gid, mode: 0o755 });
    if (c.runtime === 'torchserve') expect(own).toEqual(['/home/model-server/logs', '/home/model-server/tmp', '/home/model-server/.cache']);
  });

  test('layer history (stand-in base): weights, then code, then config, each in a layer of its own', () => {
    const all = new Set([...layout.weights, ...layout.code, ...layout.config]);
    const group = (paths: readonly string[]): number | undefined => {
      if (paths.length === 0) return undefined;
      const indices = [...new Set(paths.map((p) => stepOf(steps, p)))];
      expect(indices).toHaveLength(1);
      expect(indices[0]).toBeGreaterThanOrEqual(0);
      // That step adds these files and none of the other groups'.
      expect(steps[indices[0]!]!.added.filter((p) => all.has(p)).sort()).toEqual([...paths].sort());
      expect(steps[indices[0]!]!.createdBy).toMatch(/#\(nop\) COPY /);
      return indices[0];
    };
    const order = [group(layout.weights), group(layout.code), group(layout.config)].filter((i): i is number => i !== undefined);
    expect(order.length).toBeGreaterThanOrEqual(2);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(new Set(order).size).toBe(order.length);
    if (c.runtime === 'torchserve') {
      // The writable directories are created (as root) before the model, which comes before the config.
      expect(stepOf(steps, '/home/model-server/logs')).toBeLessThan(order[0]!);
    }
    // Nothing but metadata after the last file layer.
    for (const s of steps.slice(order[order.length - 1]! + 1)) expect(s.added.concat(s.changed, s.deleted)).toEqual([]);
  });
});

test('the suite covers every runtime with a default server image, each FROM one of the known stand-ins', () => {
  expect(CASES.map((c) => c.runtime).sort()).toEqual(['tfserving', 'torchserve', 'triton', 'vllm']);
  for (const c of CASES) expect(STAND_IN_BASES).toContainEqual({ runtime: c.runtime, reference: c.from });
});
