import { PUBLISHED_ROLES } from './host-ports';
import { posix as posixPath } from 'path';
import { GPU_RESOURCE, MIG_RESOURCE_PREFIX } from '../accelerator';
import { Problems } from '../errors';
import { Container, EnvVar, PodSpec, Probe, Volume } from '../k8s-types';
import { parseQuantity } from '../quantity';
import { SERVER_CONTAINER } from '../service/pod';
import type { RenderedModelService } from '../service/render';
import { defaultHealthCheck } from './healthcheck';
import { escapeCompose, expandForCompose, hostVariableName } from './interpolation';
import type {
  ComposeDependency,
  ComposeFile,
  ComposeFileToWrite,
  ComposeHealthcheck,
  ComposeHostVariable,
  ComposeLimits,
  ComposeOptions,
  ComposeProject,
  ComposeReservations,
  ComposeResources,
  ComposeService,
  ComposeVolume,
  ComposeVolumeMount,
  ComposeVolumeToFill,
  HealthCheckTarget,
} from './types';

/** The project name when {@link ComposeOptions.name} is not given. */
export const DEFAULT_COMPOSE_PROJECT = 'modelship';
/** Where build contexts are, relative to the Compose file, unless {@link ComposeOptions.imagesDir} says otherwise. */
export const DEFAULT_COMPOSE_IMAGES_DIR = 'images';
/** Where ConfigMap files are written, relative to the Compose file, unless {@link ComposeOptions.configDir} says otherwise. */
export const DEFAULT_COMPOSE_CONFIG_DIR = 'config';
/** The only host address ports are published on: model servers are not for the network (TorchServe's security guidance). */
export const COMPOSE_HOST_IP = '127.0.0.1';
/** Label on named volumes: the ModelService they belong to. */
export const COMPOSE_SERVICE_LABEL = 'dev.modelship.service';
/** Label on a named volume that stands in for a PersistentVolumeClaim: the claim's name. */
export const COMPOSE_CLAIM_LABEL = 'dev.modelship.persistent-volume-claim';

/** Compose project names (`docker compose -p`). */
const PROJECT_NAME = /^[a-z0-9][a-z0-9_-]*$/;
/** Limits Compose has no equivalent for, and that do not change how the server behaves locally. */
const IGNORED_LIMITS = new Set(['ephemeral-storage']);

/** A byte count in Docker's binary units (`2g`, `512m`), or plain bytes when no unit is exact. Docker, Compose and the kernel's tmpfs all read these. */
function dockerBytes(bytes: number): string {
  const whole = Math.ceil(bytes);
  for (const [unit, size] of [['g', 2 ** 30], ['m', 2 ** 20], ['k', 2 ** 10]] as const) {
    if (whole >= size && whole % size === 0) return `${whole / size}${unit}`;
  }
  return String(whole);
}

/** Seconds as a Compose duration (`"130s"`). */
function seconds(value: number): string {
  return `${value}s`;
}

/** Sorts object keys recursively (arrays keep their order: commands and mounts mean it). */
function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => sortKeys(v)) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)])) as T;
}

interface PublishedPort {
  readonly host: number;
  readonly service: string;
  readonly name: string;
  readonly container: number;
}

/** Everything collected across services. */
class Collector {
  public readonly services = new Map<string, ComposeService>();
  public readonly volumes = new Map<string, ComposeVolume>();
  public readonly files: ComposeFileToWrite[] = [];
  public readonly volumesToFill: ComposeVolumeToFill[] = [];
  public readonly published: PublishedPort[] = [];
  /** host variable → secret it stands for, and the services reading it. */
  public readonly hostVariables = new Map<string, { secretName: string; key: string; services: Set<string> }>();
  /** Compose service name → the ModelService that produced it, for clash messages. */
  private readonly owners = new Map<string, string>();

  public constructor(public readonly problems: Problems) {}

