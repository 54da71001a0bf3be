/**
 * Optional second opinion: Debian's docker-compose (v1.29) parses and validates the generated
 * file with `docker-compose config -q`. Skipped when docker-compose is not installed; the schema
 * tests in render-compose.test.ts do not depend on it.
 *
 * docker-compose v1 predates the top-level `name` key, so the project name is passed with `-p`
 * and the key left out. The file is written as YAML with every string quoted, as a YAML 1.1
 * reader (v1 uses PyYAML) needs for values like `1000:59` (otherwise a base-60 number).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse, stringify } from 'yaml';
import { ArtifactCredentials, ModelArtifact, Runtime } from '../../../lib/core';
import { renderCompose, type ComposeProject } from '../../../lib/core/compose';
import { MINIMAL_PROPS, render } from '../../support/fixtures';
import { builtCustomProps } from './support';

const installed = spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0;

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes the project (file, config files, empty build contexts) into a fresh directory. */
function writeProject(project: ComposeProject, mutate: (doc: Record<string, unknown>) => void = () => undefined): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelship-compose-'));
  dirs.push(dir);
  const { name: _name, ...doc } = structuredClone(project.compose) as unknown as Record<string, unknown>;
  mutate(doc);
  fs.writeFileSync(path.join(dir, 'compose.yaml'), stringify(doc, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }));
  for (const file of project.files) {
    fs.mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true });
    fs.writeFileSync(path.join(dir, file.path), file.content);
  }
  for (const service of Object.values(project.compose.services)) if (service.build) fs.mkdirSync(path.join(dir, service.build.context), { recursive: true });
  return dir;
}

function dockerCompose(dir: string, project: string, ...args: string[]) {
  return spawnSync('docker-compose', ['-p', project, '-f', path.join(dir, 'compose.yaml'), ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, API_TOKEN: 'from-the-host' } });
}

(installed ? describe : describe.skip)('docker-compose config', () => {
  const project = renderCompose(
    [
      render(MINIMAL_PROPS.torchserve(), 'fraud'),
      render(MINIMAL_PROPS.tfserving(), 'ranker'),
      render(MINIMAL_PROPS.triton(), 'vision'),
      render(MINIMAL_PROPS.vllm(), 'llm'),
      render(builtCustomProps(), 'scorer'),
      render({ runtime: Runtime.torchServe({ model: ModelArtifact.fromPersistentVolumeClaim('store', { path: 'm.mar' }) }), secretEnv: { API_TOKEN: { secretName: 't', key: 'k' } } }, 'claimed'),
      render({ runtime: Runtime.triton({ model: ModelArtifact.fromS3('s3://models/repo/', { credentials: ArtifactCredentials.fromSecret('s3', { AWS_ACCESS_KEY_ID: 'id' }) }) }) }, 'secure'),
    ],
    { name: 'modelship-local', hostPortOffset: { llm: 10, scorer: 1000, claimed: 2000, secure: 3000 } },
  );

  it('accepts the generated file', () => {
    const dir = writeProject(project);
    const result = dockerCompose(dir, 'modelship-local', 'config', '-q');
    expect(result.stderr.replace(/^.*variable is not set.*$/gm, '').trim()).toBe('');
    expect(result.status).toBe(0);
  });

  it('reads it as written: strings stay strings, ${VAR} comes from the host, $$ survives', () => {
    const dir = writeProject(project);
    const result = dockerCompose(dir, 'modelship-local', 'config');
    expect(result.status).toBe(0);
    const config = parse(result.stdout) as { services: Record<string, { user: unknown; environment?: Record<string, string>; healthcheck?: { test: string[] } }> };
    expect(Object.keys(config.services).sort()).toEqual(Object.keys(project.compose.services).sort());
    expect(config.services['fraud']!.user).toBe('1000:1000');
    expect(config.services['claimed']!.environment!['API_TOKEN']).toBe('from-the-host');
    // v1 prints the config re-escaped; the bash check still has its variable.
    expect(config.services['ranker']!.healthcheck!.test[3]).toContain('[ "$$status" -ge 200 ]');
  });

  it('rejects a broken file (so the check above means something)', () => {
    const dir = writeProject(project, (doc) => {
      ((doc['services'] as Record<string, Record<string, unknown>>)['fraud']!)['healthcheck_'] = {};
    });
    const result = dockerCompose(dir, 'modelship-local', 'config', '-q');
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('healthcheck_');
  });
});
