import { AcceleratorRequirements } from '../accelerator';
import { ArtifactBinding } from '../artifact/artifact';
import { Container, EnvVar, Labels, PodSpec, Probe, SecurityContext, Volume, VolumeMount } from '../k8s-types';
import { formatMebibytes, parseQuantity } from '../quantity';
import { ProbeTarget, RuntimeProfile } from '../runtime/contract';
import { READINESS_PROBE_PERIOD_SECONDS, StartupBudget } from './budget';
import { DEFAULT_CPU, DEFAULT_MEMORY, ModelServiceProps, TopologySpread } from './props';

/** Where generated config files are mounted in the server container. */
export const CONFIG_MOUNT_PATH = '/etc/modelship';
/** Name of the server container. */
export const SERVER_CONTAINER = 'server';

/** The restricted-profile security context every container of a service gets. */
export function restrictedSecurityContext(uid: number, gid: number): SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: gid,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

function probe(target: ProbeTarget, timing: Omit<Probe, 'httpGet' | 'tcpSocket' | 'exec'>): Probe {
  const handler = target.kind === 'http' ? { httpGet: { path: target.path, port: target.port, scheme: 'HTTP' as const } } : { tcpSocket: { port: target.port } };
  return { ...handler, ...timing };
}

/** A volume name for a writable path: `/home/model-server/logs` → `scratch-home-model-server-logs`. */
function scratchVolumeName(path: string): string {
  const slug = path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `scratch-${slug}`.slice(0, 63).replace(/-+$/, '');
}

/** Everything the pod template is built from. */
export interface PodInput {
  readonly props: ModelServiceProps;
  readonly serviceAccountName: string;
  readonly image: string;
  readonly profile: RuntimeProfile;
  readonly user: { readonly uid: number; readonly gid: number };
  readonly binding: ArtifactBinding;
  readonly accelerator?: AcceleratorRequirements;
  readonly budget: StartupBudget;
  readonly configMapName?: string;
  readonly selector: Labels;
}

/** Renders the pod spec: one server container, the artifact's init container, and the volumes both need. */
export function renderPodSpec(input: PodInput): PodSpec {
  const { props, profile, binding, accelerator, budget } = input;
  const { uid, gid } = input.user;
  const cpu = props.resources?.cpu ?? DEFAULT_CPU;
  const memory = props.resources?.memory ?? DEFAULT_MEMORY;
  // Distinct paths can share a slug (`/a/b`, `/a-b`) or a truncated prefix; volume names must be unique.
  const used = new Set<string>();
  const scratch = profile.writablePaths.map((w) => {
    const base = scratchVolumeName(w.path);
    let volume = base;
    for (let n = 2; used.has(volume); n++) volume = `${base.slice(0, 62 - String(n).length).replace(/-+$/, '')}-${n}`;
    used.add(volume);
    return { ...w, volume };
  });
  const scratchBytes = scratch.reduce((sum, w) => sum + (w.medium ? 0 : parseQuantity(w.sizeLimit ?? '0') ?? 0), 0);
  const ephemeral = binding.storageBytes + scratchBytes;

  const requests: Record<string, string> = { cpu, memory, ...(ephemeral > 0 ? { 'ephemeral-storage': formatMebibytes(ephemeral) } : {}), ...accelerator?.resources };
  const limits: Record<string, string> = {
    memory: props.resources?.memoryLimit ?? memory,
    ...(props.resources?.cpuLimit ? { cpu: props.resources.cpuLimit } : {}),
    ...accelerator?.resources,
  };

  const mounts: VolumeMount[] = [
    ...binding.serverMounts,
    ...(input.configMapName ? [{ name: 'config', mountPath: CONFIG_MOUNT_PATH, readOnly: true }] : []),
    ...scratch.map((w) => ({ name: w.volume, mountPath: w.path })),
  ];
  const volumes: Volume[] = [
    ...binding.volumes,
    ...(input.configMapName ? [{ name: 'config', configMap: { name: input.configMapName, defaultMode: 0o444 } }] : []),
    ...scratch.map((w) => ({ name: w.volume, emptyDir: { ...(w.medium ? { medium: w.medium } : {}), ...(w.sizeLimit ? { sizeLimit: w.sizeLimit } : {}) } })),
  ];
  const env: EnvVar[] = [
    ...profile.env,
    ...Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
    ...Object.entries(props.secretEnv ?? {}).map(([name, ref]) => ({ name, valueFrom: { secretKeyRef: { name: ref.secretName, key: ref.key } } })),
  ];
  const drainSeconds = props.preStopDrain?.toSeconds() ?? 15;
  const securityContext = restrictedSecurityContext(uid, gid);

  const server: Container = {
    name: SERVER_CONTAINER,
    image: input.image,
    imagePullPolicy: 'IfNotPresent',
    ...(profile.command ? { command: profile.command } : {}),
    ...(profile.args.length ? { args: profile.args } : {}),
    ...(env.length ? { env } : {}),
    ports: profile.ports.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' as const })),
    resources: { requests, limits },
    volumeMounts: mounts,
    startupProbe: probe(profile.startupProbe, { periodSeconds: budget.startupProbe.periodSeconds, failureThreshold: budget.startupProbe.failureThreshold, timeoutSeconds: 5 }),
    readinessProbe: probe(profile.readinessProbe, { periodSeconds: READINESS_PROBE_PERIOD_SECONDS, failureThreshold: 3, successThreshold: 1, timeoutSeconds: 5 }),
    livenessProbe: probe(profile.livenessProbe, { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 5 }),
    ...(drainSeconds > 0 ? { lifecycle: { preStop: { exec: { command: ['sleep', String(drainSeconds)] } } } } : {}),
    securityContext,
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };

  const spread = (props.spread ?? TopologySpread.zonesAndNodes()).topologyKeys;
  const nodeSelector = { ...accelerator?.nodeSelector, ...props.nodeSelector };
  const tolerations = [...(accelerator?.tolerations ?? []), ...(props.tolerations ?? [])];
  return {
    serviceAccountName: input.serviceAccountName,
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    securityContext: { runAsNonRoot: true, runAsUser: uid, runAsGroup: gid, fsGroup: gid, seccompProfile: { type: 'RuntimeDefault' } },
    ...(binding.initContainers.length ? { initContainers: binding.initContainers } : {}),
    containers: [server],
    ...(volumes.length ? { volumes } : {}),
    ...(Object.keys(nodeSelector).length ? { nodeSelector } : {}),
    ...(tolerations.length ? { tolerations } : {}),
    ...(spread.length
      ? { topologySpreadConstraints: spread.map((topologyKey) => ({ maxSkew: 1, topologyKey, whenUnsatisfiable: 'ScheduleAnyway' as const, labelSelector: { matchLabels: input.selector } })) }
      : {}),
    ...(props.priorityClassName ? { priorityClassName: props.priorityClassName } : {}),
    terminationGracePeriodSeconds: props.terminationGracePeriod?.toSeconds() ?? 60,
  };
}
