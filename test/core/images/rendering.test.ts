/**
 * Rendering a service whose server image is built from a model directory: the Deployment runs
 * exactly the built image, the runtime finds the model where the build put it, nothing is
 * fetched or mounted for the model, and the image bakes the same config the ConfigMap holds.
 */
import * as path from 'path';
import { readZip } from '../../../lib/core/build/zip';
import { ModelArtifact, ModelImage, Runtime, type ImageBuildContext, type RenderedModelService } from '../../../lib/core';
import { configFilesOf, expectValidObjects, MINIMAL_PROPS, parseProperties, podSpecOf, render, RUNTIME_KINDS, serverOf, type RuntimeKind } from '../../support/fixtures';
import { CUSTOM_BASE, fixtureDir, repositoryFor } from '../../support/images';
import { contextFiles, copies, CUSTOM_COMMAND, directoryProps, execArgs, expectDirectoryInImage, filesBelow, imageBuildOf, imageFiles, instructions } from './support';

/** The value of the server's single `<prefix>…` argument. */
function argValue(rendered: RenderedModelService, prefix: string): string {
  const args = serverOf(rendered).args!.filter((a) => a.startsWith(prefix));
  expect(args).toHaveLength(1);
  return args[0]!.slice(prefix.length);
}

/** The value of the server's single `name` environment variable. */
function envValue(rendered: RenderedModelService, name: string): string {
  const env = (serverOf(rendered).env ?? []).filter((e) => e.name === name);
  expect(env).toHaveLength(1);
  return env[0]!.value!;
}

/** TorchServe's model file: `model_store` and the archive `load_models` names for the service. */
function torchServeModelPath(rendered: RenderedModelService): string {
  const props = parseProperties(configFilesOf(rendered)['config.properties']!);
  const [name, mar] = props.get('load_models')!.split('=');
  expect(name).toBe('fraud');
  return `${props.get('model_store')}/${mar}`;
}

/** Where the runtime looks for the model, read from what it rendered (config, args or env). */
const MODEL_PATH_OF: Record<RuntimeKind, (rendered: RenderedModelService) => string> = {
  torchserve: torchServeModelPath,
  tfserving: (r) => /base_path: '([^']+)'/.exec(configFilesOf(r)['models.config']!)![1]!,
  triton: (r) => argValue(r, '--model-repository='),
  vllm: (r) => argValue(r, '--model='),
  custom: (r) => envValue(r, 'MODEL_PATH'),
};

/** The model paths each runtime is known to use, so a change to both sides at once still fails. */
const EXPECTED_MODEL_PATH: Record<RuntimeKind, string> = {
  torchserve: '/home/model-server/model-store/fraud.mar',
  tfserving: '/models/fraud',
  triton: '/models',
  vllm: '/models/fraud',
  custom: '/models',
};

/** The context's top-level folders besides Dockerfile and .dockerignore. */
const CONTEXT_FOLDERS: Record<RuntimeKind, string[]> = {
  torchserve: ['archive', 'config'],
  tfserving: ['code', 'config', 'weights'],
  triton: ['code', 'weights'],
  vllm: ['code', 'weights'],
  custom: ['code', 'weights'],
};

const renderDirectory = (kind: RuntimeKind): RenderedModelService => render(directoryProps(kind));

