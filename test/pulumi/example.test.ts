/**
 * The example Pulumi program (examples/pulumi/index.ts, what `pulumi up` runs through
 * Pulumi.yaml) under mocks: one ServingCluster with one ModelService per model of the shared
 * stack, each with the children its rendering calls for (an Autoscaler where the stack has one,
 * its route and monitoring), registering the same objects as the cdk8s example.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { Testing } from 'cdk8s';
import { ServingChart } from '../../examples/cdk8s/main';
import { NAMESPACE, servingAutoscalers, servingStack } from '../../examples/serving-stack';
import { IMAGE_CONTEXT_ROOT, renderedServerImage, type KubeObject } from '../../lib/pulumi';
import { childName, kubernetesType, withServerImage } from './support/expected';
import { DOCKER_BUILD_IMAGE, mockDigest, startMocks, valueOf, type PulumiMocks } from './support/mocks';

const CLUSTER = 'modelship:index:ServingCluster';
const COMPONENT = 'modelship:index:ModelService';

/** The example writes build contexts under the working directory, as `pulumi up` would: remove what this test added. */
const contextRoot = path.resolve(IMAGE_CONTEXT_ROOT);
const existedBefore = fs.existsSync(contextRoot) ? new Set(fs.readdirSync(contextRoot)) : undefined;
afterAll(() => {
  if (!existedBefore) fs.rmSync(path.dirname(contextRoot), { recursive: true, force: true });
  else for (const entry of fs.readdirSync(contextRoot)) if (!existedBefore.has(entry)) fs.rmSync(path.join(contextRoot, entry), { recursive: true, force: true });
});

let mocks: PulumiMocks;
let program: { endpoints: Record<string, pulumi.Output<string>>; images: Record<string, pulumi.Output<string>>; capacityReport: string | undefined };
beforeAll(async () => {
  mocks = await startMocks();
  program = await import('../../examples/pulumi');
  await mocks.settle();
});

/** The cdk8s example chart: the same stack through the other front end. */
const chart = new ServingChart(Testing.app(), 'serving');
const manifests = Testing.synth(chart) as KubeObject[];
const autoscalers = servingAutoscalers();
const stack = chart.cluster.models.map((service) => ({ name: service.name, resource: `cluster-${service.name}`, rendered: service.rendered, autoscaler: service.autoscaler?.resource.toJson() as KubeObject | undefined }));

test('the program registers one ServingCluster and nothing else at the top; its children are the namespace-level objects and one ModelService per model', () => {
  expect(mocks.registrations.filter((r) => r.parent === '').map((r) => [r.type, r.name])).toEqual([[CLUSTER, 'cluster']]);
  const children = mocks.childrenOf('cluster').map((r) => [r.type, r.name]);
  expect(children.filter(([type]) => type === COMPONENT).map(([, name]) => name).sort()).toEqual(Object.keys(servingStack()).map((n) => `cluster-${n}`).sort());
  expect(children.filter(([type]) => type !== COMPONENT).map(([, name]) => name).sort()).toEqual([
    'cluster-limitrange', 'cluster-namespace', 'cluster-networkpolicy', 'cluster-priorityclass-batch', 'cluster-priorityclass-critical', 'cluster-priorityclass-standard', 'cluster-resourcequota',
  ]);
  expect((mocks.byName('cluster-namespace').inputs['metadata'] as { name: string }).name).toBe(NAMESPACE);
});

test.each(stack)('$name: the children its rendering calls for, each waiting for the Namespace', ({ name, resource, rendered, autoscaler }) => {
  const children = mocks.childrenOf(resource);
  const ownObjects = manifests.filter((m) => m.metadata.name === name || m.metadata.name === `${name}-config` || m.metadata.name === `${name}-dashboard`).filter((m) => m.kind !== 'HorizontalPodAutoscaler' && m.kind !== 'ScaledObject');
  const childOf = (o: KubeObject) => (o.kind === 'ConfigMap' && o.metadata.name.endsWith('-dashboard') ? `${resource}-dashboard` : childName(resource, o));
  const expected = [
    ...(rendered.imageBuild ? [[DOCKER_BUILD_IMAGE, `${resource}-image`]] : []),
    ...(autoscaler ? [['modelship:index:Autoscaler', `${resource}-autoscaler`]] : []),
    ...ownObjects.map((o) => [kubernetesType(o), childOf(o)]),
  ];
  expect(children.map((c) => [c.type, c.name]).sort()).toEqual(expected.sort());
  if (autoscalers[name]) {
    const [scaler, ...others] = mocks.childrenOf(`${resource}-autoscaler`);
    expect(others).toEqual([]);
    expect(scaler!.inputs).toEqual(autoscaler);
    expect(mocks.byName(`${resource}-deployment`).inputs['spec']).not.toHaveProperty('replicas');
  }
  if (rendered.imageBuild) {
    const location = path.join(IMAGE_CONTEXT_ROOT, resource);
    expect(mocks.byName(`${resource}-image`).inputs).toMatchObject({ context: { location }, push: true, tags: [rendered.imageBuild.reference] });
  }
  const namespaceUrn = mocks.byName('cluster-namespace').urn;
  for (const child of children.filter((c) => c.type.startsWith('kubernetes:'))) {
    expect(child.dependencies).toContain(namespaceUrn);
    expect((child.inputs['metadata'] as { namespace: string }).namespace).toBe(NAMESPACE);
  }
});

test('every registered object equals what the cdk8s example synthesizes (built images pinned by digest)', () => {
  const registered = mocks.registrations.filter((r) => r.type.startsWith('kubernetes:')).map((r) => r.inputs as KubeObject);
  const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
  let expected = manifests;
  for (const { resource, rendered } of stack) {
    if (rendered.imageBuild) expected = expected.map((m) => (m.kind === 'Deployment' && m.metadata.name === rendered.name ? withServerImage([m], `${rendered.imageBuild!.repository}@${mockDigest(`${resource}-image`)}`)[0]! : m));
  }
  expect(registered.length).toBe(manifests.length);
  expect([...registered].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
});

test('the program exports each model\'s in-cluster endpoint and image, and the capacity report', async () => {
  expect(Object.keys(program.endpoints)).toEqual(stack.map((s) => s.name));
  for (const { name, resource, rendered } of stack) {
    const port = rendered.profile.ports.find((p) => p.role === 'http')!.port;
    expect(await valueOf(program.endpoints[name]!)).toBe(`http://${rendered.name}.${NAMESPACE}.svc.cluster.local:${port}`);
    expect(await valueOf(program.images[name]!)).toBe(rendered.imageBuild ? `${rendered.imageBuild.repository}@${mockDigest(`${resource}-image`)}` : renderedServerImage(rendered));
  }
  expect(program.capacityReport).toMatch(/^# Capacity plan of serving\n/);
});
