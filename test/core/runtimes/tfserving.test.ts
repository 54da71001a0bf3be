import { Duration, InferenceClients, ModelArtifact, Runtime, VersionPolicy, type ModelServiceProps, type TensorFlowServingOptions } from '../../../lib/core';
import { configFilesOf, render, renderValid, serverOf, servicePortsOf } from '../../support/fixtures';

const MODEL = 'gs://models/ranker/';

function tfServing(options: Partial<TensorFlowServingOptions> = {}, props: Partial<ModelServiceProps> = {}) {
  return renderValid({ runtime: Runtime.tensorflowServing({ model: ModelArtifact.fromGcs(MODEL), ...options }), ...props }, 'ranker');
}

function modelsConfig(options: Partial<TensorFlowServingOptions>): string {
  return configFilesOf(tfServing(options))['models.config']!;
}

describe('models.config', () => {
  test('without a policy: name, base path of the fetched model, tensorflow platform, TF Serving default policy written out (latest 1)', () => {
    expect(modelsConfig({})).toBe(
      [
        'model_config_list {',
        '  config {',
        "    name: 'ranker'",
        "    base_path: '/mnt/models'",
        "    model_platform: 'tensorflow'",
        '    model_version_policy {',
        '      latest {',
        '        num_versions: 1',
        '      }',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('latest(1) given explicitly renders the same file as no policy', () => {
    expect(modelsConfig({ versionPolicy: VersionPolicy.latest(1) })).toBe(modelsConfig({}));
  });

  test('latest(n)', () => {
    expect(modelsConfig({ versionPolicy: VersionPolicy.latest(2) })).toContain(['    model_version_policy {', '      latest {', '        num_versions: 2', '      }', '    }'].join('\n'));
  });

  test('all() with labels', () => {
    expect(modelsConfig({ modelName: 'scorer', versionPolicy: VersionPolicy.all(), versionLabels: { stable: 7 } })).toBe(
      [
        'model_config_list {',
        '  config {',
        "    name: 'scorer'",
        "    base_path: '/mnt/models'",
        "    model_platform: 'tensorflow'",
        '    model_version_policy {',
        '      all {}',
        '    }',
        '    version_labels {',
        "      key: 'stable'",
        '      value: 7',
        '    }',
        '  }',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('specific([...]) with a label per served version', () => {
    const config = modelsConfig({ versionPolicy: VersionPolicy.specific([42, 43]), versionLabels: { stable: 42, canary: 43 } });
    expect(config).toContain(['    model_version_policy {', '      specific {', '        versions: 42', '        versions: 43', '      }', '    }'].join('\n'));
    expect(config).toContain(['    version_labels {', "      key: 'stable'", '      value: 42', '    }', '    version_labels {', "      key: 'canary'", '      value: 43', '    }'].join('\n'));
  });

  test('a baked-in model uses the image path as base path', () => {
    const r = renderValid({ runtime: Runtime.tensorflowServing({ model: ModelArtifact.inImage('/models/ranker') }) }, 'ranker');
    expect(configFilesOf(r)['models.config']).toContain("    base_path: '/models/ranker'\n");
  });

  test('labels are refused with the latest policy, and must name a served specific version', () => {
    const props = (options: Partial<TensorFlowServingOptions>): ModelServiceProps => ({ runtime: Runtime.tensorflowServing({ model: ModelArtifact.fromGcs(MODEL), ...options }) });
    expect(() => render(props({ versionLabels: { stable: 1 } }))).toThrow(/runtime\.versionLabels\.stable/);
    expect(() => render(props({ versionPolicy: VersionPolicy.specific([1]), versionLabels: { canary: 2 } }))).toThrow(/runtime\.versionLabels\.canary: got 2/);
  });
});

describe('batching.config', () => {
  test('is absent, and batching off, by default', () => {
    const r = tfServing();
    expect(Object.keys(configFilesOf(r)).sort()).toEqual(['models.config', 'monitoring.config']);
    expect(serverOf(r).args!.some((a) => a.includes('batching'))).toBe(false);
  });

  test('defaults: no timeout, one thread per requested CPU, as many queued batches as threads', () => {
    const r = tfServing({ batching: { maxBatchSize: 32 } }, { resources: { cpu: '2500m' } });
    expect(configFilesOf(r)['batching.config']).toBe(
      ['max_batch_size { value: 32 }', 'batch_timeout_micros { value: 0 }', 'max_enqueued_batches { value: 3 }', 'num_batch_threads { value: 3 }', ''].join('\n'),
    );
    expect(serverOf(r).args).toEqual(expect.arrayContaining(['--enable_batching=true', '--batching_parameters_file=/etc/modelship/batching.config']));
  });

  test('every option, timeout in microseconds', () => {
    const r = tfServing({
      batching: { maxBatchSize: 16, batchTimeout: Duration.millis(2), maxEnqueuedBatches: 100, numBatchThreads: 4, allowedBatchSizes: [4, 8, 16], padVariableLengthInputs: true },
    });
    expect(configFilesOf(r)['batching.config']).toBe(
      [
        'max_batch_size { value: 16 }',
        'batch_timeout_micros { value: 2000 }',
        'max_enqueued_batches { value: 100 }',
        'num_batch_threads { value: 4 }',
        'allowed_batch_sizes: 4',
        'allowed_batch_sizes: 8',
        'allowed_batch_sizes: 16',
        'pad_variable_length_inputs: true',
        '',
      ].join('\n'),
    );
  });

  test('allowed batch sizes must end with maxBatchSize', () => {
    expect(() => render({ runtime: Runtime.tensorflowServing({ model: ModelArtifact.fromGcs(MODEL), batching: { maxBatchSize: 16, allowedBatchSizes: [4, 8] } }) })).toThrow(
      /runtime\.batching\.allowedBatchSizes/,
    );
  });
});

describe('monitoring and ports', () => {
  test('monitoring.config enables Prometheus at the default path, served on the REST port', () => {
    const r = tfServing();
    expect(configFilesOf(r)['monitoring.config']).toBe("prometheus_config {\n  enable: true\n  path: '/monitoring/prometheus/metrics'\n}\n");
    expect(r.profile.metrics).toEqual({ port: 'http', path: '/monitoring/prometheus/metrics' });
  });

  test('args point at the mounted config files, REST on 8501, gRPC on 8500, versions read once', () => {
    const server = serverOf(tfServing());
    expect(server.command).toEqual(['tensorflow_model_server']);
    expect(server.args).toEqual([
      '--port=8500',
      '--rest_api_port=8501',
      '--model_config_file=/etc/modelship/models.config',
      '--monitoring_config_file=/etc/modelship/monitoring.config',
      '--file_system_poll_wait_seconds=0',
    ]);
    expect(server.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/modelship', readOnly: true });
  });

  test('metrics are served on the REST port: with unrestricted clients the NetworkPolicy has one ingress rule', () => {
    const ingress = (r: ReturnType<typeof tfServing>) => (r.networkPolicy['spec'] as { ingress: unknown[] }).ingress;
    expect(ingress(tfServing())).toEqual([{ ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'TCP', port: 'grpc' }] }]);
    expect(ingress(tfServing({ grpc: false }))).toEqual([{ ports: [{ protocol: 'TCP', port: 'http' }] }]);
    expect(ingress(tfServing({}, { inferenceClients: InferenceClients.namespaces('search') }))).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'search' } } }], ports: [{ protocol: 'TCP', port: 'http' }, { protocol: 'TCP', port: 'grpc' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
    ]);
  });

  test('REST and gRPC are declared and exposed; gRPC can be left out', () => {
    const r = tfServing();
    expect(serverOf(r).ports).toEqual([
      { name: 'http', containerPort: 8501, protocol: 'TCP' },
      { name: 'grpc', containerPort: 8500, protocol: 'TCP' },
    ]);
    expect(servicePortsOf(r).map((p) => [p.name, p.port, p.appProtocol])).toEqual([
      ['http', 8501, 'http'],
      ['grpc', 8500, 'kubernetes.io/h2c'],
    ]);
    const restOnly = tfServing({ grpc: false });
    expect(servicePortsOf(restOnly).map((p) => p.port)).toEqual([8501]);
    expect(serverOf(restOnly).ports!.map((p) => p.containerPort)).toEqual([8501]);
  });

  test('startup and readiness wait for model metadata (a version AVAILABLE); liveness checks the REST socket', () => {
    const server = serverOf(tfServing({ modelName: 'scorer' }));
    expect(server.startupProbe).toMatchObject({ httpGet: { path: '/v1/models/scorer/metadata', port: 'http' }, periodSeconds: 10, failureThreshold: 13 });
    expect(server.readinessProbe).toMatchObject({ httpGet: { path: '/v1/models/scorer/metadata', port: 'http' } });
    expect(server.livenessProbe).toMatchObject({ tcpSocket: { port: 'http' } });
    expect(server.livenessProbe!.httpGet).toBeUndefined();
  });

  test('the CPU image by default, no env, /tmp writable', () => {
    const server = serverOf(tfServing());
    expect(server.image).toBe('tensorflow/serving:2.18.0');
    expect(server.env).toBeUndefined();
    expect(server.volumeMounts!.filter((m) => !m.readOnly).map((m) => m.mountPath)).toEqual(['/tmp']);
  });
});
