import { shellQuote } from '../shell';
import type { HealthCheckTarget } from './types';

/** Seconds a check's own network timeout leaves for the interpreter to start, within the probe's timeout. */
const STARTUP_SLACK_SECONDS = 1;

function innerTimeout(target: HealthCheckTarget): number {
  return Math.max(1, target.timeoutSeconds - STARTUP_SLACK_SECONDS);
}

/**
 * A healthcheck that runs `python3 -c` in the server container: an HTTP GET to
 * `http://127.0.0.1:<port><path>` (redirects followed) that fails on a connection error, a
 * timeout or an error status (4xx, 5xx), or a TCP connect for `tcp` targets. For servers built on Python
 * (TorchServe, Triton, vLLM, most custom servers), whose images have no `curl` or `wget`.
 */
export function pythonHealthCheck(target: HealthCheckTarget): string[] {
  const timeout = innerTimeout(target);
  // JSON string literals are Python string literals (the same escapes), so any path is safe.
  const script =
    target.kind === 'http'
      ? `import urllib.request; urllib.request.urlopen(${JSON.stringify(`http://127.0.0.1:${target.port}${target.path}`)}, timeout=${timeout})`
      : `import socket; socket.create_connection(("127.0.0.1", ${target.port}), timeout=${timeout}).close()`;
  return ['CMD', 'python3', '-c', script];
}

/**
 * A healthcheck in bash alone, through its `/dev/tcp` device: for images with bash but no
 * Python, curl or wget (TF Serving's Ubuntu image). For `http` targets it sends an HTTP/1.0
 * GET and passes only on a 2xx status line.
 */
export function bashHealthCheck(target: HealthCheckTarget): string[] {
  const connect = `exec 3<>/dev/tcp/127.0.0.1/${target.port}`;
  if (target.kind === 'tcp') return ['CMD', 'bash', '-c', connect];
  const request = `printf 'GET %s HTTP/1.0\\r\\nHost: 127.0.0.1\\r\\n\\r\\n' ${shellQuote(target.path)} >&3`;
  const status = `read -r -t ${innerTimeout(target)} _ status _ <&3 && [ "$status" -ge 200 ] && [ "$status" -lt 300 ]`;
  return ['CMD', 'bash', '-c', `${connect} && ${request} && ${status}`];
}

/**
 * The default healthcheck: {@link bashHealthCheck} for TF Serving, whose image ships no Python,
 * and {@link pythonHealthCheck} for every other runtime.
 */
export function defaultHealthCheck(target: HealthCheckTarget): string[] {
  return target.runtime === 'tfserving' ? bashHealthCheck(target) : pythonHealthCheck(target);
}
