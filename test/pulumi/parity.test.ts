/**
 * One definition, two front ends: for the same props, the objects the Pulumi ModelService
 * registers under mocks equal the manifests the cdk8s ModelService synthesizes, for every
 * runtime, with a registry image, autoscaled (HPA and KEDA), and with an image built from a
 * model directory; an Autoscaler created on its own for a described workload; and a whole
 * ServingCluster (models, autoscalers, canary, shadow, routes, monitoring). The one
 * intended difference is the built image's reference: cdk8s deploys the content-hash tag it
 * writes into docker-bake.json, Pulumi the digest it pushed.
 */
import * as path from 'path';
import { Autoscaler as Cdk8sAutoscaler, ModelService as Cdk8sModelService } from '../../lib/cdk8s';
import { ActivationSignal, Duration, ScalableWorkload, ScalingTarget, type AutoscalerOptions, type KubeObject } from '../../lib/core';
import { Autoscaler, ModelService, ServingCluster, type ClusterModelArgs, type ModelServiceArgs } from '../../lib/pulumi';
import { cdk8sCluster, clusterAutoscalers, clusterModels, clusterProps } from '../support/cluster-fixtures';
import { ServingCluster as Cdk8sServingCluster } from '../../lib/cdk8s';
import { ClusterQuota, ClusterRouting, ModelRoute } from '../../lib/core';
import { expectValidObjects, MINIMAL_PROPS, RUNTIME_KINDS, synthChart } from '../support/fixtures';
import { childName, containersOf, kubernetesType, withServerImage } from './support/expected';
import { mockDigest, startMocks } from './support/mocks';
import { directoryProps } from '../core/images/support';
import { tempDir } from './support/temp';
import { registerCustomResourceSchemas } from '../support/crd-schemas';

const contextRoot = tempDir();

/** The objects the Pulumi ModelService `name` registers, in the order of `manifests`, checked to be typed children of the component. */
async function registeredObjects(name: string, props: ModelServiceArgs, manifests: KubeObject[]): Promise<{ objects: KubeObject[]; service: ModelService }> {
  const mocks = await startMocks();
  const service = new ModelService(name, { ...props, imageBuildOptions: { contextDirectory: path.join(contextRoot, name) } });
  await mocks.settle();
  // The autoscaler's resource is a child of the Autoscaler component.
  const autoscaler = mocks.registrations.some((r) => r.name === `${name}-autoscaler`) ? mocks.childrenOf(`${name}-autoscaler`) : [];
  const kubernetes = [...mocks.childrenOf(name), ...autoscaler].filter((c) => c.type.startsWith('kubernetes:'));
  expect(kubernetes).toHaveLength(manifests.length);
  const objects = manifests.map((manifest) => {
    const isAutoscaler = manifest.kind === 'HorizontalPodAutoscaler' || manifest.kind === 'ScaledObject';
    const child = mocks.byName(childName(isAutoscaler ? `${name}-autoscaler` : name, manifest));
    expect(child.type).toBe(kubernetesType(manifest));
    return child.inputs as KubeObject;
  });
  return { objects, service };
}

describe.each(RUNTIME_KINDS)('%s', (kind) => {
  test.each([
    ['a registry image, no namespace', () => MINIMAL_PROPS[kind]()],
    ['a registry image, a namespace', () => ({ ...MINIMAL_PROPS[kind](), namespace: 'serving' })],
  ])('%s: Pulumi registers exactly what cdk8s synthesizes', async (_, props) => {
    const manifests = synthChart((chart) => new Cdk8sModelService(chart, 'model', props()));
    expectValidObjects(manifests);
    const { objects, service } = await registeredObjects('model', props(), manifests);
    expect(objects).toEqual(manifests);
    expect(service.builtImage).toBeUndefined();
  });

  test.each([
    ['a HorizontalPodAutoscaler', { target: ScalingTarget.cpuUtilization(80), maxReplicas: 4 }],
    ['a KEDA ScaledObject to scale to zero', { target: ScalingTarget.cpuUtilization(80), maxReplicas: 4, scaleToZero: { activation: ActivationSignal.prometheus('sum(rate(http_requests_total{service="model"}[2m]))') } }],
  ])('autoscaled by %s: the same objects, the Deployment without replicas', async (_, autoscale: AutoscalerOptions) => {
    const props = () => ({ ...MINIMAL_PROPS[kind](), namespace: 'serving' });
    const manifests = synthChart((chart) => {
      new Cdk8sModelService(chart, 'model', props()).autoscale(autoscale);
    });
    const { objects } = await registeredObjects('model', { ...props(), autoscale }, manifests);
    expect(objects).toEqual(manifests);
    expect(objects.find((o) => o.kind === 'Deployment')!['spec']).not.toHaveProperty('replicas');
  });

  test('an image built from the model directory: the same objects, the server pinned by the pushed digest instead of the tag', async () => {
    let cdk8s!: Cdk8sModelService;
    const props = () => ({ ...directoryProps(kind), namespace: 'serving' });
    const manifests = synthChart((chart) => {
      cdk8s = new Cdk8sModelService(chart, 'model', props());
    });
    expectValidObjects(manifests);
    const { objects, service } = await registeredObjects('model', props(), manifests);

    const build = cdk8s.imageBuild!;
    expect(service.imageBuild).toEqual(build);
    const pinned = `${build.repository}@${mockDigest('model-image')}`;
    const deployment = (list: KubeObject[]) => list.find((o) => o.kind === 'Deployment')!;
    expect(containersOf(deployment(manifests)).find((c) => c.name === 'server')!.image).toBe(build.reference);
    expect(containersOf(deployment(objects)).find((c) => c.name === 'server')!.image).toBe(pinned);
    expect(objects).toEqual(withServerImage(manifests, pinned));
  });
});

