/**
 * Architecture guard: lib/core is framework-neutral.
 *
 * Every module specifier in every file under lib/core (static imports, `export ... from`,
 * `import x = require()`, `require()`, dynamic `import()`, `import('x').T` type queries and
 * `/// <reference types>` directives) must be either a Node built-in or a relative path that
 * stays inside lib/core. So no cdk8s, constructs, cdk8s-plus-*, @pulumi/*, no other npm
 * package, and no reaching into lib/cdk8s, lib/pulumi or anything else outside lib/core.
 *
 * The ESLint `no-restricted-imports` rule for lib/core says the same for editors; this test is
 * the authoritative check (it also sees require() and escapes at any depth).
 */
import * as fs from 'fs';
import { builtinModules } from 'module';
import * as path from 'path';
import * as ts from 'typescript';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CORE_DIR = path.join(REPO_ROOT, 'lib', 'core');

interface ImportRef {
  readonly specifier: string;
  readonly line: number;
  readonly kind: string;
}

interface Violation extends ImportRef {
  readonly file: string;
  readonly reason: string;
}

/** Every module specifier a source text refers to, found with the TypeScript parser. */
function collectImports(fileName: string, text: string): ImportRef[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const refs: ImportRef[] = [];
  const add = (node: ts.Node, specifier: string, kind: string): void => {
    const { line } = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    refs.push({ specifier, line: line + 1, kind });
  };
  const nonLiteral = (node: ts.Node, kind: string): void => add(node, `<non-literal ${kind}>`, kind);

  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, 'import');
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node, node.moduleSpecifier.text, 'export-from');
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteralLike(expr)) add(node, expr.text, 'import-equals');
      else nonLiteral(node, 'import-equals');
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) add(node, arg.literal.text, 'import-type');
    } else if (ts.isCallExpression(node)) {
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const isRequireResolve =
        ts.isPropertyAccessExpression(node.expression) &&
        ts.isIdentifier(node.expression.expression) &&
        node.expression.expression.text === 'require' &&
        node.expression.name.text === 'resolve';
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      if (isRequire || isRequireResolve || isDynamicImport) {
        const kind = isDynamicImport ? 'dynamic-import' : isRequire ? 'require' : 'require.resolve';
        const [arg] = node.arguments;
        if (arg && ts.isStringLiteralLike(arg)) add(node, arg.text, kind);
        else nonLiteral(node, kind);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);

  for (const ref of sf.typeReferenceDirectives) {
    refs.push({ specifier: ref.fileName, line: sf.getLineAndCharacterOfPosition(ref.pos).line + 1, kind: 'reference-types' });
  }
  for (const ref of sf.referencedFiles) {
    refs.push({ specifier: ref.fileName, line: sf.getLineAndCharacterOfPosition(ref.pos).line + 1, kind: 'reference-path' });
  }
  return refs;
}

const BUILTINS = new Set(builtinModules);

/**
 * The package's own runtime `dependencies` (not peers, not dev dependencies): installed wherever
 * modelship is, so the core may use them. Today only `highs`, the capacity planner's solver.
 */
const RUNTIME_DEPENDENCIES = new Set(Object.keys((JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> }).dependencies ?? {}));
const packageOf = (spec: string): string => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');

/** Why a specifier is forbidden in a file at `filePath`, or undefined when it is fine. */
function violationReason(filePath: string, ref: ImportRef): string | undefined {
  const spec = ref.specifier;
  if (spec.startsWith('<non-literal')) {
    return 'module specifier is not a string literal, so it cannot be checked';
  }
  if (ref.kind === 'reference-path' || spec.startsWith('.')) {
    const target = path.resolve(path.dirname(filePath), spec);
    const rel = path.relative(CORE_DIR, target);
    if (rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel))) return undefined;
    return `relative path leaves lib/core (resolves to ${path.relative(REPO_ROOT, target) || '.'})`;
  }
  if (path.isAbsolute(spec)) return 'absolute paths are not allowed';
  if (spec.startsWith('node:')) return undefined;
  if (ref.kind !== 'reference-types' && BUILTINS.has(spec)) return undefined;
  if (/^(cdk8s|cdk8s-plus-[^/]*|constructs)(\/|$)/.test(spec)) return 'lib/core must not depend on cdk8s or constructs';
  if (spec.startsWith('@pulumi/')) return 'lib/core must not depend on Pulumi';
  if (ref.kind !== 'reference-types' && RUNTIME_DEPENDENCIES.has(packageOf(spec))) return undefined;
  return 'lib/core may import only Node built-ins, the package\'s runtime dependencies and files inside lib/core';
}

