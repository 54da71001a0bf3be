import { Duration, ModelArtifact, Runtime, ValidationError, type ModelServiceProps, type TorchServeOptions } from '../../../lib/core';
import { configFilesOf, HF_REVISION, parseProperties, podSpecOf, render, renderValid, serverOf, servicePortsOf } from '../../support/fixtures';

const MAR = 's3://models/fraud/v7/fraud.mar';

function torchServe(options: Partial<TorchServeOptions> = {}, props: Partial<ModelServiceProps> = {}) {
  return renderValid({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3(MAR), ...options }), ...props });
}

function propertiesOf(rendered: ReturnType<typeof render>): Map<string, string> {
  return parseProperties(configFilesOf(rendered)['config.properties']!);
}

/** TorchServe checks `Pattern.compile(re, CASE_INSENSITIVE).matcher(url).matches()` for each comma-separated entry. */
function allowedUrlMatchers(properties: Map<string, string>): (url: string) => boolean {
  const patterns = properties.get('allowed_urls')!.split(',').map((re) => new RegExp(`^(?:${re})$`, 'i'));
  return (url) => patterns.some((p) => p.test(url));
}

describe('config.properties', () => {
  test('is generated verbatim for the minimal service', () => {
    expect(configFilesOf(torchServe())).toEqual({
      'config.properties': [
        'inference_address=http://0.0.0.0:8080',
        'management_address=http://127.0.0.1:8081',
        'metrics_address=http://0.0.0.0:8082',
        'grpc_inference_address=127.0.0.1',
        'grpc_inference_port=7070',
        'grpc_management_address=127.0.0.1',
        'grpc_management_port=7071',
        'model_store=/mnt/models',
        'workflow_store=/mnt/models',
        'load_models=fraud=fraud.mar',
        'models={"fraud":{"1.0":{"defaultVersion":true,"marName":"fraud.mar","minWorkers":1,"maxWorkers":1,"batchSize":1,"maxBatchDelay":100,"responseTimeout":120}}}',
        'job_queue_size=100',
        'default_workers_per_model=1',
        'number_of_gpu=0',
        'metrics_mode=prometheus',
        'enable_metrics_api=true',
        'enable_model_api=false',
        'disable_token_authorization=true',
        'allowed_urls=file:///mnt/models/.*,^s3://models/fraud/v7/fraud\\.mar$',
        'enable_envvars_config=false',
        'install_py_dep_per_model=false',
        '',
      ].join('\n'),
    });
  });

  test('binds inference and metrics on all interfaces, both management listeners on loopback', () => {
    const p = propertiesOf(torchServe());
    expect(p.get('inference_address')).toBe('http://0.0.0.0:8080');
    expect(p.get('management_address')).toBe('http://127.0.0.1:8081');
    expect(p.get('metrics_address')).toBe('http://0.0.0.0:8082');
    expect(p.get('grpc_management_address')).toBe('127.0.0.1');
    expect(p.get('grpc_management_port')).toBe('7071');
  });

  test('gRPC inference binds loopback unless enabled, then all interfaces; gRPC management stays on loopback', () => {
    expect(propertiesOf(torchServe()).get('grpc_inference_address')).toBe('127.0.0.1');
    const p = propertiesOf(torchServe({ grpc: true }));
    expect(p.get('grpc_inference_address')).toBe('0.0.0.0');
    expect(p.get('grpc_inference_port')).toBe('7070');
    expect(p.get('grpc_management_address')).toBe('127.0.0.1');
  });

  test('models JSON carries workers, batching and timeouts; load_models names the archive', () => {
    const p = propertiesOf(
      torchServe({ modelName: 'scorer', modelVersion: '2.1', workers: 3, batchSize: 8, maxBatchDelay: Duration.millis(50), responseTimeout: Duration.seconds(30), jobQueueSize: 500 }),
    );
    expect(JSON.parse(p.get('models')!)).toEqual({
      scorer: { '2.1': { defaultVersion: true, marName: 'fraud.mar', minWorkers: 3, maxWorkers: 3, batchSize: 8, maxBatchDelay: 50, responseTimeout: 30 } },
    });
    expect(p.get('load_models')).toBe('scorer=fraud.mar');
    expect(p.get('job_queue_size')).toBe('500');
    expect(p.get('default_workers_per_model')).toBe('3');
  });

  test('hardening switches: model API off, token auth off (probes cannot send keys), Prometheus metrics, env overrides off', () => {
    const p = propertiesOf(torchServe());
    expect(p.get('enable_model_api')).toBe('false');
    expect(p.get('disable_token_authorization')).toBe('true');
    expect(p.get('metrics_mode')).toBe('prometheus');
    expect(p.get('enable_metrics_api')).toBe('true');
    expect(p.get('enable_envvars_config')).toBe('false');
    expect(p.get('install_py_dep_per_model')).toBe('false');
    // A key TorchServe does not know; writing it would look like a setting and do nothing.
    expect(p.has('enable_token_authorization')).toBe(false);
  });

  test('allowed_urls admits the archive source and the model store, and nothing else', () => {
    const allowed = allowedUrlMatchers(propertiesOf(torchServe()));
    expect(allowed(MAR)).toBe(true);
    expect(allowed('file:///mnt/models/fraud.mar')).toBe(true);
    for (const url of [
      'https://evil.example.com/fraud.mar',
      's3://models/fraud/v7/fraud.mar.evil',
      's3://models/fraud/v7/fraudXmar',
      's3://other/fraud/v7/fraud.mar',
      'file:///tmp/fraud.mar',
      'file:///mnt/modelsX/fraud.mar',
      'http://169.254.169.254/latest/meta-data/',
    ]) {
      expect([url, allowed(url)]).toEqual([url, false]);
    }
  });

  test('allowed_urls keeps a source with regex and list metacharacters literal (commas split the list)', () => {
    const source = 's3://models/a,b/(v1)+[x]/fraud.mar';
    const r = renderValid({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3(source) }) });
    const allowed = allowedUrlMatchers(propertiesOf(r));
    expect(allowed(source)).toBe(true);
    expect(allowed('s3://models/a')).toBe(false);
    expect(allowed('s3://models/a,b/v1v1x/fraud.mar')).toBe(false);
  });

  test('allowed_urls for a baked-in archive is the image model store only', () => {
    const r = renderValid({ runtime: Runtime.torchServe({ model: ModelArtifact.inImage() }) });
    const p = propertiesOf(r);
    expect(p.get('allowed_urls')).toBe('file:///home/model-server/model-store/.*');
    expect(p.get('model_store')).toBe('/home/model-server/model-store');
    expect(p.get('load_models')).toBe('fraud=fraud.mar');
    expect(allowedUrlMatchers(p)('file:///home/model-server/model-store/fraud.mar')).toBe(true);
    expect(allowedUrlMatchers(p)('s3://models/fraud/v7/fraud.mar')).toBe(false);
  });
});

