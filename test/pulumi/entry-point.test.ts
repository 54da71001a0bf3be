/**
 * `modelship/pulumi` loads only what a Pulumi user installs: never cdk8s or constructs, and
 * `@pulumi/docker-build` (an optional peer) only when a service builds an image. Checked in a
 * fresh Node process, since jest's own module registry already holds the cdk8s tests' modules.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');

/** Loads lib/pulumi in a fresh process, registers a ModelService under mocks, and returns every module path it loaded. */
function modulesLoaded(props: string): string[] {
  const script = `
    const pulumi = require('@pulumi/pulumi');
    const m = require('./lib/pulumi');
    (async () => {
      await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: { ...a.inputs, digest: 'sha256:' + 'a'.repeat(64) } }), call: (a) => a.inputs });
      new m.ModelService('svc', ${props});
      await pulumi.runtime.disconnect();
      process.stdout.write(JSON.stringify(Object.keys(require.cache)));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const stdout = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, TS_NODE_TRANSPILE_ONLY: 'true' } });
  return (JSON.parse(stdout) as string[]).map((file) => path.relative(ROOT, file).split(path.sep).join('/'));
}

const under = (modules: string[], pkg: string) => modules.filter((m) => m.includes(`node_modules/${pkg}/`));

test('a service with a registry image loads neither cdk8s, constructs nor @pulumi/docker-build', () => {
  const modules = modulesLoaded(`{ runtime: m.Runtime.custom({ image: m.ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2') }) }`);
  // What must be there, so an empty list cannot pass.
  expect(modules).toContain('lib/pulumi/model-service.ts');
  expect(under(modules, '@pulumi/kubernetes').length).toBeGreaterThan(0);
  expect(under(modules, 'cdk8s')).toEqual([]);
  expect(under(modules, 'constructs')).toEqual([]);
  expect(under(modules, '@pulumi/docker-build')).toEqual([]);
  expect(modules.filter((m) => m.startsWith('lib/cdk8s/'))).toEqual([]);
});

test('a service that builds its image loads @pulumi/docker-build, still no cdk8s', () => {
  const directory = JSON.stringify(path.join(ROOT, 'test/core/build/fixtures/models/tfserving'));
  const contextDirectory = fs.mkdtempSync(path.join(os.tmpdir(), 'modelship-entry-'));
  let modules: string[];
  try {
    modules = modulesLoaded(`{ runtime: m.Runtime.tensorflowServing({ image: m.ModelImage.fromModelDirectory(${directory}, { repository: 'registry.example.com/ml/ranker' }) }), imageBuildOptions: { contextDirectory: ${JSON.stringify(contextDirectory)} } }`);
  } finally {
    fs.rmSync(contextDirectory, { recursive: true, force: true });
  }
  expect(under(modules, '@pulumi/docker-build').length).toBeGreaterThan(0);
  expect(under(modules, 'cdk8s')).toEqual([]);
  expect(under(modules, 'constructs')).toEqual([]);
});
