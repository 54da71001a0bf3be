/** The documented defaults of ModelServiceProps, ResourceProps and StartupProbeOptions (service/props.ts). */
import { ModelService } from '../../../lib/cdk8s';
import { Accelerator, ArtifactCredentials, Duration, ModelArtifact, ModelImage, Runtime, type ModelServiceProps } from '../../../lib/core';
import { MINIMAL_PROPS, podSpecOf, render, serverOf, synthChart } from '../../support/fixtures';
import { documented, type DefaultCases } from './cases';

const F = 'service/props.ts';
/** The custom runtime with no options: nothing of its own to add to the pod, so service defaults show plainly. */
const plain = (extra: Partial<ModelServiceProps> = {}): ModelServiceProps => ({ runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2') }), ...extra });
const SELECTOR = { 'app.kubernetes.io/name': 'fraud', 'app.kubernetes.io/component': 'model-server' };
const spec = (o: { [key: string]: unknown }) => o['spec'] as Record<string, unknown>;

export const SERVICE_DEFAULTS: DefaultCases = {
  [`${F}:ResourceProps.cpu`]: documented('"1"', () => {
    expect(serverOf(render(plain({ resources: { memory: '4Gi' } }))).resources.requests['cpu']).toBe('1');
  }),
  [`${F}:ResourceProps.memory`]: documented('"2Gi"', () => {
    expect(serverOf(render(plain({ resources: { cpu: '2' } }))).resources.requests['memory']).toBe('2Gi');
  }),
  [`${F}:ResourceProps.cpuLimit`]: documented('- no CPU limit', () => {
    const { limits } = serverOf(render(plain({ resources: { cpu: '3', memory: '4Gi' } }))).resources;
    expect(limits).toBeDefined();
    expect(Object.keys(limits!)).not.toContain('cpu');
  }),
  [`${F}:ResourceProps.memoryLimit`]: documented('- equal to `memory`', () => {
    expect(serverOf(render(plain({ resources: { memory: '6Gi' } }))).resources.limits!['memory']).toBe('6Gi');
    expect(serverOf(render(plain({ resources: { memory: '1536Mi' } }))).resources.limits!['memory']).toBe('1536Mi');
  }),
  [`${F}:StartupProbeOptions.periodSeconds`]: documented('10', () => {
    expect(serverOf(render(plain({ startupProbe: { failureThreshold: 100 } }))).startupProbe!.periodSeconds).toBe(10);
  }),
  [`${F}:StartupProbeOptions.failureThreshold`]: documented('- ceil(modelLoadTime / periodSeconds) + 1', () => {
    const probe = (modelLoadTime: Duration, periodSeconds?: number) => serverOf(render(plain({ modelLoadTime, ...(periodSeconds ? { startupProbe: { periodSeconds } } : {}) }))).startupProbe!;
    expect(probe(Duration.seconds(95)).failureThreshold).toBe(11);
    expect(probe(Duration.seconds(100)).failureThreshold).toBe(11);
    expect(probe(Duration.seconds(101)).failureThreshold).toBe(12);
    expect(probe(Duration.seconds(95), 30).failureThreshold).toBe(5);
    expect(probe(Duration.seconds(5), 30).failureThreshold).toBe(2);
    expect(probe(Duration.seconds(1), 1).failureThreshold).toBe(2);
  }),
  [`${F}:ModelServiceProps.name`]: documented('- the construct id (cdk8s) or resource name (Pulumi)', () => {
    const objects = synthChart((chart) => new ModelService(chart, 'scorer', plain()));
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['ServiceAccount/scorer', 'Deployment/scorer', 'Service/scorer', 'PodDisruptionBudget/scorer', 'NetworkPolicy/scorer']);
    // The core takes the front end's default name.
    expect(render(plain(), 'scorer').name).toBe('scorer');
  }),
  [`${F}:ModelServiceProps.namespace`]: documented('- none: the namespace of the kubectl context, Argo CD application or Pulumi provider', () => {
    for (const o of render(MINIMAL_PROPS.torchserve()).objects) expect(o.metadata).not.toHaveProperty('namespace');
  }),
  [`${F}:ModelServiceProps.replicas`]: documented('2', () => {
    expect(spec(render(plain()).deployment)['replicas']).toBe(2);
  }),
  [`${F}:ModelServiceProps.resources`]: documented('- 1 CPU and 2Gi memory, memory limit equal to the request, no CPU limit', () => {
    expect(serverOf(render(plain())).resources).toEqual({ requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '2Gi' } });
  }),
  [`${F}:ModelServiceProps.accelerator`]: documented('- none', () => {
    const pod = podSpecOf(render(plain()));
    const { requests, limits } = pod.containers[0]!.resources;
    expect(Object.keys({ ...requests, ...limits }).filter((r) => r.startsWith('nvidia.com/'))).toEqual([]);
    expect(pod.nodeSelector).toBeUndefined();
    expect(pod.tolerations).toBeUndefined();
  }),
  [`${F}:ModelServiceProps.modelLoadTime`]: documented('- the runtime\'s: 2 minutes (TorchServe, TF Serving), 3 (Triton), 10 (vLLM), 1 (custom)', () => {
    const seconds = (props: ModelServiceProps) => render(props).budget.modelLoadSeconds;
    expect(seconds(MINIMAL_PROPS.torchserve())).toBe(120);
    expect(seconds(MINIMAL_PROPS.tfserving())).toBe(120);
    expect(seconds(MINIMAL_PROPS.triton())).toBe(180);
    expect(seconds(MINIMAL_PROPS.vllm())).toBe(600);
    expect(seconds(MINIMAL_PROPS.custom())).toBe(60);
  }),
  [`${F}:ModelServiceProps.imagePullTime`]: documented('Duration.minutes(5)', () => {
    const rendered = render(plain());
    expect(rendered.budget.imagePullSeconds).toBe(300);
    // Pull + custom load + startup period + readiness period + margin.
    expect(spec(rendered.deployment)['progressDeadlineSeconds']).toBe(300 + 60 + 10 + 5 + 60);
  }),
  [`${F}:ModelServiceProps.startupProbe`]: documented('- derived from `modelLoadTime`', () => {
    const probe = serverOf(render(plain({ modelLoadTime: Duration.minutes(7) }))).startupProbe!;
    expect(probe).toMatchObject({ periodSeconds: 10, failureThreshold: 43 });
  }),
  [`${F}:ModelServiceProps.progressDeadline`]: documented('- imagePullTime + download time + modelLoadTime + startup period + readiness period (5 s) + 60 s', () => {
    // Custom, nothing fetched: 300 + 0 + 60 + 10 + 5 + 60.
    expect(spec(render(plain()).deployment)['progressDeadlineSeconds']).toBe(435);
    // TorchServe from S3 without a size: 300 + 300 + 120 + 10 + 5 + 60.
    expect(spec(render(MINIMAL_PROPS.torchserve()).deployment)['progressDeadlineSeconds']).toBe(795);
    // Declared times: 90 + 45 + 200 + 10 + 5 + 60.
    const model = ModelArtifact.fromS3('s3://models/fraud.mar', { downloadTime: Duration.seconds(45) });
    const props = { runtime: Runtime.torchServe({ model }), imagePullTime: Duration.seconds(90), modelLoadTime: Duration.seconds(200) };
    expect(spec(render(props).deployment)['progressDeadlineSeconds']).toBe(410);
    // A declared startup period: 90 + 45 + 200 + 30 + 5 + 60.
    expect(spec(render({ ...props, startupProbe: { periodSeconds: 30 } }).deployment)['progressDeadlineSeconds']).toBe(430);
  }),
  [`${F}:ModelServiceProps.nodeSelector`]: documented('- none (plus the GPU product label with an accelerator)', () => {
    expect(podSpecOf(render(plain())).nodeSelector).toBeUndefined();
    expect(podSpecOf(render(plain({ accelerator: Accelerator.nvidiaGpu({ product: 'NVIDIA-A10G' }) }))).nodeSelector).toEqual({ 'nvidia.com/gpu.product': 'NVIDIA-A10G' });
  }),
  [`${F}:ModelServiceProps.tolerations`]: documented('- none (plus `nvidia.com/gpu` with an accelerator)', () => {
    expect(podSpecOf(render(plain())).tolerations).toBeUndefined();
    expect(podSpecOf(render(plain({ accelerator: Accelerator.nvidiaGpu() }))).tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
  }),
  [`${F}:ModelServiceProps.spread`]: documented('TopologySpread.zonesAndNodes()', () => {
    expect(podSpecOf(render(plain())).topologySpreadConstraints).toEqual([
      { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } },
      { maxSkew: 1, topologyKey: 'kubernetes.io/hostname', whenUnsatisfiable: 'ScheduleAnyway', labelSelector: { matchLabels: SELECTOR } },
    ]);
  }),
  [`${F}:ModelServiceProps.priorityClassName`]: documented('- the cluster default', () => {
    expect(podSpecOf(render(plain()))).not.toHaveProperty('priorityClassName');
  }),
  [`${F}:ModelServiceProps.env`]: documented('- none', () => {
    expect(serverOf(render(plain())).env).toBeUndefined();
    // With a runtime that sets its own, only the runtime's.
    expect(serverOf(render(MINIMAL_PROPS.torchserve())).env!.map((e) => e.name)).toEqual(['LOG_LOCATION', 'METRICS_LOCATION', 'TEMP']);
  }),
  [`${F}:ModelServiceProps.secretEnv`]: documented('- none', () => {
    for (const props of [plain(), MINIMAL_PROPS.vllm()]) expect((serverOf(render(props)).env ?? []).filter((e) => e.valueFrom)).toEqual([]);
  }),
  [`${F}:ModelServiceProps.labels`]: documented('- none', () => {
    const expected = { ...SELECTOR, 'app.kubernetes.io/managed-by': 'modelship', 'modelship.dev/runtime': 'custom' };
    const rendered = render(plain());
    for (const o of rendered.objects) expect(o.metadata.labels).toEqual(expected);
    expect((spec(rendered.deployment)['template'] as { metadata: { labels: unknown } }).metadata.labels).toEqual(expected);
  }),
  [`${F}:ModelServiceProps.serviceAccountAnnotations`]: documented('- none (plus what the artifact\'s credentials need)', () => {
    expect(render(plain()).serviceAccount.metadata).not.toHaveProperty('annotations');
    const credentials = ArtifactCredentials.fromServiceAccountAnnotations({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/model-reader' });
    const model = ModelArtifact.fromS3('s3://models/fraud.mar', { credentials });
    expect(render({ runtime: Runtime.torchServe({ model }) }).serviceAccount.metadata.annotations).toEqual({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/model-reader' });
  }),
  [`${F}:ModelServiceProps.inferenceClients`]: documented('InferenceClients.any()', () => {
    const ingress = spec(render(plain()).networkPolicy)['ingress'];
    expect(ingress).toEqual([{ ports: [{ protocol: 'TCP', port: 'http' }] }]);
  }),
  [`${F}:ModelServiceProps.monitoringNamespace`]: documented('"monitoring"', () => {
    const ingress = spec(render(MINIMAL_PROPS.torchserve()).networkPolicy)['ingress'] as unknown[];
    expect(ingress[1]).toEqual({ from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }], ports: [{ protocol: 'TCP', port: 'metrics' }] });
  }),
  [`${F}:ModelServiceProps.terminationGracePeriod`]: documented('Duration.seconds(60)', () => {
    expect(podSpecOf(render(plain())).terminationGracePeriodSeconds).toBe(60);
  }),
  [`${F}:ModelServiceProps.preStopDrain`]: documented('Duration.seconds(15)', () => {
    expect(serverOf(render(plain())).lifecycle).toEqual({ preStop: { exec: { command: ['sleep', '15'] } } });
  }),
  [`${F}:ModelServiceProps.maxSurge`]: documented('1', () => {
    expect(spec(render(plain()).deployment)['strategy']).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
  }),
};