describe('ports', () => {
  test.each([false, true])('management ports 8081 and 7071 appear in no container, Service or NetworkPolicy port (grpc: %s)', (grpc) => {
    const r = torchServe({ grpc });
    const numbers = [
      ...podSpecOf(r).containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort)),
      ...servicePortsOf(r).map((p) => p.port),
    ];
    expect(numbers).not.toContain(8081);
    expect(numbers).not.toContain(7071);
    expect(JSON.stringify(r.networkPolicy)).not.toMatch(/8081|7071|management/);
  });

  test('the container declares inference and metrics; the Service exposes the same', () => {
    const r = torchServe();
    expect(serverOf(r).ports).toEqual([
      { name: 'http', containerPort: 8080, protocol: 'TCP' },
      { name: 'metrics', containerPort: 8082, protocol: 'TCP' },
    ]);
    expect(servicePortsOf(r)).toEqual([
      { name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP', appProtocol: 'http' },
      { name: 'metrics', port: 8082, targetPort: 'metrics', protocol: 'TCP', appProtocol: 'http' },
    ]);
  });

  test('with grpc, port 7070 is declared and exposed as h2c', () => {
    const r = torchServe({ grpc: true });
    expect(serverOf(r).ports).toContainEqual({ name: 'grpc', containerPort: 7070, protocol: 'TCP' });
    expect(servicePortsOf(r)).toContainEqual({ name: 'grpc', port: 7070, targetPort: 'grpc', protocol: 'TCP', appProtocol: 'kubernetes.io/h2c' });
  });

  test('the NetworkPolicy admits clients to inference and only monitoring to metrics', () => {
    const ingress = (torchServe({ grpc: true }).networkPolicy['spec'] as { ingress: { from?: unknown[]; ports: { port: string }[] }[] }).ingress;
    expect(ingress.map((rule) => rule.ports.map((p) => p.port))).toEqual([['http', 'grpc'], ['metrics']]);
    expect(ingress[1]!.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
  });
});

