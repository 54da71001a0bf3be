/**
 * The Pod Security Standards checks, one entry per upstream check ID, written from the doc
 * comments and behaviour of `kubernetes/pod-security-admission` `policy/check_*.go`.
 *
 * Where upstream returns one result per check, these report one violation per offending field
 * so that a caller can point at it.
 */
import {
  ALLOWED_VOLUME_SOURCES,
  FORBIDDEN_VOLUME_SOURCES,
  type ContainerLike,
  type HandlerLike,
  type PodSpecLike,
  type SeccompProfileLike,
  type VolumeLike,
} from './pod-like';

/** A Pod Security Standards level that has checks. */
export type PodSecurityLevel = 'baseline' | 'restricted';

/** One container with the path of its entry, e.g. `spec.initContainers[0]`. */
export interface VisitedContainer {
  readonly container: ContainerLike;
  readonly path: string;
}

/** What a check sees of one pod. */
export interface CheckContext {
  readonly spec: PodSpecLike;
  readonly annotations: Readonly<Record<string, unknown>>;
  /** Kubernetes minor version (1.x) whose rules apply. */
  readonly minor: number;
  /** Path of the pod spec, e.g. `spec` or `spec.template.spec`. */
  readonly specPath: string;
  /** Path of the pod metadata, e.g. `metadata` or `spec.template.metadata`. */
  readonly metadataPath: string;
  /** Init, regular and ephemeral containers, in that order (upstream `visitContainers`). */
  readonly containers: readonly VisitedContainer[];
}

export type Report = (path: string, message: string) => void;

export interface Check {
  readonly id: string;
  readonly level: PodSecurityLevel;
  /** First Kubernetes minor version (1.x) that enforces the check. */
  readonly since: number;
  /** Baseline check IDs this restricted check replaces under the restricted level. */
  readonly overrides?: readonly string[];
  readonly run: (ctx: CheckContext, report: Report) => void;
}

const WINDOWS = 'windows';
const RUNTIME_DEFAULT = 'RuntimeDefault';
const LOCALHOST = 'Localhost';
const CAPABILITY_ALL = 'ALL';
const CAPABILITY_NET_BIND_SERVICE = 'NET_BIND_SERVICE';
const DEFAULT_PROC_MOUNT = 'Default';
const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** `capabilities_allowed_1_0` in `check_capabilities_baseline.go`. */
const BASELINE_CAPABILITY_LIST = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
];
const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set(BASELINE_CAPABILITY_LIST);

const SELINUX_TYPES = ['', 'container_t', 'container_init_t', 'container_kvm_t'];
/** `selinuxAllowedTypes1_31` adds `container_engine_t`. */
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES, 'container_engine_t'];

