import { Chart, Testing } from 'cdk8s';
import { ActivationSignal, ModelService, ScalingTarget, ValidationError } from '../../lib';
import { registerCustomResourceSchemas } from '../support/crd-schemas';
import { MINIMAL_PROPS } from '../support/fixtures';
import { validateK8sObjects, formatProblems } from '../support/k8s-validate';

const unregister = registerCustomResourceSchemas();
afterAll(() => unregister());

function synthOf(chart: Chart): Record<string, unknown>[] {
  const objects = Testing.synth(chart) as Record<string, unknown>[];
  const problems = validateK8sObjects(objects).filter((r) => r.problems.length > 0);
  expect(formatProblems(problems)).toBe('');
  return objects;
}

const byKind = (objects: Record<string, unknown>[], kind: string) => objects.filter((o) => o.kind === kind) as { metadata: { name: string }; spec: Record<string, unknown> }[];

describe('ModelService.autoscale()', () => {
  test("on the runtime's own queue signal: an HPA on the Deployment, which no longer fixes replicas", () => {
    const chart = new Chart(Testing.app(), 'serving', { namespace: 'serving' });
    const fraud = new ModelService(chart, 'fraud', MINIMAL_PROPS.torchserve());
    const autoscaler = fraud.autoscale({ target: ScalingTarget.runtimeQueue(), maxReplicas: 10 });
    expect(fraud.autoscaler).toBe(autoscaler);

    const objects = synthOf(chart);
    const [hpa] = byKind(objects, 'HorizontalPodAutoscaler');
    expect(hpa!.metadata.name).toBe('fraud');
    expect(hpa!.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'fraud' });
    // A Pods metric that prometheus-adapter derives from TorchServe's queue latency counter.
    expect(hpa!.spec.metrics).toEqual([{ type: 'Pods', pods: { metric: { name: 'modelship_torchserve_queue_length' }, target: { type: 'AverageValue', averageValue: '1' } } }]);
    expect(byKind(objects, 'Deployment')[0]!.spec).not.toHaveProperty('replicas');
    expect(autoscaler.reportMarkdown).toContain('ts_queue_latency_microseconds');
  });

  test('scale to zero goes through a KEDA ScaledObject that the activation signal wakes', () => {
    const chart = new Chart(Testing.app(), 'serving', { namespace: 'serving' });
    const fraud = new ModelService(chart, 'fraud', MINIMAL_PROPS.torchserve());
    fraud.autoscale({
      target: ScalingTarget.runtimeQueue(),
      maxReplicas: 4,
      scaleToZero: { activation: ActivationSignal.prometheus('sum(rate(nginx_ingress_controller_requests{service="fraud"}[1m]))') },
    });
    const objects = synthOf(chart);
    const [scaled] = byKind(objects, 'ScaledObject');
    expect(scaled!.spec.scaleTargetRef).toMatchObject({ name: 'fraud' });
    expect(scaled!.spec.idleReplicaCount).toBe(0);
    expect(byKind(objects, 'HorizontalPodAutoscaler')).toEqual([]);
  });

  test('fixed replicas and a second autoscale() are refused with the construct path', () => {
    const chart = new Chart(Testing.app(), 'serving');
    const fixed = new ModelService(chart, 'fixed', { ...MINIMAL_PROPS.torchserve(), replicas: 3 });
    expect(() => fixed.autoscale({ target: ScalingTarget.cpuUtilization(70), maxReplicas: 5 })).toThrow(ValidationError);
    expect(() => fixed.autoscale({ target: ScalingTarget.cpuUtilization(70), maxReplicas: 5 })).toThrow(
      'serving/fixed: replicas: got 3; expected no fixed replicas on an autoscaled ModelService: the autoscaler owns spec.replicas (size it with minReplicas)',
    );
    const once = new ModelService(chart, 'once', MINIMAL_PROPS.torchserve());
    once.autoscale({ target: ScalingTarget.cpuUtilization(70), maxReplicas: 5 });
    expect(() => once.autoscale({ target: ScalingTarget.cpuUtilization(70), maxReplicas: 5 })).toThrow(/expected one autoscale\(\) per ModelService/);
  });

  test('the default ModelService is autoscalable by the default autoscaler settings', () => {
    const chart = new Chart(Testing.app(), 'serving');
    for (const [name, props] of Object.entries(MINIMAL_PROPS)) {
      new ModelService(chart, name, props()).autoscale({ target: ScalingTarget.cpuUtilization(80), maxReplicas: 4 });
    }
    expect(byKind(synthOf(chart), 'HorizontalPodAutoscaler')).toHaveLength(Object.keys(MINIMAL_PROPS).length);
  });
});
