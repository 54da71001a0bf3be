/** The offline oracle: hand-checked schedules, the lower bound against simulated policies, and its validation. */
import fc from 'fast-check';
import {
  oracleAutoscaling,
  replicasForObjective,
  serverModel,
  simulateAutoscaling,
  type OracleOptions,
  type TracePoint,
} from '../../../lib/core';
import { validationErrorOf } from '../../support/problems';

// One server of 10 requests/s per replica; mean response ≤ 0.2 s. M/M/1 at λ: 1/(10 − λ) ≤ 0.2 ⇔ λ ≤ 5,
// so n replicas serve a little more than 5n (pooling): 4 rps → 1, 8 rps → 2, 25 rps → 4.
const capacity = { throughputPerReplica: 10 };
const slo = { latencySeconds: 0.2 };
const need = (rps: number): number => replicasForObjective(serverModel(capacity), slo, rps)!;
const base = (trace: TracePoint[], load: number, durationSeconds: number): OracleOptions => ({ trace, durationSeconds, capacity, slo, modelLoadTimeSeconds: load });

describe('hand-checked schedules', () => {
  test('the need levels of the rates used here', () => {
    expect([need(4), need(8), need(25)]).toEqual([1, 2, 4]);
  });

  test('a constant rate: the needed replicas for the whole span, nothing idle (they are ready at the start)', () => {
    const r = oracleAutoscaling(base([{ t: 0, rps: 8 }], 60, 1000));
    expect(r.needed).toEqual([{ t: 0, replicas: 2 }]);
    expect([r.replicaSeconds, r.servingReplicaSeconds, r.idleReplicaSeconds, r.violationSeconds, r.peakReplicas]).toEqual([2000, 2000, 0, 0, 2]);
  });

  test('a rise pays one load time per added pod: the second replica from t = 400 costs 60 s of loading', () => {
    const r = oracleAutoscaling(base([{ t: 0, rps: 4 }, { t: 400, rps: 8 }], 60, 1000));
    expect(r.servingReplicaSeconds).toBe(1 * 400 + 2 * 600);
    expect(r.idleReplicaSeconds).toBe(60);
    expect(r.replicaSeconds).toBe(1660);
  });

  test('a rise sooner than one load after the start is paid only from the start', () => {
    const r = oracleAutoscaling(base([{ t: 0, rps: 4 }, { t: 20, rps: 8 }], 60, 100));
    expect(r.idleReplicaSeconds).toBe(20);
  });

  test('a dip shorter than a load keeps the pods (pays the dip); a longer one deletes and reloads (pays a load)', () => {
    // 4 replicas, then 1 for `dip` seconds, then 4 again: three pods bridge the dip.
    const trace = (dip: number): TracePoint[] => [{ t: 0, rps: 25 }, { t: 100, rps: 4 }, { t: 100 + dip, rps: 25 }];
    const short = oracleAutoscaling(base(trace(30), 60, 300));
    expect(short.idleReplicaSeconds).toBe(3 * 30);
    const long = oracleAutoscaling(base(trace(200), 60, 500));
    expect(long.idleReplicaSeconds).toBe(3 * 60);
    expect(long.servingReplicaSeconds).toBe(4 * 100 + 1 * 200 + 4 * 200);
  });

  test('nested dips are costed per level', () => {
    // 4 → 2 (100 s) → 1 (20 s) → 2 (100 s) → 4: levels 3 and 4 are unneeded for 220 s (> load: 60 each),
    // level 2 for 20 s (< load: 20).
    const trace: TracePoint[] = [{ t: 0, rps: 25 }, { t: 100, rps: 8 }, { t: 200, rps: 4 }, { t: 220, rps: 8 }, { t: 320, rps: 25 }];
    const r = oracleAutoscaling(base(trace, 60, 400));
    expect(r.idleReplicaSeconds).toBe(60 + 60 + 20);
  });

  test('no requests need no replica, unless minReplicas keeps some', () => {
    const trace: TracePoint[] = [{ t: 0, rps: 0 }, { t: 100, rps: 4 }];
    expect(oracleAutoscaling(base(trace, 60, 200)).replicaSeconds).toBe(100 + 60);
    const floored = oracleAutoscaling({ ...base(trace, 60, 200), minReplicas: 1 });
    expect(floored.replicaSeconds).toBe(200);
    expect(floored.needed).toEqual([{ t: 0, replicas: 1 }]);
  });

  test('a point that lasts no time is ignored, as the simulator reads the later one', () => {
    const r = oracleAutoscaling(base([{ t: 0, rps: 4 }, { t: 50, rps: 25 }, { t: 50, rps: 4 }], 60, 100));
    expect(r.replicaSeconds).toBe(100);
  });

  test('the default span is the simulator\'s: to the last point plus one 15 s sync period', () => {
    const r = oracleAutoscaling({ trace: [{ t: 10, rps: 4 }, { t: 40, rps: 4 }], capacity, slo, modelLoadTimeSeconds: 60 });
    expect(r.durationSeconds).toBe(45);
    expect(r.replicaSeconds).toBe(45);
  });
});

