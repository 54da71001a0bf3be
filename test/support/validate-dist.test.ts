import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as YAML from 'yaml';
import * as fixtures from './k8s-fixtures';
import { findManifestFiles, loadManifestFile } from './k8s-manifest-files';

const REPO = path.resolve(__dirname, '../..');

function tempDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-dist-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function yamlDocs(...objs: unknown[]): string {
  return objs.map((o) => YAML.stringify(o)).join('---\n');
}

function runCli(dir: string): { status: number | null; stdout: string; stderr: string } {
  const tsNode = require.resolve('ts-node/dist/bin.js', { paths: [REPO] });
  const r = spawnSync(process.execPath, [tsNode, '-T', path.join(REPO, 'scripts/validate-dist.ts'), dir], { cwd: REPO, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('manifest files', () => {
  test('finds yaml/yml/json recursively, in a stable order', () => {
    const dir = tempDir({ 'b.yaml': '', 'sub/a.yml': '', 'sub/deeper/c.json': '{}', 'notes.txt': '', 'README.md': '' });
    dirs.push(dir);
    expect(findManifestFiles(dir).map((f) => path.relative(dir, f))).toEqual(['b.yaml', 'sub/a.yml', 'sub/deeper/c.json']);
  });

  test('multi-document YAML, empty documents skipped, documents without kind reported', () => {
    const dir = tempDir({ 'app.yaml': `${yamlDocs(fixtures.deployment(), fixtures.service())}---\n---\nfoo: bar\n` });
    dirs.push(dir);
    const result = loadManifestFile(path.join(dir, 'app.yaml'));
    expect(result.objects.map((o) => [o.where, (o.object as { kind: string }).kind])).toEqual([['#0', 'Deployment'], ['#1', 'Service']]);
    expect(result.errors).toEqual(['#3: not a Kubernetes object (apiVersion and kind must be strings)']);
  });

  test('YAML is read as kubectl reads it (YAML 1.1: `on` is a boolean, 0644 is octal)', () => {
    const dir = tempDir({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    enabled: on\n  annotations:\n    mode: 0644\n    date: 2024-01-01\n' });
    dirs.push(dir);
    const [cm] = loadManifestFile(path.join(dir, 'cm.yaml')).objects;
    expect((cm!.object as { metadata: unknown }).metadata).toEqual({ name: 'x', labels: { enabled: true }, annotations: { mode: 420, date: '2024-01-01' } });
  });

  test('JSON without apiVersion/kind is skipped; JSON Lists are expanded; broken JSON is reported', () => {
    const dir = tempDir({
      'cdk8s.json': JSON.stringify({ app: 'npx ts-node main.ts' }),
      'list.json': JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [fixtures.configMap(), fixtures.serviceAccount()] }),
      'broken.json': '{"apiVersion": ',
    });
    dirs.push(dir);
    expect(loadManifestFile(path.join(dir, 'cdk8s.json'))).toMatchObject({ skipped: true, objects: [], errors: [] });
    expect(loadManifestFile(path.join(dir, 'list.json')).objects.map((o) => o.where)).toEqual(['#items[0]', '#items[1]']);
    expect(loadManifestFile(path.join(dir, 'broken.json')).errors[0]).toMatch(/^invalid JSON/);
  });
});

describe('validate-dist CLI', () => {
  test('valid directory: summary and exit 0', () => {
    const dir = tempDir({
      'serving.k8s.yaml': yamlDocs(fixtures.deployment(), fixtures.service(), fixtures.configMap()),
      'extra/sa.json': JSON.stringify(fixtures.serviceAccount()),
      'cdk8s.json': '{"language": "typescript"}',
    });
    dirs.push(dir);
    const r = runCli(dir);
    expect(r.stdout).toContain('validated 4 objects in 2 files');
    expect(r.status).toBe(0);
  });

  test('problems anywhere: every one listed with file and object, exit 1', () => {
    const dep = fixtures.deployment();
    dep.spec.replicass = 1;
    const svc = fixtures.service();
    svc.spec.ports[0].targetPort = 'web';
    const dir = tempDir({
      'serving.k8s.yaml': yamlDocs(dep, svc),
      'nested/bad.yaml': 'metadata:\n  name: no-kind\n',
    });
    dirs.push(dir);
    const r = runCli(dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('validated 2 objects in 1 files');
    expect(r.stderr).toMatch(/serving\.k8s\.yaml#0 Deployment serving\/llm-predictor: spec\.replicass: unknown field "replicass"/);
    expect(r.stderr).toMatch(/serving\.k8s\.yaml#1 Service serving\/llm-predictor: spec\.ports\[0\]\.targetPort: named port "web"/);
    expect(r.stderr).toMatch(/nested\/bad\.yaml#0: not a Kubernetes object/);
  });

  test('an empty directory fails (nothing was synthesized)', () => {
    const dir = tempDir({ 'cdk8s.json': '{}' });
    dirs.push(dir);
    const r = runCli(dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no Kubernetes objects found');
  });
});
