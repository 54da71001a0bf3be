/**
 * The slice of the Compose specification (https://github.com/compose-spec/compose-spec) that
 * {@link renderCompose} writes, as plain JSON types, plus its options and result.
 *
 * Kept local, like the Kubernetes types, so the core needs no dependency; the tests validate
 * every generated file against the specification's JSON schema with unknown properties rejected.
 */

/** A bind mount or named volume of a Compose service (the long syntax). */
export interface ComposeVolumeMount {
  /** `bind` for a host directory next to the Compose file, `volume` for a named volume. */
  readonly type: 'bind' | 'volume';
  /** The host path (relative to the Compose file) or the volume's key under the top-level `volumes`. */
  readonly source: string;
  /** The path inside the container. */
  readonly target: string;
  /** Whether the container may only read it. */
  readonly read_only: boolean;
}

/** A Compose healthcheck (durations in Compose's Go-duration syntax, e.g. `"130s"`). */
export interface ComposeHealthcheck {
  /** `["CMD", ...]` (exec form) or `["CMD-SHELL", script]`. */
  readonly test: readonly string[];
  /** Time between checks: the readiness probe's period. */
  readonly interval: string;
  /** How long one check may take: the readiness probe's timeout. */
  readonly timeout: string;
  /** Consecutive failures before the container is unhealthy: the readiness probe's failure threshold. */
  readonly retries: number;
  /** Failures in this window after start do not count: the model load time plus one startup-probe period. */
  readonly start_period: string;
}

/** A GPU reservation (`deploy.resources.reservations.devices[]`). */
export interface ComposeDeviceReservation {
  /** The device driver: `nvidia`. */
  readonly driver: string;
  /** How many GPUs: the `nvidia.com/gpu` limit. */
  readonly count: number;
  /** `["gpu"]`. */
  readonly capabilities: readonly string[];
}

/** `deploy.resources.limits` of a Compose service. */
export interface ComposeLimits {
  /** The memory limit in Docker's binary units (`"2g"`), or bytes when no unit is exact. */
  readonly memory?: string;
  /** The CPU limit in cores (`"0.5"`), when the container has one. */
  readonly cpus?: string;
}

/** `deploy.resources.reservations` of a Compose service. */
export interface ComposeReservations {
  /** GPUs to reserve. */
  readonly devices: readonly ComposeDeviceReservation[];
}

/** `deploy.resources` of a Compose service. */
export interface ComposeResources {
  /** Memory and CPU limits, from the container's limits. */
  readonly limits?: ComposeLimits;
  /** GPUs, from the container's `nvidia.com/gpu` limit. */
  readonly reservations?: ComposeReservations;
}

/** `deploy` of a Compose service. */
export interface ComposeDeploy {
  /** Limits and reservations. */
  readonly resources: ComposeResources;
}

/** `build` of a Compose service whose image is built from a model directory. */
export interface ComposeBuild {
  /** The build context, relative to the Compose file: `<imagesDir>/<name>`. */
  readonly context: string;
  /** The Dockerfile inside the context: `Dockerfile`. */
  readonly dockerfile: string;
}

/** A `depends_on` entry (long syntax). */
export interface ComposeDependency {
  /** What to wait for: `service_completed_successfully` for one-shot services (the model fetch). */
  readonly condition: 'service_started' | 'service_healthy' | 'service_completed_successfully';
}

/** A Compose service, as {@link renderCompose} writes it. */
export interface ComposeService {
  /** The image; for a built image, the tag the build produces. */
  readonly image: string;
  /** The build context of an image built from a model directory. */
  readonly build?: ComposeBuild;
  /** Replaces the image's ENTRYPOINT (the container's `command` in Kubernetes). */
  readonly entrypoint?: readonly string[];
  /** Replaces the image's CMD (the container's `args` in Kubernetes). */
  readonly command?: readonly string[];
  /**
   * Environment variables. Plain values are written with `$` escaped as `$$`; values from
   * Secrets are `${VAR}` references to the host environment, never the secret itself.
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** Published ports, `127.0.0.1:<host>:<container>/tcp`. */
  readonly ports?: readonly string[];
  /** `"uid:gid"`, the container's runAsUser and runAsGroup. */
  readonly user: string;
  /** A read-only root filesystem (the container's readOnlyRootFilesystem). */
  readonly read_only: boolean;
  /** Writable directories, `<path>:size=<bytes>,mode=1777,exec`. */
  readonly tmpfs?: readonly string[];
  /** Size of /dev/shm, when the runtime mounts a memory-backed /dev/shm. */
  readonly shm_size?: string;
  /** Capabilities dropped: `["ALL"]`, as in the container's securityContext. */
  readonly cap_drop: readonly string[];
  /** Capabilities added back: only `CHOWN`, only for the one-shot service that hands a new volume to the fetcher. */
  readonly cap_add?: readonly string[];
  /** `["no-new-privileges:true"]` (allowPrivilegeEscalation: false). */
  readonly security_opt: readonly string[];
  /** `none` for services that need no network. */
  readonly network_mode?: string;
  /** Named volumes (models) and bind mounts (config), in the container's mount order. */
  readonly volumes?: readonly ComposeVolumeMount[];
  /** One-shot services that must complete first (the model fetch). */
  readonly depends_on?: Readonly<Record<string, ComposeDependency>>;
  /** The readiness probe, as a healthcheck. */
  readonly healthcheck?: ComposeHealthcheck;
  /** The pod's terminationGracePeriodSeconds (`"60s"`). */
  readonly stop_grace_period?: string;
  /** Resource limits and GPU reservations. */
  readonly deploy?: ComposeDeploy;
}

