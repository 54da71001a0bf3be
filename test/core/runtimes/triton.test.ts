import { Accelerator, ModelArtifact, Runtime, type ModelServiceProps, type TritonOptions } from '../../../lib/core';
import { render, renderValid, serverOf, servicePortsOf } from '../../support/fixtures';

function triton(options: Partial<TritonOptions> = {}, props: Partial<ModelServiceProps> = {}) {
  return renderValid({ runtime: Runtime.triton({ model: ModelArtifact.fromS3('s3://models/repository/'), ...options }), ...props }, 'detector');
}

describe('args', () => {
  test('load the fetched repository once, ready only when every model is, metrics on 8002', () => {
    const server = serverOf(triton());
    expect(server.image).toBe('nvcr.io/nvidia/tritonserver:24.10-py3');
    expect(server.command).toEqual(['tritonserver']);
    expect(server.args).toEqual([
      '--model-repository=/mnt/models',
      '--model-control-mode=none',
      '--strict-readiness=true',
      '--exit-on-error=true',
      '--http-port=8000',
      '--grpc-port=8001',
      '--allow-grpc=true',
      '--metrics-port=8002',
      '--allow-metrics=true',
      '--allow-gpu-metrics=false',
    ]);
  });

  test('GPU metrics follow the accelerator; gRPC can be switched off', () => {
    expect(serverOf(triton({}, { accelerator: Accelerator.nvidiaGpu() })).args).toContain('--allow-gpu-metrics=true');
    expect(serverOf(triton({ grpc: false })).args).toContain('--allow-grpc=false');
  });

  test('a repository on a claim is served from its path inside the read-only mount', () => {
    const r = renderValid({ runtime: Runtime.triton({ model: ModelArtifact.fromPersistentVolumeClaim('model-repo', { path: 'triton/repo' }) }) }, 'detector');
    expect(serverOf(r).args).toContain('--model-repository=/mnt/models/triton/repo');
  });

  test('a single model file is refused: Triton needs a repository directory', () => {
    expect(() => render({ runtime: Runtime.triton({ model: ModelArtifact.fromS3('s3://models/detector/model.onnx') }) })).toThrow(/runtime\.model.*model repository directory/);
  });
});

describe('ports and probes', () => {
  test('HTTP 8000, gRPC 8001 and metrics 8002 are declared and exposed', () => {
    const r = triton();
    expect(serverOf(r).ports).toEqual([
      { name: 'http', containerPort: 8000, protocol: 'TCP' },
      { name: 'grpc', containerPort: 8001, protocol: 'TCP' },
      { name: 'metrics', containerPort: 8002, protocol: 'TCP' },
    ]);
    expect(servicePortsOf(r).map((p) => [p.name, p.port, p.targetPort, p.appProtocol])).toEqual([
      ['http', 8000, 'http', 'http'],
      ['grpc', 8001, 'grpc', 'kubernetes.io/h2c'],
      ['metrics', 8002, 'metrics', 'http'],
    ]);
    expect(r.profile.metrics).toEqual({ port: 'metrics', path: '/metrics' });
  });

  test('without gRPC, port 8001 is neither declared nor exposed nor admitted', () => {
    const r = triton({ grpc: false });
    expect(serverOf(r).ports!.map((p) => p.containerPort)).toEqual([8000, 8002]);
    expect(servicePortsOf(r).map((p) => p.port)).toEqual([8000, 8002]);
    expect(JSON.stringify(r.networkPolicy)).not.toContain('grpc');
  });

  test('startup and readiness use /v2/health/ready, liveness /v2/health/live; startup covers the 3-minute default load', () => {
    const server = serverOf(triton());
    expect(server.startupProbe).toMatchObject({ httpGet: { path: '/v2/health/ready', port: 'http' }, periodSeconds: 10, failureThreshold: 19 });
    expect(server.readinessProbe).toMatchObject({ httpGet: { path: '/v2/health/ready', port: 'http' }, periodSeconds: 5 });
    expect(server.livenessProbe).toMatchObject({ httpGet: { path: '/v2/health/live', port: 'http' } });
  });

  test('no ConfigMap, no env, only /tmp writable', () => {
    const r = triton();
    expect(r.configMap).toBeUndefined();
    expect(r.objects.map((o) => o.kind)).not.toContain('ConfigMap');
    expect(serverOf(r).env).toBeUndefined();
    expect(serverOf(r).volumeMounts!.filter((m) => !m.readOnly).map((m) => m.mountPath)).toEqual(['/tmp']);
  });
});
