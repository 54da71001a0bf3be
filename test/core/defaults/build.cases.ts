/** The documented defaults of images built from a model directory (build/options.ts). */
import * as fs from 'fs';
import * as path from 'path';
import { Accelerator, ModelArtifact, ModelImage, OCI_LABELS, Runtime, type ModelDirectoryOptions, type ModelServiceProps, type RenderedModelService } from '../../../lib/core';
import { readZip } from '../../../lib/core/build/zip';
import { configFilesOf, MINIMAL_PROPS, parseProperties, podSpecOf, render, serverOf } from '../../support/fixtures';
import { copyOfFixture, fixtureDir, temporaryDir, writeFiles } from '../../support/images';
import { problemsOf, withoutConstruct } from '../../support/problems';
import { contextFiles, directoryImage, directoryProps, imageBuildOf, imageFiles, instructions } from '../images/support';
import { documented, type DefaultCases } from './cases';

// ---- TorchServe archives ------------------------------------------------------------------

/** A TorchServe service whose archive has only a handler, plus `archive` options. */
const torchserve = (archive: Record<string, unknown> = {}, runtime: Record<string, unknown> = {}): RenderedModelService =>
  render(directoryProps('torchserve', directoryImage('torchserve', { archive: { handler: 'handler.py', ...archive } as never }), runtime));

/** The packed archive of a rendered TorchServe service: its entries and manifest. */
function archiveOf(rendered: RenderedModelService): { entries: Map<string, Buffer>; model: Record<string, string> } {
  const build = imageBuildOf(rendered);
  const mars = build.files.filter((f) => f.path.startsWith('archive/'));
  expect(mars.map((f) => f.path)).toEqual(['archive/fraud.mar']);
  const entries = new Map(readZip(mars[0]!.data).map((e) => [e.path, e.data]));
  const manifest = JSON.parse(entries.get('MAR-INF/MANIFEST.json')!.toString('utf8')) as { model: Record<string, string> };
  return { entries, model: manifest.model };
}

/** The archive of a handler-only TorchServe image: the defaults of every optional file. */
const bare = () => archiveOf(torchserve());

const TA = 'build/options.ts:TorchServeArchiveOptions';
const ARCHIVE: DefaultCases = {
  [`${TA}.serializedFile`]: documented('- none (the handler loads its own)', () => {
    const { entries, model } = bare();
    expect(model).not.toHaveProperty('serializedFile');
    expect([...entries.keys()]).toEqual(['handler.py', 'MAR-INF/MANIFEST.json']);
    // Named, it is packed and recorded.
    expect(archiveOf(torchserve({ serializedFile: 'weights.pt' })).model['serializedFile']).toBe('weights.pt');
  }),
  [`${TA}.modelFile`]: documented('- none', () => {
    const { entries, model } = bare();
    expect(model).not.toHaveProperty('modelFile');
    expect(entries.has('model.py')).toBe(false);
    expect(archiveOf(torchserve({ modelFile: 'model.py' })).model['modelFile']).toBe('model.py');
  }),
  [`${TA}.extraFiles`]: documented('- none', () => {
    const { entries, model } = bare();
    expect(model).not.toHaveProperty('extraFiles');
    expect(entries.has('index_to_name.json')).toBe(false);
    expect(entries.has('vocab.txt')).toBe(false);
    // Named, they are packed at the archive root (the manifest never lists them).
    const withExtras = archiveOf(torchserve({ extraFiles: ['index_to_name.json', 'extra'] }));
    expect([...withExtras.entries.keys()]).toEqual(['handler.py', 'index_to_name.json', 'vocab.txt', 'MAR-INF/MANIFEST.json']);
  }),
  [`${TA}.requirementsFile`]: documented('- none', () => {
    const rendered = torchserve();
    const { entries, model } = archiveOf(rendered);
    expect(model).not.toHaveProperty('requirementsFile');
    expect(entries.has('requirements.txt')).toBe(false);
    // Nothing is installed at build time either.
    const build = imageBuildOf(rendered);
    expect(build.files.filter((f) => f.path.startsWith('requirements/'))).toEqual([]);
    expect(instructions(build).filter((i) => i.keyword === 'RUN' && i.args.includes('pip'))).toEqual([]);
    const withRequirements = torchserve({ requirementsFile: 'requirements.txt' });
    expect(archiveOf(withRequirements).model['requirementsFile']).toBe('requirements.txt');
    expect(instructions(imageBuildOf(withRequirements)).filter((i) => i.keyword === 'RUN' && i.args.includes('pip'))).toHaveLength(1);
  }),
  [`${TA}.configFile`]: documented('- none', () => {
    const { entries, model } = bare();
    expect(model).not.toHaveProperty('configFile');
    expect(entries.has('model-config.yaml')).toBe(false);
    expect(archiveOf(torchserve({ configFile: 'model-config.yaml' })).model['configFile']).toBe('model-config.yaml');
  }),
  [`${TA}.version`]: documented('- the TorchServe runtime\'s `modelVersion` ("1.0" unless set)', () => {
    const rendered = torchserve();
    expect(archiveOf(rendered).model).toEqual({ modelName: 'fraud', handler: 'handler.py', modelVersion: '1.0' });
    // …the version config.properties configures, so workers and batching apply to it.
    const models = JSON.parse(parseProperties(configFilesOf(rendered)['config.properties']!).get('models')!) as Record<string, Record<string, unknown>>;
    expect(Object.keys(models['fraud']!)).toEqual(['1.0']);
    // Unset, it follows the runtime's modelVersion (whose own default is "1.0").
    expect(archiveOf(torchserve({}, { modelVersion: '2.0' })).model['modelVersion']).toBe('2.0');
  }),
};

