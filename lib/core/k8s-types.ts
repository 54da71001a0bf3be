/**
 * The slice of the Kubernetes 1.28 API that modelship renders, as plain wire-format JSON types.
 *
 * Kept local (rather than importing a generated client) so the core has no runtime dependency
 * and both front ends receive identical plain objects. Tests validate every rendered object
 * against the real OpenAPI schema, unknown fields included, so these types only need to be
 * as wide as what we emit.
 */
export type Labels = Record<string, string>;

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Record<string, string>;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: { name: string; key: string; optional?: boolean }; fieldRef?: { fieldPath: string } };
}

export interface ContainerPort {
  name: string;
  containerPort: number;
  protocol: 'TCP';
}

export interface Probe {
  httpGet?: { path: string; port: string | number; scheme?: 'HTTP' | 'HTTPS' };
  tcpSocket?: { port: string | number };
  exec?: { command: string[] };
  initialDelaySeconds?: number;
  periodSeconds: number;
  timeoutSeconds: number;
  failureThreshold: number;
  successThreshold?: number;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
}

export interface SecurityContext {
  allowPrivilegeEscalation: false;
  privileged: false;
  readOnlyRootFilesystem: boolean;
  runAsNonRoot: true;
  runAsUser: number;
  runAsGroup: number;
  capabilities: { drop: ['ALL'] };
  seccompProfile: { type: 'RuntimeDefault' };
}

export interface ResourceRequirements {
  requests: Record<string, string>;
  limits?: Record<string, string>;
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy?: 'IfNotPresent' | 'Always';
  command?: string[];
  args?: string[];
  env?: EnvVar[];
  ports?: ContainerPort[];
  resources: ResourceRequirements;
  volumeMounts?: VolumeMount[];
  startupProbe?: Probe;
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec: { command: string[] } } };
  securityContext: SecurityContext;
  terminationMessagePolicy?: 'FallbackToLogsOnError';
}

export interface Volume {
  name: string;
  emptyDir?: { medium?: 'Memory'; sizeLimit?: string };
  configMap?: { name: string; defaultMode?: number };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface TopologySpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway';
  labelSelector: { matchLabels: Labels };
}

export interface PodSpec {
  serviceAccountName: string;
  automountServiceAccountToken: false;
  enableServiceLinks: false;
  securityContext: {
    runAsNonRoot: true;
    runAsUser: number;
    runAsGroup: number;
    fsGroup: number;
    seccompProfile: { type: 'RuntimeDefault' };
  };
  initContainers?: Container[];
  containers: Container[];
  volumes?: Volume[];
  nodeSelector?: Record<string, string>;
  tolerations?: Toleration[];
  topologySpreadConstraints?: TopologySpreadConstraint[];
  priorityClassName?: string;
  terminationGracePeriodSeconds: number;
}
