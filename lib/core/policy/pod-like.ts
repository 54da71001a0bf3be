/**
 * Minimal, read-only views of the Kubernetes Pod wire format (plain JSON, camelCase keys as the
 * API serves them) covering only the fields the Pod Security Standards checks read. Every field
 * is optional so that partial or not-yet-defaulted manifests can be checked; `null` values are
 * treated like absent ones at run time.
 */

/** The `metadata` of a pod (or of a workload's pod template) as far as Pod Security reads it. */
export interface PodMetadataLike {
  /** The pod's name; not checked. */
  readonly name?: string;
  /**
   * The pod's annotations. Only `container.apparmor.security.beta.kubernetes.io/*` keys are
   * checked (check `appArmorProfile`).
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** A pod: its metadata and its spec, as in a `v1/Pod` object. */
export interface PodLike {
  /** The pod's metadata; only annotations are read. */
  readonly metadata?: PodMetadataLike;
  /** The pod spec. */
  readonly spec: PodSpecLike;
}

/** The fields of a `PodSpec` that Pod Security reads. */
export interface PodSpecLike {
  /** Checked by `hostNamespaces`: must be false or unset. */
  readonly hostNetwork?: boolean;
  /** Checked by `hostNamespaces`: must be false or unset. */
  readonly hostPID?: boolean;
  /** Checked by `hostNamespaces`: must be false or unset. */
  readonly hostIPC?: boolean;
  /**
   * `false` runs the pod in a user namespace. From Kubernetes 1.35 this relaxes `runAsNonRoot`,
   * `runAsUser` and the baseline `procMount` check (but not `procMount_restricted`).
   */
  readonly hostUsers?: boolean;
  /** `os.name: windows` exempts the pod from `allowPrivilegeEscalation`, `capabilities_restricted` and `seccompProfile_restricted`. */
  readonly os?: {
    /** `linux` or `windows`. */
    readonly name?: string;
  };
  /** Pod-level security settings. */
  readonly securityContext?: PodSecurityContextLike;
  /** Init containers; checked like regular containers. */
  readonly initContainers?: readonly ContainerLike[];
  /** Regular containers. */
  readonly containers?: readonly ContainerLike[];
  /** Ephemeral (debug) containers; checked like regular containers. */
  readonly ephemeralContainers?: readonly ContainerLike[];
  /** Inline volumes; checked by `restrictedVolumes` (and `hostPathVolumes` at baseline). */
  readonly volumes?: readonly VolumeLike[];
}

/** A seccomp profile reference. */
export interface SeccompProfileLike {
  /** `RuntimeDefault`, `Localhost` or `Unconfined`. */
  readonly type?: string;
  /** The profile file for `Localhost`. */
  readonly localhostProfile?: string;
}

/** An AppArmor profile reference (the field, Kubernetes 1.30+). */
export interface AppArmorProfileLike {
  /** `RuntimeDefault`, `Localhost` or `Unconfined`. */
  readonly type?: string;
  /** The profile name for `Localhost`. */
  readonly localhostProfile?: string;
}

/** SELinux labels. */
export interface SELinuxOptionsLike {
  /** Must be empty or one of the container types (see check `seLinuxOptions`). */
  readonly type?: string;
  /** Must be empty. */
  readonly user?: string;
  /** Must be empty. */
  readonly role?: string;
  /** The MCS level; not checked. */
  readonly level?: string;
}

/** Windows-specific options. */
export interface WindowsOptionsLike {
  /** Must be false or unset (check `windowsHostProcess`). */
  readonly hostProcess?: boolean;
}

/** Pod-level `securityContext`. */
export interface PodSecurityContextLike {
  /** `true` here covers every container that leaves it unset; `false` fails. */
  readonly runAsNonRoot?: boolean;
  /** Must not be 0. */
  readonly runAsUser?: number;
  /** Not checked by Pod Security. */
  readonly runAsGroup?: number;
  /** Not checked by Pod Security. */
  readonly fsGroup?: number;
  /** A valid type here covers every container that leaves it unset. */
  readonly seccompProfile?: SeccompProfileLike;
  /** Checked by `appArmorProfile`. */
  readonly appArmorProfile?: AppArmorProfileLike;
  /** Checked by `seLinuxOptions`. */
  readonly seLinuxOptions?: SELinuxOptionsLike;
  /** Checked by `windowsHostProcess`. */
  readonly windowsOptions?: WindowsOptionsLike;
  /** Only the "safe" sysctls are allowed (check `sysctls`). */
  readonly sysctls?: readonly {
    /** The sysctl, e.g. `net.ipv4.ip_unprivileged_port_start`. */
    readonly name?: string;
    /** Not checked. */
    readonly value?: string;
  }[];
}

/** Container-level `securityContext`. */
export interface SecurityContextLike {
  /** Must be `false`, explicitly (check `allowPrivilegeEscalation`). */
  readonly allowPrivilegeEscalation?: boolean;
  /** Must be false or unset (check `privileged`). */
  readonly privileged?: boolean;
  /** `drop` must include `ALL`; `add` may only hold `NET_BIND_SERVICE` (check `capabilities_restricted`). */
  readonly capabilities?: {
    /** Capabilities added to the runtime's default set. */
    readonly add?: readonly string[];
    /** Capabilities removed; must include `ALL`. */
    readonly drop?: readonly string[];
  };
  /** Must be `true` unless the pod level sets `true`; `false` fails. */
  readonly runAsNonRoot?: boolean;
  /** Must not be 0. */
  readonly runAsUser?: number;
  /** Not checked by Pod Security. */
  readonly runAsGroup?: number;
  /**
   * Not checked: a read-only root filesystem is good hardening but is not part of any Pod
   * Security Standards level.
   */
  readonly readOnlyRootFilesystem?: boolean;
  /** Must be unset or `Default`. */
  readonly procMount?: string;
  /** Checked by `seccompProfile_restricted`. */
  readonly seccompProfile?: SeccompProfileLike;
  /** Checked by `appArmorProfile`. */
  readonly appArmorProfile?: AppArmorProfileLike;
  /** Checked by `seLinuxOptions`. */
  readonly seLinuxOptions?: SELinuxOptionsLike;
  /** Checked by `windowsHostProcess`. */
  readonly windowsOptions?: WindowsOptionsLike;
}

/** A container port. */
export interface ContainerPortLike {
  /** Not checked. */
  readonly name?: string;
  /** Not checked. */
  readonly containerPort?: number;
  /** Not checked. */
  readonly protocol?: string;
  /** Must be unset or 0 (check `hostPorts`). */
  readonly hostPort?: number;
}

/** A probe or lifecycle handler; only the `host` of `httpGet` and `tcpSocket` is read. */
export interface HandlerLike {
  /** Not checked. */
  readonly exec?: unknown;
  /** Not checked. */
  readonly grpc?: unknown;
  /** Not checked. */
  readonly sleep?: unknown;
  /** `host` must be empty (check `hostProbesAndHostLifecycle`, Kubernetes 1.34+). */
  readonly httpGet?: {
    /** Must be empty. */
    readonly host?: string;
    /** Not checked. */
    readonly port?: number | string;
    /** Not checked. */
    readonly path?: string;
  };
  /** `host` must be empty (check `hostProbesAndHostLifecycle`, Kubernetes 1.34+). */
  readonly tcpSocket?: {
    /** Must be empty. */
    readonly host?: string;
    /** Not checked. */
    readonly port?: number | string;
  };
}

/** A container (init, regular or ephemeral). */
export interface ContainerLike {
  /** The container name, quoted in violation messages. */
  readonly name?: string;
  /** Not checked. */
  readonly image?: string;
  /** Container-level security settings. */
  readonly securityContext?: SecurityContextLike;
  /** Checked by `hostPorts`. */
  readonly ports?: readonly ContainerPortLike[];
  /** Checked by `hostProbesAndHostLifecycle`. */
  readonly livenessProbe?: HandlerLike;
  /** Checked by `hostProbesAndHostLifecycle`. */
  readonly readinessProbe?: HandlerLike;
  /** Checked by `hostProbesAndHostLifecycle`. */
  readonly startupProbe?: HandlerLike;
  /** Checked by `hostProbesAndHostLifecycle`. */
  readonly lifecycle?: {
    /** Runs after the container starts. */
    readonly postStart?: HandlerLike;
    /** Runs before the container stops. */
    readonly preStop?: HandlerLike;
  };
}

/**
 * Inline volume sources that the restricted level allows (`policy/check_restrictedVolumes.go`).
 */
export const ALLOWED_VOLUME_SOURCES = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
] as const;

/**
 * Inline volume sources that the restricted level forbids (`policy/check_restrictedVolumes.go`),
 * in the order upstream reports them.
 */
export const FORBIDDEN_VOLUME_SOURCES = [
  'hostPath',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'nfs',
  'iscsi',
  'glusterfs',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'fc',
  'azureFile',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'portworxVolume',
  'scaleIO',
  'storageos',
] as const;

/** The name of one inline volume source field of a `Volume`. */
export type VolumeSourceName = (typeof ALLOWED_VOLUME_SOURCES)[number] | (typeof FORBIDDEN_VOLUME_SOURCES)[number];

/**
 * An inline volume: its name and one source. Only which source is set matters, so every source
 * is typed `unknown`.
 */
export type VolumeLike = {
  /** The volume name, quoted in violation messages. */
  readonly name?: string;
} & { readonly [S in VolumeSourceName]?: unknown };
