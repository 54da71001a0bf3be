import { Accelerator, InferenceClients, ModelArtifact, ModelImage, Runtime, type ModelServiceProps, type VllmOptions } from '../../../lib/core';
import { fetcherOf, HF_REVISION, podSpecOf, render, renderValid, scriptLines, serverOf, servicePortsOf } from '../../support/fixtures';
import { expectProblems } from '../../support/problems';

const REPO = 'meta-llama/Llama-3.1-8B-Instruct';

function vllm(options: Partial<VllmOptions> = {}, props: Partial<ModelServiceProps> = {}) {
  return renderValid(
    {
      runtime: Runtime.vllm({ model: ModelArtifact.fromHuggingFace(REPO, { revision: HF_REVISION }), ...options }),
      accelerator: Accelerator.nvidiaGpu({ count: 2 }),
      resources: { cpu: '8', memory: '64Gi' },
      ...props,
    },
    'chat',
  );
}

describe('args and env', () => {
  test('serve the fetched weights on 8000, sharded over every GPU the pod holds', () => {
    const server = serverOf(vllm());
    expect(server.image).toBe('vllm/vllm-openai:v0.6.6');
    expect(server.command).toEqual(['python3', '-m', 'vllm.entrypoints.openai.api_server']);
    expect(server.args).toEqual(['--host=0.0.0.0', '--port=8000', '--model=/mnt/models', '--served-model-name=chat', '--tensor-parallel-size=2', '--gpu-memory-utilization=0.9']);
  });

  test.each([1, 4, 8])('tensor parallel size follows %i GPUs', (count) => {
    expect(serverOf(vllm({}, { accelerator: Accelerator.nvidiaGpu({ count }) })).args).toContain(`--tensor-parallel-size=${count}`);
  });

  test('a tensor parallel size other than the GPU count is refused', () => {
    const props: ModelServiceProps = { runtime: Runtime.vllm({ model: ModelArtifact.inImage(), tensorParallelSize: 4 }), accelerator: Accelerator.nvidiaGpu({ count: 2 }) };
    expect(() => render(props)).toThrow(/runtime\.tensorParallelSize: got 4; expected the accelerator's GPU count \(2\)/);
  });

  test('optional engine settings reach the args', () => {
    const args = serverOf(vllm({ servedModelName: 'llama-3.1-8b', maxModelLen: 8192, gpuMemoryUtilization: 0.85 })).args!;
    expect(args).toEqual(expect.arrayContaining(['--served-model-name=llama-3.1-8b', '--max-model-len=8192', '--gpu-memory-utilization=0.85']));
    expect(serverOf(vllm()).args!.some((a) => a.startsWith('--max-model-len'))).toBe(false);
  });

  test('the server is offline: no hub downloads, no usage stats, caches under the writable /tmp', () => {
    expect(serverOf(vllm()).env).toEqual([
      { name: 'HOME', value: '/tmp' },
      { name: 'HF_HOME', value: '/tmp/hf' },
      { name: 'HF_HUB_OFFLINE', value: '1' },
      { name: 'XDG_CACHE_HOME', value: '/tmp/cache' },
      { name: 'VLLM_NO_USAGE_STATS', value: '1' },
      { name: 'DO_NOT_TRACK', value: '1' },
    ]);
  });

  test('a baked-in model sits at /models/<name>', () => {
    const r = renderValid({ runtime: Runtime.vllm({ model: ModelArtifact.inImage() }), accelerator: Accelerator.nvidiaGpu(), resources: { memory: '16Gi' } }, 'chat');
    expect(serverOf(r).args).toContain('--model=/models/chat');
    expect(podSpecOf(r).initContainers).toBeUndefined();
  });
});

describe('Hugging Face fetch', () => {
  test('the init container downloads the pinned commit with the server image, online', () => {
    const fetcher = fetcherOf(vllm());
    expect(fetcher.image).toBe('vllm/vllm-openai:v0.6.6');
    expect(scriptLines(fetcher)).toEqual(['set -eu', `huggingface-cli download ${REPO} --revision ${HF_REVISION} --local-dir /mnt/models`]);
    expect(fetcher.env!.map((e) => e.name)).not.toContain('HF_HUB_OFFLINE');
    expect(fetcher.env).toContainEqual({ name: 'HF_HUB_DISABLE_TELEMETRY', value: '1' });
  });

  test('a branch name is refused as revision', () => {
    expect(() => render({ runtime: Runtime.vllm({ model: ModelArtifact.fromHuggingFace(REPO, { revision: 'main' }) }), accelerator: Accelerator.nvidiaGpu() })).toThrow(
      /runtime\.model\.revision: got "main"/,
    );
  });
});

describe('volumes, ports and probes', () => {
  test('/dev/shm is a Memory emptyDir (NCCL) that does not count as ephemeral storage', () => {
    const r = vllm({ sharedMemory: '8Gi' });
    expect(podSpecOf(r).volumes).toContainEqual({ name: 'scratch-dev-shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } });
    expect(serverOf(r).volumeMounts).toContainEqual({ name: 'scratch-dev-shm', mountPath: '/dev/shm' });
    // Only /tmp (10Gi) is on disk; the Hugging Face artifact declares no size.
    expect(serverOf(r).resources.requests['ephemeral-storage']).toBe('10240Mi');
  });

  test('/dev/shm defaults to 2Gi', () => {
    expect(podSpecOf(vllm()).volumes).toContainEqual({ name: 'scratch-dev-shm', emptyDir: { medium: 'Memory', sizeLimit: '2Gi' } });
  });

  test('one HTTP port serves inference and metrics; /health for every probe', () => {
    const r = vllm();
    expect(serverOf(r).ports).toEqual([{ name: 'http', containerPort: 8000, protocol: 'TCP' }]);
    expect(servicePortsOf(r).map((p) => [p.name, p.port])).toEqual([['http', 8000]]);
    expect(r.profile.metrics).toEqual({ port: 'http', path: '/metrics' });
    const server = serverOf(r);
    for (const probe of [server.startupProbe, server.readinessProbe, server.livenessProbe]) expect(probe!.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    // 10 minutes of default load time at 10 s per check, after the first check at start.
    expect(server.startupProbe).toMatchObject({ periodSeconds: 10, failureThreshold: 61 });
  });

  test('metrics share the inference port: with unrestricted clients one ingress rule admits both', () => {
    expect((vllm().networkPolicy['spec'] as { ingress: unknown[] }).ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 'http' }] }]);
  });

  test('with restricted clients, the monitoring namespace keeps its own rule for the metrics port', () => {
    const r = vllm({}, { inferenceClients: InferenceClients.namespaces('chat-ui') });
    expect((r.networkPolicy['spec'] as { ingress: unknown[] }).ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'chat-ui' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
      { from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 'http' }] },
    ]);
  });
});