/** Safe sysctls by the minor version that added them (`check_sysctls.go`). */
const SAFE_SYSCTLS: readonly (readonly [since: number, names: readonly string[]])[] = [
  [0, ['kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.tcp_syncookies', 'net.ipv4.ping_group_range', 'net.ipv4.ip_unprivileged_port_start']],
  [27, ['net.ipv4.ip_local_reserved_ports']],
  [29, ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']],
  [32, ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem']],
  [37, ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat']],
];

const quote = (value: unknown): string => JSON.stringify(value) ?? String(value);
const isSet = (value: unknown): boolean => value !== undefined && value !== null;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;
const listOf = <T>(value: readonly T[] | undefined): readonly T[] => (Array.isArray(value) ? value : []);
const named = (c: ContainerLike): string => `container ${quote(c.name ?? '')}`;

/** From 1.25, `allowPrivilegeEscalation`, `capabilities_restricted` and `seccompProfile_restricted` skip Windows pods. */
const isWindowsPod = (ctx: CheckContext): boolean => ctx.minor >= 25 && ctx.spec.os?.name === WINDOWS;

/** `relaxPolicyForUserNamespacePod` (helpers.go), applied by some checks from 1.35. */
const relaxedForUserNamespace = (ctx: CheckContext): boolean => ctx.minor >= 35 && ctx.spec.hostUsers === false;

const validSeccompType = (type: unknown): boolean => type === RUNTIME_DEFAULT || type === LOCALHOST;
const validAppArmorType = validSeccompType;

/**
 * Reports a pod-level and per-container field that is set to a forbidden value. `read` returns
 * the field's value from a security context (or undefined when absent); `bad` says whether a
 * present value is forbidden.
 */
function checkPodAndContainers(
  ctx: CheckContext,
  report: Report,
  field: string,
  read: (sc: Record<string, unknown>) => unknown,
  bad: (value: unknown) => boolean,
  message: (who: string, value: unknown) => string,
): void {
  const podSc = ctx.spec.securityContext;
  if (isObject(podSc)) {
    const value = read(podSc);
    if (isSet(value) && bad(value)) report(`${ctx.specPath}.securityContext.${field}`, message('pod', value));
  }
  for (const { container, path } of ctx.containers) {
    const sc = container.securityContext;
    if (!isObject(sc)) continue;
    const value = read(sc);
    if (isSet(value) && bad(value)) report(`${path}.securityContext.${field}`, message(named(container), value));
  }
}

function checkProcMount(ctx: CheckContext, report: Report): void {
  for (const { container, path } of ctx.containers) {
    const procMount = container.securityContext?.procMount;
    if (isSet(procMount) && procMount !== DEFAULT_PROC_MOUNT) {
      report(`${path}.securityContext.procMount`, `${named(container)} must not set securityContext.procMount to ${quote(procMount)}; allowed: unset or "Default"`);
    }
  }
}

function checkSeccompSet(ctx: CheckContext, report: Report): boolean {
  const pod: SeccompProfileLike | undefined = ctx.spec.securityContext?.seccompProfile;
  let podValid = false;
  if (isObject(pod)) {
    if (validSeccompType(pod.type)) podValid = true;
    else report(`${ctx.specPath}.securityContext.seccompProfile.type`, `pod must not set securityContext.seccompProfile.type to ${quote(pod.type ?? '')}`);
  }
  for (const { container, path } of ctx.containers) {
    const profile = container.securityContext?.seccompProfile;
    if (isObject(profile) && !validSeccompType(profile.type)) {
      report(`${path}.securityContext.seccompProfile.type`, `${named(container)} must not set securityContext.seccompProfile.type to ${quote(profile.type ?? '')}`);
    }
  }
  return podValid;
}

function checkHandlerHosts(report: Report, container: ContainerLike, path: string, handler: HandlerLike | undefined): void {
  if (!isObject(handler)) return;
  for (const kind of ['httpGet', 'tcpSocket'] as const) {
    const host: unknown = (handler[kind] as { readonly host?: unknown } | undefined)?.host;
    if (isSet(host) && host !== '') {
      report(`${path}.${kind}.host`, `${named(container)} must not set ${kind}.host (got ${quote(host)}); probes and lifecycle handlers may only target the pod`);
    }
  }
}

/** The volume source set on `volume`: its first allowed source, else its first other source. */
function volumeSource(volume: VolumeLike): { name: string; allowed: boolean } | undefined {
  const present = (key: string): boolean => isSet((volume as Record<string, unknown>)[key]);
  const allowed = ALLOWED_VOLUME_SOURCES.find(present);
  if (allowed) return { name: allowed, allowed: true };
  const known = FORBIDDEN_VOLUME_SOURCES.find(present);
  if (known) return { name: known, allowed: false };
  const other = Object.keys(volume).find((key) => key !== 'name' && present(key));
  return other === undefined ? undefined : { name: other, allowed: false };
}

/**
 * Every check, baseline first then restricted, each group sorted by ID as upstream evaluates
 * them.
 */
export const CHECKS: readonly Check[] = [
  {
    id: 'appArmorProfile',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      checkPodAndContainers(
        ctx,
        report,
        'appArmorProfile.type',
        (sc) => (isObject(sc.appArmorProfile) ? (sc.appArmorProfile.type ?? '') : undefined),
        (type) => !validAppArmorType(type),
        (who, type) => `${who} must not set AppArmor profile type to ${quote(type)}; allowed: "RuntimeDefault", "Localhost" or unset`,
      );
      for (const [key, value] of Object.entries(ctx.annotations)) {
        if (!key.startsWith(APPARMOR_ANNOTATION_PREFIX)) continue;
        const profile = typeof value === 'string' ? value : String(value ?? '');
        if (profile === '' || profile === 'runtime/default' || profile.startsWith('localhost/')) continue;
        report(`${ctx.metadataPath}.annotations['${key}']`, `annotation ${key}=${quote(profile)} is forbidden; allowed: "runtime/default", "localhost/*" or empty`);
      }
    },
  },
  {
    id: 'capabilities_baseline',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      for (const { container, path } of ctx.containers) {
        listOf(container.securityContext?.capabilities?.add).forEach((cap, i) => {
          if (!BASELINE_CAPABILITIES.has(cap)) {
            report(`${path}.securityContext.capabilities.add[${i}]`, `${named(container)} must not add capability ${quote(cap)}; allowed: ${BASELINE_CAPABILITY_LIST.join(', ')}`);
          }
        });
      }
    },
  },
  {
    id: 'hostNamespaces',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
        if (ctx.spec[field] === true) report(`${ctx.specPath}.${field}`, `pod must not set ${field}=true`);
      }
    },
  },
  {
    id: 'hostPathVolumes',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      listOf(ctx.spec.volumes).forEach((volume, i) => {
        if (isObject(volume) && isSet(volume.hostPath)) {
          report(`${ctx.specPath}.volumes[${i}].hostPath`, `volume ${quote(volume.name ?? '')} must not use hostPath`);
        }
      });
    },
  },
  {
    id: 'hostPorts',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      for (const { container, path } of ctx.containers) {
        listOf(container.ports).forEach((port, i) => {
          const hostPort = port?.hostPort;
          if (isSet(hostPort) && hostPort !== 0) {
            report(`${path}.ports[${i}].hostPort`, `${named(container)} must not use hostPort ${String(hostPort)}; allowed: unset or 0`);
          }
        });
      }
    },
  },
  {
    id: 'hostProbesAndHostLifecycle',
    level: 'baseline',
    since: 34,
    run(ctx, report) {
      for (const { container, path } of ctx.containers) {
        for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
          checkHandlerHosts(report, container, `${path}.${probe}`, container[probe]);
        }
        for (const hook of ['postStart', 'preStop'] as const) {
          checkHandlerHosts(report, container, `${path}.lifecycle.${hook}`, container.lifecycle?.[hook]);
        }
      }
    },
  },
  {
    id: 'privileged',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      for (const { container, path } of ctx.containers) {
        if (container.securityContext?.privileged === true) {
          report(`${path}.securityContext.privileged`, `${named(container)} must not set securityContext.privileged=true`);
        }
      }
    },
  },
  {
    id: 'procMount',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      if (!relaxedForUserNamespace(ctx)) checkProcMount(ctx, report);
    },
  },
  {
    id: 'seLinuxOptions',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      const types = ctx.minor >= 31 ? SELINUX_TYPES_1_31 : SELINUX_TYPES;
      const allowed = types.filter((t) => t !== '').map((t) => quote(t)).join(', ');
      checkPodAndContainers(
        ctx,
        report,
        'seLinuxOptions.type',
        (sc) => (isObject(sc.seLinuxOptions) ? (sc.seLinuxOptions.type ?? '') : undefined),
        (type) => !types.includes(type as string),
        (who, type) => `${who} must not set securityContext.seLinuxOptions.type to ${quote(type)}; allowed: empty, ${allowed}`,
      );
      for (const field of ['user', 'role'] as const) {
        checkPodAndContainers(
          ctx,
          report,
          `seLinuxOptions.${field}`,
          (sc) => (isObject(sc.seLinuxOptions) ? sc.seLinuxOptions[field] : undefined),
          (value) => value !== '',
          (who, value) => `${who} must not set securityContext.seLinuxOptions.${field} (got ${quote(value)})`,
        );
      }
    },
  },
  {
    id: 'seccompProfile_baseline',
    level: 'baseline',
    since: 19,
    run(ctx, report) {
      checkSeccompSet(ctx, report);
    },
  },
  {
    id: 'sysctls',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      const safe = new Set(SAFE_SYSCTLS.filter(([since]) => since <= ctx.minor).flatMap(([, names]) => names));
      listOf(ctx.spec.securityContext?.sysctls).forEach((sysctl, i) => {
        const name = sysctl?.name;
        if (typeof name !== 'string' || !safe.has(name)) {
          report(`${ctx.specPath}.securityContext.sysctls[${i}].name`, `sysctl ${quote(name ?? '')} is not in the safe set for Kubernetes 1.${ctx.minor}`);
        }
      });
    },
  },
  {
    id: 'windowsHostProcess',
    level: 'baseline',
    since: 0,
    run(ctx, report) {
      checkPodAndContainers(
        ctx,
        report,
        'windowsOptions.hostProcess',
        (sc) => (isObject(sc.windowsOptions) ? sc.windowsOptions.hostProcess : undefined),
        (value) => value === true,
        (who) => `${who} must not set securityContext.windowsOptions.hostProcess=true`,
      );
    },
  },
  {
    id: 'allowPrivilegeEscalation',
    level: 'restricted',
    since: 8,
    run(ctx, report) {
      if (isWindowsPod(ctx)) return;
      for (const { container, path } of ctx.containers) {
        if (container.securityContext?.allowPrivilegeEscalation !== false) {
          report(`${path}.securityContext.allowPrivilegeEscalation`, `${named(container)} must set securityContext.allowPrivilegeEscalation=false`);
        }
      }
    },
  },
  {
    id: 'capabilities_restricted',
    level: 'restricted',
    since: 22,
    overrides: ['capabilities_baseline'],
    run(ctx, report) {
      if (isWindowsPod(ctx)) return;
      for (const { container, path } of ctx.containers) {
        const capabilities = container.securityContext?.capabilities;
        if (!listOf(capabilities?.drop).includes(CAPABILITY_ALL)) {
          report(`${path}.securityContext.capabilities.drop`, `${named(container)} must set securityContext.capabilities.drop=["ALL"]`);
        }
        listOf(capabilities?.add).forEach((cap, i) => {
          if (cap !== CAPABILITY_NET_BIND_SERVICE) {
            report(`${path}.securityContext.capabilities.add[${i}]`, `${named(container)} must not add capability ${quote(cap)}; only "NET_BIND_SERVICE" may be added`);
          }
        });
      }
    },
  },
  {
    id: 'procMount_restricted',
    level: 'restricted',
    since: 35,
    overrides: ['procMount'],
    run: checkProcMount,
  },
  {
    id: 'restrictedVolumes',
    level: 'restricted',
    since: 0,
    overrides: ['hostPathVolumes'],
    run(ctx, report) {
      listOf(ctx.spec.volumes).forEach((volume, i) => {
        // A volume with no source at all is defaulted to emptyDir by the API server.
        const source = isObject(volume) ? volumeSource(volume) : undefined;
        if (source === undefined || source.allowed) return;
        report(
          `${ctx.specPath}.volumes[${i}].${source.name}`,
          `volume ${quote(volume.name ?? '')} uses restricted volume type ${quote(source.name)}; allowed: ${ALLOWED_VOLUME_SOURCES.join(', ')}`,
        );
      });
    },
  },
  {
    id: 'runAsNonRoot',
    level: 'restricted',
    since: 0,
    run(ctx, report) {
      if (relaxedForUserNamespace(ctx)) return;
      const pod = ctx.spec.securityContext?.runAsNonRoot;
      if (isSet(pod) && pod !== true) report(`${ctx.specPath}.securityContext.runAsNonRoot`, 'pod must not set securityContext.runAsNonRoot=false');
      for (const { container, path } of ctx.containers) {
        const value = container.securityContext?.runAsNonRoot;
        if (isSet(value) ? value !== true : pod !== true) {
          report(
            `${path}.securityContext.runAsNonRoot`,
            isSet(value) ? `${named(container)} must not set securityContext.runAsNonRoot=false` : `pod or ${named(container)} must set securityContext.runAsNonRoot=true`,
          );
        }
      }
    },
  },
  {
    id: 'runAsUser',
    level: 'restricted',
    since: 23,
    run(ctx, report) {
      if (relaxedForUserNamespace(ctx)) return;
      checkPodAndContainers(
        ctx,
        report,
        'runAsUser',
        (sc) => sc.runAsUser,
        (uid) => uid === 0,
        (who) => `${who} must not set runAsUser=0`,
      );
    },
  },
  {
    id: 'seccompProfile_restricted',
    level: 'restricted',
    since: 19,
    overrides: ['seccompProfile_baseline'],
    run(ctx, report) {
      if (isWindowsPod(ctx)) return;
      const podValid = checkSeccompSet(ctx, report);
      if (podValid) return;
      for (const { container, path } of ctx.containers) {
        if (!isObject(container.securityContext?.seccompProfile)) {
          report(`${path}.securityContext.seccompProfile.type`, `pod or ${named(container)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`);
        }
      }
    },
  },
];

/** The checks that apply at `level` and Kubernetes minor version `minor`, with overrides applied. */
export function checksFor(level: PodSecurityLevel, minor: number): readonly Check[] {
  const active = CHECKS.filter((c) => c.since <= minor && (c.level === 'baseline' || level === 'restricted'));
  const overridden = new Set(active.flatMap((c) => c.overrides ?? []));
  return active.filter((c) => !overridden.has(c.id));
}
