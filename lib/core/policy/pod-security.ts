/**
 * Kubernetes Pod Security Standards checks over plain Kubernetes objects.
 *
 * Written from `kubernetes/pod-security-admission` (`policy/check_*.go`, the library behind the
 * PodSecurity admission controller); the check IDs are upstream's. Pure TypeScript: no cdk8s,
 * Pulumi or Kubernetes client dependency.
 */
import type { PodLike, PodMetadataLike, PodSpecLike } from './pod-like';
import { checksFor, type CheckContext, type PodSecurityLevel, type VisitedContainer } from './pod-security-checks';

export * from './pod-like';

/** One field of a pod that breaks a Pod Security Standards check. */
export interface PodSecurityViolation {
  /**
   * The upstream check ID, e.g. `runAsNonRoot`, `capabilities_restricted`, `restrictedVolumes`
   * (the `ID` of the check in `policy/check_*.go`).
   */
  readonly check: string;
  /**
   * Where the offending (or missing) field is, as a dotted path from the checked object, e.g.
   * `spec.containers[0].securityContext.allowPrivilegeEscalation`,
   * `spec.volumes[1].hostPath` or
   * `metadata.annotations['container.apparmor.security.beta.kubernetes.io/app']`.
   */
  readonly path: string;
  /** What is wrong and what is allowed, naming the container or volume and the value found. */
  readonly message: string;
}

/** Options for the Pod Security checks. */
export interface PodSecurityOptions {
  /**
   * The Kubernetes version whose rules apply, like the `pod-security.kubernetes.io/enforce-version`
   * namespace label: `"1.28"` … `"1.37"` (a leading `v` is accepted) or `"latest"`. Versions newer
   * than 1.37 are evaluated as `"latest"`, as upstream does for versions past its newest check.
   *
   * Version-dependent rules: `container_engine_t` SELinux type allowed from 1.31; more safe
   * sysctls in 1.29, 1.32 and 1.37; `hostProbesAndHostLifecycle` from 1.34; from 1.35
   * `procMount_restricted` replaces `procMount`, and `runAsNonRoot` / `runAsUser` allow any value
   * when the pod sets `hostUsers: false`.
   *
   * @default "1.28"
   */
  readonly version?: string;
}

/** Where a pod spec sits inside a Kubernetes object; see {@link podSpecOf}. */
export interface PodSpecLocation {
  /** The pod spec object itself (not copied, not validated). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly spec: any;
  /** The path of `spec` in the object, e.g. `spec` for a Pod or `spec.template.spec` for a Deployment. */
  readonly path: string;
  /** The pod metadata (the pod template's metadata for workloads), when present. */
  readonly metadata?: PodMetadataLike;
  /** The path of the pod metadata, e.g. `metadata` or `spec.template.metadata`. */
  readonly metadataPath: string;
}

const DEFAULT_VERSION = '1.28';
const OLDEST_MINOR = 28;
/** The newest version with its own rules (upstream testdata reaches v1.37). */
const NEWEST_MINOR = 37;

/** Turns a version option into the Kubernetes minor version whose rules apply. */
function minorOf(version: string): number {
  if (version === 'latest') return NEWEST_MINOR;
  const match = /^v?1\.(\d+)$/.exec(version);
  const minor = match ? Number(match[1]) : NaN;
  if (!(minor >= OLDEST_MINOR)) {
    throw new RangeError(`Pod Security version ${JSON.stringify(version)} is not supported: use "latest" or "1.${OLDEST_MINOR}" or newer`);
  }
  return Math.min(minor, NEWEST_MINOR);
}

function visitContainers(spec: PodSpecLike, specPath: string): VisitedContainer[] {
  const visited: VisitedContainer[] = [];
  for (const list of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    const containers = spec[list];
    if (!Array.isArray(containers)) continue;
    containers.forEach((container, i) => {
      if (typeof container === 'object' && container !== null) visited.push({ container, path: `${specPath}.${list}[${i}]` });
    });
  }
  return visited;
}

