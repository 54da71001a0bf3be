/**
 * The custom runtime end to end, on a library-generated image: examples/models/churn (a real
 * Python model server) is rendered with renderModelService, its build context written and built
 * with buildah, and the image run with podman exactly as the rendered Deployment says: the pod's
 * user, a read-only root with tmpfs only at the emptyDir mount paths, no capabilities, the
 * container's command, args and env. The probes and the metrics endpoint are then called on the
 * paths and ports the manifest names, as the kubelet and Prometheus would.
 *
 * The base image (python:3.11.11-slim-bookworm) cannot be pulled here: the suite's local
 * Debian python3 base is tagged under that exact reference as a STAND-IN, so the server runs
 * with Debian's /usr/bin/python3.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PortRole, RenderedModelService } from '../../lib/core';
import {
  BuildResult,
  PYTHON_BASE,
  RunningContainer,
  buildContext,
  containerLogs,
  execInContainer,
  httpRequest,
  inspectConfig,
  listFiles,
  removeAllContainers,
  removeImages,
  runCommand,
  runContainer,
  stopContainer,
  waitForHttp,
  writeContextFiles,
} from './support/containers';
import {
  CHURN_BASE_IMAGE,
  EXAMPLE_MODELS,
  ProbeSpec,
  ServerContainer,
  exposedPorts,
  plainEnv,
  podSpec,
  podUser,
  renderExample,
  resolvePort,
  serverContainer,
  writableMounts,
} from './support/example-models';
import { buildSteps, stepOf } from './support/layers';
import { tagStandInsFor } from './support/stand-ins';

const HIGH_RISK = { tenure_months: 2, monthly_charges: 99.5, support_tickets_90d: 4, late_payments_12m: 2, annual_contract: false, autopay: false };
const LOW_RISK = { tenure_months: 60, monthly_charges: 45, support_tickets_90d: 0, late_payments_12m: 0, annual_contract: true, autopay: 1 };

let rendered: RenderedModelService;
let container: ServerContainer;
let reference: string;
let contextDir: string;
let build: BuildResult;
let standIns: string[] = [];

beforeAll(async () => {
  rendered = renderExample('churn');
  container = serverContainer(rendered);
  reference = rendered.imageBuild!.reference;
  contextDir = await fs.mkdtemp(path.join(os.tmpdir(), 'modelship-e2e-churn-'));
  await writeContextFiles(rendered.imageBuild!.files, contextDir);
  standIns = await tagStandInsFor(rendered.imageBuild!.dockerfile, PYTHON_BASE);
  build = await buildContext(contextDir, reference);
});

afterAll(async () => {
  await removeAllContainers();
  // The image stays (with its layers, the next run's cache); only the stand-in name goes.
  await removeImages(...standIns);
  if (contextDir) await fs.rm(contextDir, { recursive: true, force: true });
});

describe('custom runtime: churn server image built from examples/models/churn (python stand-in base)', () => {
  test('the context builds FROM the pinned python reference, stood in for by the local Debian python3 base', () => {
    expect(standIns).toEqual([CHURN_BASE_IMAGE]);
    expect(rendered.imageBuild!.dockerfile).toMatch(new RegExp(`^FROM ${CHURN_BASE_IMAGE.replace(/\./g, '\\.')}$`, 'm'));
    expect(build.imageId).toMatch(/^[0-9a-f]{64}$/);
  });

  test('the Deployment runs the image built from the context, tagged with its content hash', () => {
    expect(container.image).toBe(reference);
    expect(reference).toBe(`registry.example.com/ml/churn:${rendered.imageBuild!.tag}`);
    expect(rendered.imageBuild!.contentHash.startsWith(rendered.imageBuild!.tag)).toBe(true);
  });

  test('image config matches the container: USER uid:gid, ports, ENTRYPOINT/CMD, env, OCI labels', async () => {
    const config = await inspectConfig(reference);
    expect(config.user).toBe(podUser(rendered));
    expect(config.user).toBe('1000:1000');
    expect(config.exposedPorts).toEqual(exposedPorts(container));
    expect(config.exposedPorts).toEqual(['8080/tcp', '9090/tcp']);
    expect(config.entrypoint).toEqual(container.command);
    expect(config.cmd).toEqual(container.args);
    expect(config.env).toMatchObject(plainEnv(container));
    expect(config.labels).toMatchObject({
      'org.opencontainers.image.title': 'churn',
      'org.opencontainers.image.description': expect.stringContaining('custom server'),
      'org.opencontainers.image.base.name': CHURN_BASE_IMAGE,
    });
  });

  test('files: the model directory in /models (training/ excluded), root-owned and not writable by the server', async () => {
    const files = await listFiles(reference, ['/models', '/models/server.py', '/models/weights/model.json', '/models/weights/model.safetensors', '/models/training', '/models/Dockerfile']);
    expect(files['/models']).toMatchObject({ type: 'directory', entries: ['server.py', 'weights'] });
    for (const p of ['/models/server.py', '/models/weights/model.json', '/models/weights/model.safetensors']) {
      expect(files[p]).toMatchObject({ type: 'file', uid: 0, gid: 0, mode: 0o644 });
    }
    expect(files['/models/weights/model.safetensors']!.size).toBe((await fs.stat(path.join(EXAMPLE_MODELS, 'churn', 'weights', 'model.safetensors'))).size);
    expect(files['/models/training']).toBeUndefined();
    expect(files['/models/Dockerfile']).toBeUndefined();
  });

  test('layers: the weights are copied in a layer of their own, before the code', async () => {
    const steps = await buildSteps(reference, PYTHON_BASE);
    const weights = stepOf(steps, '/models/weights/model.safetensors');
    const code = stepOf(steps, '/models/server.py');
    expect(weights).toBeGreaterThanOrEqual(0);
    expect(code).toBeGreaterThan(weights);
    expect(stepOf(steps, '/models/weights/model.json')).toBe(code);
    expect(steps[weights]!.added.filter((p) => !['/models', '/models/weights'].includes(p))).toEqual(['/models/weights/model.safetensors']);
    expect(steps[weights]!.createdBy).toMatch(/COPY .* in \/models\/\s*$/);
    expect(steps[code]!.createdBy).toMatch(/COPY .* in \/models\/\s*$/);
  });
});

/** The URL a kubelet httpGet probe would call, on the host network. */
function probeUrl(probe: ProbeSpec | undefined, what: string): string {
  if (!probe?.httpGet) throw new Error(`the ${what} probe is not an httpGet probe: ${JSON.stringify(probe)}`);
  expect(probe.httpGet.scheme ?? 'HTTP').toBe('HTTP');
  return `http://127.0.0.1:${resolvePort(container, probe.httpGet.port)}${probe.httpGet.path}`;
}

