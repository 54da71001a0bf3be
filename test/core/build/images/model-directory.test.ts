import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compileExcludePattern, isWeightFile, normalizeRelativePath, readModelDirectory } from '../../../../lib/core/build/model-directory';
import { Problems } from '../../../../lib/core/errors';
import { temporaryDir, writeFiles } from '../../../support/images';
import { build, optionsFor } from './support';

const read = (dir: string, exclude?: string[]) => {
  const problems = new Problems('Chart/Svc');
  const files = readModelDirectory(dir, exclude, problems.at('runtime.image'));
  return { files, problems: problems.all.map((p) => [p.prop, p.given, p.allowed]) };
};

describe('readModelDirectory', () => {
  it('lists files in UTF-8 byte order, not locale order', () => {
    const dir = temporaryDir();
    writeFiles(dir, { 'b.txt': '', 'B.txt': '', '_x': '', 'é.txt': '', 'a/z': '', 'a.txt': '', 'a-b': '' });
    expect(read(dir).files!.map((f) => f.path)).toEqual(['B.txt', '_x', 'a-b', 'a.txt', 'a/z', 'b.txt', 'é.txt']);
  });

  it('always leaves out .git, __pycache__, *.pyc and .DS_Store, and keeps other dotfiles', () => {
    const dir = temporaryDir();
    writeFiles(dir, { '.git/HEAD': 'ref', 'pkg/__pycache__/m.cpython-312.pyc': 'x', 'pkg/m.pyc': 'x', 'pkg/m.py': 'x', '.DS_Store': 'x', 'pkg/.DS_Store': 'x', '.gitattributes': 'x' });
    expect(read(dir).files!.map((f) => f.path)).toEqual(['.gitattributes', 'pkg/m.py']);
  });

  it('applies exclude globs: paths, * within a name, ** across directories, directories as a whole', () => {
    const dir = temporaryDir();
    writeFiles(dir, { 'notes/a.md': '', 'data/x.csv': '', 'data/deep/y.csv': '', 'src/t.tmp': '', 't.tmp': '', 'keep.py': '', 'data/z.json': '' });
    expect(read(dir, ['notes', 'data/*.csv', '**/*.tmp']).files!.map((f) => f.path)).toEqual(['data/deep/y.csv', 'data/z.json', 'keep.py']);
  });

  it('reads contents and modes', () => {
    const dir = temporaryDir();
    writeFiles(dir, { 'run.sh': '#!/bin/sh\n', 'data.bin': Buffer.from([0, 1, 2, 255]) });
    fs.chmodSync(path.join(dir, 'run.sh'), 0o700);
    fs.chmodSync(path.join(dir, 'data.bin'), 0o600);
    expect(read(dir).files).toEqual([
      { path: 'data.bin', data: Buffer.from([0, 1, 2, 255]), mode: 0o644 },
      { path: 'run.sh', data: Buffer.from('#!/bin/sh\n'), mode: 0o755 },
    ]);
  });

  it('refuses symbolic links, naming the path, unless excluded', () => {
    const dir = temporaryDir();
    writeFiles(dir, { 'real/weights.pt': 'w' });
    fs.symlinkSync(path.join(dir, 'real', 'weights.pt'), path.join(dir, 'link.pt'));
    fs.symlinkSync('/etc', path.join(dir, 'real', 'etc'));
    const refused = 'expected a regular file or directory: symbolic links are not followed (they may point outside the model directory); copy the target in or list the link in exclude';
    expect(read(dir).problems).toEqual([
      ['runtime.image.directory', '"link.pt"', refused],
      ['runtime.image.directory', '"real/etc"', refused],
    ]);
    expect(read(dir, ['link.pt', 'real/etc']).problems).toEqual([]);
  });

  it('refuses special files', () => {
    const dir = temporaryDir();
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    expect(read(dir).problems).toEqual([['runtime.image.directory', '"pipe"', 'expected a regular file or directory, not a socket, FIFO or device; list it in exclude']]);
  });

  it('reports a missing directory, a file given as the directory, and bad exclude patterns', () => {
    const dir = temporaryDir();
    writeFiles(dir, { 'file.txt': '' });
    expect(read(path.join(dir, 'nope')).problems).toEqual([['runtime.image.directory', JSON.stringify(path.join(dir, 'nope')), 'expected an existing model directory; there is nothing at that path']]);
    expect(read(path.join(dir, 'file.txt')).problems).toEqual([['runtime.image.directory', JSON.stringify(path.join(dir, 'file.txt')), 'expected a directory, not a file']]);
    expect(read(dir, ['/abs', '../up', 'ok/**']).problems.map((p) => p.slice(0, 2))).toEqual([
      ['runtime.image.exclude[0]', '"/abs"'],
      ['runtime.image.exclude[1]', '"../up"'],
    ]);
  });

  it('reports a symlink through the whole build with the image prop', () => {
    const dir = temporaryDir();
    writeFiles(dir, { 'server.py': '' });
    fs.symlinkSync('server.py', path.join(dir, 'alias.py'));
    const { context, problems } = build('custom', dir, optionsFor('custom'));
    expect(context).toBeUndefined();
    expect(problems).toEqual([
      {
        construct: 'Chart/Svc',
        prop: 'runtime.image.directory',
        given: '"alias.py"',
        allowed: 'expected a regular file or directory: symbolic links are not followed (they may point outside the model directory); copy the target in or list the link in exclude',
      },
    ]);
  });
});

describe('compileExcludePattern', () => {
  it.each([
    ['*.txt', 'a.txt', true],
    ['*.txt', 'd/a.txt', false],
    ['**/*.txt', 'a.txt', true],
    ['**/*.txt', 'd/e/a.txt', true],
    ['d/**', 'd/e/a.txt', true],
    ['d/**/a.txt', 'd/a.txt', true],
    ['d/**/a.txt', 'd/x/y/a.txt', true],
    ['./notes/', 'notes', true],
    ['file?.py', 'file1.py', true],
    ['file?.py', 'file10.py', false],
    ['a.b', 'axb', false],
    ['[x]', '[x]', true],
  ])('%s matches %s: %s', (pattern, candidate, matches) => {
    expect(compileExcludePattern(pattern)!.test(candidate)).toBe(matches);
  });

  it.each(['', '/x', 'a/../b', 'a\\b', '.'])('rejects %j', (pattern) => {
    expect(compileExcludePattern(pattern)).toBeUndefined();
  });
});

describe('isWeightFile and normalizeRelativePath', () => {
  it('tells weights from code', () => {
    const all = new Set(['1/saved_model.pb', '1/variables/variables.index', 'other/variables/x']);
    expect(isWeightFile('model.SafeTensors', all)).toBe(true);
    expect(isWeightFile('sub/pytorch_model.bin', all)).toBe(true);
    expect(isWeightFile('1/variables/variables.index', all)).toBe(true);
    expect(isWeightFile('other/variables/x', all)).toBe(false);
    expect(isWeightFile('config.json', all)).toBe(false);
    expect(isWeightFile('.bin', all)).toBe(false);
  });

  it('normalizes relative paths', () => {
    expect(normalizeRelativePath('./a//b.py')).toBe('a/b.py');
    expect(normalizeRelativePath('a/../b')).toBeUndefined();
    expect(normalizeRelativePath('/a')).toBeUndefined();
    expect(normalizeRelativePath('.')).toBeUndefined();
    expect(normalizeRelativePath(3)).toBeUndefined();
  });
});
