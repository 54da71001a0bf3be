/** Erlang C and the M/M/c figures against closed forms and textbook values. */
import fc from 'fast-check';
import { erlangB, erlangC, mmcMetrics, mmcResponseQuantile, mmcResponseTail, mmcWaitQuantile } from '../../../lib/core/autoscaling';

/** C(c, a) by its textbook definition, with factorials (fine for small c). */
function erlangCDirect(c: number, a: number): number {
  let sum = 0;
  let term = 1; // a^k / k!
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  const top = term * (c / (c - a)); // a^c / c! * c / (c - a)
  return top / (sum + top);
}

describe('M/M/1 (c = 1)', () => {
  test.each([
    [1, 2],
    [3, 4],
    [9, 10],
  ])('λ=%p μ=%p: C = ρ, Wq = ρ/(μ-λ), W = 1/(μ-λ), Lq = ρ²/(1-ρ)', (lambda, mu) => {
    const rho = lambda / mu;
    const m = mmcMetrics({ arrivalRate: lambda, serviceRate: mu, servers: 1 });
    expect(m.probabilityOfWait).toBeCloseTo(rho, 12);
    expect(m.meanWaitSeconds).toBeCloseTo(rho / (mu - lambda), 12);
    expect(m.meanResponseSeconds).toBeCloseTo(1 / (mu - lambda), 12);
    expect(m.meanQueueLength).toBeCloseTo((rho * rho) / (1 - rho), 12);
    expect(m.meanInSystem).toBeCloseTo(rho / (1 - rho), 12);
  });

  test('the response-time p99 is the exponential quantile -ln(0.01)/(μ-λ)', () => {
    const q = { arrivalRate: 8, serviceRate: 10, servers: 1 };
    expect(mmcResponseQuantile(q, 0.99)).toBeCloseTo(-Math.log(0.01) / 2, 6);
    expect(mmcWaitQuantile(q, 0.99)).toBeCloseTo(Math.log(0.8 / 0.01) / 2, 9);
  });
});

describe('textbook values for c > 1', () => {
  test('M/M/2, λ = μ = 1: P0 = 1/3, C = 1/3, Lq = 2ρ³/(1-ρ²) = 1/3', () => {
    const m = mmcMetrics({ arrivalRate: 1, serviceRate: 1, servers: 2 });
    expect(m.probabilityOfWait).toBeCloseTo(1 / 3, 12);
    expect(m.meanQueueLength).toBeCloseTo(1 / 3, 12);
    expect(m.meanWaitSeconds).toBeCloseTo(1 / 3, 12);
    expect(m.meanResponseSeconds).toBeCloseTo(4 / 3, 12);
  });

  test('M/M/3, λ = 2, μ = 1: P0 = 1/9, C = 4/9, Lq = 8/9, Wq = 4/9, L = 26/9', () => {
    const m = mmcMetrics({ arrivalRate: 2, serviceRate: 1, servers: 3 });
    expect(m.utilization).toBeCloseTo(2 / 3, 12);
    expect(m.probabilityOfWait).toBeCloseTo(4 / 9, 12);
    expect(m.meanQueueLength).toBeCloseTo(8 / 9, 12);
    expect(m.meanWaitSeconds).toBeCloseTo(4 / 9, 12);
    expect(m.meanInSystem).toBeCloseTo(26 / 9, 12);
  });

  test('Erlang B: B(1, a) = a/(1+a); B(2, 1) = 1/5', () => {
    expect(erlangB(1, 3)).toBeCloseTo(3 / 4, 12);
    expect(erlangB(2, 1)).toBeCloseTo(1 / 5, 12);
  });

  test('property: the stable recursion equals the factorial definition', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), (c, rho) => {
        const a = rho * c;
        return Math.abs(erlangC(c, a) - erlangCDirect(c, a)) < 1e-9;
      }),
    );
  });

  test('large pools stay finite (no factorial overflow): 2000 servers at ρ = 0.99', () => {
    const c = erlangC(2000, 1980);
    expect(c).toBeGreaterThan(0);
    expect(c).toBeLessThan(1);
  });
});

describe('tails and limits', () => {
  test('P(W > t) is 1 at t = 0 and matches the mean when integrated', () => {
    const q = { arrivalRate: 5, serviceRate: 2, servers: 3 };
    expect(mmcResponseTail(q, 0)).toBeCloseTo(1, 12);
    let integral = 0;
    const dt = 0.0005;
    for (let t = 0; t < 40; t += dt) integral += mmcResponseTail(q, t + dt / 2) * dt;
    expect(integral).toBeCloseTo(mmcMetrics(q).meanResponseSeconds, 5);
  });

  test('the response quantile solves P(W > t) = 1 - p', () => {
    const q = { arrivalRate: 5, serviceRate: 2, servers: 3 };
    expect(mmcResponseTail(q, mmcResponseQuantile(q, 0.95))).toBeCloseTo(0.05, 8);
  });

  test('ρ ≥ 1 has no steady state: infinite waits, C = 1', () => {
    const m = mmcMetrics({ arrivalRate: 4, serviceRate: 1, servers: 4 });
    expect(m).toMatchObject({ stable: false, probabilityOfWait: 1, meanResponseSeconds: Infinity });
    expect(mmcResponseQuantile({ arrivalRate: 5, serviceRate: 1, servers: 4 }, 0.99)).toBe(Infinity);
  });

  test('no load: no wait, response time is the service time', () => {
    const m = mmcMetrics({ arrivalRate: 0, serviceRate: 4, servers: 2 });
    expect(m.meanWaitSeconds).toBe(0);
    expect(m.meanResponseSeconds).toBe(0.25);
  });

  test('invalid queues are rejected', () => {
    expect(() => mmcMetrics({ arrivalRate: 1, serviceRate: 1, servers: 1.5 })).toThrow(RangeError);
    expect(() => mmcMetrics({ arrivalRate: 1, serviceRate: 0, servers: 1 })).toThrow(RangeError);
    expect(() => mmcWaitQuantile({ arrivalRate: 1, serviceRate: 2, servers: 1 }, 1)).toThrow(RangeError);
  });
});
