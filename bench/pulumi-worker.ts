/**
 * One measurement of the Pulumi benchmark, in a fresh process (forked by bench/pulumi.ts):
 * registers N services under `pulumi.runtime.setMocks`, as modelship ModelServices, as the same
 * objects registered directly as typed `@pulumi/kubernetes` resources, or as those resources
 * inside a bare component per service, and reports time and memory. `verify <n>` instead checks
 * that every mode registers identical objects; `live <mode> <n>` measures the heap that is live
 * once every registration has been issued (untimed: it forces a full GC).
 *
 *   node --expose-gc -r ts-node/register/transpile-only bench/pulumi-worker.ts <modelship|component|raw|verify|live <mode>> <n>
 */
import { deepStrictEqual, strictEqual } from 'assert';
import { performance } from 'perf_hooks';
import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { KubeObject, renderModelService } from '../lib/core';
import { ModelService } from '../lib/pulumi';
import { serviceId, serviceProps } from './mix';
import { LIVE_MODES, PULUMI_MODES, PulumiLiveResult, PulumiMode, PulumiWorkerResult } from './pulumi-protocol';

type ResourceClass = new (name: string, args: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/** The typed class of each kind, as a user writing the resources by hand would pick it. */
const CLASSES: Record<string, ResourceClass> = {
  ServiceAccount: k8s.core.v1.ServiceAccount,
  ConfigMap: k8s.core.v1.ConfigMap,
  Service: k8s.core.v1.Service,
  Deployment: k8s.apps.v1.Deployment as unknown as ResourceClass,
  PodDisruptionBudget: k8s.policy.v1.PodDisruptionBudget,
  NetworkPolicy: k8s.networking.v1.NetworkPolicy,
};

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('bench worker needs --expose-gc');
  collect();
  collect();
}

interface Registered {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  readonly inputs: Record<string, unknown>;
}

/** Installs mocks that answer every registration with its inputs; records them when `record` is given. */
async function mocks(record?: Registered[]): Promise<{ count: () => { all: number; kubernetes: number } }> {
  let all = 0;
  let kubernetes = 0;
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      all++;
      if (args.type.startsWith('kubernetes:')) kubernetes++;
      record?.push({ type: args.type, name: args.name, custom: args.custom ?? false, inputs: args.inputs });
      return { id: `${args.name}-id`, state: args.inputs };
    },
    call: (args) => args.inputs,
  });
  return { count: () => ({ all, kubernetes }) };
}

/** The objects of every service, rendered by the core exactly as the Pulumi ModelService renders them (path and default name = resource name). */
function precompute(n: number): KubeObject[][] {
  return Array.from({ length: n }, (_, i) => renderModelService({ path: serviceId(i), defaultName: serviceId(i) }, serviceProps(i)).objects);
}

function registerModelship(n: number): void {
  for (let i = 0; i < n; i++) new ModelService(serviceId(i), serviceProps(i));
}

/** Each object as its typed resource, named as ModelService names its children, with no component and no options. */
function registerRaw(rendered: KubeObject[][]): void {
  rendered.forEach((objects, i) => {
    for (const object of objects) new CLASSES[object.kind]!(`${serviceId(i)}-${object.kind.toLowerCase()}`, object as pulumi.Inputs);
  });
}

/** A component that holds pre-rendered children and nothing else. */
class BareComponent extends pulumi.ComponentResource {
  public constructor(name: string, objects: KubeObject[]) {
    super('bench:index:BareComponent', name, {}, {});
    for (const object of objects) new CLASSES[object.kind]!(`${name}-${object.kind.toLowerCase()}`, object as pulumi.Inputs, { parent: this });
    this.registerOutputs({});
  }
}

/** The same typed resources as {@link registerRaw}, each service's inside a {@link BareComponent}. */
function registerComponents(rendered: KubeObject[][]): void {
  rendered.forEach((objects, i) => new BareComponent(serviceId(i), objects));
}