describe('the lower bound', () => {
  const rates = fc.array(fc.record({ dt: fc.integer({ min: 15, max: 900 }), rps: fc.double({ min: 0, max: 60, noNaN: true }) }), { minLength: 1, maxLength: 12 });
  const traceOf = (xs: { dt: number; rps: number }[]): TracePoint[] => {
    let t = 0;
    return xs.map(({ dt, rps }) => {
      const p = { t, rps };
      t += dt;
      return p;
    });
  };

  test('no simulated HPA with no violation spends fewer replica-seconds, whatever its target', () => {
    let compared = 0;
    fc.assert(
      fc.property(rates, fc.integer({ min: 0, max: 300 }), fc.double({ min: 1, max: 10, noNaN: true }), (xs, load, target) => {
        const trace = traceOf(xs);
        const durationSeconds = trace[trace.length - 1]!.t + xs[xs.length - 1]!.dt;
        const oracle = oracleAutoscaling({ trace, durationSeconds, capacity, slo, modelLoadTimeSeconds: load });
        const sim = simulateAutoscaling({
          trace,
          durationSeconds,
          capacity,
          slo,
          modelLoadTimeSeconds: load,
          hpa: { minReplicas: 1, maxReplicas: 50 },
          metrics: [{ type: 'Pods', signal: 'rps', targetAverageValue: target }],
          initialReplicas: Math.max(1, oracle.needed[0]!.replicas),
        });
        if (sim.violationSeconds === 0) {
          compared++;
          expect(sim.replicaSeconds).toBeGreaterThanOrEqual(oracle.replicaSeconds - 1e-6);
        }
        expect(oracle.replicaSeconds).toBeCloseTo(oracle.servingReplicaSeconds + oracle.idleReplicaSeconds, 6);
        // Serving is exactly ∫ need dt; idle never exceeds one load per rise of the need.
        const rises = oracle.needed.reduce((n, s, i) => n + Math.max(0, s.replicas - (i === 0 ? s.replicas : oracle.needed[i - 1]!.replicas)), 0);
        expect(oracle.idleReplicaSeconds).toBeLessThanOrEqual(rises * load + 1e-6);
      }),
      { numRuns: 150, seed: 5 },
    );
    expect(compared).toBeGreaterThan(20); // the bound was checked, not skipped
  });

  test('with a zero load time the oracle is exactly ∫ need dt', () => {
    fc.assert(
      fc.property(rates, (xs) => {
        const trace = traceOf(xs);
        const r = oracleAutoscaling({ trace, durationSeconds: trace[trace.length - 1]!.t + 15, capacity, slo, modelLoadTimeSeconds: 0 });
        const integral = trace.reduce((sum, p, i) => sum + (p.rps === 0 ? 0 : need(p.rps)) * ((trace[i + 1]?.t ?? p.t + 15) - p.t), 0);
        expect(r.idleReplicaSeconds).toBe(0);
        expect(r.replicaSeconds).toBeCloseTo(integral, 6);
      }),
      { numRuns: 100, seed: 6 },
    );
  });
});

describe('validation', () => {
  test('every problem at once, naming the prop and the value', () => {
    const error = validationErrorOf(() => oracleAutoscaling({ trace: [{ t: 10, rps: -1 }, { t: 5, rps: 2 }], durationSeconds: -1, capacity, slo: { latencySeconds: 0.2, percentile: 1.5 }, modelLoadTimeSeconds: -3, minReplicas: 1.5 }));
    expect(error.problems.map((p) => [p.prop, p.given])).toEqual([
      ['trace[0]', '{"t":10,"rps":-1}'],
      ['trace[1].t', '5'],
      ['durationSeconds', '-1'],
      ['modelLoadTimeSeconds', '-3'],
      ['minReplicas', '1.5'],
      ['slo.percentile', '1.5'],
    ]);
  });

  test('an objective at or below the service time alone, and a rate beyond every count, are refused', () => {
    expect(() => oracleAutoscaling({ ...base([{ t: 0, rps: 1 }], 0, 10), slo: { latencySeconds: 0.1 } })).toThrow(/slo.latencySeconds: got 0.1; expected more than 0.1 s/);
    expect(() => oracleAutoscaling(base([{ t: 0, rps: 1 }, { t: 5, rps: 1e9 }], 0, 10))).toThrow(/trace\[1\]\.rps: got 1000000000; expected a rate that at most 10000 replicas serve/);
    expect(() => oracleAutoscaling(base([], 0, 10))).toThrow(/trace: got \[\]; expected at least one point/);
  });
});