function evaluate(
  level: PodSecurityLevel,
  metadata: PodMetadataLike | undefined,
  spec: PodSpecLike | undefined,
  options: PodSecurityOptions,
  specPath: string,
  metadataPath: string,
): PodSecurityViolation[] {
  const minor = minorOf(options.version ?? DEFAULT_VERSION);
  const podSpec: PodSpecLike = typeof spec === 'object' && spec !== null ? spec : {};
  const annotations = metadata?.annotations;
  const ctx: CheckContext = {
    spec: podSpec,
    annotations: typeof annotations === 'object' && annotations !== null ? annotations : {},
    minor,
    specPath,
    metadataPath,
    containers: visitContainers(podSpec, specPath),
  };
  const violations: PodSecurityViolation[] = [];
  for (const check of checksFor(level, minor)) {
    check.run(ctx, (path, message) => violations.push({ check: check.id, path, message }));
  }
  return violations;
}

/**
 * Checks a pod against the Kubernetes Pod Security Standards **restricted** level, as the
 * PodSecurity admission controller would with `pod-security.kubernetes.io/enforce: restricted`.
 *
 * Restricted means every baseline check plus the restricted ones, where a restricted check
 * replaces its baseline counterpart:
 *
 * - baseline: `appArmorProfile` (field and `container.apparmor.security.beta.kubernetes.io/*`
 *   annotations), `hostNamespaces`, `hostPorts`, `hostProbesAndHostLifecycle` (1.34+),
 *   `privileged`, `procMount` (before 1.35), `seLinuxOptions`, `sysctls`, `windowsHostProcess`;
 * - restricted: `allowPrivilegeEscalation` (must be `false` explicitly),
 *   `capabilities_restricted` (drop `ALL`, add at most `NET_BIND_SERVICE`; replaces
 *   `capabilities_baseline`), `procMount_restricted` (1.35+), `restrictedVolumes` (replaces
 *   `hostPathVolumes`), `runAsNonRoot` (`true` at pod level covers containers that leave it
 *   unset; `false` anywhere fails), `runAsUser` (not 0), `seccompProfile_restricted`
 *   (`RuntimeDefault` or `Localhost` at pod level or on every container; replaces
 *   `seccompProfile_baseline`).
 *
 * Init, regular and ephemeral containers are all checked. Pods with `spec.os.name: windows` are
 * exempt from `allowPrivilegeEscalation`, `capabilities_restricted` and
 * `seccompProfile_restricted`, as upstream since 1.25.
 *
 * `readOnlyRootFilesystem` is **not** part of the standard (no upstream check reads it), so it is
 * not checked here; set it as extra hardening.
 *
 * Upstream reports one result per check; this reports one violation per offending field, so a
 * check can appear several times. The pod is read, never modified, and may be partial (missing
 * fields are treated as unset, as the API server's defaults would leave them).
 *
 * Source: `kubernetes/pod-security-admission` `policy/check_*.go`
 * (https://github.com/kubernetes/pod-security-admission/tree/master/policy), fixtures in
 * `test/testdata/restricted/`.
 *
 * @param pod - a Pod: its `metadata` (only annotations are read) and `spec`.
 * @param options - which Kubernetes version's rules apply.
 * @returns every violation found, baseline checks first then restricted, each group in check-ID
 *   order; `[]` when the pod passes.
 * @throws RangeError when `options.version` is not `"latest"` or a version from 1.28 on.
 *
 * @example
 * const violations = checkPodSecurityRestricted({
 *   spec: {
 *     securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
 *     containers: [{
 *       name: 'app',
 *       image: 'registry.k8s.io/pause',
 *       securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
 *     }],
 *   },
 * });
 * // violations: []
 */
export function checkPodSecurityRestricted(pod: PodLike, options: PodSecurityOptions = {}): PodSecurityViolation[] {
  return evaluate('restricted', pod?.metadata, pod?.spec, options, 'spec', 'metadata');
}

/**
 * Checks a pod against the Pod Security Standards **baseline** level only: `appArmorProfile`,
 * `capabilities_baseline`, `hostNamespaces`, `hostPathVolumes`, `hostPorts`,
 * `hostProbesAndHostLifecycle` (1.34+), `privileged`, `procMount` (relaxed from 1.35 for
 * `hostUsers: false`), `seLinuxOptions`, `seccompProfile_baseline` (only `RuntimeDefault` or
 * `Localhost` when set), `sysctls` and `windowsHostProcess`.
 *
 * Same conventions as {@link checkPodSecurityRestricted}; every baseline violation is also a
 * restricted one, though under restricted some are reported by the check that replaces it.
 *
 * Source: `kubernetes/pod-security-admission` `policy/check_*.go` with `Level: api.LevelBaseline`.
 *
 * @param pod - a Pod: its `metadata` (only annotations are read) and `spec`.
 * @param options - which Kubernetes version's rules apply.
 * @returns every baseline violation found; `[]` when the pod passes.
 * @throws RangeError when `options.version` is not `"latest"` or a version from 1.28 on.
 */
