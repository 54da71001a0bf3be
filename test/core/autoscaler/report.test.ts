/** The synth-time report: the signal, thresholds, bounds, sizing numbers, assumptions and the cold start, as markdown. */
import { ActivationSignal, Duration, formatAutoscalerReport, formatSeconds, ScalingTarget } from '../../../lib/core';
import { autoscale, service } from './support';

const lines = (markdown: string) => markdown.split('\n');

test('a sized HPA: signal, target, bounds, behaviour and every sizing number', () => {
  const r = autoscale(service('torchserve'), { target: ScalingTarget.latencySlo({ p99: Duration.millis(100), peakRps: 400, serviceTime: Duration.millis(20), offPeakRps: 100, queueGuard: true }) });
  const md = lines(formatAutoscalerReport(r.report));
  expect(md[0]).toBe('### Autoscaler fraud (HorizontalPodAutoscaler) for Deployment/fraud');
  expect(md).toContain('- **Signal:** requests per second per pod, from the torchserve runtime\'s ts_inference_requests_total — `ScalingTarget.latencySlo({…})`, read from prometheus-adapter (Pods metric) as `modelship_torchserve_requests_per_second`');
  // 30.311 / 1.1 = 27.5559 rps, written rounded down to milli-units: 27.555.
  expect(md).toContain('- **Target:** 27.55 requests per second per pod (AverageValue)');
  expect(r.report.threshold.value).toBe(27.555);
  expect(md).toContain('- **Queue guard:** requests waiting per pod, from the torchserve runtime\'s ts_queue_latency_microseconds, read as `modelship_torchserve_queue_length`, at most 0.187 requests waiting per pod');
  expect(md).toContain('- **Replicas:** 4–10');
  expect(md).toContain('| up | 0 s | Max of 4 pods per 15 s, 100 % per 15 s | Kubernetes\' default (0 s): pods still loading count as serving nothing when the controller scales up, so none are double-counted, and a window would only delay capacity (measured: bench/results/autoscaling.md) |');
  expect(md).toContain('| down | 735 s | Max of 100 % per 15 s | the longer of Kubernetes\' 300 s and the cold start (735 s): capacity is not removed for a dip shorter than bringing it back takes |');
  expect(md).toContain('#### Sizing from the latency SLO (M/M/c (Erlang C): 1 slot per replica, one shared FIFO queue)');
  expect(md).toContain('| objective | p99 response time ≤ 100 ms |');
  expect(md).toContain('| peak load λ | 400 requests/s |');
  expect(md).toContain('| off-peak load | 100 requests/s → 4 replicas |');
  expect(md).toContain('| service time S (c per replica) | 20 ms (1) → 50 requests/s per replica at saturation |');
  expect(md).toContain('| floor: p99 of the service time alone | 92.1 ms |');
  expect(md).toContain('| replicas needed at peak n | 10: ρ = 0.8, P(wait) = 0.4092, mean wait 4.092 ms, p99 98.92 ms |');
  expect(md).toContain('| same n, random routing (one queue per replica) | p99 460.5 ms |');
  expect(md).toContain('| min / max replicas | 4 / 10 (headroom × 1) |');
  // With min 4 the request-rate target binds at 4: M/M/4 holds p99 ≤ 100 ms to 4 × 30.311 rps.
  expect(md).toContain('| per-pod target | 27.56 requests/s: the objective holds at target × 1.1 (HPA tolerance) for every count from 4 to 10, tightest at 4 |');
  expect(md).toContain('| queue guard (requests waiting per pod) | 0.1869: the most any compliant count shows (at 10 replicas) |');
  expect(md).toContain('| at peak the HPA settles at | 10 replicas or more, p99 98.92 ms |');
  for (const assumption of r.report.sizing!.assumptions) expect(md).toContain(`- ${assumption}`);
  expect(md).toContain('```yaml');
  expect(md).toContain('    as: "modelship_torchserve_queue_length"');
  expect(md.filter((l) => l.startsWith('#### Scale to zero'))).toEqual([]);
});

test('scale to zero: the cold start and what wakes the service', () => {
  const r = autoscale(service('vllm', { namespace: 'ml' }), {
    target: ScalingTarget.runtimeQueue(3),
    maxReplicas: 4,
    minReplicas: 1,
    scaleToZero: { activation: ActivationSignal.schedule('Europe/Berlin', '0 8 * * 1-5', '0 18 * * 1-5') },
  });
  const md = lines(formatAutoscalerReport(r.report));
  expect(md[0]).toBe('### Autoscaler fraud (KEDA ScaledObject) for Deployment/fraud');
  expect(md).toContain('- **Replicas:** 1–4, 0 when idle');
  expect(md).toContain('- **Query:** `sum(vllm:num_requests_waiting{namespace="ml",pod=~"fraud-[a-z0-9]+-[a-z0-9]+"})`');
  expect(md).toContain(
    'After 1215 s without demand the last replica goes. The first request after that waits up to 30 s for KEDA to notice (ActivationSignal.schedule("Europe/Berlin", "0 8 * * 1-5", "0 18 * * 1-5")) plus the cold start of 1215 s (image pull 300 s + download 300 s + model load 600 s + probes 15 s): it waits up to 1245 s in all, 2.075 × the model load time. With no pod the Service has no endpoints, so clients must retry or something must hold their requests meanwhile.',
  );
  expect(r.report.requirements).toEqual([
    'KEDA (its operator and metrics API server)',
    'Prometheus at http://prometheus-operated.monitoring.svc:9090, reachable from KEDA',
    'Prometheus scraping the server\'s metrics endpoint with `namespace` and `pod` labels on every series (a ServiceMonitor or PodMonitor of Prometheus Operator adds them)',
  ]);
  expect(md.some((l) => l.startsWith('#### Sizing'))).toBe(false);
});

test('seconds for people', () => {
  expect([formatSeconds(0.0921034), formatSeconds(0.1), formatSeconds(2.5), formatSeconds(735), formatSeconds(Infinity)]).toEqual(['92.1 ms', '100 ms', '2.5 s', '735 s', '∞']);
});
