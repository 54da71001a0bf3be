/**
 * SLO sizing against Erlang C values computed by hand (the explicit formula with factorials,
 * independent of the library's recursion), for λ = 400 requests/s, S = 20 ms (μ = 50/s), so the
 * offered load is a = λ/μ = 8 erlangs.
 *
 * C(c, a) = T / (Σ_{k<c} a^k/k! + T), T = a^c/c! · c/(c − a):
 *   c = 9:  Σ = 1766.3587, T = 3328.8127 → C = 0.65332693
 *   c = 10: Σ = 2136.2268, T = 1479.4723 → C = 0.40918015
 * Response time tail P(W > t) = (1 − C)e^{−μt} + C·(θe^{−μt} − μe^{−θt})/(θ − μ), θ = cμ − λ
 * (θ = μ: (1 − C)e^{−μt} + C(1 + μt)e^{−μt}):
 *   c = 9:  P(W > 100 ms) = 2.8748 % > 1 % → p99 = 124.567 ms
 *   c = 10: P(W > 100 ms) = 0.9476 % ≤ 1 % → p99 = 98.922 ms
 * Mean W = C/(cμ − λ) + S: c = 9: 33.067 ms; c = 10: 24.092 ms.
 */
import {
  latencyFloorSeconds,
  maxRateWithinObjective,
  mmcResponseTail,
  replicasForObjective,
  serverModel,
  sizeForLatencySlo,
  type LatencyObjective,
  type SloSizingInput,
  Duration,
  ScalingTarget,
} from '../../../lib/core';
import { autoscale, service } from './support';

const P99_100MS: LatencyObjective = { latencySeconds: 0.1, percentile: 0.99 };
const BASE: SloSizingInput = { peakRps: 400, serviceTimeSeconds: 0.02, objective: P99_100MS };
const MODEL = serverModel({ serviceTimeSeconds: 0.02 });

describe('the hand-computed case: λ = 400/s, S = 20 ms, one slot per replica', () => {
  test('the tail at the objective: 9 servers miss p99 ≤ 100 ms, 10 meet it', () => {
    expect(mmcResponseTail({ arrivalRate: 400, serviceRate: 50, servers: 9 }, 0.1)).toBeCloseTo(0.028748358, 8);
    expect(mmcResponseTail({ arrivalRate: 400, serviceRate: 50, servers: 10 }, 0.1)).toBeCloseTo(0.009476404, 8);
  });

  test('p99 ≤ 100 ms needs n = 10: P(wait) = 0.40918, p99 = 98.922 ms', () => {
    const s = sizeForLatencySlo(BASE);
    expect(s.replicasAtPeak).toBe(10);
    expect(s.peak.replicas).toBe(10);
    expect(s.peak.utilization).toBeCloseTo(0.8, 12);
    expect(s.peak.probabilityOfWait).toBeCloseTo(0.40918015, 7);
    expect(s.peak.meanWaitSeconds).toBeCloseTo(0.40918015 / 100, 9);
    expect(s.peak.latencySeconds).toBeCloseTo(0.098922227, 7);
    expect(s.peak.latencySeconds).toBeLessThanOrEqual(0.1);
    expect(s.latencyFloorSeconds).toBeCloseTo(0.02 * Math.log(100), 12);
    expect(s.replicaCapacityRps).toBe(50);
  });

  test('a mean of 25 ms also needs 10 (9 give 33.067 ms, 10 give 24.092 ms)', () => {
    const s = sizeForLatencySlo({ ...BASE, objective: { latencySeconds: 0.025 } });
    expect(s.replicasAtPeak).toBe(10);
    expect(s.peak.latencySeconds).toBeCloseTo(0.024091802, 8);
    expect(replicasForObjective(MODEL, { latencySeconds: 0.0331 }, 400)).toBe(9);
    expect(replicasForObjective(MODEL, { latencySeconds: 0.0330 }, 400)).toBe(10);
  });

  test('min and max: the floor of 2 without an off-peak rate; headroom rounds up', () => {
    expect(sizeForLatencySlo(BASE)).toMatchObject({ minReplicas: 2, maxReplicas: 10, headroom: 1 });
    expect(sizeForLatencySlo({ ...BASE, headroom: 1.25 })).toMatchObject({ minReplicas: 2, maxReplicas: 13 });
    // 100 rps off peak: 3 replicas give p99 117.8 ms, 4 give 95.3 ms.
    expect(sizeForLatencySlo({ ...BASE, offPeakRps: 100 })).toMatchObject({ offPeakReplicas: 4, minReplicas: 4, maxReplicas: 10 });
    // A light off-peak load still keeps 2.
    expect(sizeForLatencySlo({ ...BASE, offPeakRps: 1 })).toMatchObject({ offPeakReplicas: 1, minReplicas: 2 });
  });

  test('the per-pod rps target binds at 2 replicas: M/M/2 holds p99 ≤ 100 ms to 35.3394 rps, / 2 / 1.1', () => {
    const s = sizeForLatencySlo(BASE);
    expect(maxRateWithinObjective(MODEL, P99_100MS, 2)).toBeCloseTo(35.339413916, 6);
    expect(s.bindingReplicas).toBe(2);
    expect(s.perPodTarget).toBeCloseTo(35.339413916 / 2 / 1.1, 6);
    // At peak the HPA wants 400 / 16.06 > 10 and is capped at maxReplicas, where p99 is 98.9 ms.
    expect(s.settledReplicasAtPeak).toBe(10);
    expect(s.settledLatencyAtPeakSeconds).toBeCloseTo(0.098922227, 7);
  });

  test('the queue guard: the largest Lq per pod at the boundary over 2…10 replicas, at 10 (0.18687)', () => {
    const s = sizeForLatencySlo({ ...BASE, guard: 'queueLength' });
    expect(s.guard!.bindingReplicas).toBe(10);
    expect(s.guard!.perPodTarget).toBeCloseTo(0.186874402, 7);
    // The request-rate target is unchanged by the guard.
    expect(s.perPodTarget).toBe(sizeForLatencySlo(BASE).perPodTarget);
    expect(sizeForLatencySlo({ ...BASE, guard: 'inflight' }).guard!.signal).toBe('inflight');
  });

  test('random routing: each of the 10 replicas an M/M/1 at 40 rps, p99 = ln 100 / (50 − 40) = 460.5 ms', () => {
    expect(sizeForLatencySlo(BASE).randomRoutingLatencySeconds).toBeCloseTo(Math.log(100) / 10, 6);
  });
});