  public addService(name: string, owner: string, service: ComposeService): void {
    const other = this.owners.get(name);
    if (other !== undefined) {
      this.problems.add('services', name, `expected one Compose service of this name: the ModelServices ${JSON.stringify(other)} and ${JSON.stringify(owner)} both produce it; rename one of them`);
      return;
    }
    this.owners.set(name, owner);
    this.services.set(name, service);
  }
}

/** How one ModelService's containers become Compose services. */
interface ServiceContext {
  readonly rendered: RenderedModelService;
  readonly options: Required<Pick<ComposeOptions, 'imagesDir' | 'configDir'>>;
  readonly pod: PodSpec;
  readonly volumes: ReadonlyMap<string, Volume>;
  /** Volumes mounted by more than one container: named Compose volumes. */
  readonly shared: ReadonlySet<string>;
  /** Whether the server image is built from the model directory (and so has the config baked in). */
  readonly built: boolean;
  readonly problems: Problems;
  readonly collector: Collector;
}

/** What a container contributes, whichever Compose service it becomes. */
interface ContainerParts {
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  user: string;
  read_only: boolean;
  tmpfs?: string[];
  shm_size?: string;
  cap_drop: string[];
  security_opt: string[];
  volumes?: ComposeVolumeMount[];
  deploy?: { resources: ComposeResources };
}

function containerParts(container: Container, composeName: string, ctx: ServiceContext): ContainerParts {
  const { problems, collector, rendered } = ctx;
  const where = problems.at(`services.${rendered.name}.containers.${container.name}`);
  const sc = container.securityContext;

  // Environment: the kubelet's expansion, then Compose escaping; Secrets become host references.
  const defined = new Map<string, string>();
  const environment: Record<string, string> = {};
  for (const env of container.env ?? []) {
    const text = envText(env, composeName, defined, where, collector);
    if (text === undefined) continue;
    defined.set(env.name, text);
    environment[env.name] = text;
  }
  const expand = (value: string) => expandForCompose(value, (name) => defined.get(name));

  const parts: ContainerParts = {
    ...(container.command?.length ? { entrypoint: container.command.map(expand) } : {}),
    ...(container.args?.length ? { command: container.args.map(expand) } : {}),
    ...(Object.keys(environment).length ? { environment } : {}),
    user: `${sc.runAsUser ?? ctx.pod.securityContext.runAsUser}:${sc.runAsGroup ?? ctx.pod.securityContext.runAsGroup}`,
    read_only: sc.readOnlyRootFilesystem !== false,
    cap_drop: [...(sc.capabilities?.drop ?? [])],
    security_opt: sc.allowPrivilegeEscalation === false ? ['no-new-privileges:true'] : [],
  };

  const tmpfs: string[] = [];
  const mounts: ComposeVolumeMount[] = [];
  for (const mount of container.volumeMounts ?? []) {
    const volume = ctx.volumes.get(mount.name);
    if (!volume) {
      where.add(`volumeMounts.${mount.name}`, mount.name, 'expected a volume of the pod with this name');
      continue;
    }
    if (mount.subPath !== undefined) {
      where.add(`volumeMounts.${mount.name}.subPath`, mount.subPath, 'expected no subPath: Compose mounts whole volumes');
      continue;
    }
    if (volume.configMap) {
      // An image built from the model directory has the same files at the same path already.
      if (ctx.built) continue;
      const data = configMapData(rendered, volume.configMap.name);
      if (!data) {
        where.add(`volumes.${volume.name}`, volume.configMap.name, `expected the ConfigMap of the service (${rendered.configMap?.metadata.name ?? 'none rendered'})`);
        continue;
      }
      const dir = posixPath.join(ctx.options.configDir, rendered.name);
      for (const file of Object.keys(data).sort()) collector.files.push({ path: posixPath.join(dir, file), content: data[file]! });
      mounts.push({ type: 'bind', source: `./${dir}`, target: mount.mountPath, read_only: true });
    } else if (volume.persistentVolumeClaim) {
      const key = `${rendered.name}-${volume.name}`;
      collector.volumes.set(key, { labels: { [COMPOSE_SERVICE_LABEL]: rendered.name, [COMPOSE_CLAIM_LABEL]: volume.persistentVolumeClaim.claimName } });
      collector.volumesToFill.push({ volume: key, dockerName: '', claimName: volume.persistentVolumeClaim.claimName, service: composeName, mountPath: mount.mountPath });
      mounts.push({ type: 'volume', source: key, target: mount.mountPath, read_only: mount.readOnly === true || volume.persistentVolumeClaim.readOnly === true });
    } else if (volume.emptyDir && ctx.shared.has(volume.name)) {
      const key = `${rendered.name}-${volume.name}`;
      collector.volumes.set(key, { labels: { [COMPOSE_SERVICE_LABEL]: rendered.name } });
      mounts.push({ type: 'volume', source: key, target: mount.mountPath, read_only: mount.readOnly === true });
    } else if (volume.emptyDir) {
      const limit = volume.emptyDir.sizeLimit !== undefined ? parseQuantity(volume.emptyDir.sizeLimit) : undefined;
      if (volume.emptyDir.medium === 'Memory' && mount.mountPath === '/dev/shm') {
        // Docker always mounts a tmpfs at /dev/shm; only its size is set (64m otherwise).
        if (limit) parts.shm_size = dockerBytes(limit);
      } else {
        // Compose's tmpfs is noexec by default; an emptyDir is not, and servers load compiled
        // extensions from their caches.
        tmpfs.push(`${mount.mountPath}:${limit ? `size=${dockerBytes(limit)},` : ''}mode=1777,exec`);
      }
    } else {
      where.add(`volumes.${volume.name}`, Object.keys(volume).filter((k) => k !== 'name').join(', '), 'expected an emptyDir, configMap or persistentVolumeClaim volume: Compose has no equivalent for others');
    }
  }
  if (tmpfs.length) parts.tmpfs = tmpfs;
  if (mounts.length) parts.volumes = mounts;

  const resources = composeResources(container, where);
  if (resources) parts.deploy = { resources };
  return parts;
}