/** A top-level named volume. */
export interface ComposeVolume {
  /** Labels saying which service the volume belongs to and, for claims, which PersistentVolumeClaim it stands in for. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A Compose file: serialize it as YAML (or JSON, which is YAML too) and run `docker compose up`. */
export interface ComposeFile {
  /** The project name. */
  readonly name: string;
  /** The services by name: `<name>` for each server, `<name>-fetch-model` and `<name>-prepare-volumes` for fetched models. */
  readonly services: Readonly<Record<string, ComposeService>>;
  /** Named volumes (fetched models, stand-ins for PersistentVolumeClaims); absent when there are none. */
  readonly volumes?: Readonly<Record<string, ComposeVolume>>;
}

/** A file to write next to the Compose file. */
export interface ComposeFileToWrite {
  /** Path relative to the Compose file's directory, POSIX separators. */
  readonly path: string;
  /** The file's text (UTF-8). */
  readonly content: string;
}

/** A host environment variable the Compose file reads in place of a Kubernetes Secret. */
export interface ComposeHostVariable {
  /** The variable to export before `docker compose up` (the `${VAR}` in the file). */
  readonly variable: string;
  /** The Compose services that read it. */
  readonly services: readonly string[];
  /** The Secret it stands in for in the cluster. */
  readonly secretName: string;
  /** The key of that Secret. */
  readonly key: string;
}

/** A named volume the user fills before `docker compose up`: the stand-in for a PersistentVolumeClaim. */
export interface ComposeVolumeToFill {
  /** The key under the top-level `volumes`. */
  readonly volume: string;
  /** The name Docker gives it: `<project>_<volume>`. */
  readonly dockerName: string;
  /** The claim the cluster mounts instead. */
  readonly claimName: string;
  /** The Compose service that mounts it. */
  readonly service: string;
  /** Where the service mounts it (read-only). */
  readonly mountPath: string;
}

/** What every health check target has. */
export interface HealthCheckTargetBase {
  /** The Compose service the check runs in. */
  readonly service: string;
  /** The runtime kind (`torchserve`, `tfserving`, `triton`, `vllm`, `custom`), from the Deployment's `modelship.dev/runtime` label. */
  readonly runtime: string;
  /** The container port, resolved from the probe's port name. */
  readonly port: number;
  /** The readiness probe's timeout; the whole check must finish within it. */
  readonly timeoutSeconds: number;
}

/** An HTTP readiness probe: healthy on a 2xx answer to `GET <path>`. */
export interface HttpHealthCheckTarget extends HealthCheckTargetBase {
  /** An HTTP GET. */
  readonly kind: 'http';
  /** The path (with any query), starting with `/`. */
  readonly path: string;
}

/** A TCP readiness probe: healthy when the port accepts a connection. */
export interface TcpHealthCheckTarget extends HealthCheckTargetBase {
  /** A TCP connect. */
  readonly kind: 'tcp';
}

/** Where a health check goes: the readiness probe's target, resolved to a port number. */
export type HealthCheckTarget = HttpHealthCheckTarget | TcpHealthCheckTarget;

/** Options of {@link renderCompose}. */
export interface ComposeOptions {
  /**
   * The Compose project name (lowercase letters, digits, `-` and `_`, starting with a letter or digit).
   * @default "modelship"
   */
  readonly name?: string;
  /**
   * Where image build contexts are, relative to the Compose file: a built image's context is
   * `<imagesDir>/<name>` (where the cdk8s front end writes it).
   * @default "images"
   */
  readonly imagesDir?: string;
  /**
   * Where the ConfigMap files of registry images are written, relative to the Compose file:
   * `<configDir>/<service>/<file>`.
   * @default "config"
   */
  readonly configDir?: string;
  /**
   * Added to every published host port, to keep services from clashing with each other (or with
   * something already listening on the host). A number shifts every service; a record shifts
   * the named services only. Container ports never change.
   * @default - no offset: host ports equal container ports
   */
  readonly hostPortOffset?: number | Readonly<Record<string, number>>;
  /**
   * The healthcheck `test` for a readiness target: `["CMD", ...]` or `["CMD-SHELL", script]`,
   * run inside the server container (so the tool must be in the image).
   * @default defaultHealthCheck - a Python one-liner, or bash's /dev/tcp for TF Serving (whose image has no Python)
   */
  readonly healthCheck?: (target: HealthCheckTarget) => readonly string[];
}

/** What {@link renderCompose} returns. */
export interface ComposeProject {
  /** The Compose file, a plain object: serialize it to YAML or JSON. */
  readonly compose: ComposeFile;
  /** Files to write next to the Compose file: the ConfigMap files of services that run a registry image. */
  readonly files: readonly ComposeFileToWrite[];
  /** Host variables the file interpolates in place of Secrets, sorted by name. */
  readonly hostEnvironment: readonly ComposeHostVariable[];
  /** Named volumes standing in for PersistentVolumeClaims, which the user must fill. */
  readonly volumesToFill: readonly ComposeVolumeToFill[];
}
