import * as fs from 'fs';
import * as path from 'path';
import { readZip } from '../../../../lib/core/build/zip';
import { MAR_DEFAULT_CREATED_ON, marCreatedOn, TORCHSERVE_REQUIREMENTS_PATH } from '../../../../lib/core/build/torchserve-image';
import { copyOfFixture, MODELS } from '../../../support/images';
import { build, buildOk, fileMap, optionsFor, parseDockerfile, paths, targetFor, TORCHSERVE_ARCHIVE } from './support';

const FIXTURE = path.join(MODELS, 'torchserve');

const EXPECTED_DOCKERFILE = `# modelship: generated
# Image "demo" for the torchserve runtime. Do not edit: modelship rewrites this build context, and its content hash is the image tag.
# Layers run from the least to the most often changed (setup, weights, code, config), metadata last, so a rebuild reuses every layer before the change.
FROM pytorch/torchserve:0.12.0-cpu

# Build steps that need root; the server's own user is set last.
USER root
# Directories the server writes, owned by its user (Kubernetes mounts emptyDirs over them; this lets the image run on its own too).
RUN ["install", "-d", "-o", "1000", "-g", "1000", "-m", "0755", "/home/model-server/logs", "/home/model-server/tmp", "/home/model-server/.cache"]

# The handler's Python requirements, installed at build time (TorchServe is told not to install them at model load, which would need the network). Before the model, so they are reinstalled only when they change.
COPY requirements/requirements.txt /opt/modelship/requirements.txt
RUN ["python", "-m", "pip", "install", "--no-cache-dir", "--no-input", "-r", "/opt/modelship/requirements.txt"]

# The model archive. A TorchServe .mar is a single file, so its weights and handler share this one layer: changing either rebuilds it.
COPY archive/demo.mar /home/model-server/model-store/demo.mar

# The runtime's generated config, baked in so the image also runs without Kubernetes (which mounts the same files from a ConfigMap).
COPY config/ /etc/modelship/

ENV LOG_LOCATION="/home/model-server/logs"
ENV METRICS_LOCATION="/home/model-server/logs"
ENV TEMP="/home/model-server/tmp"
EXPOSE 8080/tcp 8082/tcp
LABEL org.opencontainers.image.title="demo"
LABEL org.opencontainers.image.description="model archive demo.mar (handler handler.py, version 1.0) for TorchServe"
LABEL org.opencontainers.image.base.name="pytorch/torchserve:0.12.0-cpu"
ENTRYPOINT ["torchserve", "--foreground", "--ts-config", "/etc/modelship/config.properties", "--disable-token-auth", "--ncs"]
# The server's non-root user, last.
USER 1000:1000
`;

/** The manifest the packer writes for the fixture, byte for byte as torch-model-archiver 0.12.0 would. */
const EXPECTED_MANIFEST =
  '{\n  "createdOn": "01/01/1980 00:00:00",\n  "runtime": "python",\n  "model": {\n    "modelName": "demo",\n' +
  '    "serializedFile": "weights.pt",\n    "handler": "handler.py",\n    "modelFile": "model.py",\n' +
  '    "modelVersion": "1.0",\n    "requirementsFile": "requirements.txt",\n    "configFile": "model-config.yaml"\n' +
  '  },\n  "archiverVersion": "0.12.0"\n}';

const fixtureFile = (rel: string): Buffer => fs.readFileSync(path.join(FIXTURE, rel));