describe('container', () => {
  test('runs torchserve in the foreground on the generated config, token auth disabled on the command line too', () => {
    const server = serverOf(torchServe());
    expect(server.image).toBe('pytorch/torchserve:0.12.0-cpu');
    expect(server.command).toEqual(['torchserve', '--foreground', '--ts-config', '/etc/modelship/config.properties', '--disable-token-auth', '--ncs']);
    expect(server.command).not.toContain('--enable-model-api');
    expect(server.args).toBeUndefined();
  });

  test('the config is mounted read-only where --ts-config points', () => {
    const r = torchServe();
    expect(serverOf(r).volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/modelship', readOnly: true });
    expect(podSpecOf(r).volumes).toContainEqual({ name: 'config', configMap: { name: 'fraud-config', defaultMode: 0o444 } });
  });

  test('logs and temp files go to writable emptyDirs named in the env', () => {
    const server = serverOf(torchServe());
    expect(server.env).toEqual([
      { name: 'LOG_LOCATION', value: '/home/model-server/logs' },
      { name: 'METRICS_LOCATION', value: '/home/model-server/logs' },
      { name: 'TEMP', value: '/home/model-server/tmp' },
    ]);
    const writable = (server.volumeMounts ?? []).filter((m) => !m.readOnly).map((m) => m.mountPath);
    expect(writable).toEqual(['/tmp', '/home/model-server/logs', '/home/model-server/tmp', '/home/model-server/.cache']);
  });

  test('startup and readiness wait for /ping (workers loaded); liveness only checks the frontend socket', () => {
    const server = serverOf(torchServe());
    expect(server.startupProbe).toMatchObject({ httpGet: { path: '/ping', port: 'http' }, periodSeconds: 10, failureThreshold: 13 });
    expect(server.readinessProbe).toMatchObject({ httpGet: { path: '/ping', port: 'http' } });
    expect(server.livenessProbe).toEqual({ tcpSocket: { port: 'http' }, periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 });
  });

  test('a config change rolls the pods through the config-hash annotation', () => {
    const hash = (batchSize: number) => (torchServe({ batchSize }).deployment['spec'] as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['modelship.dev/config-hash'];
    expect(hash(1)).toMatch(/^[0-9a-f]{16}$/);
    expect(hash(1)).toBe(hash(1));
    expect(hash(4)).not.toBe(hash(1));
  });
});

describe('validation', () => {
  test('an S3 prefix is refused: TorchServe needs a single .mar', () => {
    expect(() => render({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/v7/') }) })).toThrow(/runtime\.model.*\.mar archive/);
  });

  test('a Hugging Face artifact is refused: the TorchServe image cannot fetch it', () => {
    const props: ModelServiceProps = { runtime: Runtime.torchServe({ model: ModelArtifact.fromHuggingFace('org/model', { revision: HF_REVISION }) }) };
    expect(() => render(props)).toThrow(ValidationError);
    expect(() => render(props)).toThrow(/runtime\.model\.fetchImage.*huggingface-cli/);
  });
});