/** The Compose text of one environment variable, or `undefined` after recording a problem. */
function envText(env: EnvVar, composeName: string, defined: ReadonlyMap<string, string>, where: Problems, collector: Collector): string | undefined {
  if (env.value !== undefined) return expandForCompose(env.value, (name) => defined.get(name));
  const secret = env.valueFrom?.secretKeyRef;
  if (secret && Object.keys(env.valueFrom!).length === 1) {
    // The variable is the env name, unless another Secret key already took it: a valid stack
    // may give two services an API_KEY from different Secrets, so the later one is qualified
    // by its service (SCORER_API_KEY) rather than failing the synth.
    const plain = hostVariableName(env.name);
    const standsFor = (v: string) => collector.hostVariables.get(v);
    const taken = (v: string) => standsFor(v) !== undefined && (standsFor(v)!.secretName !== secret.name || standsFor(v)!.key !== secret.key);
    const variable = taken(plain) ? hostVariableName(`${composeName}_${env.name}`.toUpperCase()) : plain;
    const known = standsFor(variable);
    if (known && taken(variable)) {
      where.add(
        `env.${env.name}`,
        `${secret.name}/${secret.key}`,
        `expected one Secret key per host variable: \${${variable}} already stands for ${known.secretName}/${known.key} (${[...known.services].join(', ')}); use another variable name in one of the services`,
      );
      return undefined;
    }
    const entry = known ?? { secretName: secret.name, key: secret.key, services: new Set<string>() };
    entry.services.add(composeName);
    collector.hostVariables.set(variable, entry);
    return `\${${variable}}`;
  }
  if (env.value === undefined && env.valueFrom === undefined) return '';
  where.add(`env.${env.name}`, env.valueFrom, 'expected a plain value or a secretKeyRef: Compose has no equivalent for other sources');
  return undefined;
}

