/**
 * Proves the e2e infrastructure on hand-written contexts: build with buildah (chroot isolation,
 * --pull=never, layer cache), inspect the image config and files, run read-only as a non-root
 * user with podman on the host network, and talk HTTP to it. The library's generated contexts
 * are built and run the same way by the runtime e2e tests.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import {
  RunningContainer,
  buildContext,
  execInContainer,
  httpRequest,
  inspectConfig,
  listFiles,
  removeAllContainers,
  removeImages,
  runContainer,
  runToCompletion,
  stopContainer,
  waitForHttp,
  writeContextFiles,
} from './support/containers';
import { STAND_IN_BASES, fromReferences, removeStandIns, tagStandIn } from './support/stand-ins';

const FIXTURE = path.join(__dirname, 'fixtures', 'python-server');
const IMAGE = 'localhost/modelship-e2e/fixture-python-server:test';

afterAll(async () => {
  await removeAllContainers();
});

describe('hand-written Python model server (fixtures/python-server)', () => {
  let imageId: string;

  beforeAll(async () => {
    const build = await buildContext(FIXTURE, IMAGE);
    imageId = build.imageId;
  });

  afterAll(async () => {
    await removeImages(IMAGE);
  });

  test('builds with the layer cache: an unchanged context rebuilds to the same image', async () => {
    const again = await buildContext(FIXTURE, IMAGE);
    expect(again.imageId).toBe(imageId);
    expect(again.log).toMatch(/Using cache/);
  });

  test('image config: non-root numeric USER, exposed port, exec-form entrypoint, env, labels', async () => {
    const config = await inspectConfig(IMAGE);
    expect(config.user).toBe('1000:1000');
    expect(config.exposedPorts).toEqual(['8080/tcp']);
    expect(config.entrypoint).toEqual(['python3', '/app/server.py']);
    expect(config.workingDir).toBe('/app');
    expect(config.env).toMatchObject({ MODEL_DIR: '/models/tiny', PORT: '8080', PYTHONDONTWRITEBYTECODE: '1' });
    expect(config.labels['org.opencontainers.image.title']).toBe('modelship-e2e-python-server');
  });

  test('layers: the weights are copied before the code', async () => {
    const { history } = await inspectConfig(IMAGE);
    const weights = history.findIndex((h) => /COPY .*\/models\/tiny/.test(h));
    const code = history.findIndex((h) => /COPY .*\/app\/server\.py/.test(h));
    expect(weights).toBeGreaterThanOrEqual(0);
    expect(code).toBeGreaterThan(weights);
  });

  test('files: weights and code in place, root-owned, not writable by the server user', async () => {
    const files = await listFiles(IMAGE, ['/models/tiny', '/models/tiny/model.json', '/app/server.py', '/app/__pycache__']);
    expect(files['/models/tiny']).toMatchObject({ type: 'directory', entries: ['model.json'] });
    expect(files['/models/tiny/model.json']).toMatchObject({ type: 'file', uid: 0, gid: 0, mode: 0o644 });
    expect(files['/app/server.py']).toMatchObject({ type: 'file', uid: 0, gid: 0, mode: 0o644 });
    expect(files['/app/__pycache__']).toBeUndefined();
  });

  test('runs as the image USER by default', async () => {
    const r = await runToCompletion(IMAGE, { entrypoint: ['id'], command: ['-u'] });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('1000');
  });

  describe('running read-only as uid 1000 on the host network', () => {
    const port = 8080;
    const base = `http://127.0.0.1:${port}`;
    let server: RunningContainer;

    beforeAll(async () => {
      server = await runContainer(IMAGE, { ports: [port], readOnly: true, user: '1000:1000', env: { LOAD_DELAY_SECONDS: '1' } });
      await waitForHttp(`${base}/healthz`, 30_000, { container: server });
    });

    afterAll(async () => {
      await stopContainer(server);
    });

    test('liveness answers, readiness turns 200 once the model is loaded', async () => {
      expect((await httpRequest(`${base}/healthz`)).status).toBe(200);
      const ready = await waitForHttp(`${base}/ready`, 30_000, { container: server });
      expect(JSON.parse(ready.body)).toEqual({ status: 'ready', model: 'tiny-linear', version: '1' });
    });

    test('a prediction succeeds; bad input is a 400', async () => {
      await waitForHttp(`${base}/ready`, 30_000, { container: server });
      const ok = await httpRequest(`${base}/predict`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ instances: [[1, 1, 1], [2, 0, 0]] }),
      });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toEqual({ predictions: [1.75, 1.25], model_version: '1' });
      const bad = await httpRequest(`${base}/predict`, { method: 'POST', body: JSON.stringify({ instances: [[1]] }) });
      expect(bad.status).toBe(400);
    });

    test('metrics are Prometheus text and count predictions', async () => {
      await waitForHttp(`${base}/ready`, 30_000, { container: server });
      const count = async () => {
        const res = await httpRequest(`${base}/metrics`);
        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/plain/);
        expect(res.body).toMatch(/^model_ready 1$/m);
        return Number(/^model_predictions_total (\d+)$/m.exec(res.body)?.[1]);
      };
      const before = await count();
      await httpRequest(`${base}/predict`, { method: 'POST', body: JSON.stringify({ instances: [[0, 0, 0]] }) });
      expect(await count()).toBe(before + 1);
    });

    test('the root filesystem is read-only; /tmp (tmpfs) is writable; the process is uid 1000', async () => {
      const root = await execInContainer(server, ['sh', '-c', 'touch /app/x']);
      expect(root.code).not.toBe(0);
      expect(root.output).toMatch(/Read-only file system/);
      const tmp = await execInContainer(server, ['sh', '-c', 'ls /tmp && touch /tmp/x']);
      expect(tmp.code).toBe(0);
      expect(tmp.stdout).toMatch(/^model-.*\.loaded$/m);
      expect((await execInContainer(server, ['id', '-u'])).stdout.trim()).toBe('1000');
    });
  });
});

describe('stand-in bases (NOT the official images: the local Python base tagged under their references)', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelship-e2e-standin-'));
  });

  afterAll(async () => {
    await removeStandIns();
    await removeImages('localhost/modelship-e2e/standin-probe:test');
    await fs.rm(dir, { recursive: true, force: true });
  });

  test.each(STAND_IN_BASES.map((s) => [s.runtime, s.reference]))('%s stand-in for %s builds with --pull=never', async (_runtime, reference) => {
    const dockerfile = `FROM ${reference}\nCOPY --chown=1000:1000 marker /opt/marker\nUSER 1000:1000\nEXPOSE 9000\n`;
    expect(fromReferences(dockerfile)).toEqual([reference]);
    await tagStandIn(reference);
    const ctx = path.join(dir, reference.replace(/[^A-Za-z0-9]+/g, '-'));
    await writeContextFiles([{ path: 'Dockerfile', data: dockerfile }, { path: 'marker', data: reference }], ctx);
    await buildContext(ctx, 'localhost/modelship-e2e/standin-probe:test');
    const config = await inspectConfig('localhost/modelship-e2e/standin-probe:test');
    expect(config.user).toBe('1000:1000');
    expect(config.exposedPorts).toEqual(['9000/tcp']);
    const files = await listFiles('localhost/modelship-e2e/standin-probe:test', ['/opt/marker', '/usr/bin/python3']);
    expect(files['/opt/marker']).toMatchObject({ type: 'file', uid: 1000, gid: 1000 });
    expect(files['/usr/bin/python3']).toBeDefined();
  });

  test('FROM parsing: stages, scratch, --platform and global ARG defaults', () => {
    const dockerfile = [
      'ARG BASE=pytorch/torchserve:0.12.0-cpu',
      'FROM --platform=linux/amd64 ${BASE} AS build',
      'RUN true',
      'FROM scratch AS empty',
      'FROM build',
      'COPY --from=empty / /',
    ].join('\n');
    expect(fromReferences(dockerfile)).toEqual(['pytorch/torchserve:0.12.0-cpu']);
  });
});
