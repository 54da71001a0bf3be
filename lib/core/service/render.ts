import { createHash } from 'crypto';
import { Accelerator } from '../accelerator';
import { buildImageContext } from '../build/build-image';
import { ImageBuildContext } from '../build/context';
import { ArtifactBinding } from '../artifact/artifact';
import { Problems, ValidationError } from '../errors';
import { KubeObject, Labels } from '../k8s-types';
import { isServiceName } from '../names';
import { parseQuantity } from '../quantity';
import { IRuntime, PortRole, RuntimeDefaults, RuntimeProfile } from '../runtime/contract';
import { StartupBudget, startupBudget } from './budget';
import { CONFIG_MOUNT_PATH, renderPodSpec, restrictedSecurityContext } from './pod';
import { DEFAULT_CPU, DEFAULT_MEMORY, InferenceClients, ModelServiceProps } from './props';
import { checkRuntimePorts, checkWritablePaths, validateServiceProps } from './validate';

/** The objects of one ModelService, each reachable for inspection and patching. */
export interface RenderedModelService {
  readonly name: string;
  readonly deployment: KubeObject;
  readonly service: KubeObject;
  readonly serviceAccount: KubeObject;
  readonly podDisruptionBudget: KubeObject;
  readonly networkPolicy: KubeObject;
  /** The runtime's generated config files, when it has any. */
  readonly configMap?: KubeObject;
  /** The timeouts derived from `modelLoadTime`. */
  readonly budget: StartupBudget;
  /** What the runtime contributed (ports, probes, metrics, scaling signal). */
  readonly profile: RuntimeProfile;
  /** Labels that select the service's pods. */
  readonly selector: Labels;
  /** The build context of the server image, when it is built from a model directory. */
  readonly imageBuild?: ImageBuildContext;
  /** Every object, in apply order. */
  readonly objects: KubeObject[];
}

/** Where the props come from, for error messages and names. */
export interface RenderContext {
  /** Construct path (cdk8s) or resource name (Pulumi), quoted in error messages. */
  readonly path: string;
  /** The default `name` when props give none. */
  readonly defaultName: string;
}

/**
 * Memory-backed volumes (tmpfs, e.g. vLLM's /dev/shm) are charged to the container's memory
 * limit: if they alone reach it, the server is OOM-killed as soon as it fills them.
 */
function checkMemoryBackedVolumes(problems: Problems, props: ModelServiceProps, profile: RuntimeProfile): void {
  const tmpfs = profile.writablePaths.filter((w) => w.medium === 'Memory');
  const tmpfsBytes = tmpfs.reduce((sum, w) => sum + (parseQuantity(w.sizeLimit ?? '0') ?? 0), 0);
  const prop = props.resources?.memoryLimit !== undefined ? 'memoryLimit' : 'memory';
  const given = props.resources?.memoryLimit ?? props.resources?.memory;
  if (tmpfsBytes > 0 && (parseQuantity(given ?? DEFAULT_MEMORY) ?? 0) <= tmpfsBytes) {
    const volumes = tmpfs.map((w) => `${w.path} ${w.sizeLimit}`).join(', ');
    const fallback = given === undefined ? ` (the default is ${DEFAULT_MEMORY})` : '';
    problems.add(`resources.${prop}`, given, `expected more than the memory-backed volumes the runtime mounts (${volumes}), which count against the memory limit${fallback}`);
  }
}

/**
 * Builds the context of an image made from a model directory, for exactly the server the
 * runtime renders: its model path, config files, command, ports and user. `undefined` for
 * registry images, or after recording the directory's problems.
 */
function buildServerImage(
  runtime: IRuntime,
  parts: { name: string; defaults: RuntimeDefaults; binding: ArtifactBinding; profile: RuntimeProfile },
  problems: Problems,
): ImageBuildContext | undefined {
  const source = runtime.image?.modelDirectory;
  if (!source) return undefined;
  const { name, defaults, binding, profile } = parts;
  return buildImageContext(source.directory, source.options, {
    name,
    runtime: runtime.kind,
    baseImage: defaults.image,
    user: defaults.user,
    modelPath: binding.modelPath,
    configPath: CONFIG_MOUNT_PATH,
    configFiles: profile.configFiles,
    ...(profile.command ? { command: profile.command } : {}),
    args: profile.args,
    ports: profile.ports,
    env: profile.env.filter((e) => e.value !== undefined),
    writablePaths: profile.writablePaths,
    ...(profile.modelVersion ? { modelVersion: profile.modelVersion } : {}),
  }, problems);
}

