/**
 * Pulumi mocks that record every registration as the engine would receive it: type, name,
 * parent URN, provider reference, custom timeouts, dependencies, `retainOnDelete` and inputs, plus the outputs
 * each component registers. `pulumi.runtime.setMocks` alone shows only type, name, inputs and
 * provider; the rest is read from the RegisterResource requests by wrapping the mock monitor.
 *
 * Each test file has its own module registry under jest, so its own Pulumi runtime state; call
 * {@link startMocks} in each test for a fresh recorder and `await mocks.settle()` before reading.
 */
import { createHash } from 'crypto';
import * as pulumi from '@pulumi/pulumi';

/** The type token of `@pulumi/docker-build`'s Image. */
export const DOCKER_BUILD_IMAGE = 'docker-build:index:Image';

/** The digest the mocks give the docker-build Image named `name`: `sha256:` + sha256(name). */
export function mockDigest(name: string): string {
  return `sha256:${createHash('sha256').update(name).digest('hex')}`;
}

/** One RegisterResource request. */
export interface Registration {
  readonly type: string;
  readonly name: string;
  readonly custom: boolean;
  /** URN of the parent ('' for none). */
  readonly parent: string;
  /** Provider reference, `<provider urn>::<provider id>` ('' for the default provider). */
  readonly provider: string;
  readonly customTimeouts: { readonly create: string; readonly update: string; readonly delete: string };
  /** URNs of the resources in `dependsOn`. */
  readonly dependencies: readonly string[];
  /** The `retainOnDelete` option. */
  readonly retainOnDelete: boolean;
  readonly inputs: Record<string, unknown>;
  /** Set once the mock monitor answered. */
  urn?: string;
}

/** Records what a program registers under mocks. */
export class PulumiMocks {
  /** Every registration, in the order the SDK sent them. */
  public readonly registrations: Registration[] = [];
  /** Outputs registered by components (`registerOutputs`), by URN. */
  public readonly outputs = new Map<string, Record<string, unknown>>();

  /** The registration named `name`; fails if there is not exactly one. */
  public byName(name: string): Registration {
    const found = this.registrations.filter((r) => r.name === name);
    if (found.length !== 1) throw new Error(`expected one registration named ${name}, found ${found.length}: ${this.registrations.map((r) => r.name).join(', ')}`);
    return found[0]!;
  }

  /** The registrations whose parent is the resource named `name`, in registration order. */
  public childrenOf(name: string): Registration[] {
    const parent = this.byName(name).urn;
    return this.registrations.filter((r) => r.parent === parent);
  }

  /** The outputs the component named `name` registered; fails if it registered none. */
  public outputsOf(name: string): Record<string, unknown> {
    const outputs = this.outputs.get(this.byName(name).urn ?? '');
    if (!outputs) throw new Error(`${name} registered no outputs`);
    return outputs;
  }

  /** Waits until every registration and output registration has been answered. */
  public async settle(): Promise<void> {
    await pulumi.runtime.disconnect();
  }
}

interface Request {
  getType(): string;
  getName(): string;
  getCustom(): boolean;
  getParent(): string;
  getProvider(): string;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getDependenciesList(): string[];
  getRetainondelete(): boolean;
  getObject(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
  getUrn(): string;
  getOutputs(): Parameters<typeof pulumi.runtime.deserializeProperties>[0];
}
type Callback = (error: unknown, response?: { getUrn(): string }) => void;
interface Monitor {
  registerResource(request: Request, callback: Callback): void;
  registerResourceOutputs(request: Request, callback: Callback): void;
}

/**
 * Installs fresh mocks (awaited) and returns their recorder. Resources get the id `<name>-id`
 * and their inputs as state; docker-build Images also get `digest` ({@link mockDigest}) and `ref`.
 */
export async function startMocks(options: { preview?: boolean } = {}): Promise<PulumiMocks> {
  const mocks = new PulumiMocks();
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => ({
        id: `${args.name}-id`,
        state: args.type === DOCKER_BUILD_IMAGE
          ? { ...args.inputs, digest: mockDigest(args.name), ref: `${(args.inputs.tags as string[])[0]}@${mockDigest(args.name)}` }
          : args.inputs,
      }),
      call: (args) => args.inputs,
    },
    'modelship-test',
    'test',
    options.preview ?? false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor;
  const registerResource = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const timeouts = request.getCustomtimeouts();
    const registration: Registration = {
      type: request.getType(),
      name: request.getName(),
      custom: request.getCustom(),
      parent: request.getParent(),
      provider: request.getProvider(),
      customTimeouts: { create: timeouts?.getCreate() ?? '', update: timeouts?.getUpdate() ?? '', delete: timeouts?.getDelete() ?? '' },
      dependencies: request.getDependenciesList(),
      retainOnDelete: request.getRetainondelete(),
      inputs: pulumi.runtime.deserializeProperties(request.getObject()) as Record<string, unknown>,
    };
    mocks.registrations.push(registration);
    registerResource(request, (error, response) => {
      registration.urn = response?.getUrn();
      callback(error, response);
    });
  };
  const registerResourceOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (request, callback) => {
    mocks.outputs.set(request.getUrn(), pulumi.runtime.deserializeProperties(request.getOutputs()) as Record<string, unknown>);
    registerResourceOutputs(request, callback);
  };
  return mocks;
}

/** The value of an Output (under mocks every Output is known). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((value) => resolve(value)));
}

/**
 * The error an Output's apply failed with. An Output keeps several promises derived from its
 * value (its value, `isKnown`, `isSecret`; SDK internals without public types): all of them are
 * awaited here, so none is left rejecting unhandled.
 */
export async function rejectionOf(output: pulumi.Output<unknown>): Promise<unknown> {
  const internals = output as unknown as { promise(): Promise<unknown>; isKnown: Promise<boolean>; isSecret: Promise<boolean> };
  const results = await Promise.allSettled([internals.promise(), internals.isKnown, internals.isSecret]);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (!rejected) throw new Error('expected the Output to fail');
  return rejected.reason;
}
