/**
 * The plain functions the Pulumi component is a shell over, tested without mocks: the plan of
 * typed resources, the await timeouts, Inputs placed into objects, and build contexts on disk.
 */
import * as fs from 'fs';
import * as path from 'path';
import {
  AWAIT_MARGIN_SECONDS,
  childResourceName,
  deploymentAwaitSeconds,
  deploymentCustomTimeouts,
  dockerBuildImageArgs,
  IMAGE_CONTEXT_ROOT,
  imageContextDirectory,
  placeInputs,
  registerKubernetesResources,
  rolloutBatches,
  toPulumiResources,
  writeImageContext,
  type KubeObject,
  type StartupBudget,
} from '../../lib/pulumi';
import { MINIMAL_PROPS, render } from '../support/fixtures';
import { childName, containersOf } from './support/expected';
import { tempDir } from './support/temp';
import { directoryProps } from '../core/images/support';


describe('toPulumiResources', () => {
  test('one plan per object in apply order: typed kind, child name, the object as args', () => {
    const rendered = render({ ...MINIMAL_PROPS.torchserve(), namespace: 'serving' });
    const plans = toPulumiResources('fraud', rendered);
    expect(plans.map((p) => [p.apiVersion, p.kind, p.name])).toEqual([
      ['v1', 'ServiceAccount', 'fraud-serviceaccount'],
      ['v1', 'ConfigMap', 'fraud-configmap'],
      ['apps/v1', 'Deployment', 'fraud-deployment'],
      ['v1', 'Service', 'fraud-service'],
      ['policy/v1', 'PodDisruptionBudget', 'fraud-poddisruptionbudget'],
      ['networking.k8s.io/v1', 'NetworkPolicy', 'fraud-networkpolicy'],
    ]);
    expect(plans.map((p) => p.args)).toEqual(rendered.objects);
    expect(plans.map((p) => p.dependsOn)).toEqual([[], [], ['fraud-serviceaccount', 'fraud-configmap'], [], [], []]);
    const timeouts = deploymentCustomTimeouts(rendered.deployment, rendered.budget);
    expect(plans.map((p) => p.customTimeouts)).toEqual([undefined, undefined, timeouts, timeouts, undefined, undefined]);
  });

  test('autoscaled: the Deployment leaves spec.replicas to the autoscaler and its rollout is awaited for the autoscaler\'s maximum', () => {
    const rendered = render(MINIMAL_PROPS.torchserve());
    const plans = toPulumiResources('fraud', rendered, {}, { autoscaledUpTo: 6 });
    const deployment = plans.find((p) => p.kind === 'Deployment')!;
    const { replicas: _, ...spec } = rendered.deployment['spec'] as Record<string, unknown>;
    expect(deployment.args).toEqual({ ...rendered.deployment, spec });
    expect(deployment.customTimeouts).toEqual(deploymentCustomTimeouts(rendered.deployment, rendered.budget, 6));
    expect(deploymentAwaitSeconds(rendered.deployment, rendered.budget, 6).update).toBe(6 * rendered.budget.progressDeadlineSeconds + 60);
    expect(plans.filter((p) => p.kind !== 'Deployment').map((p) => p.args)).toEqual(rendered.objects.filter((o) => o.kind !== 'Deployment'));
  });

  test('without a ConfigMap the Deployment waits for the ServiceAccount only', () => {
    const plans = toPulumiResources('vision', render(MINIMAL_PROPS.triton(), 'vision'));
    expect(plans.find((p) => p.kind === 'Deployment')!.dependsOn).toEqual(['vision-serviceaccount']);
  });

  test('placed Inputs reach every object\'s namespace and the server container, leaving the rendering unchanged', () => {
    const rendered = render(directoryProps('torchserve'));
    const before = JSON.stringify(rendered.objects);
    const plans = toPulumiResources('fraud', rendered, { namespace: 'team-a', serverImage: 'registry.example.com/ml/torchserve@sha256:' + 'b'.repeat(64) });
    for (const plan of plans) expect((plan.args['metadata'] as { namespace: string }).namespace).toBe('team-a');
    const deployment = plans.find((p) => p.kind === 'Deployment')!.args;
    expect(containersOf(deployment).map((c) => [c.name, c.image])).toEqual([['server', 'registry.example.com/ml/torchserve@sha256:' + 'b'.repeat(64)]]);
    expect(JSON.stringify(rendered.objects)).toBe(before);
  });

  test('a kind without a typed resource class is an error naming it, before anything is registered', () => {
    const plan = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'GRPCRoute', name: 'fraud-grpcroute', args: {}, dependsOn: [] };
    expect(() => registerKubernetesResources([plan], {})).toThrow('modelship: no typed Pulumi resource for gateway.networking.k8s.io/v1 GRPCRoute');
  });

  test('child names are the component name, a dash and the lower-case kind', () => {
    expect(childResourceName('fraud', 'deployment')).toBe('fraud-deployment');
    const rendered = render(MINIMAL_PROPS.custom(), 'churn');
    expect(toPulumiResources('churn-prod', rendered).map((p) => p.name)).toEqual(rendered.objects.map((o) => childName('churn-prod', o)));
  });
});

describe('placeInputs', () => {
  const object: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'a', labels: { x: 'y' } } };

  test('keeps the core\'s key order in metadata and touches nothing without Inputs', () => {
    expect(Object.keys(placeInputs(object, { namespace: 'n' })['metadata'] as object)).toEqual(['name', 'namespace', 'labels']);
    expect(placeInputs(object, {})).toEqual(object);
    expect(placeInputs(object, { serverImage: 'x:1' })).toEqual(object);
  });

  test('a Deployment without a server container is an error, not a silent miss', () => {
    const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'other', image: 'x:1' }] } } } };
    expect(() => placeInputs(deployment, { serverImage: 'y:1' })).toThrow(/Deployment d has no "server" container/);
  });
});