function configMapData(rendered: RenderedModelService, name: string): Record<string, string> | undefined {
  const configMap = rendered.configMap;
  if (!configMap || configMap.metadata.name !== name) return undefined;
  return (configMap['data'] as Record<string, string> | undefined) ?? {};
}

/** Memory and CPU limits, and GPUs as device reservations. */
function composeResources(container: Container, where: Problems): ComposeResources | undefined {
  const limits = container.resources.limits ?? {};
  const out: { limits?: ComposeLimits; reservations?: ComposeReservations } = {};
  const memory = limits['memory'] !== undefined ? parseQuantity(limits['memory']) : undefined;
  const cpus = limits['cpu'] !== undefined ? parseQuantity(limits['cpu']) : undefined;
  if (memory || cpus) {
    out.limits = { ...(memory ? { memory: dockerBytes(memory) } : {}), ...(cpus ? { cpus: String(Math.round(cpus * 1000) / 1000) } : {}) };
  }
  for (const [resource, quantity] of Object.entries(limits)) {
    if (resource === 'memory' || resource === 'cpu' || IGNORED_LIMITS.has(resource)) continue;
    const count = Number(quantity);
    if (resource === GPU_RESOURCE && Number.isInteger(count) && count > 0) {
      out.reservations = { devices: [{ driver: 'nvidia', count, capabilities: ['gpu'] }] };
    } else if (resource.startsWith(MIG_RESOURCE_PREFIX)) {
      where.add(`resources.limits.${resource}`, quantity, 'expected whole GPUs: Compose cannot reserve a MIG slice by profile; render the local variant without migProfile');
    } else {
      where.add(`resources.limits.${resource}`, quantity, `expected memory, cpu or ${GPU_RESOURCE} limits: Compose has no equivalent for this resource`);
    }
  }
  return out.limits || out.reservations ? out : undefined;
}

/** Resolves a probe's port (a name of the container's ports, or a number). */
function probePort(container: Container, port: string | number): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

function healthcheck(rendered: RenderedModelService, runtime: string, server: Container, composeName: string, check: NonNullable<ComposeOptions['healthCheck']>, where: Problems): ComposeHealthcheck | undefined {
  const probe: Probe | undefined = server.readinessProbe;
  if (!probe) return undefined;
  if (probe.httpGet?.scheme === 'HTTPS') {
    where.add('readinessProbe.httpGet.scheme', 'HTTPS', 'expected an HTTP readiness probe: the healthcheck speaks plain HTTP to 127.0.0.1 (pass the healthCheck option for TLS)');
    return undefined;
  }
  const handler = probe.httpGet ?? probe.tcpSocket;
  const port = handler ? probePort(server, handler.port) : undefined;
  if (port === undefined) {
    where.add('readinessProbe', probe, 'expected an httpGet or tcpSocket probe on a port of the server container');
    return undefined;
  }
  const common = { service: composeName, runtime, port, timeoutSeconds: probe.timeoutSeconds };
  const target: HealthCheckTarget = probe.httpGet ? { kind: 'http', ...common, path: probe.httpGet.path } : { kind: 'tcp', ...common };
  const test = check(target);
  if (!Array.isArray(test) || test.length < 2 || !['CMD', 'CMD-SHELL'].includes(test[0]!) || !test.every((w) => typeof w === 'string')) {
    where.add('healthCheck', test, 'expected the healthCheck option to return ["CMD", command, ...args] or ["CMD-SHELL", script]');
    return undefined;
  }
  const { budget } = rendered;
  return {
    test: [test[0]!, ...test.slice(1).map(escapeCompose)],
    interval: seconds(probe.periodSeconds),
    timeout: seconds(probe.timeoutSeconds),
    retries: probe.failureThreshold,
    // The startup probe's budget: the model may take this long to load before failures count.
    start_period: seconds(budget.modelLoadSeconds + budget.startupProbe.periodSeconds),
  };
}