describe('accelerator', () => {
  const NO_GPU = 'expected an accelerator (Accelerator.nvidiaGpu(...)) on the service: the default vLLM image needs an NVIDIA GPU; give a CPU build of vLLM as image to run without one';
  const MIG = (count: number, profile: string) =>
    `expected 1 MIG slice: NCCL cannot shard a model across MIG instances (the accelerator asks for ${count} ${profile} slices); use whole GPUs for tensor parallelism`;

  test('the default image without an accelerator is refused at runtime.image', () => {
    expectProblems({ runtime: Runtime.vllm({ model: ModelArtifact.inImage() }), resources: { memory: '16Gi' } }, [['runtime.image', 'nothing', NO_GPU]]);
  });

  test('a CPU build given as image runs without an accelerator', () => {
    const r = renderValid({ runtime: Runtime.vllm({ model: ModelArtifact.inImage(), image: ModelImage.fromRegistry('ghcr.io/acme/vllm-cpu:0.6.6') }), resources: { memory: '16Gi' } }, 'chat');
    expect(serverOf(r).image).toBe('ghcr.io/acme/vllm-cpu:0.6.6');
    expect(serverOf(r).args).toContain('--tensor-parallel-size=1');
    expect(serverOf(r).resources.limits).toEqual({ memory: '16Gi' });
  });

  test('one MIG slice is accepted', () => {
    const r = vllm({}, { accelerator: Accelerator.nvidiaGpu({ migProfile: '3g.40gb' }) });
    expect(serverOf(r).args).toContain('--tensor-parallel-size=1');
  });

  test('more than one MIG slice is refused at runtime.tensorParallelSize', () => {
    expectProblems({ runtime: Runtime.vllm({ model: ModelArtifact.inImage() }), accelerator: Accelerator.nvidiaGpu({ count: 2, migProfile: '3g.40gb' }), resources: { memory: '16Gi' } }, [
      ['runtime.tensorParallelSize', '2', MIG(2, '3g.40gb')],
    ]);
  });

  test('more than one MIG slice with a matching tensorParallelSize is still refused, quoting the given size', () => {
    expectProblems(
      { runtime: Runtime.vllm({ model: ModelArtifact.inImage(), tensorParallelSize: 4 }), accelerator: Accelerator.nvidiaGpu({ count: 4, migProfile: '1g.10gb' }), resources: { memory: '16Gi' } },
      [['runtime.tensorParallelSize', '4', MIG(4, '1g.10gb')]],
    );
  });
});

describe('memory-backed /dev/shm counts against the memory limit', () => {
  const MEMORY = (volumes: string) => `expected more than the memory-backed volumes the runtime mounts (${volumes}), which count against the memory limit`;
  const props = (options: Partial<VllmOptions>, resources: ModelServiceProps['resources']): ModelServiceProps => ({
    runtime: Runtime.vllm({ model: ModelArtifact.inImage(), ...options }),
    accelerator: Accelerator.nvidiaGpu(),
    ...(resources ? { resources } : {}),
  });

  test('the default memory (2Gi) does not exceed the default /dev/shm (2Gi)', () => {
    // Nothing was given, so the message names the default rather than quoting it as the user's.
    expectProblems(props({}, undefined), [['resources.memory', 'nothing', `${MEMORY('/dev/shm 2Gi')} (the default is 2Gi)`]]);
  });

  test('a memory request equal to /dev/shm is refused at resources.memory; one MiB more is accepted', () => {
    expectProblems(props({ sharedMemory: '8Gi' }, { memory: '8Gi' }), [['resources.memory', '"8Gi"', MEMORY('/dev/shm 8Gi')]]);
    expect(serverOf(renderValid(props({ sharedMemory: '8Gi' }, { memory: '8193Mi' }))).resources.limits).toEqual({ memory: '8193Mi', 'nvidia.com/gpu': '1' });
  });

  test('with a memory limit, the limit is what counts and is where the problem is reported', () => {
    expectProblems(props({}, { memory: '1Gi', memoryLimit: '2Gi' }), [['resources.memoryLimit', '"2Gi"', MEMORY('/dev/shm 2Gi')]]);
    expect(serverOf(renderValid(props({}, { memory: '1Gi', memoryLimit: '3Gi' }))).resources).toMatchObject({ requests: { memory: '1Gi' }, limits: { memory: '3Gi' } });
  });
});