describe('TorchServe image from the fixture directory', () => {
  const context = buildOk('torchserve');

  it('holds the Dockerfile, .dockerignore, requirements, the .mar and the config', () => {
    expect(paths(context)).toEqual(['.dockerignore', 'Dockerfile', 'archive/demo.mar', 'config/config.properties', 'requirements/requirements.txt']);
    expect(context.files.map((f) => f.mode)).toEqual([0o644, 0o644, 0o644, 0o644, 0o644]);
    expect(fileMap(context).get('requirements/requirements.txt')).toEqual(fixtureFile('requirements.txt'));
    expect(fileMap(context).get('config/config.properties')!.toString()).toContain('load_models=demo=demo.mar');
  });

  it('writes exactly the expected Dockerfile, also in the context', () => {
    expect(context.dockerfile).toBe(EXPECTED_DOCKERFILE);
    expect(fileMap(context).get('Dockerfile')!.toString('utf8')).toBe(EXPECTED_DOCKERFILE);
  });

  it('parses with dockerfile-ast: requirements before the archive before config, USER 1000:1000 last', () => {
    const instructions = parseDockerfile(context.dockerfile);
    expect(instructions.map((i) => i.keyword)).toEqual(['FROM', 'USER', 'RUN', 'COPY', 'RUN', 'COPY', 'COPY', 'ENV', 'ENV', 'ENV', 'EXPOSE', 'LABEL', 'LABEL', 'LABEL', 'ENTRYPOINT', 'USER']);
    const copies = instructions.filter((i) => i.keyword === 'COPY').map((i) => i.args);
    expect(copies).toEqual([`requirements/requirements.txt ${TORCHSERVE_REQUIREMENTS_PATH}`, 'archive/demo.mar /home/model-server/model-store/demo.mar', 'config/ /etc/modelship/']);
    const pip = instructions.findIndex((i) => i.keyword === 'RUN' && i.args.includes('pip'));
    const root = instructions.findIndex((i) => i.keyword === 'USER' && i.args === 'root');
    expect(root).toBeLessThan(pip);
    expect(pip).toBeLessThan(instructions.findIndex((i) => i.args.startsWith('archive/')));
    expect(instructions[instructions.length - 1]!.args).toBe('1000:1000');
  });

  it('stores the archive uncompressed, so its bytes and the tag do not depend on the zlib build', () => {
    const entries = readZip(fileMap(context).get('archive/demo.mar')!);
    expect(new Set(entries.map((e) => e.compression))).toEqual(new Set(['stored']));
  });

  it('packs a .mar that round-trips: artifacts at the root, the manifest last and exact', () => {
    const entries = readZip(fileMap(context).get('archive/demo.mar')!);
    expect(entries.map((e) => e.path)).toEqual([
      'handler.py',
      'index_to_name.json',
      'model-config.yaml',
      'model.py',
      'requirements.txt',
      'vocab.txt',
      'weights.pt',
      'MAR-INF/MANIFEST.json',
    ]);
    const byPath = new Map(entries.map((e) => [e.path, e.data]));
    expect(byPath.get('MAR-INF/MANIFEST.json')!.toString('utf8')).toBe(EXPECTED_MANIFEST);
    expect(byPath.get('weights.pt')).toEqual(fixtureFile('weights.pt'));
    expect(byPath.get('handler.py')).toEqual(fixtureFile('handler.py'));
    // The extra directory contributes its contents at the root.
    expect(byPath.get('vocab.txt')).toEqual(fixtureFile('extra/vocab.txt'));
    expect(entries.every((e) => !e.path.includes('notes'))).toBe(true);
  });

  it('labels the image and exposes only the runtime ports', () => {
    const instructions = parseDockerfile(context.dockerfile);
    expect(instructions.filter((i) => i.keyword === 'EXPOSE').map((i) => i.args)).toEqual(['8080/tcp 8082/tcp']);
    const labels = instructions.filter((i) => i.keyword === 'LABEL').map((i) => i.args);
    expect(labels).toContain('org.opencontainers.image.title="demo"');
    expect(labels).toContain('org.opencontainers.image.base.name="pytorch/torchserve:0.12.0-cpu"');
    expect(context.dockerfile).not.toMatch(/\d{4}-\d{2}-\d{2}T|created/i);
  });
});

