/**
 * The Pulumi Autoscaler on its own, for a workload described with ScalableWorkload: its one
 * typed child, the namespace from another resource, the `reportMarkdown` output, and problems
 * refused before anything is registered.
 */
import * as k8s from '@pulumi/kubernetes';
import {
  ActivationSignal,
  Autoscaler,
  Duration,
  formatAutoscalerReport,
  Problems,
  renderAutoscaler,
  ScalableWorkload,
  ScalingTarget,
  ValidationError,
  type ScalableWorkloadOptions,
} from '../../lib/pulumi';
import { valueOf, startMocks } from './support/mocks';

const scorer = (extra: Partial<ScalableWorkloadOptions> = {}) =>
  ScalableWorkload.deployment({
    name: 'scorer',
    containers: [{ name: 'server', requests: { cpu: '2', memory: '4Gi' } }],
    modelLoadTime: Duration.seconds(90),
    metrics: { path: '/metrics', port: 8082, scalingMetric: 'ts_queue_latency_microseconds' },
    ...extra,
  });

test('one typed child with the core\'s object; the report markdown is an output', async () => {
  const mocks = await startMocks();
  const options = { target: ScalingTarget.runtimeQueue(), maxReplicas: 8 };
  const autoscaler = new Autoscaler('scorer', { workload: scorer({ namespace: 'serving' }), ...options });
  await mocks.settle();

  const expected = renderAutoscaler(scorer({ namespace: 'serving' }), options, new Problems('scorer'));
  expect(mocks.byName('scorer')).toMatchObject({ type: 'modelship:index:Autoscaler', custom: false, parent: '' });
  expect(mocks.childrenOf('scorer').map((c) => [c.type, c.name])).toEqual([['kubernetes:autoscaling/v2:HorizontalPodAutoscaler', 'scorer-horizontalpodautoscaler']]);
  expect(mocks.byName('scorer-horizontalpodautoscaler').inputs).toEqual(expected.autoscaler);
  expect(autoscaler.resource).toBeInstanceOf(k8s.autoscaling.v2.HorizontalPodAutoscaler);
  expect(autoscaler.report).toEqual(expected.report);
  const markdown = formatAutoscalerReport(expected.report);
  expect(markdown).toContain('### Autoscaler scorer (HorizontalPodAutoscaler) for Deployment/scorer');
  expect(await valueOf(autoscaler.reportMarkdown)).toBe(markdown);
  expect(mocks.outputsOf('scorer')).toEqual({ reportMarkdown: markdown });
  expect(mocks.registrations).toHaveLength(2);
});

test('a namespace from another resource reaches the ScaledObject\'s queries and the report', async () => {
  const mocks = await startMocks();
  const namespace = new k8s.core.v1.Namespace('team-a', { metadata: { name: 'team-a' } });
  const options = { target: ScalingTarget.runtimeQueue(), maxReplicas: 4, scaleToZero: { activation: ActivationSignal.prometheus('sum(rate(istio_requests_total{destination_workload="scorer"}[2m]))') } };
  const autoscaler = new Autoscaler('scorer', { workload: scorer(), namespace: namespace.metadata.name, name: 'scorer-keda', ...options });
  await mocks.settle();

  const expected = renderAutoscaler(scorer({ namespace: 'team-a' }), options, new Problems('scorer'), { name: 'scorer-keda' });
  const scaledObject = mocks.byName('scorer-scaledobject');
  expect(scaledObject.type).toBe('kubernetes:keda.sh/v1alpha1:ScaledObject');
  expect(scaledObject.inputs).toEqual(expected.autoscaler);
  expect(scaledObject.dependencies).toContain(mocks.byName('team-a').urn);
  const markdown = await valueOf(autoscaler.reportMarkdown);
  expect(markdown).toBe(formatAutoscalerReport(expected.report));
  expect(markdown).toContain('namespace="team-a"');
  expect(markdown).toContain('it waits up to 435 s in all');
});

test('problems are refused with the resource name and the prop, before anything is registered', async () => {
  const mocks = await startMocks();
  let error: ValidationError | undefined;
  try {
    new Autoscaler('scorer', { workload: scorer({ name: 'Scorer', metrics: undefined }), namespace: 'Team A', target: ScalingTarget.runtimeQueue(), maxReplicas: 4 });
  } catch (e) {
    error = e as ValidationError;
  }
  expect(error).toBeInstanceOf(ValidationError);
  expect(error!.problems.map((p) => `${p.construct}: ${p.prop}: got ${p.given}`)).toEqual(['scorer: namespace: got "Team A"', 'scorer: workload.name: got "Scorer"']);
  expect(() => new Autoscaler('scorer', { workload: scorer({ metrics: undefined }), target: ScalingTarget.runtimeQueue(), maxReplicas: 4 })).toThrow(
    'scorer: target: got ScalingTarget.runtimeQueue(); expected a signal Deployment/scorer exposes: it declares no scaling metric (set metrics.scalingMetric of the workload)',
  );
  await mocks.settle();
  expect(mocks.registrations).toEqual([]);
});

test('a Kubernetes provider reaches the child', async () => {
  const mocks = await startMocks();
  const provider = new k8s.Provider('cluster', {});
  new Autoscaler('scorer', { workload: scorer(), target: ScalingTarget.cpuUtilization(70), maxReplicas: 4 }, { provider });
  await mocks.settle();
  expect(mocks.byName('scorer-horizontalpodautoscaler').provider).toBe(`${mocks.byName('cluster').urn}::cluster-id`);
});
