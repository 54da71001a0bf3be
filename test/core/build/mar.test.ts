import * as fc from 'fast-check';
import { readFileSync } from 'fs';
import { join } from 'path';
import { ValidationError } from '../../../lib/core/errors';
import {
  MAR_BUILTIN_HANDLERS,
  formatMarCreatedOn,
  packMar,
  readZip,
  serializeMarManifest,
  type MarFile,
  type PackMarInput,
} from '../../../lib/core/build';
import { python, pythonReadZips } from './python-zip';

const REFERENCE = join(__dirname, 'fixtures');

const file = (name: string, text: string): MarFile => ({ name, data: Buffer.from(text) });

/** 27/11/2026 14:12:01 UTC: the createdOn of the captured archiver output below. */
const CAPTURED_AT = new Date(Date.UTC(2026, 10, 27, 14, 12, 1));

/**
 * MAR-INF/MANIFEST.json exactly as torch-model-archiver 0.12.0 wrote it (run from pytorch/serve
 * at tag v0.12.0) for:
 *   --model-name resnet-18 --version 1.0 --handler in/my_handler.py --serialized-file in/weights.pt
 *   --model-file in/model.py --extra-files in/index_to_name.json,in/extra
 *   --requirements-file in/requirements.txt -c in/model-config.yaml
 * No trailing newline.
 */
const ARCHIVER_FULL =
  '{\n  "createdOn": "27/11/2026 14:12:01",\n  "runtime": "python",\n  "model": {\n    "modelName": "resnet-18",\n' +
  '    "serializedFile": "weights.pt",\n    "handler": "my_handler.py",\n    "modelFile": "model.py",\n' +
  '    "modelVersion": "1.0",\n    "requirementsFile": "requirements.txt",\n    "configFile": "model-config.yaml"\n' +
  '  },\n  "archiverVersion": "0.12.0"\n}';

/** Same archiver, `--model-name u1 --version 1.0 --handler "in/händ.py"` (ensure_ascii escaping). */
const ARCHIVER_NON_ASCII =
  '{\n  "createdOn": "27/11/2026 14:12:01",\n  "runtime": "python",\n  "model": {\n    "modelName": "u1",\n' +
  '    "handler": "h\\u00e4nd.py",\n    "modelVersion": "1.0"\n  },\n  "archiverVersion": "0.12.0"\n}';

/** Same archiver, `--model-name u2 --version 1.0 --handler in/my_h:fn` (packs my_h.py). */
const ARCHIVER_ENTRY_POINT =
  '{\n  "createdOn": "27/11/2026 14:12:01",\n  "runtime": "python",\n  "model": {\n    "modelName": "u2",\n' +
  '    "handler": "my_h:fn",\n    "modelVersion": "1.0"\n  },\n  "archiverVersion": "0.12.0"\n}';

const fullInput: PackMarInput = {
  modelName: 'resnet-18',
  version: '1.0',
  handler: file('my_handler.py', 'def handle(data, ctx):\n    return data\n'),
  serializedFile: { name: 'weights.pt', data: Buffer.from([0x57, 0x00, 0x01]) },
  modelFile: file('model.py', 'class M: pass\n'),
  extraFiles: [file('index_to_name.json', '{"0":"cat"}\n'), file('a.txt', 'a\n'), file('sub/b.txt', 'b\n')],
  requirementsFile: file('requirements.txt', 'torch\n'),
  configFile: file('model-config.yaml', 'minWorkers: 1\n'),
  createdOn: CAPTURED_AT,
};

function validationError(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('expected a ValidationError');
}

/** Every key of a JSON object, depth-first, in document order (`model.handler`, …). */
function keyPaths(o: unknown, prefix = ''): string[] {
  if (typeof o !== 'object' || o === null) return [];
  return Object.entries(o).flatMap(([k, v]) => [prefix + k, ...keyPaths(v, `${prefix}${k}.`)]);
}

