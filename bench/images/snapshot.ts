/**
 * A transpiled snapshot of the code the image benchmark's workers run (lib/, bench/images/ and
 * examples/serving-stack.ts), as bench/index.ts makes one: every measurement of a run sees the
 * same code even while lib/ is being edited, and workers start without TypeScript compilation.
 */
import { createHash } from 'crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'fs';
import * as os from 'os';
import { dirname, join, relative } from 'path';
import * as ts from 'typescript';

function* files(path: string): Generator<string> {
  if (statSync(path).isFile()) {
    yield path;
    return;
  }
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) yield* files(child);
    else if (entry.isFile()) yield child;
  }
}

/** Transpiles the worker's code into a temporary directory; returns it and a digest of lib/'s sources. */
export function snapshot(root: string): { dir: string; libDigest: string } {
  const dir = mkdtempSync(join(os.tmpdir(), 'modelship-bench-images-snapshot-'));
  const { config, error } = ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile);
  if (error) throw new Error(ts.flattenDiagnosticMessageText(error.messageText, '\n'));
  const { options } = ts.convertCompilerOptionsFromJson(config.compilerOptions, root);
  const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: false, declaration: false, noEmit: false };
  const digest = createHash('sha256');
  for (const top of ['lib', join('bench', 'images'), join('examples', 'serving-stack.ts')]) {
    for (const file of files(join(root, top))) {
      const rel = relative(root, file);
      const target = join(dir, rel);
      mkdirSync(dirname(target), { recursive: true });
      if (file.endsWith('.ts') && !file.endsWith('.d.ts')) {
        const source = readFileSync(file, 'utf8');
        if (rel.startsWith(`lib${'/'}`)) digest.update(`${rel}\0${source}\0`);
        writeFileSync(target.replace(/\.ts$/, '.js'), ts.transpileModule(source, { compilerOptions, fileName: file }).outputText);
      } else {
        copyFileSync(file, target);
      }
    }
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, libDigest: digest.digest('hex').slice(0, 12) };
}
