import { Accelerator, ModelArtifact, ModelImage, Runtime, type ModelServiceProps } from '../../../lib/core';
import { configFilesOf, MINIMAL_PROPS, parseProperties, podSpecOf, render, renderValid, RUNTIME_KINDS, serverOf, type RuntimeKind } from '../../support/fixtures';

const withGpu = (kind: RuntimeKind, accelerator: Accelerator, extra: Partial<ModelServiceProps> = {}) => renderValid({ ...MINIMAL_PROPS[kind](), accelerator, ...extra });

describe('whole GPUs', () => {
  test.each(RUNTIME_KINDS)('%s: nvidia.com/gpu requested and limited alike, product node selector, default toleration', (kind) => {
    const r = withGpu(kind, Accelerator.nvidiaGpu({ count: 2, product: 'NVIDIA-A10G' }), kind === 'vllm' ? {} : { resources: { cpu: '4', memory: '16Gi' } });
    const { requests, limits } = serverOf(r).resources;
    expect(requests['nvidia.com/gpu']).toBe('2');
    expect(limits!['nvidia.com/gpu']).toBe('2');
    expect(podSpecOf(r).nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-A10G' });
    expect(podSpecOf(r).tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    // The GPU is the server's alone: the fetching init container asks for none.
    for (const init of podSpecOf(r).initContainers ?? []) expect(JSON.stringify(init.resources)).not.toContain('nvidia.com');
  });

  test('one GPU by default, no product means no node selector', () => {
    const r = withGpu('triton', Accelerator.nvidiaGpu());
    expect(serverOf(r).resources.requests['nvidia.com/gpu']).toBe('1');
    expect(podSpecOf(r).nodeSelector).toBeUndefined();
  });

  test('user node selector and tolerations are added to the accelerator\'s', () => {
    const r = withGpu('triton', Accelerator.nvidiaGpu({ product: 'NVIDIA-L4' }), {
      nodeSelector: { 'pool.example.com/tier': 'inference' },
      tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' }],
    });
    expect(podSpecOf(r).nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-L4', 'pool.example.com/tier': 'inference' });
    expect(podSpecOf(r).tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'dedicated', operator: 'Equal', value: 'ml', effect: 'NoSchedule' },
    ]);
  });

  test('explicit accelerator tolerations replace the default', () => {
    const r = withGpu('triton', Accelerator.nvidiaGpu({ tolerations: [{ key: 'gpu-pool', operator: 'Exists', effect: 'NoExecute' }] }));
    expect(podSpecOf(r).tolerations).toEqual([{ key: 'gpu-pool', operator: 'Exists', effect: 'NoExecute' }]);
  });

  test('without an accelerator nothing GPU-related is rendered', () => {
    for (const kind of ['torchserve', 'tfserving', 'triton', 'custom'] as const) {
      const r = renderValid(MINIMAL_PROPS[kind]());
      expect(JSON.stringify(r.deployment)).not.toContain('nvidia.com');
      expect(podSpecOf(r).tolerations).toBeUndefined();
    }
  });
});

describe('MIG slices', () => {
  test('request nvidia.com/mig-<profile> instead of whole GPUs', () => {
    const r = withGpu('triton', Accelerator.nvidiaGpu({ count: 2, migProfile: '1g.10gb', product: 'NVIDIA-A100-SXM4-40GB' }));
    const { requests, limits } = serverOf(r).resources;
    expect(requests['nvidia.com/mig-1g.10gb']).toBe('2');
    expect(limits!['nvidia.com/mig-1g.10gb']).toBe('2');
    expect(requests['nvidia.com/gpu']).toBeUndefined();
    expect(limits!['nvidia.com/gpu']).toBeUndefined();
    expect(podSpecOf(r).nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-40GB' });
  });

  test('an unknown profile is refused', () => {
    expect(() => render({ ...MINIMAL_PROPS.triton(), accelerator: Accelerator.nvidiaGpu({ migProfile: '1g.5g' }) })).toThrow(/accelerator\.migProfile: got "1g\.5g"/);
  });
});

describe('images and runtime settings', () => {
  test.each([
    ['torchserve', 'pytorch/torchserve:0.12.0-cpu', 'pytorch/torchserve:0.12.0-gpu'],
    ['tfserving', 'tensorflow/serving:2.18.0', 'tensorflow/serving:2.18.0-gpu'],
    ['triton', 'nvcr.io/nvidia/tritonserver:24.10-py3', 'nvcr.io/nvidia/tritonserver:24.10-py3'],
  ] as const)('%s: %s on CPU, %s with a GPU', (kind, cpu, gpu) => {
    expect(serverOf(renderValid(MINIMAL_PROPS[kind]())).image).toBe(cpu);
    expect(serverOf(withGpu(kind, Accelerator.nvidiaGpu())).image).toBe(gpu);
  });

  test('an explicit image is used as given, GPU or not', () => {
    const image = ModelImage.fromRegistry('registry.example.com/serving/torchserve:0.12.0-custom');
    const r = renderValid({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar'), image }), accelerator: Accelerator.nvidiaGpu() });
    expect(serverOf(r).image).toBe('registry.example.com/serving/torchserve:0.12.0-custom');
  });

  test('TorchServe uses as many GPUs (or MIG slices) as the pod holds', () => {
    const gpus = (accelerator?: Accelerator) => parseProperties(configFilesOf(renderValid({ ...MINIMAL_PROPS.torchserve(), ...(accelerator ? { accelerator } : {}) }))['config.properties']!).get('number_of_gpu');
    expect(gpus()).toBe('0');
    expect(gpus(Accelerator.nvidiaGpu({ count: 4 }))).toBe('4');
    expect(gpus(Accelerator.nvidiaGpu({ count: 2, migProfile: '3g.40gb' }))).toBe('2');
  });
});