describe('MANIFEST.json matches torch-model-archiver 0.12.0 byte for byte', () => {
  test('every artifact kind', () => {
    expect(packMar(fullInput).manifestJson).toBe(ARCHIVER_FULL);
  });

  test('non-ASCII file names are \\u-escaped as json.dumps(ensure_ascii=True) writes them', () => {
    const out = packMar({ modelName: 'u1', version: '1.0', handler: file('händ.py', 'x'), createdOn: CAPTURED_AT });
    expect(out.manifestJson).toBe(ARCHIVER_NON_ASCII);
    // The archive itself still has the real (UTF-8) name.
    expect(out.entries).toEqual(['händ.py', 'MAR-INF/MANIFEST.json']);
  });

  test('a handler entry point is recorded as stem:function', () => {
    const out = packMar({ modelName: 'u2', version: '1.0', handler: { ...file('my_h.py', 'y'), entryPoint: 'fn' }, createdOn: CAPTURED_AT });
    expect(out.manifestJson).toBe(ARCHIVER_ENTRY_POINT);
    expect(out.entries).toEqual(['my_h.py', 'MAR-INF/MANIFEST.json']);
  });

  test('serialization agrees with Python json.dumps(indent=2) on awkward strings', () => {
    const manifest = {
      createdOn: '01/01/2000 00:00:00',
      runtime: 'python' as const,
      model: { modelName: 'm', handler: 'q"b\\s\n\t\r\b\f\u0001\u007f é ✓ 😀 /', modelVersion: '' },
      archiverVersion: '0.12.0',
    };
    const fromPython = python(
      'import json, sys; sys.stdout.write(json.dumps(json.loads(sys.stdin.read()), indent=2))',
      JSON.stringify(manifest),
    );
    expect(serializeMarManifest(manifest)).toBe(fromPython);
  });
});

describe('manifest shape against the reference examples', () => {
  test('the full example: same text, fields and key order', () => {
    const text = readFileSync(join(REFERENCE, 'torchserve_MANIFEST.full.example.json'), 'utf8');
    const out = packMar({
      modelName: 'resnet-18',
      version: '1.0',
      handler: 'image_classifier',
      serializedFile: file('resnet18-f37072fd.pth', 'weights'),
      modelFile: file('model.py', 'class M: pass\n'),
      requirementsFile: file('requirements.txt', 'torch\n'),
      configFile: file('model-config.yaml', 'batchSize: 1\n'),
      createdOn: new Date(Date.UTC(2025, 2, 17, 11, 20, 57)),
    });
    expect(out.manifest).toEqual(JSON.parse(text));
    expect(keyPaths(JSON.parse(out.manifestJson))).toEqual(keyPaths(JSON.parse(text)));
    expect(out.manifestJson).toBe(text.replace(/\n$/, ''));
    // A built-in handler is recorded, not packed.
    expect(out.entries).toEqual(['model-config.yaml', 'model.py', 'requirements.txt', 'resnet18-f37072fd.pth', 'MAR-INF/MANIFEST.json']);
  });

  test('the upstream LSP example (a verbatim MANIFEST.json from pytorch/serve)', () => {
    const text = readFileSync(join(REFERENCE, 'torchserve_MANIFEST.example.json'), 'utf8');
    const out = packMar({
      modelName: 'mnist_scripted_v2',
      version: '2.0',
      runtime: 'LSP',
      handler: 'TorchScriptHandler',
      serializedFile: file('mnist_script.pt', 'w'),
      archiverVersion: '0.2.0',
      createdOn: new Date(Date.UTC(2020, 6, 28, 6, 32, 8)),
    });
    expect(out.manifestJson).toBe(text.replace(/\n$/, ''));
    expect(keyPaths(out.manifest)).toEqual(['createdOn', 'runtime', 'model', 'model.modelName', 'model.serializedFile', 'model.handler', 'model.modelVersion', 'archiverVersion']);
  });

  test('an LSP handler library is recorded by its stem (with an optional class)', () => {
    const lib = { name: 'libmnist_handler.so', data: Buffer.from([0x7f, 0x45, 0x4c, 0x46]) };
    const base = { modelName: 'm', version: '1', runtime: 'LSP' as const, createdOn: CAPTURED_AT };
    expect(packMar({ ...base, handler: { ...lib, entryPoint: 'MnistHandler' } }).manifest.model.handler).toBe('libmnist_handler:MnistHandler');
    expect(packMar({ ...base, handler: lib }).manifest.model.handler).toBe('libmnist_handler');
  });
});

