// ESLint flat config for modelship.
//
// Deliberately NOT type-checked (no `parserOptions.project`): `npm test` runs `tsc --noEmit`
// for types, and type-aware linting would add tens of seconds to every run.
import tseslint from 'typescript-eslint';
import jest from 'eslint-plugin-jest';
import { defineConfig } from 'eslint/config';

/** Import specifiers the framework-neutral core must never use. */
const CORE_FORBIDDEN_PACKAGES = [
  { name: 'cdk8s', message: 'lib/core is framework-neutral: only lib/cdk8s may import cdk8s.' },
  { name: 'constructs', message: 'lib/core is framework-neutral: only lib/cdk8s may import constructs.' },
];

const CORE_FORBIDDEN_PATTERNS = [
  {
    group: ['cdk8s/*', 'cdk8s-plus-*', 'cdk8s-plus-*/*', 'constructs/*'],
    message: 'lib/core is framework-neutral: cdk8s and constructs belong in lib/cdk8s.',
  },
  {
    group: ['@pulumi/*'],
    message: 'lib/core is framework-neutral: @pulumi/* belongs in the Pulumi front end.',
  },
  {
    // Relative escapes into a front end, at any depth: ../cdk8s, ../../pulumi/x, ...
    regex: '^(\\.\\./)+(cdk8s|pulumi)(/|$)',
    message: 'lib/core must not import a front end (lib/cdk8s, lib/pulumi); the dependency points the other way.',
  },
];

/** Calls that count as assertions for jest/expect-expect (eslint-plugin-jest wildcard syntax). */
const ASSERT_FUNCTION_NAMES = ['expect*', 'assert*', '**.expect*', '**.assert*'];

/** The same matching eslint-plugin-jest applies to `assertFunctionNames`. */
function matchesAssertName(name) {
  return ASSERT_FUNCTION_NAMES.some((p) =>
    new RegExp(
      `^${p
        .split('.')
        .map((x) => (x === '**' ? '[a-z\\d\\.]*' : x.replace(/\*/gu, '[a-z\\d]*')))
        .join('\\.')}(\\.|$)`,
      'ui',
    ).test(name),
  );
}

function calleeName(node) {
  if (node.type === 'Identifier') return node.name;
  if (node.type === 'MemberExpression' && !node.computed && node.property.type === 'Identifier') {
    const object = calleeName(node.object);
    return object ? `${object}.${node.property.name}` : undefined;
  }
  if (node.type === 'CallExpression') return calleeName(node.callee);
  return undefined;
}

/** Whether an AST subtree calls an assertion function (expect(...), expectFoo(...), fc.assert(...)). */
function callsAssertion(node, seen = new Set()) {
  if (!node || typeof node.type !== 'string' || seen.has(node)) return false;
  seen.add(node);
  if (node.type === 'CallExpression') {
    const name = calleeName(node.callee);
    if (name && matchesAssertName(name)) return true;
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'parent') continue;
    const children = Array.isArray(value) ? value : [value];
    if (children.some((child) => child && typeof child.type === 'string' && callsAssertion(child, seen))) return true;
  }
  return false;
}

/**
 * jest/expect-expect, extended to table-driven tests whose body is a named function:
 * `test.each(cases)('$name', check)`. The stock rule cannot see into `check` and reports every
 * such test. This wrapper drops the report when the callback is an identifier bound in the same
 * file to a function that calls an assertion (or an imported function whose name matches
 * ASSERT_FUNCTION_NAMES); a named callback that asserts nothing is still reported.
 */
function expectExpectWithNamedCallbacks(baseRule) {
  const isAssertingReference = (context, ident) => {
    let scope = context.sourceCode.getScope(ident);
    while (scope) {
      const variable = scope.set.get(ident.name);
      if (variable) {
        return variable.defs.some((def) => {
          if (def.type === 'ImportBinding') return matchesAssertName(ident.name);
          if (def.type === 'FunctionName') return callsAssertion(def.node.body);
          if (def.type === 'Variable') {
            const init = def.node.init;
            return !!init && /FunctionExpression$/.test(init.type) && callsAssertion(init.body);
          }
          return false;
        });
      }
      scope = scope.upper;
    }
    return false;
  };
  return {
    ...baseRule,
    create(context) {
      const filtered = Object.create(context, {
        report: {
          value(descriptor) {
            const call = descriptor.node?.parent;
            const callback = call?.type === 'CallExpression' ? call.arguments.at(-1) : undefined;
            if (callback?.type === 'Identifier' && isAssertingReference(context, callback)) return;
            context.report(descriptor);
          },
        },
      });
      return baseRule.create(filtered);
    },
  };
}

const localJest = {
  rules: { 'expect-expect': expectExpectWithNamedCallbacks(jest.rules['expect-expect']) },
};

export default defineConfig(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'dist-lib/',
      'coverage/',
      'cdk.out/',
      '.bench-tmp/',
      'test/**/__snapshots__/',
    ],
  },

  // typescript-eslint's recommended set (syntax only, fast). It also switches off the core
  // rules TypeScript already checks.
  ...tseslint.configs.recommended,

  {
    files: ['**/*.ts', '**/*.mts', '**/*.cts'],
    rules: {
      // `_`-prefixed names are the conventional "intentionally unused" marker (tsc's
      // noUnusedLocals/noUnusedParameters already enforce the rest).
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // `require('pkg/package.json').version` is how bench/ and scripts report dependency
      // versions (a static JSON import would pull the whole file into type-checking and some
      // packages' `exports` maps do not allow it); other require() calls stay forbidden.
      '@typescript-eslint/no-require-imports': ['error', { allow: ['/package\\.json$'] }],
    },
  },

  // Plain JavaScript config files (jest.config.js) are CommonJS.
  {
    files: ['**/*.js', '**/*.cjs'],
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
    },
  },

  // The core must stay framework-neutral. test/architecture/core-imports.test.ts enforces the
  // same thing (including require() and any path leaving lib/core); this gives editor feedback.
  {
    files: ['lib/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: CORE_FORBIDDEN_PACKAGES, patterns: CORE_FORBIDDEN_PATTERNS },
      ],
    },
  },

  // Tests.
  {
    files: ['test/**/*.ts'],
    ...jest.configs['flat/recommended'],
    plugins: { ...jest.configs['flat/recommended'].plugins, 'local-jest': localJest },
    rules: {
      ...jest.configs['flat/recommended'].rules,
      'jest/valid-expect': 'error',
      'jest/no-disabled-tests': 'error',
      // Replaced by local-jest/expect-expect (the same rule, plus named table-driven callbacks).
      'jest/expect-expect': 'off',
      'local-jest/expect-expect': [
        'error',
        {
          // Shared assertion helpers (expectValid(...), assertRestricted(...)) and namespaced
          // ones (fc.assert, checks.expectNoProblems) count as assertions.
          assertFunctionNames: ASSERT_FUNCTION_NAMES,
        },
      ],
      // Table-driven checkers branch on the expected outcome and narrow discriminated unions
      // (`expect(r.ok).toBe(false); if (!r.ok) expect(r.error)...`); expect-expect and the
      // per-case assertions already keep such tests from passing vacuously.
      'jest/no-conditional-expect': 'off',
    },
  },

  // Support modules and case tables (test/support/**, *.cases.ts) define assertions that test
  // files call; an `expect` outside a test block is only a mistake in a *.test.ts file.
  {
    files: ['test/**/*.ts'],
    ignores: ['test/**/*.test.ts'],
    rules: {
      'jest/no-standalone-expect': 'off',
    },
  },
);
