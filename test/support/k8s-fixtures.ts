/**
 * Valid Kubernetes 1.28 objects, one builder per kind, for the validator tests. Each call
 * returns a fresh object, so a test can break one field without affecting others.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- tests poke at arbitrary paths */

const LABELS = { 'app.kubernetes.io/name': 'llm', 'app.kubernetes.io/component': 'predictor' };

export function deployment(): any {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'llm-predictor', namespace: 'serving', labels: { ...LABELS }, annotations: { 'modelship.dev/model': 's3://models/llm' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { ...LABELS } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 } },
      template: {
        metadata: { labels: { ...LABELS, version: 'v1' } },
        spec: {
          serviceAccountName: 'llm',
          containers: [
            {
              name: 'server',
              image: 'vllm/vllm-openai:v0.5.0',
              args: ['--port', '8000'],
              ports: [{ name: 'http', containerPort: 8000, protocol: 'TCP' }, { name: 'metrics', containerPort: 9090 }],
              env: [{ name: 'HF_HOME', value: '/cache' }, { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
              resources: {
                requests: { cpu: '2', memory: '8Gi', 'nvidia.com/gpu': 1 },
                limits: { cpu: 4, memory: '8Gi', 'nvidia.com/gpu': '1' },
              },
              readinessProbe: { httpGet: { path: '/health', port: 'http' }, periodSeconds: 5 },
              livenessProbe: { tcpSocket: { port: 8000 }, failureThreshold: 3 },
              startupProbe: { httpGet: { path: '/health', port: 'http' }, failureThreshold: 60 },
              lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
              volumeMounts: [{ name: 'cache', mountPath: '/cache' }, { name: 'config', mountPath: '/etc/llm', readOnly: true }],
              securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
            },
            {
              name: 'sidecar-proxy',
              image: 'envoyproxy/envoy:v1.30.0',
              ports: [{ name: 'proxy', containerPort: 15001 }],
              resources: { requests: { cpu: '100m', memory: '64Mi' } },
            },
          ],
          volumes: [
            { name: 'cache', emptyDir: { sizeLimit: '20Gi' } },
            { name: 'config', configMap: { name: 'llm-config', items: [{ key: 'model.yaml', path: 'model.yaml' }] } },
          ],
          tolerations: [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
          nodeSelector: { 'nvidia.com/gpu.present': 'true' },
          topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: { ...LABELS } } },
          ],
        },
      },
    },
  };
}

export function service(): any {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'llm-predictor', namespace: 'serving', labels: { ...LABELS } },
    spec: {
      type: 'ClusterIP',
      selector: { ...LABELS },
      ports: [
        { name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' },
        { name: 'metrics', port: 9090, targetPort: 9090 },
      ],
    },
  };
}

export function networkPolicy(): any {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'llm-predictor', namespace: 'serving' },
    spec: {
      podSelector: { matchLabels: { ...LABELS } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: [{ namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: ['gateway'] }] } }],
          ports: [{ protocol: 'TCP', port: 'http' }, { port: 9000, endPort: 9010 }],
        },
      ],
      egress: [{ to: [{ ipBlock: { cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] } }] }],
    },
  };
}

export function podDisruptionBudget(): any {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: 'llm-predictor', namespace: 'serving' },
    spec: { maxUnavailable: 1, selector: { matchLabels: { ...LABELS } } },
  };
}

export function configMap(): any {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'llm-config', namespace: 'serving' },
    data: { 'model.yaml': 'name: llm\n', MAX_TOKENS: '4096' },
    binaryData: { 'tokenizer.bin': 'AAEC' },
  };
}

export function serviceAccount(): any {
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'llm', namespace: 'serving' },
    automountServiceAccountToken: false,
    imagePullSecrets: [{ name: 'registry-creds' }],
  };
}

export function statefulSet(): any {
  const labels = { 'app.kubernetes.io/name': 'vector-db' };
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'vector-db', namespace: 'serving' },
    spec: {
      serviceName: 'vector-db',
      replicas: 3,
      selector: { matchLabels: { ...labels } },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          containers: [{ name: 'db', image: 'qdrant/qdrant:v1.9.0', ports: [{ name: 'grpc', containerPort: 6334 }], volumeMounts: [{ name: 'data', mountPath: '/qdrant/storage' }] }],
        },
      },
      volumeClaimTemplates: [
        { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } },
      ],
    },
  };
}

export function job(): any {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'download-weights', namespace: 'serving' },
    spec: {
      backoffLimit: 3,
      ttlSecondsAfterFinished: 600,
      template: {
        spec: {
          restartPolicy: 'OnFailure',
          containers: [{ name: 'download', image: 'amazon/aws-cli:2.15.0', command: ['aws', 's3', 'sync'] }],
        },
      },
    },
  };
}

export function otherKinds(): any[] {
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'serving', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
    { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'registry-creds', namespace: 'serving' }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': 'e30=' } },
    { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'model-cache', namespace: 'serving' }, spec: { accessModes: ['ReadWriteMany'], storageClassName: 'efs', resources: { requests: { storage: '100Gi' } } } },
    { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'gpu', namespace: 'serving' }, spec: { hard: { 'requests.nvidia.com/gpu': '8', pods: '50' } } },
    { apiVersion: 'v1', kind: 'LimitRange', metadata: { name: 'defaults', namespace: 'serving' }, spec: { limits: [{ type: 'Container', default: { cpu: '1', memory: '1Gi' }, defaultRequest: { cpu: '100m' } }] } },
    {
      apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', metadata: { name: 'llm', namespace: 'serving' },
      spec: {
        ingressClassName: 'nginx',
        tls: [{ hosts: ['llm.example.com'], secretName: 'llm-tls' }],
        rules: [{ host: 'llm.example.com', http: { paths: [{ path: '/v1', pathType: 'Prefix', backend: { service: { name: 'llm-predictor', port: { name: 'http' } } } }] } }],
      },
    },
    {
      apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'llm', namespace: 'serving' },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'llm-predictor' },
        minReplicas: 1, maxReplicas: 4,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
      },
    },
    { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name: 'inference-high' }, value: 100000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' },
    { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'llm:reader', namespace: 'serving' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] }] },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'llm:reader', namespace: 'serving' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'llm:reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'llm', namespace: 'serving' }],
    },
  ];
}
