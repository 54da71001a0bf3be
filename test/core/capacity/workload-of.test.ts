/** capacityWorkloadOf reads what the scheduler reads from a rendered ModelService's Deployment. */
import { Accelerator, capacityWorkloadOf, Duration, effectiveRequests, type PodSpec, type RenderedModelService } from '../../../lib/core';
import { MINIMAL_PROPS, podSpecOf, render } from '../../support/fixtures';

const GiB = 2 ** 30;

test('a CPU model: the server\'s requests (the fetcher init container is smaller), replicas and a rollout\'s extra pods', () => {
  const rendered = render({ ...MINIMAL_PROPS.torchserve(), replicas: 3, maxSurge: 2 });
  // 2 new pods starting and the 2 old ones they replaced still terminating (a 60 s grace period is shorter than the 2 min load).
  expect(capacityWorkloadOf(rendered)).toEqual({ name: 'fraud', cpuMillis: 1000, memoryBytes: 2 * GiB, gpus: 0, minReplicas: 3, maxReplicas: 3, surge: 4 });
  expect(capacityWorkloadOf(rendered, { min: 2, max: 9 })).toMatchObject({ minReplicas: 2, maxReplicas: 9, surge: 4 });
});

test('a GPU model: GPUs, the product selector and the accelerator\'s toleration', () => {
  const rendered = render({ ...MINIMAL_PROPS.vllm(), accelerator: Accelerator.nvidiaGpu({ count: 2, product: 'NVIDIA-A10G' }) });
  expect(capacityWorkloadOf(rendered)).toEqual({
    name: 'fraud', cpuMillis: 4000, memoryBytes: 32 * GiB, gpus: 2, minReplicas: 2, maxReplicas: 2, surge: 2,
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

test('surge: maxSurge as a percentage of maxReplicas rounds up, maxUnavailable down; Recreate has none; the Kubernetes defaults are 25%', () => {
  // 3 starting, 3 terminating.
  expect(capacityWorkloadOf(withPod({}, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '30%', maxUnavailable: 0 } }), { min: 1, max: 10 }).surge).toBe(6);
  // Each batch deletes maxSurge + maxUnavailable old pods: 3 starting, 3 + 1 terminating.
  expect(capacityWorkloadOf(withPod({}, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 3, maxUnavailable: '19%' } }), { min: 1, max: 10 }).surge).toBe(7);
  // Recreate waits for every old pod to exit before it starts a new one.
  expect(capacityWorkloadOf(withPod({}, { type: 'Recreate' }), { min: 1, max: 10 }).surge).toBe(0);
  // 25% of 10: 3 starting (rounded up), 3 + 2 terminating (maxUnavailable rounded down).
  expect(capacityWorkloadOf(withPod({}, null), { min: 1, max: 10 }).surge).toBe(8);
});

test('surge: as many batches terminate at once as start within one grace period, never more than the old pods', () => {
  const withGrace = (rendered: RenderedModelService, seconds: number) => {
    const spec = rendered.deployment['spec'] as { template: { spec: PodSpec } };
    return { ...rendered, deployment: { ...rendered.deployment, spec: { ...spec, template: { spec: { ...spec.template.spec, terminationGracePeriodSeconds: seconds } } } } };
  };
  // The 2 min load outlasts a 60 s grace period: one batch terminates while the next starts.
  expect(capacityWorkloadOf(render(MINIMAL_PROPS.torchserve()), { min: 1, max: 10 }).surge).toBe(2);
  // A 5 min grace period spans three 2 min loads (ceil(300 / 120) batches).
  expect(capacityWorkloadOf(withGrace(render(MINIMAL_PROPS.torchserve()), 300), { min: 1, max: 10 }).surge).toBe(1 + 3);
  // A model that loads in 10 s: six batches within a 60 s grace period, but only 4 old pods to delete.
  const fast = render({ ...MINIMAL_PROPS.torchserve(), modelLoadTime: Duration.seconds(10) });
  expect(capacityWorkloadOf(fast, { min: 1, max: 20 }).surge).toBe(1 + 6);
  expect(capacityWorkloadOf(fast, { min: 1, max: 4 }).surge).toBe(1 + 4);
});
