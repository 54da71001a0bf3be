/** Sanity of the trace-driven simulation: hand-checked numbers, steady states, spikes, determinism. */
import { simulateAutoscaling, type SimulatedMetric, type SimulationOptions } from '../../../lib/core/autoscaling';

const rpsPerPod = (targetAverageValue: number): SimulatedMetric => ({ type: 'Pods', signal: 'rps', targetAverageValue });

describe('a tiny trace, checked by hand', () => {
  // 1 replica of 20 rps (50 ms, one at a time); target 10 rps per pod; load 5 rps, then 25 rps at t = 30.
  const options: SimulationOptions = {
    trace: [
      { t: 0, rps: 5 },
      { t: 30, rps: 25 },
    ],
    durationSeconds: 60,
    capacity: { serviceTimeSeconds: 0.05 },
    modelLoadTimeSeconds: 60,
    slo: { latencySeconds: 0.1 },
    hpa: { minReplicas: 1, maxReplicas: 3 },
    metrics: [rpsPerPod(10)],
  };
  const result = simulateAutoscaling(options);

  test('syncs every 15 s; the HPA asks for 3 at t = 30 and holds them while two load', () => {
    // t=30: 25 rps / 10 -> ceil(2.5) = 3 (maxReplicas). t=45: the two new pods have no metrics yet:
    // on scale up they count as 0, the mean drops to 0.83 of target -> direction flips -> keep 3.
    expect(result.steps.map((s) => [s.t, s.rps, s.desiredReplicas, s.readyReplicas])).toEqual([
      [0, 5, 1, 1],
      [15, 5, 1, 1],
      [30, 25, 3, 1],
      [45, 25, 3, 1],
    ]);
    expect(result.steps[2]!.metricReplicas).toBe(3);
  });

  test('replica-seconds: 15·1 + 15·1 + 15·3 + 15·3 = 120 (loading pods cost too)', () => {
    expect(result.replicaSeconds).toBe(120);
    expect(result.durationSeconds).toBe(60);
  });

  test('latency: M/M/1 1/(μ−λ) = 1/15 s at 5 rps; unbounded at 25 rps on 20 rps -> 30 s in violation', () => {
    expect(result.steps[0]!.latencySeconds).toBeCloseTo(1 / 15, 12);
    expect(result.steps[2]!.latencySeconds).toBe(Infinity);
    expect(result.violationSeconds).toBe(30);
  });

  test('the default duration holds the last point for one sync period', () => {
    const r = simulateAutoscaling({ ...options, durationSeconds: undefined });
    expect(r.durationSeconds).toBe(45);
    expect(r.steps).toHaveLength(3);
    expect(r.replicaSeconds).toBe(15 + 15 + 45);
  });

  test('violation time is integrated between syncs: pods ready mid-step end it at their ready time', () => {
    const r = simulateAutoscaling({ ...options, modelLoadTimeSeconds: 20, durationSeconds: 90 });
    // Overloaded from t=30 until the new pods are ready at t=50 (3 x 20 rps > 25 rps).
    expect(r.violationSeconds).toBe(20);
  });
});

describe('steady state under constant load', () => {
  // 20 rps per replica (100 ms, 2 at a time). 110.4 rps / (20 rps · 0.8) = 6.9 -> 7 replicas; at 6
  // the ratio is 1.15, outside the tolerance, so the HPA cannot stop short.
  const load = 110.4;
  const expected = Math.ceil(load / 20 / 0.8);
  const base = {
    trace: [{ t: 0, rps: load }],
    durationSeconds: 1800,
    capacity: { serviceTimeSeconds: 0.1, concurrency: 2 },
    modelLoadTimeSeconds: 60,
    slo: { latencySeconds: 0.2 },
    hpa: { minReplicas: 1, maxReplicas: 20 },
  };
  test.each([
    ['cpu utilization 80 %', { type: 'Resource', signal: 'cpu', targetUtilization: 80 }],
    ['pods rps 16 per pod', rpsPerPod(16)],
    ['external rps, average value 16', { type: 'External', signal: 'rps', target: { type: 'AverageValue', averageValue: 16 } }],
  ] as [string, SimulatedMetric][])('%s reaches ceil(load / capacity / target) = 7 and stays', (_name, metric) => {
    expect(expected).toBe(7);
    const r = simulateAutoscaling({ ...base, metrics: [metric] });
    const last10min = r.steps.filter((s) => s.t >= 1200);
    expect(last10min.every((s) => s.desiredReplicas === expected && s.readyReplicas === expected)).toBe(true);
    expect(last10min.every((s) => s.latencySeconds < 0.2)).toBe(true);
    expect(Math.max(...r.steps.map((s) => s.desiredReplicas))).toBe(expected); // no overshoot
  });

  test('a constant load a single replica handles never scales and never violates', () => {
    const r = simulateAutoscaling({ ...base, trace: [{ t: 0, rps: 8 }], metrics: [rpsPerPod(16)] });
    expect(r.steps.every((s) => s.desiredReplicas === 1)).toBe(true);
    expect(r.replicaSeconds).toBe(1800);
    expect(r.violationSeconds).toBe(0);
  });
});