function checkSource(filePath: string, text: string): Violation[] {
  return collectImports(filePath, text).flatMap((ref) => {
    const reason = violationReason(filePath, ref);
    return reason ? [{ ...ref, file: path.relative(REPO_ROOT, filePath), reason }] : [];
  });
}

function listSourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return listSourceFiles(full);
      return /\.(ts|tsx|mts|cts|js|mjs|cjs)$/.test(entry.name) ? [full] : [];
    });
}

function format(violations: readonly Violation[]): string {
  return violations.map((v) => `${v.file}:${v.line} ${v.kind} '${v.specifier}': ${v.reason}`).join('\n');
}

describe('lib/core import boundary', () => {
  const files = listSourceFiles(CORE_DIR);

  it('finds the core sources (so the check is not vacuous)', () => {
    expect(files.length).toBeGreaterThan(5);
    expect(files).toContain(path.join(CORE_DIR, 'index.ts'));
    // The scanner sees the core's real imports: index.ts re-exports its siblings.
    const refs = collectImports('index.ts', fs.readFileSync(path.join(CORE_DIR, 'index.ts'), 'utf8'));
    expect(refs.length).toBeGreaterThan(0);
  });

  it('imports only Node built-ins, the package\'s runtime dependencies and files inside lib/core', () => {
    const violations = files.flatMap((file) => checkSource(file, fs.readFileSync(file, 'utf8')));
    if (violations.length > 0) {
      throw new Error(`lib/core must stay framework-neutral; forbidden imports:\n${format(violations)}`);
    }
    expect(violations).toEqual([]);
  });
});

describe('import boundary checker (self-test)', () => {
  const fakeFile = path.join(CORE_DIR, 'service', 'fake.ts');

  it('flags every forbidden form of import', () => {
    const source = [
      '/// <reference types="node" />',
      "import { App } from 'cdk8s';",
      "import type { Construct } from 'constructs';",
      "import * as kplus from 'cdk8s-plus-28';",
      "import * as k8s from '@pulumi/kubernetes';",
      "export { ModelService } from '../../cdk8s';",
      "export * from '../../pulumi/model-service';",
      "import { x } from '../../index';",
      "import YAML from 'yaml';",
      "import fixture = require('../../../test/support/k8s-problem');",
      "const pulumi = require('@pulumi/pulumi');",
      "const lazy = () => import('cdk8s-plus-28/lib/imports/k8s');",
      "let t: import('constructs').IConstruct;",
      "const name = 'cdk8s'; const dyn = require(name);",
      '',
    ].join('\n');
    const violations = checkSource(fakeFile, source);
    expect(violations.map((v) => `${v.line} ${v.kind} ${v.specifier}`)).toEqual([
      '2 import cdk8s',
      '3 import constructs',
      '4 import cdk8s-plus-28',
      '5 import @pulumi/kubernetes',
      '6 export-from ../../cdk8s',
      '7 export-from ../../pulumi/model-service',
      '8 import ../../index',
      '9 import yaml',
      '10 import-equals ../../../test/support/k8s-problem',
      '11 require @pulumi/pulumi',
      '12 dynamic-import cdk8s-plus-28/lib/imports/k8s',
      '13 import-type constructs',
      '14 require <non-literal require>',
      '1 reference-types node',
    ]);
    expect(violations.find((v) => v.specifier === '../../cdk8s')?.reason).toMatch(/leaves lib\/core.*lib\/cdk8s/);
    expect(violations.find((v) => v.specifier === '@pulumi/pulumi')?.reason).toMatch(/Pulumi/);
  });

  it('accepts Node built-ins, runtime dependencies and relative imports that stay inside lib/core', () => {
    const source = [
      "import { createHash } from 'crypto';",
      "import * as fs from 'fs';",
      "import * as path from 'path';",
      "import { readFile } from 'node:fs/promises';",
      "import { Duration } from '../duration';",
      "export * from './budget';",
      "export type { Probe } from '../k8s-types';",
      "const names = require('../names');",
      "const solver = require.resolve('highs');",
      '',
    ].join('\n');
    expect(checkSource(fakeFile, source)).toEqual([]);
  });
});