function isRuntime(value: unknown): value is IRuntime {
  const r = value as IRuntime | undefined;
  return typeof r === 'object' && r !== null && typeof r.validate === 'function' && typeof r.defaults === 'function' && typeof r.render === 'function';
}

/**
 * Validates ModelService props and renders its Kubernetes objects as plain JSON.
 *
 * Both front ends call this one function, so cdk8s and Pulumi emit the same objects. Throws a
 * {@link ValidationError} listing every problem; never returns an object the API server would
 * reject.
 */
export function renderModelService(ctx: RenderContext, props: ModelServiceProps): RenderedModelService {
  const problems = new Problems(ctx.path);
  if (typeof props !== 'object' || props === null) throw new ValidationError([{ construct: ctx.path, prop: 'props', given: String(props), allowed: 'expected ModelServiceProps with at least a runtime' }]);
  const name = props.name ?? ctx.defaultName;
  validateServiceProps(problems, name, props);
  const servicePropsValid = problems.empty;
  if (!isRuntime(props.runtime)) {
    problems.add('runtime', props.runtime, 'expected a runtime such as Runtime.torchServe({ model }), Runtime.triton(...), Runtime.vllm(...) or Runtime.custom(...)');
    problems.throwIfAny();
  }
  const runtime = props.runtime;
  const accelerator = props.accelerator instanceof Accelerator ? props.accelerator : undefined;
  const gpus = accelerator && Number.isInteger(accelerator.count) && accelerator.count > 0 ? accelerator.count : 0;
  const runtimeProblems = problems.at('runtime');
  const before = problems.all.length;
  runtime.validate(runtimeProblems, gpus, accelerator);
  // Binding assumes valid runtime options: stop here if they are not, with everything found so far.
  if (problems.all.length > before) problems.throwIfAny();

  const defaults: RuntimeDefaults = runtime.defaults(gpus, name);
  const { uid, gid } = defaults.user;
  const binding: ArtifactBinding = runtime.model
    ? runtime.model.bind({ defaultImagePath: defaults.defaultImagePath, serverImage: runtime.image?.reference ?? defaults.image, serverHasHuggingFaceCli: defaults.hasHuggingFaceCli, securityContext: restrictedSecurityContext(uid, gid) })
    : { modelPath: defaults.defaultImagePath, volumes: [], serverMounts: [], initContainers: [], fetchSeconds: 0, storageBytes: 0, serviceAccountAnnotations: {} };
  if (runtime.model?.fetchesWithServerImage && !defaults.hasHuggingFaceCli) {
    runtimeProblems.add('model.fetchImage', undefined, `expected an image with huggingface-cli to fetch the model: the ${runtime.kind} image has none`);
  }
  if (runtime.model) runtime.validateModelPath?.(binding.modelPath, runtimeProblems.at('model'), binding.source);
  // The runtime's rendering reads only the name and the CPU request (leniently), so an image
  // built from a model directory is checked before stopping for invalid service props: its
  // problems (a missing directory, a misnamed version) are listed with theirs. The name names the
  // model path, so nothing is rendered without a valid one.
  const cpus = parseQuantity(props.resources?.cpu ?? DEFAULT_CPU) ?? 1;
  const renderProfile = (): RuntimeProfile => runtime.render({ name, modelPath: binding.modelPath, ...(binding.source ? { modelSource: binding.source } : {}), gpus, cpus, configPath: CONFIG_MOUNT_PATH });
  const early = !servicePropsValid && runtime.image?.modelDirectory && isServiceName(name) ? renderProfile() : undefined;
  if (early) buildServerImage(runtime, { name, defaults, binding, profile: early }, runtimeProblems.at('image'));
  // The budget and the rendering read the service props: report their problems together with
  // the artifact's before going on.
  if (!servicePropsValid) problems.throwIfAny();
  const budget = startupBudget(
    {
      modelLoadTime: props.modelLoadTime ?? defaults.modelLoadTime,
      downloadSeconds: binding.fetchSeconds,
      ...(props.imagePullTime ? { imagePullTime: props.imagePullTime } : {}),
      ...(props.startupProbe ? { startupProbe: props.startupProbe } : {}),
      ...(props.progressDeadline ? { progressDeadline: props.progressDeadline } : {}),
    },
    problems,
  );
  const profile = renderProfile();
  checkRuntimePorts(runtimeProblems, profile.ports);
  const otherMounts = [...binding.serverMounts.map((m) => m.mountPath), ...(Object.keys(profile.configFiles).length ? [CONFIG_MOUNT_PATH] : [])];
  checkWritablePaths(runtimeProblems, profile.writablePaths, otherMounts);
  checkMemoryBackedVolumes(problems, props, profile);
  const imageBuild = buildServerImage(runtime, { name, defaults, binding, profile }, runtimeProblems.at('image'));
  const runtimeEnv = new Set(profile.env.map((e) => e.name));
  for (const prop of ['env', 'secretEnv'] as const) {
    for (const key of Object.keys(props[prop] ?? {})) {
      if (runtimeEnv.has(key)) problems.add(`${prop}.${key}`, key, `expected a name the ${runtime.kind} runtime does not set itself (it sets ${[...runtimeEnv].join(', ')})`);
    }
  }
  problems.throwIfAny();

  const selector: Labels = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/component': 'model-server' };
  const labels: Labels = { ...props.labels, ...selector, 'app.kubernetes.io/managed-by': 'modelship', 'modelship.dev/runtime': runtime.kind };
  const meta = (objectName: string, extra: Record<string, unknown> = {}) => ({ name: objectName, ...(props.namespace ? { namespace: props.namespace } : {}), labels, ...extra });

  const configData = profile.configFiles;
  const hasConfig = Object.keys(configData).length > 0;
  const configMapName = `${name}-config`;
  const configMap: KubeObject | undefined = hasConfig ? { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(configMapName), data: configData } : undefined;

  const saAnnotations = { ...binding.serviceAccountAnnotations, ...props.serviceAccountAnnotations };
  const serviceAccount: KubeObject = {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: meta(name, Object.keys(saAnnotations).length ? { annotations: saAnnotations } : {}),
    automountServiceAccountToken: false,
  };

  const image = imageBuild?.reference ?? runtime.image?.reference ?? defaults.image;
  const podSpec = renderPodSpec({ props, serviceAccountName: name, image, profile, user: defaults.user, binding, ...(accelerator ? { accelerator: accelerator.requirements() } : {}), budget, ...(hasConfig ? { configMapName } : {}), selector });
  // A hash of the config in the pod template rolls the pods when the config changes; a
  // ConfigMap update alone would leave running servers on the old config.
  const configHash = createHash('sha256').update(JSON.stringify(configData)).digest('hex').slice(0, 16);
  const deployment: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(name),
    spec: {
      replicas: props.replicas ?? 2,
      revisionHistoryLimit: 5,
      progressDeadlineSeconds: budget.progressDeadlineSeconds,
      selector: { matchLabels: selector },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: props.maxSurge ?? 1 } },
      template: {
        metadata: { labels, ...(hasConfig ? { annotations: { 'modelship.dev/config-hash': configHash } } : {}) },
        spec: podSpec,
      },
    },
  };

  const served = profile.ports.filter((p) => p.role !== PortRole.ADMIN);
  const service: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(name),
    spec: {
      type: 'ClusterIP',
      selector,
      ports: served.map((p) => ({ name: p.name, port: p.port, targetPort: p.name, protocol: 'TCP', appProtocol: p.role === PortRole.GRPC ? 'kubernetes.io/h2c' : 'http' })),
    },
  };

  const podDisruptionBudget: KubeObject = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: meta(name),
    // One pod at a time; pods that never became ready may always be evicted so a broken
    // rollout cannot block node drains.
    spec: { maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: 'AlwaysAllow' },
  };

  const inference = profile.ports.filter((p) => p.role === PortRole.HTTP || p.role === PortRole.GRPC);
  const clients = (props.inferenceClients ?? InferenceClients.any()).peers;
  const monitoring = props.monitoringNamespace ?? 'monitoring';
  // Metrics on an inference port open to every client need no rule of their own.
  const metricsRule = profile.metrics !== undefined && !(clients === undefined && inference.some((p) => p.name === profile.metrics!.port));
  const networkPolicy: KubeObject = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: meta(name),
    spec: {
      podSelector: { matchLabels: selector },
      policyTypes: ['Ingress'],
      ingress: [
        { ...(clients ? { from: clients.map((c) => structuredClone(c)) } : {}), ports: inference.map((p) => ({ protocol: 'TCP', port: p.name })) },
        ...(metricsRule ? [{ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': monitoring } } }], ports: [{ protocol: 'TCP', port: profile.metrics!.port }] }] : []),
      ],
    },
  };

  const objects = [serviceAccount, ...(configMap ? [configMap] : []), deployment, service, podDisruptionBudget, networkPolicy];
  return { name, deployment, service, serviceAccount, podDisruptionBudget, networkPolicy, ...(configMap ? { configMap } : {}), budget, profile, selector, ...(imageBuild ? { imageBuild } : {}), objects };
}
