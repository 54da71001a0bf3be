/**
 * Minimal valid ModelService props per runtime, and helpers shared by the runtime, artifact and
 * cdk8s tests: render through the core, reach into the rendered pod, and check that every
 * object passes Pod Security "restricted" and the strict Kubernetes 1.28 schema.
 */
import { Chart, Testing } from 'cdk8s';
import {
  Accelerator,
  ModelArtifact,
  ModelImage,
  renderModelService,
  Runtime,
  type Container,
  type KubeObject,
  type ModelServiceProps,
  type PodSpec,
  type RenderedModelService,
} from '../../lib/core';
import { checkObjectPodSecurity } from '../../lib/core/policy';
import { formatProblems, validateK8sObjects } from './k8s-validate';

/** A valid SHA-256 (64 lowercase hex digits). */
export const SHA256 = '3b8e6f0c2a4d1e5f7a9b0c1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f7';
/** A valid Hugging Face commit (40 lowercase hex digits). */
export const HF_REVISION = '0123456789abcdef0123456789abcdef01234567';
/** A pinned image for the custom runtime. */
export const CUSTOM_IMAGE = 'ghcr.io/acme/scorer:1.4.2';

/** The built-in runtimes, by their `kind`. */
export type RuntimeKind = 'torchserve' | 'tfserving' | 'triton' | 'vllm' | 'custom';

/** Minimal valid props per runtime: the smallest thing a user could write that renders. */
export const MINIMAL_PROPS: Record<RuntimeKind, () => ModelServiceProps> = {
  torchserve: () => ({ runtime: Runtime.torchServe({ model: ModelArtifact.fromS3('s3://models/fraud/v7/fraud.mar') }) }),
  tfserving: () => ({ runtime: Runtime.tensorflowServing({ model: ModelArtifact.fromGcs('gs://models/ranker/') }) }),
  triton: () => ({ runtime: Runtime.triton({ model: ModelArtifact.fromS3('s3://models/repository/') }) }),
  vllm: () => ({
    runtime: Runtime.vllm({ model: ModelArtifact.fromHuggingFace('meta-llama/Llama-3.1-8B-Instruct', { revision: HF_REVISION }) }),
    accelerator: Accelerator.nvidiaGpu(),
    resources: { cpu: '4', memory: '32Gi' },
  }),
  custom: () => ({ runtime: Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE) }) }),
};

export const RUNTIME_KINDS = Object.keys(MINIMAL_PROPS) as RuntimeKind[];

/** Renders props the way a front end does, with `name` as the default object name. */
export function render(props: ModelServiceProps, name = 'fraud'): RenderedModelService {
  return renderModelService({ path: `test/${name}`, defaultName: name }, props);
}

/** Renders like {@link render} and checks every object with {@link expectValidObjects}. */
export function renderValid(props: ModelServiceProps, name = 'fraud'): RenderedModelService {
  const rendered = render(props, name);
  expectValidObjects(rendered.objects);
  return rendered;
}

/** The ConfigMap's files (file name → contents); fails the test when the service has no ConfigMap. */
export function configFilesOf(rendered: RenderedModelService): Record<string, string> {
  expect(rendered.configMap).toBeDefined();
  return rendered.configMap!['data'] as Record<string, string>;
}

/** The Service's ports. */
export function servicePortsOf(rendered: RenderedModelService): { name: string; port: number; targetPort: string; appProtocol: string }[] {
  return (rendered.service['spec'] as { ports: { name: string; port: number; targetPort: string; appProtocol: string }[] }).ports;
}

/** The pod spec of a rendered service's Deployment. */
export function podSpecOf(rendered: RenderedModelService): PodSpec {
  return (rendered.deployment['spec'] as { template: { spec: PodSpec } }).template.spec;
}

/** The server container. */
export function serverOf(rendered: RenderedModelService): Container {
  return podSpecOf(rendered).containers[0]!;
}

/** The artifact's fetching init container; fails the test when there is none. */
export function fetcherOf(rendered: RenderedModelService): Container {
  const init = podSpecOf(rendered).initContainers ?? [];
  expect(init.map((c) => c.name)).toEqual(['fetch-model']);
  return init[0]!;
}

/** The shell script an init container runs (`/bin/sh -c <script>`), split into lines. */
export function scriptLines(container: Container): string[] {
  expect(container.command?.slice(0, 2)).toEqual(['/bin/sh', '-c']);
  return container.command![2]!.split('\n');
}

/** Parses a `key=value` properties file (TorchServe's config.properties) into an ordered map. */
export function parseProperties(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    expect(eq).toBeGreaterThan(0);
    const key = line.slice(0, eq);
    expect(map.has(key)).toBe(false);
    map.set(key, line.slice(eq + 1));
  }
  return map;
}

/** Synthesizes a chart built by `build` and returns the manifests, as `cdk8s synth` would write them. */
export function synthChart(build: (chart: Chart) => void): KubeObject[] {
  const chart = new Chart(Testing.app(), 'serving');
  build(chart);
  return Testing.synth(chart) as KubeObject[];
}

/**
 * Every object passes the Pod Security "restricted" checks (pods inside workloads) and the
 * strict Kubernetes 1.28 schema validation, cross-object rules included.
 */
export function expectValidObjects(objects: readonly unknown[]): void {
  expect(objects.length).toBeGreaterThan(0);
  for (const obj of objects) expect(checkObjectPodSecurity(obj)).toEqual([]);
  const failed = validateK8sObjects(objects).filter((r) => r.problems.length > 0);
  expect(formatProblems(failed)).toBe('');
}
