/**
 * The example Pulumi program (examples/pulumi/index.ts, what `pulumi up` runs through
 * Pulumi.yaml) under mocks: a Namespace and one ModelService per model of the shared stack, each
 * with the children its rendering calls for (an Autoscaler where the stack has one), registering
 * the same objects as the cdk8s example.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as pulumi from '@pulumi/pulumi';
import { ApiObject, Chart, Testing } from 'cdk8s';
import { NAMESPACE, NAMESPACE_LABELS, servingAutoscalers, servingStack } from '../../examples/serving-stack';
import { ModelService as Cdk8sModelService } from '../../lib/cdk8s';
import { IMAGE_CONTEXT_ROOT, Problems, renderAutoscaler, renderedServerImage, renderModelService, type KubeObject } from '../../lib/pulumi';
import { childName, kubernetesType, withServerImage } from './support/expected';
import { DOCKER_BUILD_IMAGE, mockDigest, startMocks, valueOf, type PulumiMocks } from './support/mocks';

const COMPONENT = 'modelship:index:ModelService';

/** The example writes build contexts under the working directory, as `pulumi up` would: remove what this test added. */
const contextRoot = path.resolve(IMAGE_CONTEXT_ROOT);
const existedBefore = fs.existsSync(contextRoot) ? new Set(fs.readdirSync(contextRoot)) : undefined;
afterAll(() => {
  if (!existedBefore) fs.rmSync(path.dirname(contextRoot), { recursive: true, force: true });
  else for (const entry of fs.readdirSync(contextRoot)) if (!existedBefore.has(entry)) fs.rmSync(path.join(contextRoot, entry), { recursive: true, force: true });
});

let mocks: PulumiMocks;
let program: { endpoints: Record<string, pulumi.Output<string>>; images: Record<string, pulumi.Output<string>> };
beforeAll(async () => {
  mocks = await startMocks();
  program = await import('../../examples/pulumi');
  await mocks.settle();
});

const autoscalers = servingAutoscalers();
const stack = Object.entries(servingStack()).map(([name, props]) => {
  const rendered = renderModelService({ path: name, defaultName: name }, { ...props, namespace: NAMESPACE });
  const options = autoscalers[name];
  return { name, rendered, autoscaler: options ? renderAutoscaler(rendered, options, new Problems(name).at('autoscale')).autoscaler : undefined };
});

test('the program registers the Namespace and one ModelService per model of the stack, and nothing else at the top', () => {
  const topLevel = mocks.registrations.filter((r) => r.parent === '');
  // Registrations are asynchronous (a resource waits for its inputs): compare as sets.
  expect(topLevel.map((r) => [r.type, r.name]).sort()).toEqual([['kubernetes:core/v1:Namespace', NAMESPACE], ...stack.map(({ name }) => [COMPONENT, name])].sort());
  expect(mocks.byName(NAMESPACE).inputs).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: NAMESPACE_LABELS } });
});

test.each(stack)('$name: the children its rendering calls for, each waiting for the Namespace', ({ name, rendered, autoscaler }) => {
  const children = mocks.childrenOf(name);
  const expected = [
    ...(rendered.imageBuild ? [[DOCKER_BUILD_IMAGE, `${name}-image`]] : []),
    ...(autoscaler ? [['modelship:index:Autoscaler', `${name}-autoscaler`]] : []),
    ...rendered.objects.map((o) => [kubernetesType(o), childName(name, o)]),
  ];
  expect(children.map((c) => [c.type, c.name]).sort()).toEqual(expected.sort());
  expect(children).toHaveLength(rendered.objects.length + (rendered.imageBuild ? 1 : 0) + (autoscaler ? 1 : 0));
  if (autoscaler) {
    const [resource, ...others] = mocks.childrenOf(`${name}-autoscaler`);
    expect(others).toEqual([]);
    expect([resource!.type, resource!.name]).toEqual([kubernetesType(autoscaler), childName(`${name}-autoscaler`, autoscaler)]);
    expect(resource!.inputs).toEqual(autoscaler);
    // The autoscaler owns the replicas.
    expect(mocks.byName(`${name}-deployment`).inputs['spec']).not.toHaveProperty('replicas');
  }
  if (rendered.imageBuild) {
    // Built from examples/models/<name>, written under the working directory and pushed under its content tag.
    const location = path.join(IMAGE_CONTEXT_ROOT, name);
    expect(mocks.byName(`${name}-image`).inputs).toMatchObject({ context: { location }, dockerfile: { location: path.join(location, 'Dockerfile') }, push: true, tags: [rendered.imageBuild.reference] });
    expect(fs.readFileSync(path.join(location, 'Dockerfile'), 'utf8')).toBe(rendered.imageBuild.dockerfile);
  }
  const namespaceUrn = mocks.byName(NAMESPACE).urn;
  for (const child of children.filter((c) => c.type.startsWith('kubernetes:'))) {
    expect(child.dependencies).toContain(namespaceUrn);
    expect((child.inputs['metadata'] as { namespace: string }).namespace).toBe(NAMESPACE);
  }
});

/**
 * The cdk8s front end given the same stack. The namespace is in the props here: examples/cdk8s
 * sets it on its Chart, which stamps it on the objects at synth but which the core never sees,
 * so the KEDA query of its ScaledObject has no namespace filter, where Pulumi renders the
 * namespace in once the Namespace resource gives it.
 */
function cdk8sManifests(): KubeObject[] {
  const chart = new Chart(Testing.app(), 'serving');
  new ApiObject(chart, 'namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NAMESPACE, labels: NAMESPACE_LABELS } });
  for (const [name, props] of Object.entries(servingStack())) {
    const service = new Cdk8sModelService(chart, name, { ...props, namespace: NAMESPACE });
    if (autoscalers[name]) service.autoscale(autoscalers[name]);
  }
  return Testing.synth(chart) as KubeObject[];
}

test('every registered object equals what the cdk8s front end synthesizes for the same stack (built images pinned by digest)', () => {
  const manifests = cdk8sManifests();
  const registered = mocks.registrations.filter((r) => r.type.startsWith('kubernetes:')).map((r) => r.inputs as KubeObject);
  const key = (o: KubeObject) => `${o.kind}/${o.metadata.name}`;
  let expected = manifests;
  for (const { name, rendered } of stack) {
    if (rendered.imageBuild) expected = expected.map((m) => (m.kind === 'Deployment' && m.metadata.name === rendered.name ? withServerImage([m], `${rendered.imageBuild!.repository}@${mockDigest(`${name}-image`)}`)[0]! : m));
  }
  expect(registered.length).toBe(manifests.length);
  expect([...registered].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...expected].sort((a, b) => key(a).localeCompare(key(b))));
});

test('the program exports each model\'s in-cluster endpoint and image', async () => {
  expect(Object.keys(program.endpoints)).toEqual(stack.map((s) => s.name));
  for (const { name, rendered } of stack) {
    const port = rendered.profile.ports.find((p) => p.role === 'http')!.port;
    expect(await valueOf(program.endpoints[name]!)).toBe(`http://${rendered.name}.${NAMESPACE}.svc.cluster.local:${port}`);
    expect(await valueOf(program.images[name]!)).toBe(rendered.imageBuild ? `${rendered.imageBuild.repository}@${mockDigest(`${name}-image`)}` : renderedServerImage(rendered));
  }
});
