/**
 * The Pulumi ModelService under mocks: exactly which children it registers (types, names,
 * parents, inputs), their await timeouts and dependencies, the provider each child uses, the
 * image it builds and pins by digest, and the outputs it registers.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { ActivationSignal, Autoscaler, Duration, formatAutoscalerReport, ModelService, Problems, renderAutoscaler, ScalingTarget, ValidationError } from '../../lib/pulumi';
import { MINIMAL_PROPS, render } from '../support/fixtures';
import { childName, containersOf, kubernetesType, withServerImage } from './support/expected';
import { DOCKER_BUILD_IMAGE, mockDigest, rejectionOf, startMocks, valueOf } from './support/mocks';
import { tempDir } from './support/temp';
import { directoryProps } from '../core/images/support';

const COMPONENT = 'modelship:index:ModelService';


describe('children', () => {
  test('one typed child per rendered object, named from the component, parented to it, with the rendered object as inputs', async () => {
    const mocks = await startMocks();
    const props = { ...MINIMAL_PROPS.torchserve(), namespace: 'serving' };
    new ModelService('fraud', props);
    await mocks.settle();

    const component = mocks.byName('fraud');
    expect(component).toMatchObject({ type: COMPONENT, custom: false, parent: '', inputs: {} });
    const rendered = render(props, 'fraud');
    const children = mocks.childrenOf('fraud');
    // Registration order follows dependencies, so compare by name.
    expect(children.map((c) => c.name).sort()).toEqual(rendered.objects.map((o) => childName('fraud', o)).sort());
    expect(children.map((c) => c.name).sort()).toEqual([
      'fraud-configmap',
      'fraud-deployment',
      'fraud-networkpolicy',
      'fraud-poddisruptionbudget',
      'fraud-service',
      'fraud-serviceaccount',
    ]);
    for (const object of rendered.objects) {
      const child = mocks.byName(childName('fraud', object));
      expect(child.type).toBe(kubernetesType(object));
      expect(child.custom).toBe(true);
      expect(child.parent).toBe(component.urn);
      expect(child.provider).toBe('');
      expect(child.inputs).toEqual(object);
      expect((child.inputs['metadata'] as { name: string }).name).toBe(object.metadata.name);
    }
    // Nothing else: the component and its six children.
    expect(mocks.registrations).toHaveLength(7);
  });

  test('types are the typed @pulumi/kubernetes resources, and the properties are those resources', async () => {
    const mocks = await startMocks();
    const service = new ModelService('fraud', MINIMAL_PROPS.torchserve());
    await mocks.settle();
    expect(service.serviceAccount).toBeInstanceOf(k8s.core.v1.ServiceAccount);
    expect(service.configMap).toBeInstanceOf(k8s.core.v1.ConfigMap);
    expect(service.deployment).toBeInstanceOf(k8s.apps.v1.Deployment);
    expect(service.service).toBeInstanceOf(k8s.core.v1.Service);
    expect(service.podDisruptionBudget).toBeInstanceOf(k8s.policy.v1.PodDisruptionBudget);
    expect(service.networkPolicy).toBeInstanceOf(k8s.networking.v1.NetworkPolicy);
    expect(await valueOf(service.deployment.urn)).toBe(mocks.byName('fraud-deployment').urn);
    expect(mocks.byName('fraud-deployment').type).toBe('kubernetes:apps/v1:Deployment');
  });

  test('a runtime without config files has no ConfigMap child', async () => {
    const mocks = await startMocks();
    const service = new ModelService('vision', MINIMAL_PROPS.triton());
    await mocks.settle();
    expect(service.configMap).toBeUndefined();
    expect(mocks.childrenOf('vision').map((c) => c.type).sort()).toEqual([
      'kubernetes:apps/v1:Deployment',
      'kubernetes:core/v1:Service',
      'kubernetes:core/v1:ServiceAccount',
      'kubernetes:networking.k8s.io/v1:NetworkPolicy',
      'kubernetes:policy/v1:PodDisruptionBudget',
    ]);
  });

  test('the name prop names the objects; the component name still prefixes every child', async () => {
    const mocks = await startMocks();
    new ModelService('fraud-prod', { ...MINIMAL_PROPS.custom(), name: 'fraud' });
    await mocks.settle();
    const deployment = mocks.byName('fraud-prod-deployment');
    expect((deployment.inputs['metadata'] as { name: string }).name).toBe('fraud');
  });

  test('the Deployment waits for its ServiceAccount and ConfigMap; nothing else has dependencies', async () => {
    const mocks = await startMocks();
    new ModelService('fraud', MINIMAL_PROPS.torchserve());
    await mocks.settle();
    expect(mocks.byName('fraud-deployment').dependencies).toEqual([mocks.byName('fraud-serviceaccount').urn, mocks.byName('fraud-configmap').urn]);
    for (const child of mocks.childrenOf('fraud').filter((c) => c.name !== 'fraud-deployment')) expect(child.dependencies).toEqual([]);
  });

  test('invalid props fail before anything is registered, naming the resource', async () => {
    const mocks = await startMocks();
    expect(() => new ModelService('fraud', { ...MINIMAL_PROPS.torchserve(), replicas: -1, namespace: 'Bad_NS' })).toThrow(ValidationError);
    expect(() => new ModelService('fraud', { ...MINIMAL_PROPS.torchserve(), namespace: 'Bad_NS' })).toThrow(/fraud: namespace: got "Bad_NS"/);
    await mocks.settle();
    expect(mocks.registrations).toEqual([]);
  });
});

describe('await timeouts', () => {
  test('the Deployment and the Service wait for the rollout the startup budget allows; no other child sets timeouts', async () => {
    const mocks = await startMocks();
    // 900 s per batch; 5 replicas, 2 at a time: 3 batches.
    new ModelService('fraud', { ...MINIMAL_PROPS.torchserve(), progressDeadline: Duration.seconds(900), replicas: 5, maxSurge: 2 });
    await mocks.settle();
    const expected = { create: '960s', update: '2760s', delete: '' };
    expect(mocks.byName('fraud-deployment').customTimeouts).toEqual(expected);
    expect(mocks.byName('fraud-service').customTimeouts).toEqual(expected);
    for (const child of mocks.childrenOf('fraud').filter((c) => !['fraud-deployment', 'fraud-service'].includes(c.name))) {
      expect(child.customTimeouts).toEqual({ create: '', update: '', delete: '' });
    }
  });

  test('by default they follow modelLoadTime through the progress deadline, and await is never skipped', async () => {
    const mocks = await startMocks();
    const props = { ...MINIMAL_PROPS.torchserve(), modelLoadTime: Duration.minutes(7) };
    const service = new ModelService('fraud', props);
    await mocks.settle();
    const deadline = render(props).budget.progressDeadlineSeconds;
    expect(service.customTimeouts).toEqual({ create: `${deadline + 60}s`, update: `${2 * deadline + 60}s` });
    expect(mocks.byName('fraud-deployment').customTimeouts).toMatchObject(service.customTimeouts);
    for (const child of mocks.childrenOf('fraud')) expect(JSON.stringify(child.inputs)).not.toContain('pulumi.com/skipAwait');
  });
});

describe('providers', () => {
  const kubernetesChildren = (mocks: Awaited<ReturnType<typeof startMocks>>, component: string) => mocks.childrenOf(component).filter((c) => c.type.startsWith('kubernetes:'));

  test.each([
    ['provider', (p: k8s.Provider) => ({ provider: p })],
    ['providers (array)', (p: k8s.Provider) => ({ providers: [p] })],
    ['providers (map)', (p: k8s.Provider) => ({ providers: { kubernetes: p } })],
  ])('a Kubernetes provider given as %s reaches every child', async (_, opts) => {
    const mocks = await startMocks();
    const provider = new k8s.Provider('cluster', { namespace: 'serving' });
    new ModelService('fraud', MINIMAL_PROPS.torchserve(), opts(provider));
    await mocks.settle();
    const reference = `${mocks.byName('cluster').urn}::cluster-id`;
    const children = kubernetesChildren(mocks, 'fraud');
    expect(children).toHaveLength(6);
    for (const child of children) expect(child.provider).toBe(reference);
  });

  test('with a directory image, the Kubernetes provider reaches the Kubernetes children and a docker-build provider the Image', async () => {
    const mocks = await startMocks();
    const dockerBuild = await import('@pulumi/docker-build');
    const cluster = new k8s.Provider('cluster', {});
    const builder = new dockerBuild.Provider('builder', {});
    new ModelService('ranker', { ...directoryProps('tfserving'), imageBuildOptions: { contextDirectory: tempDir() } }, { providers: [cluster, builder] });
    await mocks.settle();
    for (const child of kubernetesChildren(mocks, 'ranker')) expect(child.provider).toBe(`${mocks.byName('cluster').urn}::cluster-id`);
    expect(mocks.byName('ranker-image').provider).toBe(`${mocks.byName('builder').urn}::builder-id`);
  });
});

describe('images built from a model directory', () => {
  test('the context is written, a docker-build Image child pushes it by its content tag, and the Deployment runs the pushed digest', async () => {
    const mocks = await startMocks();
    const contextDirectory = tempDir();
    const props = directoryProps('tfserving');
    const service = new ModelService('ranker', { ...props, namespace: 'serving', imageBuildOptions: { contextDirectory, platforms: ['linux/amd64'] } });
    await mocks.settle();

    const build = service.imageBuild!;
    expect(build.repository).toBe('registry.example.com/ml/tfserving');
    const image = mocks.byName('ranker-image');
    // Retained on delete: another stack may pin the same content-hash image.
    expect(image).toMatchObject({ type: DOCKER_BUILD_IMAGE, custom: true, parent: mocks.byName('ranker').urn, retainOnDelete: true });
    for (const child of mocks.childrenOf('ranker').filter((c) => c !== image)) expect(child.retainOnDelete).toBe(false);
    expect(image.inputs).toEqual({
      context: { location: contextDirectory },
      dockerfile: { location: path.join(contextDirectory, 'Dockerfile') },
      push: true,
      tags: [build.reference],
      platforms: ['linux/amd64'],
      // The docker-build SDK's own defaults.
      buildOnPreview: true,
      network: 'default',
    });
    for (const file of build.files) {
      const written = path.join(contextDirectory, file.path);
      expect(fs.readFileSync(written).equals(file.data)).toBe(true);
      expect(fs.statSync(written).mode & 0o777).toBe(file.mode);
    }

    const pinned = `${build.repository}@${mockDigest('ranker-image')}`;
    const deployment = mocks.byName('ranker-deployment');
    expect(containersOf(deployment.inputs).find((c) => c.name === 'server')!.image).toBe(pinned);
    // The Deployment depends on the Image through the digest, and is otherwise the rendered one.
    expect(deployment.dependencies).toContain(image.urn);
    const rendered = render({ ...props, namespace: 'serving' }, 'ranker');
    expect(containersOf(rendered.deployment).find((c) => c.name === 'server')!.image).toBe(build.reference);
    expect(mocks.childrenOf('ranker').filter((c) => c.type !== DOCKER_BUILD_IMAGE).map((c) => c.inputs).sort(byKind)).toEqual(withServerImage(rendered.objects, pinned).sort(byKind));
    expect(await valueOf(service.image)).toBe(pinned);
    expect(mocks.outputsOf('ranker')['image']).toBe(pinned);
  });

  test('registry images pass through unchanged, with no Image child', async () => {
    const mocks = await startMocks();
    const service = new ModelService('churn', MINIMAL_PROPS.custom());
    await mocks.settle();
    expect(service.builtImage).toBeUndefined();
    expect(mocks.registrations.map((r) => r.type)).not.toContain(DOCKER_BUILD_IMAGE);
    expect(containersOf(mocks.byName('churn-deployment').inputs)[0]!.image).toBe('ghcr.io/acme/scorer:1.4.2');
    expect(await valueOf(service.image)).toBe('ghcr.io/acme/scorer:1.4.2');
  });

  test('in a preview before the push the pinned reference is unknown, not the tag', async () => {
    const mocks = await startMocks({ preview: true });
    const { digestReference } = await import('../../lib/pulumi');
    const reference = digestReference('registry.example.com/ml/ranker', '');
    // Output.isKnown is the SDK's own (untyped) flag for "known after the update".
    expect(await (reference as unknown as { isKnown: Promise<boolean> }).isKnown).toBe(false);
    await mocks.settle();
  });

  test('outside a preview, a missing digest fails instead of deploying an unpinned image', async () => {
    const mocks = await startMocks();
    const { digestReference } = await import('../../lib/pulumi');
    const reference = digestReference('registry.example.com/ml/ranker', '');
    expect(String(await rejectionOf(reference))).toMatch(/registry.example.com\/ml\/ranker has no pushed digest/);
    await mocks.settle();
  });
});

describe('namespace and outputs', () => {
  test('a namespace from another resource is placed into every object; the objects equal a plain-namespace rendering', async () => {
    const mocks = await startMocks();
    const namespace = new k8s.core.v1.Namespace('serving', { metadata: { name: 'serving' } });
    const service = new ModelService('fraud', { ...MINIMAL_PROPS.torchserve(), namespace: namespace.metadata.name });
    await mocks.settle();
    const rendered = render({ ...MINIMAL_PROPS.torchserve(), namespace: 'serving' }, 'fraud');
    expect(mocks.childrenOf('fraud').map((c) => c.inputs).sort(byKind)).toEqual([...rendered.objects].sort(byKind));
    // The children wait for the Namespace, through the Output.
    expect(mocks.byName('fraud-deployment').dependencies).toContain(mocks.byName('serving').urn);
    expect(await valueOf(service.namespace)).toBe('serving');
  });

  test('a namespace Output that is not a DNS-1123 label fails once known, with the same ValidationError', async () => {
    const mocks = await startMocks();
    const { checkedNamespace } = await import('../../lib/pulumi');
    const checked = checkedNamespace('fraud', pulumi.output('Bad_NS'));
    const error = await rejectionOf(checked);
    expect(error).toBeInstanceOf(ValidationError);
    expect(String(error)).toMatch(/fraud: namespace: got "Bad_NS"; expected a DNS-1123 label/);
    await mocks.settle();
  });

  test('registerOutputs: namespace, service name, in-cluster endpoint and image', async () => {
    const mocks = await startMocks();
    const service = new ModelService('fraud', { ...MINIMAL_PROPS.torchserve(), namespace: 'serving' });
    await mocks.settle();
    const image = containersOf(render(MINIMAL_PROPS.torchserve()).deployment)[0]!.image;
    const expected = { namespace: 'serving', serviceName: 'fraud', endpoint: 'http://fraud.serving.svc.cluster.local:8080', image };
    expect(mocks.outputsOf('fraud')).toEqual(expected);
    expect({
      namespace: await valueOf(service.namespace),
      serviceName: await valueOf(service.serviceName),
      endpoint: await valueOf(service.endpoint),
      image: await valueOf(service.image),
    }).toEqual(expected);
    expect(service.name).toBe('fraud');
  });

  test('without a namespace the endpoint is the bare service name, on each runtime\'s HTTP port', async () => {
    const mocks = await startMocks();
    const endpoints = (['tfserving', 'triton', 'vllm', 'custom'] as const).map((kind) => new ModelService(kind, MINIMAL_PROPS[kind]()).endpoint);
    await mocks.settle();
    expect(await Promise.all(endpoints.map(valueOf))).toEqual(['http://tfserving:8501', 'http://triton:8000', 'http://vllm:8000', 'http://custom:8080']);
  });
});

function byKind(a: unknown, b: unknown): number {
  return (a as { kind: string }).kind.localeCompare((b as { kind: string }).kind);
}

describe('autoscale', () => {
  const queue = { target: ScalingTarget.runtimeQueue(), maxReplicas: 10 };

  test("an Autoscaler child owns the replicas: its HorizontalPodAutoscaler is the core's, and the Deployment leaves spec.replicas to it", async () => {
    const mocks = await startMocks();
    const props = { ...MINIMAL_PROPS.torchserve(), namespace: 'serving' };
    const service = new ModelService('fraud', { ...props, autoscale: queue });
    await mocks.settle();

    const rendered = render(props, 'fraud');
    const expected = renderAutoscaler(rendered, queue, new Problems('fraud').at('autoscale'));
    const autoscaler = mocks.byName('fraud-autoscaler');
    expect(autoscaler).toMatchObject({ type: 'modelship:index:Autoscaler', custom: false, parent: mocks.byName('fraud').urn });
    expect(mocks.childrenOf('fraud-autoscaler').map((c) => [c.type, c.name])).toEqual([['kubernetes:autoscaling/v2:HorizontalPodAutoscaler', 'fraud-autoscaler-horizontalpodautoscaler']]);
    expect(mocks.byName('fraud-autoscaler-horizontalpodautoscaler').inputs).toEqual(expected.autoscaler);
    expect(service.autoscaler).toBeInstanceOf(Autoscaler);
    expect(service.autoscaler!.report).toEqual(expected.report);
    expect(await valueOf(service.autoscaler!.reportMarkdown)).toContain('ts_queue_latency_microseconds');
    expect(mocks.outputsOf('fraud-autoscaler')).toEqual({ reportMarkdown: formatAutoscalerReport(expected.report) });

    const { replicas, ...spec } = rendered.deployment['spec'] as Record<string, unknown>;
    expect(replicas).toBe(2);
    expect(mocks.byName('fraud-deployment').inputs).toEqual({ ...rendered.deployment, spec });
    // A rolling update may replace up to maxReplicas pods, one at a time.
    const deadline = rendered.budget.progressDeadlineSeconds;
    expect(mocks.byName('fraud-deployment').customTimeouts).toMatchObject({ create: `${deadline + 60}s`, update: `${10 * deadline + 60}s` });
    // The component reports the timeouts its Deployment was registered with.
    expect(service.customTimeouts).toEqual({ create: `${deadline + 60}s`, update: `${10 * deadline + 60}s` });
  });

  test('scale to zero registers a KEDA ScaledObject as a CustomResource, with a namespace from another resource in its query', async () => {
    const mocks = await startMocks();
    const namespace = new k8s.core.v1.Namespace('team-a', { metadata: { name: 'team-a' } });
    const options = { ...queue, scaleToZero: { activation: ActivationSignal.prometheus('sum(rate(nginx_ingress_controller_requests{exported_service="fraud"}[2m]))') } };
    const service = new ModelService('fraud', { ...MINIMAL_PROPS.torchserve(), namespace: namespace.metadata.name, autoscale: options });
    await mocks.settle();
    const scaledObject = mocks.byName('fraud-autoscaler-scaledobject');
    expect(scaledObject.type).toBe('kubernetes:keda.sh/v1alpha1:ScaledObject');
    const expected = renderAutoscaler(render({ ...MINIMAL_PROPS.torchserve(), namespace: 'team-a' }, 'fraud'), options, new Problems('fraud').at('autoscale')).autoscaler;
    expect(scaledObject.inputs).toEqual(expected);
    expect(JSON.stringify(scaledObject.inputs)).toContain('namespace=\\"team-a\\"');
    // The report of the object registered, not of the rendering before the namespace was known.
    expect(await valueOf(service.autoscaler!.reportMarkdown)).toContain('namespace="team-a"');
    expect(scaledObject.dependencies).toContain(mocks.byName('team-a').urn);
  });

  test('a Kubernetes provider reaches the autoscaler\'s resource too', async () => {
    const mocks = await startMocks();
    const provider = new k8s.Provider('cluster', {});
    new ModelService('fraud', { ...MINIMAL_PROPS.torchserve(), autoscale: queue }, { provider });
    await mocks.settle();
    expect(mocks.byName('fraud-autoscaler-horizontalpodautoscaler').provider).toBe(`${mocks.byName('cluster').urn}::cluster-id`);
  });

  test('fixed replicas and bad options are refused together, before anything is registered', async () => {
    const mocks = await startMocks();
    const args = { ...MINIMAL_PROPS.torchserve(), replicas: 3, autoscale: { target: ScalingTarget.runtimeQueue() } };
    expect(() => new ModelService('fraud', args)).toThrow(ValidationError);
    let error: ValidationError | undefined;
    try {
      new ModelService('fraud', args);
    } catch (e) {
      error = e as ValidationError;
    }
    expect(error!.problems.map((p) => `${p.construct}: ${p.prop}`)).toEqual(['fraud: replicas', 'fraud: autoscale.maxReplicas']);
    expect(error!.message).toContain('fraud: replicas: got 3; expected no fixed replicas on an autoscaled ModelService: the autoscaler owns spec.replicas (size it with minReplicas)');
    await mocks.settle();
    expect(mocks.registrations).toEqual([]);
  });
});
