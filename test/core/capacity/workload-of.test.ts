/** capacityWorkloadOf reads what the scheduler reads from a rendered ModelService's Deployment. */
import { Accelerator, capacityWorkloadOf, effectiveRequests, type PodSpec, type RenderedModelService } from '../../../lib/core';
import { MINIMAL_PROPS, podSpecOf, render } from '../../support/fixtures';

const GiB = 2 ** 30;

test('a CPU model: the server\'s requests (the fetcher init container is smaller), replicas and maxSurge', () => {
  const rendered = render({ ...MINIMAL_PROPS.torchserve(), replicas: 3, maxSurge: 2 });
  expect(capacityWorkloadOf(rendered)).toEqual({ name: 'fraud', cpuMillis: 1000, memoryBytes: 2 * GiB, gpus: 0, minReplicas: 3, maxReplicas: 3, surge: 2 });
  expect(capacityWorkloadOf(rendered, { min: 2, max: 9 })).toMatchObject({ minReplicas: 2, maxReplicas: 9, surge: 2 });
});

test('a GPU model: GPUs, the product selector and the accelerator\'s toleration', () => {
  const rendered = render({ ...MINIMAL_PROPS.vllm(), accelerator: Accelerator.nvidiaGpu({ count: 2, product: 'NVIDIA-A10G' }) });
  expect(capacityWorkloadOf(rendered)).toEqual({
    name: 'fraud', cpuMillis: 4000, memoryBytes: 32 * GiB, gpus: 2, minReplicas: 2, maxReplicas: 2, surge: 1,
    nodeSelector: { 'nvidia.com/gpu.product': 'NVIDIA-A10G' },
    tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
  });
});

/** The rendered service with its Deployment's pod template and strategy replaced. */
function withPod(pod: Partial<PodSpec> & Record<string, unknown>, strategy?: unknown): RenderedModelService {
  const rendered = render(MINIMAL_PROPS.torchserve());
  const spec = rendered.deployment['spec'] as { template: { spec: PodSpec }; strategy?: unknown };
  const deployment = { ...rendered.deployment, spec: { ...spec, template: { spec: { ...podSpecOf(rendered), ...pod } }, ...(strategy !== undefined ? { strategy } : {}) } };
  return { ...rendered, deployment };
}

test('effective requests: the larger of the app containers\' sum and each init container (with the sidecars before it)', () => {
  const c = (cpu: string, memory: string, restartPolicy?: string) => ({ name: 'c', image: 'i', resources: { requests: { cpu, memory } }, ...(restartPolicy ? { restartPolicy } : {}) }) as unknown as PodSpec['containers'][number];
  // Init containers run one at a time: the largest counts, and here it exceeds the app's CPU.
  expect(effectiveRequests({ initContainers: [c('3', '1Gi'), c('500m', '8Gi')], containers: [c('1', '2Gi'), c('1', '2Gi')] } as PodSpec)).toEqual({ cpu: 3000, memory: 8 * GiB, gpus: 0 });
  // A sidecar (restartPolicy Always) keeps running: it adds to the app containers and to later init containers.
  expect(effectiveRequests({ initContainers: [c('1', '1Gi', 'Always'), c('2', '1Gi')], containers: [c('1', '2Gi')] } as PodSpec)).toEqual({ cpu: 3000, memory: 3 * GiB, gpus: 0 });
  // A request defaults to the limit.
  expect(effectiveRequests({ containers: [{ name: 'c', image: 'i', resources: { requests: {}, limits: { cpu: '2', memory: '1Gi' } } }] } as unknown as PodSpec)).toEqual({ cpu: 2000, memory: GiB, gpus: 0 });
});

test('replicas per node from a hard hostname spread or required anti-affinity; soft spreading sets no limit', () => {
  expect(capacityWorkloadOf(render(MINIMAL_PROPS.torchserve())).maxPerNode).toBeUndefined();
  const spread = (maxSkew: number, topologyKey = 'kubernetes.io/hostname') => [{ maxSkew, topologyKey, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: {} } }];
  expect(capacityWorkloadOf(withPod({ topologySpreadConstraints: spread(2) } as Partial<PodSpec>)).maxPerNode).toBe(2);
  expect(capacityWorkloadOf(withPod({ topologySpreadConstraints: spread(1, 'topology.kubernetes.io/zone') } as Partial<PodSpec>)).maxPerNode).toBeUndefined();
  const antiAffinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: {} } }] } };
  expect(capacityWorkloadOf(withPod({ affinity: antiAffinity })).maxPerNode).toBe(1);
});

test('surge: maxSurge as a percentage of maxReplicas rounds up; Recreate has none; the Kubernetes default is 25%', () => {
  expect(capacityWorkloadOf(withPod({}, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: 0 } }), { min: 1, max: 10 }).surge).toBe(3);
  expect(capacityWorkloadOf(withPod({}, { type: 'Recreate' }), { min: 1, max: 10 }).surge).toBe(0);
  expect(capacityWorkloadOf(withPod({}, null), { min: 1, max: 10 }).surge).toBe(3);
});
