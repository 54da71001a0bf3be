/**
 * The example model directories (examples/models/*) as ModelServices: the props the example
 * stack uses for them, rendered with the library, plus helpers to read the rendered Deployment
 * (container, ports, probes) the way the kubelet would.
 *
 * The props are the example stack's own (examples/serving-stack.ts), so the e2e suite builds
 * exactly what `cdk8s synth` of the example writes.
 */
import * as path from 'node:path';
import { ModelServiceProps, RenderedModelService, renderModelService } from '../../../lib/core';
import { servingStack } from '../../../examples/serving-stack';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
/** examples/models, where the example model directories live. */
export const EXAMPLE_MODELS = path.join(REPO_ROOT, 'examples', 'models');
/** The registry the example pushes to (nothing is pushed in the e2e suite). */
export const EXAMPLE_REGISTRY = 'registry.example.com/ml';
/**
 * The custom runtime's base image: pinned by tag (not digest) so that the e2e suite can stand in
 * for it with the local Debian python3 base (`tagStandInsFor`); the official python image puts
 * python3 in /usr/local/bin, Debian in /usr/bin, and the server runs with either.
 */
export const CHURN_BASE_IMAGE = 'python:3.11.11-slim-bookworm';

/** The example model directories, by service name. */
export type ExampleModel = 'fraud' | 'recommender' | 'vision' | 'summarizer' | 'churn';

/**
 * The ModelService props of an example model directory: exactly those of the example stack.
 *
 * @param modelsDir where the model directories are (default examples/models); the e2e suite
 *   passes a temporary copy to change a file.
 */
export function exampleModelProps(model: ExampleModel, modelsDir: string = EXAMPLE_MODELS): ModelServiceProps {
  return servingStack(modelsDir)[model]!;
}

/** Renders an example model's service (the image build context included). */
export function renderExample(model: ExampleModel, modelsDir?: string): RenderedModelService {
  return renderModelService({ path: `e2e/${model}`, defaultName: model }, { name: model, ...exampleModelProps(model, modelsDir) });
}

/** The rendered server container, as the kubelet would run it. */
export interface ServerContainer {
  readonly image: string;
  readonly command?: string[];
  readonly args?: string[];
  readonly env?: { name: string; value?: string; valueFrom?: unknown }[];
  readonly ports: { name: string; containerPort: number; protocol?: string }[];
  readonly volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  readonly startupProbe?: ProbeSpec;
  readonly readinessProbe?: ProbeSpec;
  readonly livenessProbe?: ProbeSpec;
  readonly securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; runAsGroup?: number; readOnlyRootFilesystem?: boolean; allowPrivilegeEscalation?: boolean; capabilities?: { drop?: string[] } };
}

export interface ProbeSpec {
  readonly httpGet?: { path: string; port: string | number; scheme?: string };
  readonly tcpSocket?: { port: string | number };
}

interface PodSpecLike {
  securityContext?: { runAsUser?: number; runAsGroup?: number; fsGroup?: number };
  containers: ServerContainer[];
  volumes?: { name: string; emptyDir?: unknown; configMap?: unknown }[];
}

/** The Deployment's pod spec. */
export function podSpec(rendered: RenderedModelService): PodSpecLike {
  const spec = rendered.deployment.spec as { template: { spec: PodSpecLike } };
  return spec.template.spec;
}

/** The Deployment's one server container. */
export function serverContainer(rendered: RenderedModelService): ServerContainer {
  const containers = podSpec(rendered).containers;
  if (containers.length !== 1) throw new Error(`expected one container in ${rendered.name}, found ${containers.length}`);
  return containers[0]!;
}

/** A container port by name or number, as a probe's `port` refers to it. */
export function resolvePort(container: ServerContainer, port: string | number): number {
  if (typeof port === 'number') return port;
  const found = container.ports.find((p) => p.name === port);
  if (!found) throw new Error(`no container port named ${port} (ports: ${container.ports.map((p) => p.name).join(', ')})`);
  return found.containerPort;
}

/** `uid:gid` of the pod's security context, which the container's may override. */
export function podUser(rendered: RenderedModelService): string {
  const pod = podSpec(rendered).securityContext ?? {};
  const c = serverContainer(rendered).securityContext ?? {};
  const uid = c.runAsUser ?? pod.runAsUser;
  const gid = c.runAsGroup ?? pod.runAsGroup;
  if (uid === undefined || gid === undefined) throw new Error(`${rendered.name}: the pod sets no runAsUser/runAsGroup`);
  return `${uid}:${gid}`;
}

/** The mount paths of the server's emptyDir volumes: the only writable places of the pod. */
export function writableMounts(rendered: RenderedModelService): string[] {
  const emptyDirs = new Set((podSpec(rendered).volumes ?? []).filter((v) => v.emptyDir !== undefined).map((v) => v.name));
  return (serverContainer(rendered).volumeMounts ?? []).filter((m) => emptyDirs.has(m.name)).map((m) => m.mountPath);
}

/** The container's plain env values (no Secret references), as `--env` would pass them. */
export function plainEnv(container: ServerContainer): Record<string, string> {
  const env: Record<string, string> = {};
  for (const e of container.env ?? []) {
    if (e.valueFrom !== undefined) throw new Error(`env ${e.name} comes from ${JSON.stringify(e.valueFrom)}: not supported by the e2e runner`);
    env[e.name] = e.value ?? '';
  }
  return env;
}

/** `EXPOSE`-style port list of the container (`8080/tcp`), sorted like `inspectConfig`. */
export function exposedPorts(container: ServerContainer): string[] {
  return [...new Set(container.ports.map((p) => `${p.containerPort}/${(p.protocol ?? 'TCP').toLowerCase()}`))].sort();
}
