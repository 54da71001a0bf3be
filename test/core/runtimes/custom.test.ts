import { InferenceClients, ModelArtifact, ModelImage, PortRole, Runtime, type CustomRuntimeOptions, type ModelServiceProps } from '../../../lib/core';
import { CUSTOM_IMAGE, podSpecOf, render, renderValid, serverOf, servicePortsOf } from '../../support/fixtures';

function custom(options: Partial<CustomRuntimeOptions> = {}, props: Partial<ModelServiceProps> = {}) {
  return renderValid({ runtime: Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), ...options }), ...props }, 'scorer');
}

type Ingress = { from?: unknown[]; ports: { port: string }[] }[];
const ingressOf = (r: ReturnType<typeof custom>) => (r.networkPolicy['spec'] as { ingress: Ingress }).ingress;

const PORTS = [
  { name: 'api', port: 9000 },
  { name: 'rpc', port: 9001, role: PortRole.GRPC },
  { name: 'prom', port: 9090, role: PortRole.METRICS },
  { name: 'admin', port: 9999, role: PortRole.ADMIN },
];

describe('defaults', () => {
  test('one HTTP port 8080, /ready for startup and readiness, /healthz for liveness, the image entrypoint', () => {
    const r = custom();
    const server = serverOf(r);
    expect(server.image).toBe(CUSTOM_IMAGE);
    expect(server.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(server.startupProbe!.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(server.readinessProbe!.httpGet).toEqual({ path: '/ready', port: 'http', scheme: 'HTTP' });
    expect(server.livenessProbe!.httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
    expect(server.command).toBeUndefined();
    expect(server.args).toBeUndefined();
    expect(server.env).toBeUndefined();
  });

  test('no metrics: no monitoring rule in the NetworkPolicy, no metrics in the profile', () => {
    const r = custom();
    expect(r.profile.metrics).toBeUndefined();
    expect(ingressOf(r)).toEqual([{ ports: [{ protocol: 'TCP', port: 'http' }] }]);
  });

  test('runs as uid 1000 with /tmp writable; the uid and gid can be declared', () => {
    expect(podSpecOf(custom()).securityContext).toMatchObject({ runAsUser: 1000, runAsGroup: 1000, fsGroup: 1000 });
    const r = custom({ runAsUser: 4242, runAsGroup: 4343, writablePaths: ['/var/cache/scorer', '/tmp'] });
    expect(podSpecOf(r).securityContext).toMatchObject({ runAsUser: 4242, runAsGroup: 4343, fsGroup: 4343 });
    expect(serverOf(r).securityContext).toMatchObject({ runAsUser: 4242, runAsGroup: 4343 });
    expect(serverOf(r).volumeMounts).toEqual([
      { name: 'scratch-var-cache-scorer', mountPath: '/var/cache/scorer' },
      { name: 'scratch-tmp', mountPath: '/tmp' },
    ]);
  });
});

describe('declared ports, paths and command', () => {
  test('every port is declared on the container; the Service and NetworkPolicy leave the admin port out', () => {
    const r = custom({ ports: PORTS, metricsPath: '/stats' });
    expect(serverOf(r).ports!.map((p) => [p.name, p.containerPort])).toEqual([
      ['api', 9000],
      ['rpc', 9001],
      ['prom', 9090],
      ['admin', 9999],
    ]);
    expect(servicePortsOf(r).map((p) => [p.name, p.port, p.appProtocol])).toEqual([
      ['api', 9000, 'http'],
      ['rpc', 9001, 'kubernetes.io/h2c'],
      ['prom', 9090, 'http'],
    ]);
    expect(ingressOf(r).map((rule) => rule.ports.map((p) => p.port))).toEqual([['api', 'rpc'], ['prom']]);
    expect(JSON.stringify(r.networkPolicy)).not.toContain('admin');
    expect(r.profile.metrics).toEqual({ port: 'prom', path: '/stats' });
  });

  test('probes use the declared paths on the HTTP port', () => {
    const server = serverOf(custom({ ports: PORTS, healthPath: '/live', readinessPath: '/v1/ready' }));
    expect(server.startupProbe!.httpGet).toEqual({ path: '/v1/ready', port: 'api', scheme: 'HTTP' });
    expect(server.readinessProbe!.httpGet).toEqual({ path: '/v1/ready', port: 'api', scheme: 'HTTP' });
    expect(server.livenessProbe!.httpGet).toEqual({ path: '/live', port: 'api', scheme: 'HTTP' });
  });

  test('metrics without a metrics port are scraped from the HTTP port, which every client may reach: no rule of their own', () => {
    const r = custom({ metricsPath: '/metrics' });
    expect(r.profile.metrics).toEqual({ port: 'http', path: '/metrics' });
    expect(ingressOf(r)).toEqual([{ ports: [{ protocol: 'TCP', port: 'http' }] }]);
  });

  test('metrics on the HTTP port with restricted clients: the monitoring namespace keeps its own rule', () => {
    const r = custom({ metricsPath: '/metrics' }, { inferenceClients: InferenceClients.namespaces('checkout'), monitoringNamespace: 'observability' });
    expect(ingressOf(r)).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'checkout' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'observability' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
    ]);
  });

  test('metrics on their own port keep their rule, with unrestricted or restricted clients', () => {
    const monitoring = { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 'prom' }] };
    expect(ingressOf(custom({ ports: PORTS, metricsPath: '/stats' }))).toEqual([{ ports: [{ protocol: 'TCP', port: 'api' }, { protocol: 'TCP', port: 'rpc' }] }, monitoring]);
    expect(ingressOf(custom({ ports: PORTS, metricsPath: '/stats' }, { inferenceClients: InferenceClients.namespaces('checkout') }))).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'checkout' } } }], ports: [{ protocol: 'TCP', port: 'api' }, { protocol: 'TCP', port: 'rpc' }] },
      monitoring,
    ]);
  });

  test('command and args replace the entrypoint verbatim', () => {
    const server = serverOf(custom({ command: ['/app/serve'], args: ['--port', '8080', '--workers=2'] }));
    expect(server.command).toEqual(['/app/serve']);
    expect(server.args).toEqual(['--port', '8080', '--workers=2']);
  });

  test('ports must have exactly one HTTP role', () => {
    const twoHttp = { runtime: Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), ports: [{ name: 'a', port: 1 }, { name: 'b', port: 2 }] }) };
    expect(() => render(twoHttp)).toThrow(/runtime\.ports: .*exactly one port with role PortRole\.HTTP \(found 2\)/);
    const noHttp = { runtime: Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), ports: [{ name: 'rpc', port: 9001, role: PortRole.GRPC }] }) };
    expect(() => render(noHttp)).toThrow(/found 0/);
  });
});