describe.each(RUNTIME_KINDS)('%s with an image built from its fixture directory and no model', (kind) => {
  const rendered = renderDirectory(kind);
  const build = imageBuildOf(rendered);

  test('the Deployment runs the built image: <repository>:<20-hex content tag>', () => {
    expect(build.repository).toBe(repositoryFor(kind));
    expect(build.tag).toMatch(/^[0-9a-f]{20}$/);
    expect(build.tag).toBe(build.contentHash.slice(0, 20));
    expect(build.reference).toBe(`${repositoryFor(kind)}:${build.tag}`);
    expect(serverOf(rendered).image).toBe(build.reference);
    expect([build.name, build.runtime]).toEqual(['fraud', kind]);
  });

  test('the runtime reads the model where the build put it', () => {
    const modelPath = MODEL_PATH_OF[kind](rendered);
    expect(modelPath).toBe(EXPECTED_MODEL_PATH[kind]);
    const placed = imageFiles(build);
    if (kind === 'torchserve') {
      // One .mar file, whose manifest registers the name and version config.properties configures.
      const mar = placed.get(modelPath)!;
      expect(mar).toBeDefined();
      const entries = new Map(readZip(mar.data).map((e) => [e.path, e.data]));
      const manifest = JSON.parse(entries.get('MAR-INF/MANIFEST.json')!.toString('utf8')) as { model: Record<string, string> };
      const models = JSON.parse(parseProperties(configFilesOf(rendered)['config.properties']!).get('models')!) as Record<string, Record<string, { marName: string }>>;
      expect(Object.keys(models)).toEqual([manifest.model['modelName']]);
      expect(Object.keys(models['fraud']!)).toEqual([manifest.model['modelVersion']]);
      expect(models['fraud']!['1.0']!.marName).toBe(path.posix.basename(modelPath));
      expect(manifest.model).toMatchObject({ handler: 'handler.py', serializedFile: 'weights.pt', modelFile: 'model.py' });
    } else {
      expectDirectoryInImage(build, fixtureDir(kind), modelPath);
      // Nothing else of the model lands outside the model path (config aside).
      const elsewhere = [...placed.keys()].filter((p) => !p.startsWith(`${modelPath}/`) && !p.startsWith('/etc/modelship/'));
      expect(elsewhere).toEqual([]);
      expect([...placed.keys()].filter((p) => p.startsWith(`${modelPath}/`))).toHaveLength(filesBelow(fixtureDir(kind)).length);
    }
  });

  test('nothing fetches or mounts the model: no init container, no model volume', () => {
    const pod = podSpecOf(rendered);
    expect(pod.initContainers).toBeUndefined();
    expect(pod.volumes!.map((v) => v.name)).not.toContain('model');
    const modelPath = MODEL_PATH_OF[kind](rendered);
    for (const mount of serverOf(rendered).volumeMounts ?? []) {
      expect(mount.name).not.toBe('model');
      expect(modelPath === mount.mountPath || modelPath.startsWith(`${mount.mountPath}/`)).toBe(false);
    }
    // No ephemeral storage is budgeted for a download either.
    expect(rendered.budget.downloadSeconds).toBe(0);
  });

  test('the config is baked: config/… in the context equals the ConfigMap, copied to its mount path', () => {
    const config = rendered.configMap ? configFilesOf(rendered) : {};
    const inContext = build.files.filter((f) => f.path.startsWith('config/'));
    expect(inContext.map((f) => f.path)).toEqual(Object.keys(config).sort().map((name) => `config/${name}`));
    const placed = imageFiles(build);
    if (rendered.configMap) {
      const mount = serverOf(rendered).volumeMounts!.find((m) => m.name === 'config')!;
      expect(mount.mountPath).toBe('/etc/modelship');
      for (const [name, text] of Object.entries(config)) {
        expect(contextFiles(build).get(`config/${name}`)!.data.toString('utf8')).toBe(text);
        expect(placed.get(`${mount.mountPath}/${name}`)!.data.toString('utf8')).toBe(text);
      }
    } else {
      expect(copies(build).filter(([source]) => source.startsWith('config'))).toEqual([]);
    }
  });

  test('the context holds only the Dockerfile, .dockerignore and the folders the Dockerfile copies', () => {
    const tops = [...new Set(build.files.map((f) => f.path.split('/')[0]!))].filter((t) => t !== 'Dockerfile' && t !== '.dockerignore');
    expect(tops.sort()).toEqual(CONTEXT_FOLDERS[kind]);
    const copied = new Set([...imageFiles(build).values()].map((f) => f.path));
    expect(build.files.map((f) => f.path).filter((p) => !copied.has(p))).toEqual(['.dockerignore', 'Dockerfile']);
    expect(contextFiles(build).get('Dockerfile')!.data.toString('utf8')).toBe(build.dockerfile);
  });

  test('the image starts the server the Deployment describes: entrypoint, arguments, env, ports, user', () => {
    const server = serverOf(rendered);
    expect(execArgs(build, 'ENTRYPOINT')).toEqual(server.command);
    expect(execArgs(build, 'CMD') ?? []).toEqual(server.args ?? []);
    const env = instructions(build).filter((i) => i.keyword === 'ENV').map((i) => i.args);
    expect(env).toEqual((server.env ?? []).filter((e) => e.value !== undefined).map((e) => `${e.name}=${JSON.stringify(e.value)}`));
    const expose = instructions(build).filter((i) => i.keyword === 'EXPOSE').map((i) => i.args);
    expect(expose).toEqual([server.ports!.map((p) => `${p.containerPort}/tcp`).join(' ')]);
    const { runAsUser, runAsGroup } = podSpecOf(rendered).securityContext!;
    expect(instructions(build).at(-1)).toEqual({ keyword: 'USER', args: `${runAsUser}:${runAsGroup}` });
  });

  test('every object passes Pod Security "restricted" and the Kubernetes schema', () => {
    expectValidObjects(rendered.objects);
  });
});