/** Host-port offset of one service. */
function offsetOf(option: ComposeOptions['hostPortOffset'], service: string): number {
  if (option === undefined) return 0;
  if (typeof option === 'number') return option;
  return option[service] ?? 0;
}

function validateOptions(options: ComposeOptions, names: readonly string[], problems: Problems): void {
  const { name, imagesDir, configDir, hostPortOffset, healthCheck } = options;
  if (name !== undefined && !(typeof name === 'string' && PROJECT_NAME.test(name))) {
    problems.add('name', name, 'expected a Compose project name: lowercase letters, digits, "-" and "_", starting with a letter or digit');
  }
  if (imagesDir !== undefined && !(typeof imagesDir === 'string' && imagesDir.length > 0)) problems.add('imagesDir', imagesDir, 'expected a directory, relative to the Compose file');
  if (configDir !== undefined && !(typeof configDir === 'string' && configDir.length > 0 && !configDir.startsWith('/') && !configDir.split('/').includes('..'))) {
    problems.add('configDir', configDir, 'expected a relative directory without "..": the files are written next to the Compose file');
  }
  if (typeof hostPortOffset === 'number') {
    if (!Number.isInteger(hostPortOffset)) problems.add('hostPortOffset', hostPortOffset, 'expected an integer');
  } else if (hostPortOffset !== undefined) {
    if (typeof hostPortOffset !== 'object' || hostPortOffset === null) {
      problems.add('hostPortOffset', hostPortOffset, 'expected an integer, or a record of service name to integer');
    } else {
      for (const [service, offset] of Object.entries(hostPortOffset)) {
        if (!names.includes(service)) problems.add(`hostPortOffset.${service}`, service, `expected the name of a service (${names.join(', ')})`);
        if (!Number.isInteger(offset)) problems.add(`hostPortOffset.${service}`, offset, 'expected an integer');
      }
    }
  }
  if (healthCheck !== undefined && typeof healthCheck !== 'function') problems.add('healthCheck', healthCheck, 'expected a function from a HealthCheckTarget to a healthcheck test');
}

/**
 * Renders a Docker Compose project that runs rendered ModelServices locally: the same image,
 * command, ports, environment, user, read-only root and writable directories as the cluster,
 * derived from the rendered Deployment and runtime profile so there is one definition.
 *
 * Per ModelService:
 * - **Server** (`<name>`): the Deployment's server image (with `build` pointing at
 *   `<imagesDir>/<name>` when it is built from a model directory); `entrypoint`/`command` from
 *   the container's command/args and `environment` from its env (with the kubelet's `$(VAR)`
 *   expansion applied and `$` escaped as `$$`); `user: "uid:gid"`, `read_only`, `cap_drop: [ALL]`,
 *   `no-new-privileges`; a `tmpfs` per writable path (`size` from its sizeLimit, `exec` like an
 *   emptyDir) and `shm_size` for a memory-backed /dev/shm; the HTTP, gRPC and metrics ports
 *   published on 127.0.0.1 only (admin ports not at all); a healthcheck from the readiness
 *   probe whose `start_period` is the model load time plus one startup-probe period; the
 *   termination grace period; memory/CPU limits and `nvidia.com/gpu` as NVIDIA device reservations.
 * - **Secrets are never written**: an env var from a Secret becomes `${VAR}`, read from the host
 *   environment when Compose runs (characters other than letters, digits and `_` become `_` in
 *   the host name). {@link ComposeProject.hostEnvironment} lists them with the Secret and key
 *   each stands for; export them before `docker compose up`. Compose warns and passes an empty
 *   value for an unset one.
 * - **Config**: images built from a directory have the runtime's config files baked in. For a
 *   registry image with a ConfigMap, its files are returned in {@link ComposeProject.files}
 *   (`<configDir>/<name>/<file>`) and bind-mounted read-only where the ConfigMap is mounted.
 * - **Fetched models**: the `fetch-model` init container becomes a one-shot service
 *   `<name>-fetch-model` (its image, command, env and user) writing into a named volume
 *   `<name>-model`, which the server mounts read-only at the same path and waits for with
 *   `condition: service_completed_successfully`. Docker creates a new named volume owned by
 *   root, so a one-shot `<name>-prepare-volumes` (the fetcher's image, as root with only
 *   CAP_CHOWN, no network) first hands the volume to the fetcher's uid and gid, as `fsGroup` does in
 *   the cluster. The volume persists between runs; `docker compose down -v` removes it.
 * - **PersistentVolumeClaim models**: a named volume `<name>-model` (not external, labelled with
 *   the claim's name) that the user fills before starting, e.g.
 *   `docker run --rm -v <project>_<name>-model:/mnt/models -v "$PWD/model:/src:ro" busybox cp -a /src/. /mnt/models/`.
 *   {@link ComposeProject.volumesToFill} lists them. **Baked models** need nothing.
 *
 * Not carried over: replicas, liveness and startup probes (Compose only marks containers
 * unhealthy, it does not restart them), the preStop drain, scheduling and network policy.
 * `deploy.resources` is honoured by Compose v2 (`docker compose`); docker-compose v1 needs `--compatibility`.
 *
 * Keys are sorted wherever their order means nothing, so the same services give the same file.
 * Throws a {@link ValidationError} listing every problem: two services publishing the same host
 * port (set {@link ComposeOptions.hostPortOffset}), clashing service names, invalid options, or
 * a pod feature Compose cannot express.
 */