describe('createdOn', () => {
  test('is DD/MM/YYYY HH:MM:SS from the UTC fields, zero-padded', () => {
    expect(formatMarCreatedOn(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 999)))).toBe('02/01/2024 03:04:05');
    expect(formatMarCreatedOn(new Date(Date.UTC(1999, 11, 31, 23, 59, 59)))).toBe('31/12/1999 23:59:59');
  });

  test('parses back with the archiver test suite format %d/%m/%Y %H:%M:%S', () => {
    const dates = fc.sample(fc.date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9999, 11, 31, 23, 59, 59)), noInvalidDate: true }), {
      numRuns: 50,
      seed: 7,
    });
    const formatted = dates.map((d) => formatMarCreatedOn(d));
    const parsed = python(
      'import datetime, json, sys\n' +
        'print(json.dumps([datetime.datetime.strptime(s, "%d/%m/%Y %H:%M:%S").strftime("%Y-%m-%dT%H:%M:%S") for s in json.load(sys.stdin)]))',
      JSON.stringify(formatted),
    );
    expect(JSON.parse(parsed)).toEqual(dates.map((d) => d.toISOString().slice(0, 19)));
  });
});

describe('the .mar archive', () => {
  test('files sit at the root, the manifest last, in walk order with sorted listings', () => {
    const out = packMar(fullInput);
    const expected = [
      'a.txt',
      'index_to_name.json',
      'model-config.yaml',
      'model.py',
      'my_handler.py',
      'requirements.txt',
      'weights.pt',
      'sub/b.txt',
      'MAR-INF/MANIFEST.json',
    ];
    expect(out.entries).toEqual(expected);
    const entries = readZip(out.bytes);
    expect(entries.map((e) => e.path)).toEqual(expected);
    expect(entries.every((e) => e.compression === 'deflated')).toBe(true);
    const byPath = new Map(entries.map((e) => [e.path, e.data]));
    expect(byPath.get('weights.pt')!.equals(fullInput.serializedFile!.data)).toBe(true);
    expect(byPath.get('my_handler.py')!.toString()).toBe('def handle(data, ctx):\n    return data\n');
    expect(byPath.get('sub/b.txt')!.toString()).toBe('b\n');
    expect(byPath.get('MAR-INF/MANIFEST.json')!.toString('utf8')).toBe(ARCHIVER_FULL);
    expect(out.fileName).toBe('resnet-18.mar');
  });

  test('walk order: files before sub-directories at every level, names in byte order', () => {
    const out = packMar({
      modelName: 'm',
      version: '1',
      handler: 'base_handler',
      extraFiles: ['z.txt', 'a/c/d.txt', 'a/b.txt', 'B.txt', 'a/Z/y', 'a/a.txt', 'é.txt', 'ab'].map((n) => file(n, n)),
      createdOn: CAPTURED_AT,
    });
    expect(out.entries).toEqual(['B.txt', 'ab', 'z.txt', 'é.txt', 'a/a.txt', 'a/b.txt', 'a/Z/y', 'a/c/d.txt', 'MAR-INF/MANIFEST.json']);
  });

  test('CPython zipfile reads it: names, contents, manifest key order and createdOn', () => {
    const out = packMar(fullInput);
    const [report] = pythonReadZips([out.bytes]);
    expect(report!.testzip).toBeNull();
    expect(report!.entries.map((e) => e.filename)).toEqual(out.entries);
    const manifest = report!.entries.find((e) => e.filename === 'MAR-INF/MANIFEST.json')!;
    const check = python(
      'import base64, collections, datetime, json, sys\n' +
        'm = json.loads(base64.b64decode(sys.stdin.read()), object_pairs_hook=collections.OrderedDict)\n' +
        'datetime.datetime.strptime(m["createdOn"], "%d/%m/%Y %H:%M:%S")\n' +
        'print(json.dumps([list(m.keys()), list(m["model"].keys())]))',
      manifest.data,
    );
    expect(JSON.parse(check)).toEqual([
      ['createdOn', 'runtime', 'model', 'archiverVersion'],
      ['modelName', 'serializedFile', 'handler', 'modelFile', 'modelVersion', 'requirementsFile', 'configFile'],
    ]);
  });

  test('zip-store stores every entry', () => {
    const out = packMar({ ...fullInput, archiveFormat: 'zip-store' });
    expect(readZip(out.bytes).map((e) => e.compression)).toEqual(out.entries.map(() => 'stored'));
  });

  test('is byte-deterministic: same input, same bytes; another createdOn, other bytes', () => {
    const a = packMar(fullInput).bytes;
    const copy: PackMarInput = {
      ...fullInput,
      extraFiles: fullInput.extraFiles!.map((f) => ({ name: f.name, data: Buffer.from(f.data) })),
      createdOn: new Date(CAPTURED_AT.getTime()),
    };
    expect(packMar(copy).bytes.equals(a)).toBe(true);
    // Input order of extra files does not matter: the archive order is fixed.
    expect(packMar({ ...fullInput, extraFiles: [...fullInput.extraFiles!].reverse() }).bytes.equals(a)).toBe(true);
    expect(packMar({ ...fullInput, createdOn: new Date(CAPTURED_AT.getTime() + 1000) }).bytes.equals(a)).toBe(false);
    // Sub-second parts are not in the manifest, so they do not change the bytes.
    expect(packMar({ ...fullInput, createdOn: new Date(CAPTURED_AT.getTime() + 999) }).bytes.equals(a)).toBe(true);
  });

  test('random inputs: every artifact comes back at the root with its data, manifest last', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,10}$/).filter((n) => n !== 'MAR-INF');
    const arb = fc.record({
      modelName: fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.-]{0,20}$/),
      version: fc.stringMatching(/^[0-9]{1,3}(\.[0-9]{1,3})?$/),
      extra: fc.uniqueArray(fc.tuple(name, fc.uint8Array({ maxLength: 500 })), { selector: ([n]) => n, maxLength: 6 }),
      seconds: fc.integer({ min: 0, max: 2 ** 31 }),
    });
    fc.assert(
      fc.property(arb, ({ modelName, version, extra, seconds }) => {
        const extraFiles = extra.map(([n, d]) => ({ name: `x/${n}`, data: Buffer.from(d) }));
        const out = packMar({ modelName, version, handler: file('handler.py', 'h'), extraFiles, createdOn: new Date(seconds * 1000) });
        const entries = readZip(out.bytes);
        expect(entries[entries.length - 1]!.path).toBe('MAR-INF/MANIFEST.json');
        expect(JSON.parse(entries[entries.length - 1]!.data.toString())).toEqual(out.manifest);
        expect(out.manifest.model).toEqual({ modelName, handler: 'handler.py', modelVersion: version });
        const byPath = new Map(entries.map((e) => [e.path, e.data]));
        expect(byPath.get('handler.py')!.toString()).toBe('h');
        for (const f of extraFiles) expect(byPath.get(f.name)!.equals(f.data)).toBe(true);
        expect(entries).toHaveLength(extraFiles.length + 2);
      }),
      { numRuns: 100 },
    );
  });
});

