/**
 * The healthcheck commands run for real against a local HTTP server: they must pass on a 2xx,
 * and fail on an error status, a server that never answers and a closed port, for any path.
 * Skipped only where python3 or bash is missing on the test machine.
 */
import { execFile, spawnSync } from 'child_process';
import * as http from 'http';
import type { AddressInfo } from 'net';
import { bashHealthCheck, defaultHealthCheck, pythonHealthCheck, type HealthCheckTarget } from '../../../lib/core/compose';

const has = (tool: string) => spawnSync(tool, ['-c', tool === 'bash' ? 'exit 0' : 'pass'], { stdio: 'ignore' }).status === 0;
const TOOLS = { python3: has('python3'), bash: has('bash') };

/** Paths the server answers 200 on (matched against the raw request path). */
const OK_PATHS = ['/ready', "/v1/models/o'brien/metadata", '/v2/health/ready?x=$HOME'];

let server: http.Server;
let port: number;
/** A port nothing listens on. */
let closedPort: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/slow') return; // never answers
    res.statusCode = OK_PATHS.map((p) => encodeURI(p)).includes(req.url!) || OK_PATHS.includes(req.url!) ? 200 : 503;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  const probe = http.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Runs a `["CMD", ...]` test as Docker would (exec form, no shell) and resolves to its exit code. */
function run(test: readonly string[]): Promise<number> {
  expect(test[0]).toBe('CMD');
  return new Promise((resolve) => {
    execFile(test[1]!, test.slice(2), { timeout: 10000 }, (error) => resolve(error ? (typeof error.code === 'number' ? error.code : 1) : 0));
  });
}

const http2 = (path: string, p = port): HealthCheckTarget => ({ kind: 'http', service: 'svc', runtime: 'custom', port: p, path, timeoutSeconds: 2 });
const tcp = (p = port): HealthCheckTarget => ({ kind: 'tcp', service: 'svc', runtime: 'custom', port: p, timeoutSeconds: 2 });

/** The tests every healthcheck flavour must pass. */
function behaves(check: (target: HealthCheckTarget) => string[]): void {
  it.each(OK_PATHS)('passes on 200 for %s', async (path) => {
    expect(await run(check(http2(path)))).toBe(0);
  });

  it('fails on 503, on a server that never answers and on a closed port', async () => {
    expect(await run(check(http2('/missing')))).not.toBe(0);
    const started = Date.now();
    expect(await run(check(http2('/slow')))).not.toBe(0);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await run(check(http2('/ready', closedPort)))).not.toBe(0);
  });

  it('checks a TCP target by connecting', async () => {
    expect(await run(check(tcp()))).toBe(0);
    expect(await run(check(tcp(closedPort)))).not.toBe(0);
  });
}

(TOOLS.python3 ? describe : describe.skip)('the python3 healthcheck', () => behaves(pythonHealthCheck));
(TOOLS.bash ? describe : describe.skip)('the bash healthcheck', () => behaves(bashHealthCheck));

describe('the default healthcheck', () => {
  it('uses bash for TF Serving, whose image has no Python, and Python otherwise', () => {
    const target: HealthCheckTarget = { kind: 'http', service: 'ranker', runtime: 'tfserving', port: 8501, path: '/v1/models/ranker/metadata', timeoutSeconds: 5 };
    expect(defaultHealthCheck(target)).toEqual(bashHealthCheck(target));
    expect(defaultHealthCheck(target).slice(0, 3)).toEqual(['CMD', 'bash', '-c']);
    for (const runtime of ['torchserve', 'triton', 'vllm', 'custom']) {
      expect(defaultHealthCheck({ ...target, runtime })).toEqual(['CMD', 'python3', '-c', 'import urllib.request; urllib.request.urlopen("http://127.0.0.1:8501/v1/models/ranker/metadata", timeout=4)']);
    }
  });

  it('leaves the interpreter a second of the probe timeout, and at least one second to connect', () => {
    expect(pythonHealthCheck(tcp(80))).toEqual(['CMD', 'python3', '-c', 'import socket; socket.create_connection(("127.0.0.1", 80), timeout=1).close()']);
    expect(pythonHealthCheck({ ...tcp(80), timeoutSeconds: 10 })[3]).toContain('timeout=9)');
    expect(bashHealthCheck({ ...http2('/x', 80), timeoutSeconds: 7 })[3]).toContain('read -r -t 6 ');
  });
});