describe('custom runtime: the churn image run as the Deployment says (python stand-in base, read-only root)', () => {
  let server: RunningContainer;
  let httpPort: number;

  beforeAll(async () => {
    const tmpfs = writableMounts(rendered);
    httpPort = resolvePort(container, rendered.profile.ports.find((p) => p.role === PortRole.HTTP)!.name);
    server = await runContainer(reference, {
      ports: container.ports.map((p) => p.containerPort),
      user: podUser(rendered),
      readOnly: true,
      tmpfs,
      env: plainEnv(container),
      ...(container.command ? { entrypoint: container.command } : {}),
      ...(container.args ? { command: container.args } : {}),
      extraArgs: ['--cap-drop=ALL', '--security-opt=no-new-privileges'],
    });
  });

  afterAll(async () => {
    if (server) await stopContainer(server, 2);
  });

  test('the manifest asks for what the podman flags give: non-root, read-only root, tmpfs only at the emptyDirs, no capabilities', () => {
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(podSpec(rendered).securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000 });
    expect(writableMounts(rendered)).toEqual(['/tmp']);
    expect(plainEnv(container)).toEqual({ MODEL_PATH: '/models' });
  });

  test('the startup probe answers 200 within the startup budget of the manifest', async () => {
    const probe = container.startupProbe as ProbeSpec & { periodSeconds?: number; failureThreshold?: number };
    const budgetMs = (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3) * 1000;
    const res = await waitForHttp(probeUrl(probe, 'startup'), Math.min(budgetMs, 60_000), { container: server, accept: (s) => s === 200 });
    expect(res.status).toBe(200);
  });

  test('the readiness and liveness probes answer 200 on the manifest paths and ports', async () => {
    const ready = await httpRequest(probeUrl(container.readinessProbe, 'readiness'));
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', model: 'churn-logreg' });
    const live = await httpRequest(probeUrl(container.livenessProbe, 'liveness'));
    expect(live.status).toBe(200);
    expect(container.livenessProbe!.httpGet!.path).toBe('/healthz');
    expect(container.readinessProbe!.httpGet!.path).toBe('/ready');
  });

  test('a prediction succeeds on the HTTP port; bad input is a 400', async () => {
    const ok = await httpRequest(`http://127.0.0.1:${httpPort}/predict`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ instances: [HIGH_RISK, LOW_RISK] }),
    });
    expect(ok.status).toBe(200);
    const body = JSON.parse(ok.body) as { predictions: { churn_probability: number; churn: boolean }[]; model: string; model_version: string };
    expect(body).toMatchObject({ model: 'churn-logreg', model_version: '1' });
    expect(body.predictions).toHaveLength(2);
    const [high, low] = body.predictions;
    expect(high).toMatchObject({ churn: true });
    expect(low).toMatchObject({ churn: false });
    expect(high!.churn_probability).toBeGreaterThan(0.5);
    expect(low!.churn_probability).toBeLessThan(0.5);
    for (const bad of ['not json', JSON.stringify({ instances: [{ tenure_months: 'x' }] }), JSON.stringify({ instances: [{ ...LOW_RISK, surprise: 1 }] }), JSON.stringify({})]) {
      const res = await httpRequest(`http://127.0.0.1:${httpPort}/predict`, { method: 'POST', body: bad });
      expect(res.status).toBe(400);
      expect(JSON.parse(res.body)).toHaveProperty('error');
    }
  });

  test('the metrics endpoint of profile.metrics answers Prometheus text with a request counter and the in-flight gauge', async () => {
    const metrics = rendered.profile.metrics!;
    expect(metrics).toEqual({ port: 'metrics', path: '/metrics' });
    const url = `http://127.0.0.1:${resolvePort(container, metrics.port)}${metrics.path}`;
    const scrape = async () => {
      const res = await httpRequest(url);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      // Exposition format: comments, or `name{labels} value`.
      for (const line of res.body.trimEnd().split('\n')) {
        expect(line).toMatch(/^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="[^"]*"(,[a-zA-Z_][a-zA-Z0-9_]*="[^"]*")*\})? -?[0-9.e+-]+|[a-zA-Z_:][a-zA-Z0-9_:]*\{le="\+Inf"\} [0-9]+)$/);
      }
      return res.body;
    };
    const before = await scrape();
    expect(before).toMatch(/^# TYPE churn_requests_total counter$/m);
    expect(before).toMatch(/^# TYPE churn_requests_in_flight gauge$/m);
    // The metric the manifest's scaling signal names is exported.
    const signal = rendered.profile.scalingSignal!.metric;
    expect(before).toMatch(new RegExp(`^${signal} \\d+$`, 'm'));
    expect(before).toMatch(/^churn_model_ready 1$/m);
    const count = (text: string) => Number(/^churn_requests_total\{handler="\/predict",method="POST",code="200"\} (\d+)$/m.exec(text)?.[1] ?? 0);
    await httpRequest(`http://127.0.0.1:${httpPort}/predict`, { method: 'POST', body: JSON.stringify({ instances: [LOW_RISK] }) });
    expect(count(await scrape())).toBe(count(before) + 1);
  });

  test("runs as the pod's uid with Debian's /usr/bin/python3 and writes nothing, not even to /tmp", async () => {
    expect((await execInContainer(server, ['id', '-u'])).stdout.trim()).toBe(String(podSpec(rendered).securityContext!.runAsUser));
    expect((await execInContainer(server, ['sh', '-c', 'command -v python3'])).stdout.trim()).toBe('/usr/bin/python3');
    const write = await execInContainer(server, ['sh', '-c', 'touch /models/x']);
    expect(write.code).not.toBe(0);
    expect(write.output).toMatch(/Read-only file system|Permission denied/);
    expect((await execInContainer(server, ['ls', '-A', '/tmp'])).stdout.trim()).toBe('');
    expect(await containerLogs(server)).toMatch(/"msg": "model loaded"/);
  });

  test('SIGTERM stops it at once, with exit code 0', async () => {
    const started = Date.now();
    await runCommand('podman', ['stop', '--time', '10', server.name], { timeoutMs: 30_000 });
    const took = Date.now() - started;
    const exit = await runCommand('podman', ['inspect', '--format', '{{.State.ExitCode}}', server.name], { timeoutMs: 30_000 });
    expect(exit.stdout.trim()).toBe('0');
    expect(took).toBeLessThan(5000);
    expect(await containerLogs(server)).toMatch(/"msg": "stopping", "signal": "SIGTERM"/);
  });
});

describe('custom runtime: the churn image without its weights (python stand-in base)', () => {
  test('stays alive but never ready: liveness 200, readiness 503', async () => {
    const server = await runContainer(reference, {
      ports: container.ports.map((p) => p.containerPort),
      user: podUser(rendered),
      readOnly: true,
      tmpfs: writableMounts(rendered),
      env: plainEnv(container),
      entrypoint: container.command!,
      command: [...container.args!, '--model-dir=/nonexistent'],
    });
    try {
      await waitForHttp(probeUrl(container.livenessProbe, 'liveness'), 30_000, { container: server, accept: (s) => s === 200 });
      await new Promise((r) => setTimeout(r, 500));
      const ready = await httpRequest(probeUrl(container.readinessProbe, 'readiness'));
      expect(ready.status).toBe(503);
      expect(JSON.parse(ready.body)).toMatchObject({ status: 'failed' });
    } finally {
      await stopContainer(server, 2);
    }
  });
});