export function checkPodSecurityBaseline(pod: PodLike, options: PodSecurityOptions = {}): PodSecurityViolation[] {
  return evaluate('baseline', pod?.metadata, pod?.spec, options, 'spec', 'metadata');
}

/** Where each pod-bearing kind keeps its pod template, and the API group it must belong to. */
const POD_TEMPLATES: Readonly<Record<string, { readonly group: string; readonly template: readonly string[] }>> = {
  Pod: { group: '', template: [] },
  PodTemplate: { group: '', template: ['template'] },
  ReplicationController: { group: '', template: ['spec', 'template'] },
  Deployment: { group: 'apps', template: ['spec', 'template'] },
  StatefulSet: { group: 'apps', template: ['spec', 'template'] },
  DaemonSet: { group: 'apps', template: ['spec', 'template'] },
  ReplicaSet: { group: 'apps', template: ['spec', 'template'] },
  Job: { group: 'batch', template: ['spec', 'template'] },
  CronJob: { group: 'batch', template: ['spec', 'jobTemplate', 'spec', 'template'] },
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Finds the pod spec inside a Kubernetes object, as the PodSecurity admission controller does for
 * the objects it checks.
 *
 * Supported kinds: `Pod` (`spec`); `Deployment`, `StatefulSet`, `DaemonSet`, `ReplicaSet`
 * (`apps`), `Job` (`batch`) and `ReplicationController` (`spec.template.spec`); `CronJob`
 * (`spec.jobTemplate.spec.template.spec`); `PodTemplate` (`template.spec`). When the object has
 * an `apiVersion`, its group must match (so a custom resource that happens to be called `Job` is
 * not mistaken for one).
 *
 * @param obj - any value, typically a plain Kubernetes object (wire-format JSON).
 * @returns the spec with its path and the pod metadata with its path, or `undefined` for other
 *   kinds and for objects without a pod spec.
 */
export function podSpecOf(obj: unknown): PodSpecLocation | undefined {
  if (!isRecord(obj) || typeof obj.kind !== 'string' || !Object.prototype.hasOwnProperty.call(POD_TEMPLATES, obj.kind)) return undefined;
  const { group, template } = POD_TEMPLATES[obj.kind]!;
  if (typeof obj.apiVersion === 'string') {
    const slash = obj.apiVersion.indexOf('/');
    if ((slash < 0 ? '' : obj.apiVersion.slice(0, slash)) !== group) return undefined;
  }
  let holder: unknown = obj;
  for (const key of template) holder = isRecord(holder) ? holder[key] : undefined;
  if (!isRecord(holder) || !isRecord(holder.spec)) return undefined;
  const prefix = template.map((key) => `${key}.`).join('');
  return {
    spec: holder.spec,
    path: `${prefix}spec`,
    ...(isRecord(holder.metadata) ? { metadata: holder.metadata as PodMetadataLike } : {}),
    metadataPath: `${prefix}metadata`,
  };
}

/**
 * Checks any Kubernetes object against the Pod Security Standards **restricted** level: the pod
 * spec found by {@link podSpecOf} is checked with {@link checkPodSecurityRestricted}, and
 * violation paths are relative to the object (e.g.
 * `spec.template.spec.containers[0].securityContext.runAsNonRoot` for a Deployment).
 *
 * @param obj - any value, typically a plain Kubernetes object (wire-format JSON).
 * @param options - which Kubernetes version's rules apply.
 * @returns every violation found; `[]` for objects that hold no pod spec (Services, ConfigMaps…).
 * @throws RangeError when `options.version` is not `"latest"` or a version from 1.28 on.
 */
export function checkObjectPodSecurity(obj: unknown, options: PodSecurityOptions = {}): PodSecurityViolation[] {
  const location = podSpecOf(obj);
  if (location === undefined) {
    minorOf(options.version ?? DEFAULT_VERSION); // reject a bad version whatever the object
    return [];
  }
  return evaluate('restricted', location.metadata, location.spec as PodSpecLike, options, location.path, location.metadataPath);
}