// ---- model directory options ----------------------------------------------------------------

/** The Dockerfile's FROM and the base-name label of a rendered directory image. */
function baseOf(rendered: RenderedModelService): { from: string; label: string } {
  const all = instructions(imageBuildOf(rendered));
  expect(all.filter((i) => i.keyword === 'FROM')).toHaveLength(1);
  const label = all.find((i) => i.keyword === 'LABEL' && i.args.startsWith(`${OCI_LABELS.baseName}=`))!;
  return { from: all[0]!.keyword === 'FROM' ? all[0]!.args : '', label: JSON.parse(label.args.slice(OCI_LABELS.baseName.length + 1)) as string };
}

/** A single SavedModel (saved_model.pb at the top): the fixture's version 1, moved up. */
function singleSavedModel(): string {
  const dir = path.join(temporaryDir(), 'single');
  fs.cpSync(path.join(fixtureDir('tfserving'), '1'), dir, { recursive: true });
  return dir;
}

const MD = 'build/options.ts:ModelDirectoryOptions';
const OPTIONS: DefaultCases = {
  [`${MD}.baseImage`]: documented('- the runtime\'s pinned server image; required for the custom runtime', () => {
    const gpu = { accelerator: Accelerator.nvidiaGpu() };
    const cases: [ModelServiceProps, ModelServiceProps, string][] = [
      [directoryProps('torchserve'), MINIMAL_PROPS.torchserve(), 'pytorch/torchserve:0.12.0-cpu'],
      [{ ...directoryProps('torchserve'), ...gpu }, { ...MINIMAL_PROPS.torchserve(), ...gpu }, 'pytorch/torchserve:0.12.0-gpu'],
      [directoryProps('tfserving'), MINIMAL_PROPS.tfserving(), 'tensorflow/serving:2.18.0'],
      [{ ...directoryProps('tfserving'), ...gpu }, { ...MINIMAL_PROPS.tfserving(), ...gpu }, 'tensorflow/serving:2.18.0-gpu'],
      [directoryProps('triton'), MINIMAL_PROPS.triton(), 'nvcr.io/nvidia/tritonserver:24.10-py3'],
      [directoryProps('vllm'), MINIMAL_PROPS.vllm(), 'vllm/vllm-openai:v0.6.6'],
    ];
    for (const [withDirectory, withDefaultImage, pinned] of cases) {
      // The image the runtime would run without one, pinned.
      expect(serverOf(render(withDefaultImage)).image).toBe(pinned);
      expect(baseOf(render(withDirectory))).toEqual({ from: pinned, label: pinned });
    }
    // Given, it replaces the runtime's.
    expect(baseOf(render(directoryProps('triton', directoryImage('triton', { baseImage: 'nvcr.io/nvidia/tritonserver:24.09-py3' })))).from).toBe('nvcr.io/nvidia/tritonserver:24.09-py3');
    // The custom runtime has none.
    const custom = ModelImage.fromModelDirectory(fixtureDir('custom'), { repository: 'registry.example.com/ml/custom' });
    expect(problemsOf(directoryProps('custom', custom)).map(withoutConstruct)).toEqual([
      { prop: 'runtime.image.baseImage', given: 'nothing', allowed: 'expected the pinned image to build FROM (e.g. "python:3.12.8-slim-bookworm"): the custom runtime has no default server image' },
    ]);
  }),
  [`${MD}.exclude`]: documented('- nothing beyond `.git`, `__pycache__`, `*.pyc` and `.DS_Store`, which are always left out', () => {
    const dir = copyOfFixture('custom');
    writeFiles(dir, {
      '.git/HEAD': 'ref: refs/heads/main\n',
      '.git/objects/ab/cdef': 'object',
      '__pycache__/server.cpython-312.pyc': 'bytecode',
      'app/__pycache__/predict.cpython-312.pyc': 'bytecode',
      'old.pyc': 'bytecode',
      '.DS_Store': 'finder',
      'app/.DS_Store': 'finder',
      // Kept: only those exact names and the .pyc suffix are left out.
      '.gitignore': '*.log\n',
      'notes.pyc.txt': 'notes',
      'app/.env.example': 'PORT=8080\n',
      'git/README': 'kept',
    });
    const rendered = render(directoryProps('custom', directoryImage('custom', {}, dir)));
    const inImage = [...imageFiles(imageBuildOf(rendered)).keys()].filter((p) => p.startsWith('/models/')).map((p) => p.slice('/models/'.length));
    expect(inImage.sort()).toEqual(['.gitignore', 'app/.env.example', 'app/predict.py', 'app/settings.json', 'git/README', 'model.pt', 'notes.pyc.txt', 'server.py']);
    // Given, it leaves out more.
    const excluded = render(directoryProps('custom', directoryImage('custom', { exclude: ['git', '**/*.example'] }, dir)));
    expect([...imageFiles(imageBuildOf(excluded)).keys()].sort()).toEqual(['/models/.gitignore', '/models/app/predict.py', '/models/app/settings.json', '/models/model.pt', '/models/notes.pyc.txt', '/models/server.py']);
  }),
  [`${MD}.labels`]: documented('- only the `org.opencontainers.image.*` labels modelship sets', () => {
    const labels = (rendered: RenderedModelService) => instructions(imageBuildOf(rendered)).filter((i) => i.keyword === 'LABEL').map((i) => i.args);
    expect(labels(render(directoryProps('triton')))).toEqual([
      'org.opencontainers.image.title="fraud"',
      'org.opencontainers.image.description="model repository of densenet_trt, preprocess, resnet50_onnx for Triton Inference Server"',
      'org.opencontainers.image.base.name="nvcr.io/nvidia/tritonserver:24.10-py3"',
    ]);
    expect(Object.values(OCI_LABELS).every((key) => key.startsWith('org.opencontainers.image.'))).toBe(true);
    // Given, they follow modelship's.
    const extra = render(directoryProps('triton', directoryImage('triton', { labels: { 'org.opencontainers.image.source': 'https://github.com/acme/models' } })));
    expect(labels(extra).slice(3)).toEqual(['org.opencontainers.image.source="https://github.com/acme/models"']);
  }),
  [`${MD}.archive`]: documented('- none', () => {
    // No archive for the other runtimes: nothing is packed.
    for (const kind of ['tfserving', 'triton', 'vllm', 'custom'] as const) {
      const build = imageBuildOf(render(directoryProps(kind)));
      expect(build.files.filter((f) => f.path.startsWith('archive/') || f.path.endsWith('.mar'))).toEqual([]);
    }
    // TorchServe requires one.
    const noArchive = ModelImage.fromModelDirectory(fixtureDir('torchserve'), { repository: 'registry.example.com/ml/torchserve' });
    expect(problemsOf(directoryProps('torchserve', noArchive)).map(withoutConstruct)).toEqual([
      {
        prop: 'runtime.image.archive',
        given: 'nothing',
        allowed: 'expected { handler, serializedFile?, modelFile?, extraFiles?, requirementsFile?, configFile?, version? }: a TorchServe image packs the directory into a .mar',
      },
    ]);
  }),
  [`${MD}.version`]: documented('1', () => {
    const dir = singleSavedModel();
    const placed = (options: Partial<ModelDirectoryOptions>) => {
      const rendered = render(directoryProps('tfserving', directoryImage('tfserving', options, dir)));
      expect(configFilesOf(rendered)['models.config']).toContain("base_path: '/models/fraud'");
      return [...imageFiles(imageBuildOf(rendered)).keys()].filter((p) => p.startsWith('/models/')).sort();
    };
    expect(placed({})).toEqual(['/models/fraud/1/saved_model.pb', '/models/fraud/1/variables/variables.data-00000-of-00001', '/models/fraud/1/variables/variables.index']);
    expect(placed({ version: 7 })).toEqual(['/models/fraud/7/saved_model.pb', '/models/fraud/7/variables/variables.data-00000-of-00001', '/models/fraud/7/variables/variables.index']);
    // The fixture's own version directories are kept as they are.
    const versions = imageFiles(imageBuildOf(render(directoryProps('tfserving'))));
    expect(versions.has('/models/fraud/1/saved_model.pb') && versions.has('/models/fraud/2/saved_model.pb')).toBe(true);
    expect(contextFiles(imageBuildOf(render(directoryProps('tfserving', directoryImage('tfserving', {}, dir))))).has('code/1/saved_model.pb')).toBe(true);
  }),
};