/** Throws unless both modes register the same Kubernetes resources with deep-equal inputs. */
async function verify(n: number): Promise<void> {
  const run = async (register: () => void): Promise<Registered[]> => {
    const record: Registered[] = [];
    await mocks(record);
    register();
    await pulumi.runtime.disconnect();
    return record.filter((r) => r.custom).sort((a, b) => a.name.localeCompare(b.name));
  };
  const ours = await run(() => registerModelship(n));
  const raw = await run(() => registerRaw(precompute(n)));
  const components = await run(() => registerComponents(precompute(n)));
  strictEqual(ours.length, raw.length, 'Kubernetes resources registered by modelship vs the raw baseline');
  deepStrictEqual(ours, raw, 'type, name and inputs of every resource, modelship vs the raw baseline');
  deepStrictEqual(components, raw, 'type, name and inputs of every resource, bare components vs the raw baseline');
  const objects = precompute(n)
    .flatMap((list, i) => list.map((object) => ({ name: `${serviceId(i)}-${object.kind.toLowerCase()}`, object })))
    .sort((a, b) => a.name.localeCompare(b.name));
  deepStrictEqual(raw.map((r) => r.inputs), objects.map((o) => o.object), "inputs of the raw baseline vs the core's objects");
}

/** The pre-rendered objects of the current measurement, reachable until the process exits (see {@link measure}). */
export let heldUntilExit: unknown;

async function measure(mode: PulumiMode, n: number): Promise<PulumiWorkerResult> {
  // Every mode holds the baselines' pre-rendered objects when the timed region starts, modelship
  // too (which renders its own inside the region and leaves these unused). V8 sets each major
  // collection's trigger at a multiple of the heap live after the previous one, so the live heap
  // at the start decides when every later collection runs, and the peak RSS with it: a run that
  // starts lighter collects earlier and ends with more uncollected garbage, while it holds no more
  // at any point (the `modelship-lighter-start` mode measures this). They stay reachable until
  // the process ends in every mode, so that no mode's collections see them go early.
  const rendered = mode === 'modelship-lighter-start' ? [] : precompute(n);
  heldUntilExit = rendered;
  const counter = await mocks();
  gc();
  const rssBeforeBytes = process.memoryUsage().rss;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  register(mode, n, rendered);
  await pulumi.runtime.disconnect();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const { all, kubernetes } = counter.count();
  return {
    mode,
    n,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    rssBeforeBytes,
    registrations: all,
    kubernetesResources: kubernetes,
  };
}

/**
 * The heap live (after a full GC) once all N services have been registered and before the mock
 * engine has answered: everything the program and the SDK hold at the height of the run,
 * independent of when V8 happens to collect (which decides peak RSS).
 */
async function live(mode: PulumiMode, n: number): Promise<PulumiLiveResult> {
  await mocks();
  gc();
  const before = process.memoryUsage().heapUsed;
  // The baselines' objects are rendered after the first reading, so they count as modelship's do.
  register(mode, n, mode === 'modelship' ? [] : precompute(n));
  gc();
  const liveHeapBytes = process.memoryUsage().heapUsed - before;
  await pulumi.runtime.disconnect();
  return { mode, n, liveHeapBytes };
}

function register(mode: PulumiMode, n: number, rendered: KubeObject[][]): void {
  if (mode === 'modelship' || mode === 'modelship-lighter-start') registerModelship(n);
  else if (mode === 'component') registerComponents(rendered);
  else registerRaw(rendered);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === 'live' && LIVE_MODES.includes(args[1] as PulumiMode) && Number.isInteger(Number(args[2])) && Number(args[2]) >= 1) {
    const result = await live(args[1] as PulumiMode, Number(args[2]));
    if (process.send) process.send(result);
    else console.log(JSON.stringify(result));
    return;
  }
  const [command, count] = args;
  const n = Number(count);
  if (!(command === 'verify' || PULUMI_MODES.includes(command as PulumiMode)) || !Number.isInteger(n) || n < 1) {
    console.error(`usage: pulumi-worker <verify|${PULUMI_MODES.join('|')}|live <mode>> <n>`);
    process.exit(2);
  }
  let result: PulumiWorkerResult | { verified: number };
  if (command === 'verify') {
    await verify(n);
    result = { verified: n };
  } else {
    result = await measure(command as PulumiMode, n);
  }
  if (process.send) process.send(result);
  else console.log(JSON.stringify(result));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