describe('model', () => {
  test('without a model there is no MODEL_PATH, no model volume and no init container', () => {
    const r = custom();
    expect(serverOf(r).env).toBeUndefined();
    expect(podSpecOf(r).initContainers).toBeUndefined();
    expect(podSpecOf(r).volumes!.map((v) => v.name)).toEqual(['scratch-tmp']);
  });

  test.each([
    ['a fetched object', ModelArtifact.fromS3('s3://models/scorer/model.onnx'), '/mnt/models/model.onnx'],
    ['a fetched prefix', ModelArtifact.fromGcs('gs://models/scorer/'), '/mnt/models'],
    ['a claim', ModelArtifact.fromPersistentVolumeClaim('models', { path: 'scorer/v3' }), '/mnt/models/scorer/v3'],
    ['a baked-in model', ModelArtifact.inImage('/opt/model'), '/opt/model'],
  ])('MODEL_PATH names %s', (_what, model, path) => {
    expect(serverOf(custom({ model })).env).toEqual([{ name: 'MODEL_PATH', value: path }]);
  });

  test('MODEL_PATH cannot be overridden through env', () => {
    const props = { runtime: Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), model: ModelArtifact.inImage('/opt/model') }), env: { MODEL_PATH: '/elsewhere' } };
    expect(() => render(props)).toThrow(/env\.MODEL_PATH/);
  });
});