describe('an Autoscaler for a described workload', () => {
  const unregister = registerCustomResourceSchemas();
  afterAll(() => unregister());
  const workload = (kind: 'deployment' | 'statefulSet') =>
    ScalableWorkload[kind]({
      name: 'scorer',
      namespace: 'serving',
      labels: { team: 'risk' },
      containers: [{ name: 'server', requests: { cpu: '2', memory: '4Gi' } }],
      modelLoadTime: Duration.seconds(90),
      metrics: { path: '/metrics', port: 8082, scalingMetric: 'ts_queue_latency_microseconds' },
    });

  test.each([
    ['a Deployment, HPA on the queue', 'deployment', { target: ScalingTarget.runtimeQueue(), maxReplicas: 8 }],
    ['a StatefulSet, SLO-sized HPA', 'statefulSet', { target: ScalingTarget.latencySlo({ p99: Duration.millis(100), peakRps: 400, serviceTime: Duration.millis(20), queueGuard: true }) }],
    ['a StatefulSet, KEDA to zero', 'statefulSet', { target: ScalingTarget.cpuUtilization(70), maxReplicas: 4, scaleToZero: { activation: ActivationSignal.schedule('Europe/Berlin', '0 8 * * 1-5', '0 18 * * 1-5') } }],
  ] as const)('%s: Pulumi registers exactly what cdk8s synthesizes', async (_, kind, options: AutoscalerOptions) => {
    const manifests = synthChart((chart) => {
      new Cdk8sAutoscaler(chart, 'scorer', { workload: workload(kind), ...options });
    });
    expect(manifests).toHaveLength(1);
    expectValidObjects(manifests);
    const mocks = await startMocks();
    const autoscaler = new Autoscaler('scorer', { workload: workload(kind), ...options });
    await mocks.settle();
    const [child, ...others] = mocks.childrenOf('scorer');
    expect(others).toEqual([]);
    expect(child!.type).toBe(kubernetesType(manifests[0]!));
    expect(child!.inputs).toEqual(manifests[0]);
    expect(autoscaler.report.workload).toBe(kind === 'deployment' ? 'Deployment/scorer' : 'StatefulSet/scorer');
  });
});

/** The cluster fixture's models as Pulumi args: the autoscalers given up front. */
function modelArgs(): Record<string, ClusterModelArgs> {
  const autoscalers = clusterAutoscalers();
  return Object.fromEntries(Object.entries(clusterModels()).map(([id, props]) => [id, { ...props, ...(autoscalers[id] ? { autoscale: autoscalers[id] } : {}) }]));
}

const key = (o: KubeObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
const byKey = (objects: KubeObject[]) => [...objects].sort((a, b) => key(a).localeCompare(key(b)));

describe('ServingCluster', () => {
  test('the same definition (models, autoscalers, canary, shadow, routes, monitoring) registers exactly the objects cdk8s synthesizes', async () => {
    const manifests = synthChart((chart) => {
      cdk8sCluster(chart);
    });
    const mocks = await startMocks();
    new ServingCluster('prod', { ...clusterProps(), models: modelArgs() });
    await mocks.settle();
    const registered = mocks.registrations.filter((r) => r.type.startsWith('kubernetes:'));
    for (const r of registered) expect(r.type).toBe(kubernetesType(r.inputs as unknown as KubeObject));
    expect(byKey(registered.map((r) => r.inputs as unknown as KubeObject))).toEqual(byKey(manifests));
  });

  test('with Ingress routing, a declared quota and no monitoring: the same objects', async () => {
    const props = { routing: ClusterRouting.ingress({ className: 'nginx', domain: 'models.example.com' }), quota: ClusterQuota.of({ cpu: '40', pods: 30 }), monitoring: false as const };
    const models = { fraud: MINIMAL_PROPS.torchserve(), chat: { ...MINIMAL_PROPS.vllm(), route: ModelRoute.host('chat.example.com') } };
    const manifests = synthChart((chart) => {
      const cluster = new Cdk8sServingCluster(chart, 'edge', props);
      for (const [id, model] of Object.entries(models)) cluster.addModel(id, model);
    });
    expectValidObjects(manifests);
    const mocks = await startMocks();
    new ServingCluster('edge', { ...props, models });
    await mocks.settle();
    const registered = mocks.registrations.filter((r) => r.type.startsWith('kubernetes:'));
    expect(mocks.byName('edge-chat-ingress').type).toBe('kubernetes:networking.k8s.io/v1:Ingress');
    expect(byKey(registered.map((r) => r.inputs as unknown as KubeObject))).toEqual(byKey(manifests));
  });
});