describe('which image the Deployment runs', () => {
  test('a directory image: the build reference, FROM the runtime\'s pinned image', () => {
    const rendered = renderDirectory('triton');
    const defaultImage = serverOf(render(MINIMAL_PROPS.triton())).image;
    expect(serverOf(rendered).image).toBe(imageBuildOf(rendered).reference);
    expect(serverOf(rendered).image).not.toBe(defaultImage);
    expect(instructions(imageBuildOf(rendered))[0]).toEqual({ keyword: 'FROM', args: defaultImage });
  });

  test('a registry image: its reference, and nothing is built', () => {
    const rendered = render({ runtime: Runtime.triton({ model: ModelArtifact.inImage(), image: ModelImage.fromRegistry('ghcr.io/acme/triton-models:2024.11') }) });
    expect(serverOf(rendered).image).toBe('ghcr.io/acme/triton-models:2024.11');
    expect(rendered.imageBuild).toBeUndefined();
    expect(rendered).not.toHaveProperty('imageBuild');
  });

  test('no image: the runtime\'s pinned default, and nothing is built', () => {
    const rendered = render(MINIMAL_PROPS.tfserving());
    expect(serverOf(rendered).image).toBe('tensorflow/serving:2.18.0');
    expect(rendered).not.toHaveProperty('imageBuild');
  });

  test('the custom runtime builds FROM its baseImage and runs the fixture\'s executable server', () => {
    const rendered = renderDirectory('custom');
    const build = imageBuildOf(rendered);
    expect(instructions(build)[0]).toEqual({ keyword: 'FROM', args: CUSTOM_BASE });
    expect(serverOf(rendered).command).toEqual(CUSTOM_COMMAND);
    expect(imageFiles(build).get(CUSTOM_COMMAND[1]!)!.mode).toBe(0o755);
  });

  test('a model in the image at an explicit path with a registry image renders the same objects as the directory image', () => {
    // The model a directory image bakes is ModelArtifact.inImage() at the runtime's default path.
    for (const kind of ['tfserving', 'triton', 'vllm'] as const) {
      const built = renderDirectory(kind);
      const registry = ModelImage.fromRegistry(imageBuildOf(built).reference);
      const props = directoryProps(kind, registry, { model: ModelArtifact.inImage() });
      expect(render(props).objects).toEqual(built.objects);
    }
  });
});

describe('GPU images', () => {
  test('TorchServe with an accelerator builds FROM the -gpu image and registers the GPU', () => {
    const props = { ...directoryProps('torchserve'), accelerator: MINIMAL_PROPS.vllm().accelerator! };
    const rendered = render(props);
    const build: ImageBuildContext = imageBuildOf(rendered);
    expect(instructions(build)[0]).toEqual({ keyword: 'FROM', args: 'pytorch/torchserve:0.12.0-gpu' });
    expect(parseProperties(contextFiles(build).get('config/config.properties')!.data.toString('utf8')).get('number_of_gpu')).toBe('1');
    expect(serverOf(rendered).image).toBe(build.reference);
    expectValidObjects(rendered.objects);
  });
});
