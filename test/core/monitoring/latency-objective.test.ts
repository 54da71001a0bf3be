/** The alertable part of an autoscaler's latency SLO. */
import { Duration, measurableLatencyObjective, ScalingTarget } from '../../../lib/core';
import { monitor, ruleOf, service } from './support';

const slo = (objective: { p99?: Duration; mean?: Duration }) => ScalingTarget.latencySlo({ ...objective, peakRps: 400, serviceTime: Duration.millis(20) });

test('runtimes with a latency histogram keep the p99 and the mean', () => {
  const p99 = Duration.millis(150);
  const mean = Duration.millis(60);
  for (const kind of ['tfserving', 'vllm'] as const) {
    expect(measurableLatencyObjective(service(kind), slo({ p99 }))).toEqual({ p99 });
    expect(measurableLatencyObjective(service(kind), slo({ mean }))).toEqual({ mean });
  }
});

test('TorchServe and Triton keep a mean objective and drop a p99 they cannot measure', () => {
  for (const kind of ['torchserve', 'triton'] as const) {
    expect(measurableLatencyObjective(service(kind), slo({ p99: Duration.millis(150) }))).toBeUndefined();
    expect(measurableLatencyObjective(service(kind), slo({ mean: Duration.millis(60) }))).toEqual({ mean: Duration.millis(60) });
  }
});

test('other targets, no target and a custom runtime give none', () => {
  expect(measurableLatencyObjective(service('vllm'), ScalingTarget.runtimeQueue())).toBeUndefined();
  expect(measurableLatencyObjective(service('vllm'), undefined)).toBeUndefined();
  expect(measurableLatencyObjective(service('custom'), slo({ mean: Duration.millis(60) }))).toBeUndefined();
});

test('what it returns is accepted by renderModelMonitoring and alerts on the SLO\'s number', () => {
  const svc = service('vllm');
  const latencyObjective = measurableLatencyObjective(svc, slo({ p99: Duration.millis(150) }));
  expect(ruleOf(monitor(svc, { ...(latencyObjective ? { latencyObjective } : {}) }), 'ModelLatencyP99High').expr).toMatch(/ > 0\.15$/);
});