export function renderCompose(services: readonly RenderedModelService[], options: ComposeOptions = {}): ComposeProject {
  const problems = new Problems('compose');
  const names = services.map((s) => s.name);
  validateOptions(options, names, problems);
  problems.throwIfAny();
  const project = options.name ?? DEFAULT_COMPOSE_PROJECT;
  const dirs = { imagesDir: options.imagesDir ?? DEFAULT_COMPOSE_IMAGES_DIR, configDir: options.configDir ?? DEFAULT_COMPOSE_CONFIG_DIR };
  const check = options.healthCheck ?? defaultHealthCheck;
  const collector = new Collector(problems);

  for (const rendered of services) {
    const where = problems.at(`services.${rendered.name}`);
    const template = (rendered.deployment['spec'] as { template: { metadata: { labels?: Record<string, string> }; spec: PodSpec } }).template;
    const pod = template.spec;
    const server = pod.containers.find((c) => c.name === SERVER_CONTAINER) ?? pod.containers[0]!;
    const init = pod.initContainers ?? [];
    const runtime = template.metadata.labels?.['modelship.dev/runtime'] ?? rendered.imageBuild?.runtime ?? 'unknown';
    const users = new Map<string, number>();
    for (const c of [...init, server]) for (const m of c.volumeMounts ?? []) users.set(m.name, (users.get(m.name) ?? 0) + 1);
    const ctx: ServiceContext = {
      rendered,
      options: dirs,
      pod,
      volumes: new Map((pod.volumes ?? []).map((v) => [v.name, v])),
      shared: new Set([...users].filter(([, n]) => n > 1).map(([v]) => v)),
      built: rendered.imageBuild !== undefined && rendered.imageBuild.reference === server.image,
      problems,
      collector,
    };

    // Init containers run one after another, each after the previous one succeeded.
    const initNames: string[] = [];
    const written = init.flatMap((c) => (c.volumeMounts ?? []).filter((m) => ctx.shared.has(m.name) && !m.readOnly).map((m) => ({ container: c, mount: m })));
    let previous: string | undefined;
    if (written.length > 0) {
      const first = written[0]!.container;
      previous = `${rendered.name}-prepare-volumes`;
      const owner = `${first.securityContext.runAsUser}:${first.securityContext.runAsGroup}`;
      const paths = [...new Set(written.map((w) => w.mount.mountPath))];
      collector.addService(previous, rendered.name, {
        image: first.image,
        entrypoint: ['chown', owner, ...paths],
        user: '0:0',
        read_only: true,
        cap_drop: ['ALL'],
        cap_add: ['CHOWN'],
        security_opt: ['no-new-privileges:true'],
        network_mode: 'none',
        volumes: [...new Map(written.map((w) => [w.mount.mountPath, { type: 'volume' as const, source: `${rendered.name}-${w.mount.name}`, target: w.mount.mountPath, read_only: false }])).values()],
      });
    }
    for (const container of init) {
      const composeName = `${rendered.name}-${container.name}`;
      const parts = containerParts(container, composeName, ctx);
      collector.addService(composeName, rendered.name, {
        image: container.image,
        ...parts,
        ...(previous ? { depends_on: { [previous]: { condition: 'service_completed_successfully' } } } : {}),
      });
      initNames.push(composeName);
      previous = composeName;
    }

    const parts = containerParts(server, rendered.name, ctx);
    const roles = new Map(rendered.profile.ports.map((p) => [p.name, p.role]));
    const offset = offsetOf(options.hostPortOffset, rendered.name);
    const ports: string[] = [];
    const seen = new Set<number>();
    for (const p of server.ports ?? []) {
      const role = roles.get(p.name);
      if (role === undefined || !PUBLISHED_ROLES.includes(role) || seen.has(p.containerPort)) continue;
      seen.add(p.containerPort);
      const host = p.containerPort + offset;
      if (host < 1 || host > 65535) {
        where.add('hostPortOffset', offset, `expected host ports from 1 to 65535: ${p.name} (${p.containerPort}) would be published on ${host}`);
        continue;
      }
      collector.published.push({ host, service: rendered.name, name: p.name, container: p.containerPort });
      ports.push(`${COMPOSE_HOST_IP}:${host}:${p.containerPort}/tcp`);
    }
    const health = healthcheck(rendered, runtime, server, rendered.name, check, where);
    const dependsOn: Record<string, ComposeDependency> = Object.fromEntries(initNames.map((n) => [n, { condition: 'service_completed_successfully' as const }]));
    collector.addService(rendered.name, rendered.name, {
      image: server.image,
      ...(ctx.built ? { build: { context: posixPath.join(dirs.imagesDir, rendered.imageBuild!.name), dockerfile: 'Dockerfile' } } : {}),
      ...parts,
      ...(ports.length ? { ports } : {}),
      ...(health ? { healthcheck: health } : {}),
      ...(initNames.length ? { depends_on: dependsOn } : {}),
      stop_grace_period: seconds(pod.terminationGracePeriodSeconds),
    });
  }

  // Every host port once.
  const byPort = new Map<number, PublishedPort[]>();
  for (const p of collector.published) byPort.set(p.host, [...(byPort.get(p.host) ?? []), p]);
  for (const [host, users] of [...byPort].sort(([a], [b]) => a - b)) {
    if (users.length < 2) continue;
    const who = users.map((u) => `${u.service} (${u.name}, container port ${u.container})`).join(' and ');
    problems.add('hostPortOffset', `${COMPOSE_HOST_IP}:${host}`, `expected each host port to be published once: ${who} all publish it; shift one service with hostPortOffset, e.g. { ${JSON.stringify(users[1]!.service)}: 100 }`);
  }
  problems.throwIfAny();

  const volumes = sortKeys(Object.fromEntries(collector.volumes));
  const compose: ComposeFile = {
    name: project,
    services: sortKeys(Object.fromEntries(collector.services)),
    ...(collector.volumes.size ? { volumes } : {}),
  };
  const hostEnvironment: ComposeHostVariable[] = [...collector.hostVariables]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([variable, e]) => ({ variable, services: [...e.services].sort(), secretName: e.secretName, key: e.key }));
  return {
    compose,
    files: [...collector.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    hostEnvironment,
    volumesToFill: collector.volumesToFill.map((v) => ({ ...v, dockerName: `${project}_${v.volume}` })),
  };
}