export const BUILD_DEFAULTS: DefaultCases = { ...ARCHIVE, ...OPTIONS };

/** Props with no model and no image, for a runtime that needs one. */
const WITHOUT_MODEL = {
  torchserve: () => Runtime.torchServe({}),
  tfserving: () => Runtime.tensorflowServing({}),
  triton: () => Runtime.triton({}),
  vllm: () => Runtime.vllm({}),
};

/**
 * The check of a runtime's `model` default, "the model baked into `image` by
 * ModelImage.fromModelDirectory": with a directory image and no model, the runtime serves the
 * model from `modelPath` in the built image (where `modelPathOf` says it looks), exactly as
 * `ModelArtifact.inImage()` on that image would; without a directory image the model is required.
 */
export function bakedModelCase(kind: keyof typeof WITHOUT_MODEL, modelPath: string, modelPathOf: (rendered: RenderedModelService) => string, required: string): () => void {
  return () => {
    const rendered = render(directoryProps(kind));
    expect(modelPathOf(rendered)).toBe(modelPath);
    const placed = [...imageFiles(imageBuildOf(rendered)).keys()];
    expect(placed.filter((p) => p === modelPath || p.startsWith(`${modelPath}/`)).length).toBeGreaterThan(0);
    // Nothing fetches or mounts it.
    expect(podSpecOf(rendered).initContainers).toBeUndefined();
    expect(podSpecOf(rendered).volumes!.map((v) => v.name)).not.toContain('model');
    // The same objects as ModelArtifact.inImage() on the built image.
    const registry = ModelImage.fromRegistry(imageBuildOf(rendered).reference);
    expect(render(directoryProps(kind, registry, { model: ModelArtifact.inImage() })).objects).toEqual(rendered.objects);
    // Without a directory image there is no default: the model is required.
    expect(problemsOf({ ...directoryProps(kind), runtime: WITHOUT_MODEL[kind]() }).map(withoutConstruct)).toEqual([{ prop: 'runtime.model', given: 'nothing', allowed: required }]);
  };
}