describe('TorchServe archive options', () => {
  it('records a built-in handler by name without packing a file', () => {
    const context = buildOk('torchserve', FIXTURE, optionsFor('torchserve', { archive: { handler: 'image_classifier', serializedFile: 'weights.pt' } }));
    const entries = readZip(fileMap(context).get('archive/demo.mar')!);
    expect(entries.map((e) => e.path)).toEqual(['weights.pt', 'MAR-INF/MANIFEST.json']);
    expect(JSON.parse(entries[1]!.data.toString()).model.handler).toBe('image_classifier');
    // Without a requirements file there is no pip layer (the writable directories still need root).
    expect(paths(context)).not.toContain('requirements/requirements.txt');
    expect(context.dockerfile).not.toContain('pip');
  });

  it('packs file:function handlers as the file and records the entry point', () => {
    const context = buildOk('torchserve', FIXTURE, optionsFor('torchserve', { archive: { handler: './handler:handle', version: '2.1' } }));
    const entries = readZip(fileMap(context).get('archive/demo.mar')!);
    expect(entries.map((e) => e.path)).toEqual(['handler.py', 'MAR-INF/MANIFEST.json']);
    const manifest = JSON.parse(entries[1]!.data.toString());
    expect(manifest.model).toEqual({ modelName: 'demo', handler: 'handler:handle', modelVersion: '2.1' });
  });

  it('names the archive after the model path', () => {
    const context = buildOk('torchserve', FIXTURE, undefined, targetFor('torchserve', 'fraud-detector'));
    expect(paths(context)).toContain('archive/fraud-detector.mar');
    expect(context.dockerfile).toContain('COPY archive/fraud-detector.mar /home/model-server/model-store/fraud-detector.mar');
  });

  it('dates the manifest from SOURCE_DATE_EPOCH when it is set', () => {
    const saved = process.env.SOURCE_DATE_EPOCH;
    try {
      process.env.SOURCE_DATE_EPOCH = '1700000000';
      const dated = buildOk('torchserve');
      const manifest = readZip(fileMap(dated).get('archive/demo.mar')!).find((e) => e.path === 'MAR-INF/MANIFEST.json')!;
      expect(JSON.parse(manifest.data.toString()).createdOn).toBe('14/11/2023 22:13:20');
      delete process.env.SOURCE_DATE_EPOCH;
      expect(buildOk('torchserve').tag).not.toBe(dated.tag);
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });

  it('reads SOURCE_DATE_EPOCH strictly', () => {
    expect(marCreatedOn(undefined)).toBe(MAR_DEFAULT_CREATED_ON);
    expect(MAR_DEFAULT_CREATED_ON.toISOString()).toBe('1980-01-01T00:00:00.000Z');
    expect(marCreatedOn('0')!.toISOString()).toBe('1970-01-01T00:00:00.000Z');
    expect(marCreatedOn('1.5')).toBeUndefined();
    expect(marCreatedOn('-1')).toBeUndefined();
    expect(marCreatedOn('now')).toBeUndefined();
  });
});

describe('TorchServe rebuilds', () => {
  it('changing the handler changes only the archive', () => {
    const dir = copyOfFixture('torchserve');
    const before = buildOk('torchserve', dir);
    fs.appendFileSync(path.join(dir, 'handler.py'), '# changed\n');
    const after = buildOk('torchserve', dir);
    const changed = paths(after).filter((p) => !fileMap(before).get(p)!.equals(fileMap(after).get(p)!));
    expect(changed).toEqual(['archive/demo.mar']);
    expect(after.tag).not.toBe(before.tag);
  });

  it('changing a file the archive does not name changes nothing', () => {
    const dir = copyOfFixture('torchserve');
    const before = buildOk('torchserve', dir);
    fs.appendFileSync(path.join(dir, 'notes', 'README.md'), 'more\n');
    expect(buildOk('torchserve', dir).tag).toBe(before.tag);
  });
});

describe('TorchServe validation', () => {
  const fixture = FIXTURE;

  it('requires archive options', () => {
    const { context, problems } = build('torchserve', fixture, { repository: 'registry.example.com/ml/torchserve' });
    expect(context).toBeUndefined();
    expect(problems).toEqual([
      {
        construct: 'Chart/Svc',
        prop: 'runtime.image.archive',
        given: 'nothing',
        allowed: 'expected { handler, serializedFile?, modelFile?, extraFiles?, requirementsFile?, configFile?, version? }: a TorchServe image packs the directory into a .mar',
      },
    ]);
  });

  it('names a missing handler file and a missing weights file', () => {
    const { context, problems } = build('torchserve', fixture, optionsFor('torchserve', { archive: { ...TORCHSERVE_ARCHIVE, handler: 'handlers/missing.py', serializedFile: 'model.safetensors' } }));
    expect(context).toBeUndefined();
    expect(problems).toEqual([
      {
        construct: 'Chart/Svc',
        prop: 'runtime.image.archive.handler',
        given: '"handlers/missing.py"',
        allowed:
          'expected a built-in handler (base_handler, text_classifier, image_classifier, object_detector, image_segmenter, dali_image_classifier, vllm_handler, trt_llm_handler) or a .py file of the model directory; there is no file "handlers/missing.py" there',
      },
      {
        construct: 'Chart/Svc',
        prop: 'runtime.image.archive.serializedFile',
        given: '"model.safetensors"',
        allowed: 'expected a file of the model directory; there is none at that path (or it is excluded)',
      },
    ]);
  });

  it('names every other missing or misdirected file', () => {
    const { problems } = build(
      'torchserve',
      fixture,
      optionsFor('torchserve', { archive: { handler: 'my_handler', modelFile: 'extra', extraFiles: ['nothing-here', '../escape.txt'], configFile: 'gone.yaml' } }),
    );
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([
      [
        'runtime.image.archive.handler',
        '"my_handler"',
        'expected a built-in handler (base_handler, text_classifier, image_classifier, object_detector, image_segmenter, dali_image_classifier, vllm_handler, trt_llm_handler) or a .py file of the model directory (optionally "file.py:function")',
      ],
      ['runtime.image.archive.modelFile', '"extra"', 'expected a file, not a directory'],
      ['runtime.image.archive.configFile', '"gone.yaml"', 'expected a file of the model directory; there is none at that path (or it is excluded)'],
      ['runtime.image.archive.extraFiles[0]', '"nothing-here"', 'expected a file or a non-empty directory of the model directory; there is none at that path (or it is excluded)'],
      ['runtime.image.archive.extraFiles[1]', '"../escape.txt"', 'expected a path relative to the model directory (no leading "/", no "..")'],
    ]);
  });

  it('passes on what the packer rejects, under the option that caused it', () => {
    // extra/vocab.txt and a top-level vocab.txt would both be vocab.txt in the archive.
    const dir = copyOfFixture('torchserve');
    fs.writeFileSync(path.join(dir, 'vocab.txt'), 'other\n');
    const { problems } = build('torchserve', dir, optionsFor('torchserve', { archive: { handler: 'handler.py', extraFiles: ['vocab.txt', 'extra'] } }));
    expect(problems.map((p) => [p.prop, p.given, p.allowed])).toEqual([
      ['runtime.image.archive.extraFiles[1]', '"vocab.txt"', 'expected a path not already taken in the archive root; extraFiles[0] is packed there'],
    ]);
  });

  it('rejects an invalid SOURCE_DATE_EPOCH', () => {
    const saved = process.env.SOURCE_DATE_EPOCH;
    try {
      process.env.SOURCE_DATE_EPOCH = 'yesterday';
      const { context, problems } = build('torchserve', fixture);
      expect(context).toBeUndefined();
      expect(problems.map((p) => [p.prop, p.given])).toEqual([['runtime.image.archive', '"SOURCE_DATE_EPOCH=yesterday"']]);
    } finally {
      if (saved === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = saved;
    }
  });
});