describe('closed forms for one server (M/M/1)', () => {
  test('largest rate within p99 ≤ T is μ − ln 100 / T; within a mean of T, μ − 1/T', () => {
    expect(maxRateWithinObjective(MODEL, P99_100MS, 1)).toBeCloseTo(50 - Math.log(100) / 0.1, 6);
    expect(maxRateWithinObjective(MODEL, { latencySeconds: 0.025 }, 1)).toBeCloseTo(10, 6);
  });

  test('an objective at the floor admits no load at all', () => {
    expect(maxRateWithinObjective(MODEL, { latencySeconds: 0.02 }, 5)).toBe(0);
    expect(latencyFloorSeconds(MODEL, { latencySeconds: 1 })).toBe(0.02);
  });
});

describe('concurrency and throughput per replica', () => {
  test('4 slots per replica: 2 replicas (8 slots) cannot keep up with 8 erlangs, 3 (12 slots) give p99 93.01 ms', () => {
    const s = sizeForLatencySlo({ ...BASE, concurrencyPerReplica: 4 });
    expect(s.replicasAtPeak).toBe(3);
    expect(s.peak.latencySeconds).toBeCloseTo(0.093014605, 7);
    expect(s.model).toBe('M/M/c (Erlang C): 4 slots per replica, one shared FIFO queue');
  });

  test('a measured throughput of 200 rps with 4 slots is a 20 ms service time per slot', () => {
    const r = autoscale(service('torchserve'), { target: ScalingTarget.latencySlo({ p99: Duration.millis(100), peakRps: 400, throughputPerReplica: 200, concurrencyPerReplica: 4 }) });
    expect(r.report.sizing).toMatchObject({ serviceTimeSeconds: 0.02, concurrencyPerReplica: 4, replicasAtPeak: 3, replicaCapacityRps: 200 });
    expect(r.report.simulation!.capacity).toEqual({ serviceTimeSeconds: 0.02, concurrency: 4 });
  });
});

describe('infeasible input throws a RangeError (renderAutoscaler reports it as a problem first)', () => {
  test.each([
    ['an objective at the service-time floor', { ...BASE, objective: { latencySeconds: 0.0921, percentile: 0.99 } }, /at or below the service-time floor/],
    ['a maxReplicas below the peak count', { ...BASE, maxReplicas: 9 }, /needs more than 9 replicas/],
    ['a non-positive rate', { ...BASE, peakRps: 0 }, /peakRps must be a finite number > 0/],
    ['a headroom below 1', { ...BASE, headroom: 0.9 }, /headroom must be a finite number >= 1/],
  ])('%s', (_name, input, message) => {
    expect(() => sizeForLatencySlo(input)).toThrow(message);
  });

  test('replicasForObjective gives up at its limit', () => {
    expect(replicasForObjective(MODEL, P99_100MS, 400, 9)).toBeUndefined();
    expect(replicasForObjective(MODEL, P99_100MS, 400, 10)).toBe(10);
    expect(replicasForObjective(MODEL, P99_100MS, 0)).toBe(1);
  });
});