describe('await timeouts', () => {
  const budget = (progressDeadlineSeconds: number) => ({ progressDeadlineSeconds }) as StartupBudget;
  const deployment = (spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec });

  test.each([
    [2, 1, 2],
    [5, 2, 3],
    [4, 4, 1],
    [1, 3, 1],
    [10, '25%', 4],
    [4, '50%', 2],
    [3, 0, 3],
  ])('%s replicas, maxSurge %s: %s batches', (replicas, maxSurge, batches) => {
    expect(rolloutBatches(replicas, maxSurge)).toBe(batches);
  });

  test('the TSDoc example: 2 replicas, maxSurge 1, a 480 s deadline: create 540 s, update 1,020 s', () => {
    const seconds = deploymentAwaitSeconds(deployment({ replicas: 2, strategy: { rollingUpdate: { maxSurge: 1 } } }), budget(480));
    expect(seconds).toEqual({ create: 540, update: 1020 });
    expect(AWAIT_MARGIN_SECONDS).toBe(60);
    expect(deploymentCustomTimeouts(deployment({ replicas: 2, strategy: { rollingUpdate: { maxSurge: 1 } } }), budget(480))).toEqual({ create: '540s', update: '1020s' });
  });

  test('Kubernetes\' defaults when the Deployment leaves them out: 1 replica, maxSurge 25%', () => {
    expect(deploymentAwaitSeconds(deployment({}), budget(100))).toEqual({ create: 160, update: 160 });
  });

  test('the rendered defaults: 2 replicas one at a time, so update waits two progress deadlines', () => {
    const rendered = render(MINIMAL_PROPS.vllm());
    const deadline = rendered.budget.progressDeadlineSeconds;
    expect(deploymentAwaitSeconds(rendered.deployment, rendered.budget)).toEqual({ create: deadline + 60, update: 2 * deadline + 60 });
  });
});

describe('build contexts on disk', () => {
  const build = () => render(directoryProps('custom')).imageBuild!;

  test('the default folder is .modelship/images/<resource name>', () => {
    expect(IMAGE_CONTEXT_ROOT).toBe(path.join('.modelship', 'images'));
    expect(imageContextDirectory('churn')).toBe(path.join('.modelship', 'images', 'churn'));
    expect(imageContextDirectory('churn', { contextDirectory: '/x' })).toBe('/x');
  });

  test('writes the exact bytes and modes, leaves matching files untouched, replaces changed ones and removes strays', () => {
    const dir = tempDir();
    const context = build();
    writeImageContext(dir, context);
    const files = (root: string): string[] => fs.readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
    expect(files(dir)).toEqual(context.files.map((f) => f.path).sort());
    for (const file of context.files) {
      expect(fs.readFileSync(path.join(dir, file.path)).equals(file.data)).toBe(true);
      expect(fs.statSync(path.join(dir, file.path)).mode & 0o777).toBe(file.mode);
    }
    expect(context.files.some((f) => f.mode === 0o755)).toBe(true);

    // Edit one file, change another's mode, add strays.
    const [edited, chmodded, untouched] = context.files.filter((f) => f.mode === 0o644);
    fs.writeFileSync(path.join(dir, edited!.path), 'edited');
    fs.chmodSync(path.join(dir, chmodded!.path), 0o600);
    fs.mkdirSync(path.join(dir, 'stale', 'deeper'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'stale', 'deeper', 'file'), 'x');
    fs.writeFileSync(path.join(dir, 'stray.txt'), 'x');
    const old = new Date('2020-01-01T00:00:00Z');
    fs.utimesSync(path.join(dir, untouched!.path), old, old);

    writeImageContext(dir, context);
    expect(files(dir)).toEqual(context.files.map((f) => f.path).sort());
    expect(fs.existsSync(path.join(dir, 'stale'))).toBe(false);
    expect(fs.readFileSync(path.join(dir, edited!.path)).equals(edited!.data)).toBe(true);
    expect(fs.statSync(path.join(dir, chmodded!.path)).mode & 0o777).toBe(0o644);
    // A file that already matched is not rewritten.
    expect(fs.statSync(path.join(dir, untouched!.path)).mtime).toEqual(old);
  });

  test('docker-build args: the context and Dockerfile, pushed under the content tag; paths relative under the working directory', () => {
    const context = build();
    const inside = path.join(IMAGE_CONTEXT_ROOT, 'churn');
    expect(dockerBuildImageArgs(context, inside)).toEqual({
      context: { location: inside },
      dockerfile: { location: path.join(inside, 'Dockerfile') },
      push: true,
      tags: [context.reference],
    });
    expect(dockerBuildImageArgs(context, path.resolve(inside))['context']).toEqual({ location: inside });
    const outside = tempDir();
    const registries = [{ address: 'registry.example.com', username: 'ci', password: 'secret' }];
    expect(dockerBuildImageArgs(context, outside, { registries, platforms: ['linux/amd64', 'linux/arm64'] })).toEqual({
      context: { location: outside },
      dockerfile: { location: path.join(outside, 'Dockerfile') },
      push: true,
      tags: [context.reference],
      registries,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(context.reference).toBe(`${context.repository}:${context.tag}`);
  });
});