describe('a spike', () => {
  // 2 replicas carry 20 rps; at t = 300 load jumps to 110 rps for 10 minutes.
  const spike = (modelLoadTimeSeconds: number): SimulationOptions => ({
    trace: [
      { t: 0, rps: 20 },
      { t: 300, rps: 110 },
      { t: 900, rps: 20 },
    ],
    durationSeconds: 1800,
    capacity: { serviceTimeSeconds: 0.1, concurrency: 2 },
    modelLoadTimeSeconds,
    slo: { latencySeconds: 0.6, percentile: 0.99 },
    hpa: { minReplicas: 2, maxReplicas: 20 },
    metrics: [rpsPerPod(16)],
  });

  test('violates the SLO while new pods load, and only then', () => {
    const r = simulateAutoscaling(spike(120));
    // Overloaded from t = 300 until enough pods are ready (>= t = 420).
    expect(r.violationSeconds).toBeGreaterThanOrEqual(120);
    expect(r.violationSeconds).toBeLessThan(300);
    const before = r.steps.filter((s) => s.t < 300);
    const afterRecovery = r.steps.filter((s) => s.t >= 600);
    expect(before.every((s) => s.latencySeconds <= 0.6)).toBe(true);
    expect(afterRecovery.every((s) => s.latencySeconds <= 0.6)).toBe(true);
    expect(Math.max(...r.steps.map((s) => s.desiredReplicas))).toBeGreaterThanOrEqual(7);
  });

  test('a longer model load means more time in violation', () => {
    const fast = simulateAutoscaling(spike(30)).violationSeconds;
    const slow = simulateAutoscaling(spike(240)).violationSeconds;
    expect(slow).toBeGreaterThan(fast);
    expect(slow).toBeGreaterThanOrEqual(240);
  });

  test('scale-down waits for the 300 s stabilization window after the spike, then removes pods at once', () => {
    const r = simulateAutoscaling(spike(120));
    const peak = Math.max(...r.steps.map((s) => s.desiredReplicas));
    const at = (t: number) => r.steps.find((s) => s.t === t)!;
    expect(at(1185).desiredReplicas).toBe(peak); // 285 s after the drop: still stabilized
    expect(r.steps.filter((s) => s.t >= 1500).every((s) => s.desiredReplicas === 2 && s.readyReplicas === 2)).toBe(true);
  });

  test('deterministic: the same inputs give the same result', () => {
    expect(simulateAutoscaling(spike(120))).toEqual(simulateAutoscaling(spike(120)));
  });
});

describe('scale-down removes pods at once, not-ready ones first', () => {
  test('a pod still loading is removed before a ready one', () => {
    const r = simulateAutoscaling({
      trace: [
        { t: 0, rps: 100 },
        { t: 15, rps: 2 },
      ],
      durationSeconds: 30,
      capacity: { throughputPerReplica: 20 },
      modelLoadTimeSeconds: 600,
      slo: { latencySeconds: 1 },
      hpa: { minReplicas: 1, maxReplicas: 10, behavior: { scaleDown: { stabilizationWindowSeconds: 0 } } },
      metrics: [{ type: 'Resource', signal: 'cpu', targetUtilization: 50 }],
    });
    // t=0: cpu saturated (100 % of 50 %) -> 2 pods, one loading. t=15: 10 % on the ready pod -> 1.
    expect(r.steps.map((s) => [s.desiredReplicas, s.readyReplicas])).toEqual([
      [2, 1],
      [1, 1],
    ]);
    expect(r.replicaSeconds).toBe(15 * 2 + 15 * 1);
  });
});

describe('queue signals', () => {
  test.each(['inflight', 'queueLength', 'queueLatencyMs'] as const)('a Pods %s metric scales an overloaded service up at the first sync', (signal) => {
    const r = simulateAutoscaling({
      trace: [{ t: 0, rps: 60 }],
      durationSeconds: 15,
      capacity: { throughputPerReplica: 20 },
      modelLoadTimeSeconds: 60,
      slo: { latencySeconds: 1 },
      hpa: { minReplicas: 1, maxReplicas: 10 },
      metrics: [{ type: 'Pods', signal, targetAverageValue: 1 }],
    });
    expect(r.steps[0]!.desiredReplicas).toBeGreaterThan(1);
  });
});

describe('input checks', () => {
  const ok: SimulationOptions = {
    trace: [{ t: 0, rps: 1 }],
    capacity: { serviceTimeSeconds: 1 },
    modelLoadTimeSeconds: 0,
    slo: { latencySeconds: 1 },
    hpa: { maxReplicas: 2 },
    metrics: [rpsPerPod(1)],
  };
  test.each([
    ['an empty trace', { ...ok, trace: [] }],
    ['an unsorted trace', { ...ok, trace: [{ t: 10, rps: 1 }, { t: 0, rps: 1 }] }],
    ['a negative rate', { ...ok, trace: [{ t: 0, rps: -1 }] }],
    ['no metrics', { ...ok, metrics: [] }],
    ['a zero service time', { ...ok, capacity: { serviceTimeSeconds: 0 } }],
  ] as [string, SimulationOptions][])('rejects %s', (_name, options) => {
    expect(() => simulateAutoscaling(options)).toThrow(RangeError);
  });
});