describe('validation', () => {
  const ok: PackMarInput = { modelName: 'm', version: '1.0', handler: 'image_classifier', createdOn: CAPTURED_AT };

  test('model name rule', () => {
    for (const good of ['a', 'resnet-18', 'My_model.v2']) expect(packMar({ ...ok, modelName: good }).fileName).toBe(`${good}.mar`);
    const err = validationError(() => packMar({ ...ok, modelName: '9lives' }, 'app/resnet'));
    expect(err.message).toBe(
      '1 problem in modelship props:\n' +
        '  - app/resnet: modelName: got "9lives"; expected a name that starts with a letter and has only letters, digits, "_", "-" and "."',
    );
    for (const bad of ['', 'my model', 'a/b', 'ü', '_x']) {
      expect(validationError(() => packMar({ ...ok, modelName: bad })).problems.map((p) => p.prop)).toEqual(['modelName']);
    }
  });

  test('unknown built-in handler names the runtime and the choices', () => {
    const err = validationError(() => packMar({ ...ok, handler: 'my_handler' }));
    expect(err.message).toBe(
      '1 problem in modelship props:\n' +
        '  - packMar: handler: got "my_handler"; expected a built-in handler of the python runtime ' +
        `(${MAR_BUILTIN_HANDLERS.python.join(', ')}) or a handler file { name, data }`,
    );
    // LSP built-ins are not python built-ins.
    expect(validationError(() => packMar({ ...ok, handler: 'BaseHandler' })).problems[0]!.prop).toBe('handler');
  });

  test('handler files need the runtime extension', () => {
    const err = validationError(() => packMar({ ...ok, handler: file('handler.txt', 'x') }));
    expect(err.problems).toEqual([{ construct: 'packMar', prop: 'handler.name', given: '"handler.txt"', allowed: 'expected a .py file for the python runtime' }]);
    const lsp = validationError(() => packMar({ ...ok, runtime: 'LSP', handler: file('h.py', 'x') }));
    expect(lsp.problems[0]!.allowed).toBe('expected a .so file for the LSP runtime');
    const entry = validationError(() => packMar({ ...ok, handler: { ...file('h.py', 'x'), entryPoint: 'not valid' } }));
    expect(entry.problems.map((p) => `${p.prop}: ${p.given}`)).toEqual(['handler.entryPoint: "not valid"']);
  });

  test('MAR-INF is reserved', () => {
    const err = validationError(() => packMar({ ...ok, extraFiles: [file('a.txt', 'a'), file('MAR-INF/MANIFEST.json', '{}')] }));
    expect(err.message).toBe(
      '1 problem in modelship props:\n' +
        '  - packMar: extraFiles[1].name: got "MAR-INF/MANIFEST.json"; MAR-INF is reserved for the archive\'s manifest; expected a path outside it',
    );
    expect(validationError(() => packMar({ ...ok, serializedFile: file('MAR-INF', 'x') })).problems[0]!.prop).toBe('serializedFile.name');
  });

  test('duplicate base names are rejected, naming the artifact that has the path', () => {
    const err = validationError(() =>
      packMar({ ...ok, handler: file('model.py', 'h'), modelFile: file('model.py', 'm'), extraFiles: [file('x', '1'), file('x', '2')] }),
    );
    expect(err.message).toBe(
      '2 problems in modelship props:\n' +
        '  - packMar: modelFile.name: got "model.py"; expected a path not already taken in the archive root; handler is packed there\n' +
        '  - packMar: extraFiles[1].name: got "x"; expected a path not already taken in the archive root; extraFiles[0] is packed there',
    );
  });

  test('a file cannot also be a directory of another artifact', () => {
    const a = validationError(() => packMar({ ...ok, serializedFile: file('vocab', 'w'), extraFiles: [file('vocab/merges.txt', 'm')] }));
    expect(a.problems.map((p) => `${p.prop}: ${p.allowed}`)).toEqual([
      'extraFiles[0].name: expected a path not already taken in the archive root; serializedFile is packed there',
    ]);
    const b = validationError(() => packMar({ ...ok, extraFiles: [file('vocab/merges.txt', 'm'), file('vocab', 'w')] }));
    expect(b.problems.map((p) => p.prop)).toEqual(['extraFiles[1].name']);
  });

  test('names: base names for single artifacts, clean relative paths for extra files', () => {
    const err = validationError(() =>
      packMar({
        ...ok,
        serializedFile: file('models/w.pt', 'w'),
        configFile: file('..', 'c'),
        extraFiles: [file('../secret', 's'), file('.git/config', 'g'), file('pkg/__pycache__/m.pyc', 'p'), file('.env', 'fine: dotfiles are kept')],
      }),
    );
    expect(err.message).toBe(
      '5 problems in modelship props:\n' +
        '  - packMar: serializedFile.name: got "models/w.pt"; expected a file base name: non-empty, no "/", "\\" or NUL, not "." or ".."\n' +
        '  - packMar: extraFiles[0].name: got "../secret"; expected a relative path of "/"-separated names: none empty, "." or "..", no "\\" or NUL, no leading "/"\n' +
        '  - packMar: extraFiles[1].name: got ".git/config"; expected no directory named __pycache__ or __MACOSX or starting with "." (torch-model-archiver leaves those out of the archive)\n' +
        '  - packMar: extraFiles[2].name: got "pkg/__pycache__/m.pyc"; expected no directory named __pycache__ or __MACOSX or starting with "." (torch-model-archiver leaves those out of the archive)\n' +
        '  - packMar: configFile.name: got ".."; expected a file base name: non-empty, no "/", "\\" or NUL, not "." or ".."',
    );
  });

  test('version, runtime, createdOn, data and several problems at once', () => {
    const err = validationError(() =>
      packMar({
        modelName: 'ok',
        version: '',
        runtime: 'java' as never,
        handler: 'base_handler',
        serializedFile: { name: 'w.pt', data: 'not a buffer' as unknown as Buffer },
        createdOn: new Date('nope'),
      }),
    );
    expect(err.problems.map((p) => [p.prop, p.given])).toEqual([
      ['version', '""'],
      ['runtime', '"java"'],
      ['createdOn', 'Invalid Date'],
      ['serializedFile.data', '"string"'],
    ]);
    expect(err.message).toContain('  - packMar: version: got ""; expected a non-empty string such as "1.0" (TorchServe rejects a manifest without modelVersion)');
    expect(err.message).toContain('  - packMar: createdOn: got Invalid Date; expected a valid Date with a four-digit UTC year (pass a fixed value so the archive is reproducible)');
  });

  test('a missing handler is reported', () => {
    const err = validationError(() => packMar({ ...ok, handler: undefined as never }));
    expect(err.problems).toEqual([{ construct: 'packMar', prop: 'handler', given: 'nothing', allowed: 'expected a built-in handler name or a handler file { name, data }' }]);
  });
});
