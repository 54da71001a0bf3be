/**
 * The M/M/c queue (Erlang C): the latency model of the simulator and of SLO sizing.
 *
 * Assumptions: requests arrive as a Poisson process of rate λ; each of `c` identical servers
 * (replicas × per-replica concurrency) serves one request at a time with exponentially distributed
 * service times of mean 1/μ; one shared FIFO queue, unlimited and without abandonment; the system
 * is in steady state.
 *
 * Limits: real model servers batch requests (service time then depends on load), have
 * non-exponential service times (often closer to deterministic: M/D/c waits are roughly half of
 * M/M/c's), balance load per replica rather than through one shared queue (which is worse than
 * M/M/c), and see bursty, non-Poisson arrivals. Steady-state results also say nothing about
 * transients: right after a load step the queue needs time to build up or drain. Treat the
 * numbers as a first-order estimate; measured latency under load beats any of them. With
 * ρ = λ / (cμ) ≥ 1 there is no steady state: the queue grows without bound.
 * @module
 */

/** An M/M/c queue: arrival rate λ, service rate μ per server, and c servers. */
export interface MmcQueue {
  /** λ, requests per second. */
  readonly arrivalRate: number;
  /** μ, requests per second one server completes (1 / mean service time). */
  readonly serviceRate: number;
  /** c, an integer ≥ 1. */
  readonly servers: number;
}

/** Steady-state figures of an M/M/c queue. Infinite when `stable` is false. */
export interface MmcMetrics {
  /** ρ = λ / (cμ). */
  readonly utilization: number;
  /** ρ < 1: a steady state exists. */
  readonly stable: boolean;
  /** C(c, a): probability that an arriving request waits (Erlang C). */
  readonly probabilityOfWait: number;
  /** Lq: mean number of requests waiting. */
  readonly meanQueueLength: number;
  /** L = Lq + a: mean number of requests in the system. */
  readonly meanInSystem: number;
  /** Wq = Lq / λ: mean wait before service, seconds. */
  readonly meanWaitSeconds: number;
  /** W = Wq + 1/μ: mean response time, seconds. */
  readonly meanResponseSeconds: number;
}

function check(q: MmcQueue): void {
  if (!Number.isInteger(q.servers) || q.servers < 1) throw new RangeError(`servers must be an integer >= 1, got ${q.servers}`);
  if (!(q.serviceRate > 0) || !Number.isFinite(q.serviceRate)) throw new RangeError(`serviceRate must be > 0, got ${q.serviceRate}`);
  if (!(q.arrivalRate >= 0) || !Number.isFinite(q.arrivalRate)) throw new RangeError(`arrivalRate must be >= 0, got ${q.arrivalRate}`);
}

/**
 * Erlang B, B(c, a), by the numerically stable recursion `B(k) = a·B(k-1) / (k + a·B(k-1))`
 * (no factorials, so it works for thousands of servers).
 */
export function erlangB(servers: number, offeredLoad: number): number {
  let b = 1;
  for (let k = 1; k <= servers; k++) b = (offeredLoad * b) / (k + offeredLoad * b);
  return b;
}

/**
 * Erlang C, C(c, a): the probability that a request waits in an M/M/c queue with offered load
 * a = λ/μ erlangs, `C = c·B / (c − a·(1 − B))`. It is 1 when a ≥ c (no steady state: every
 * request eventually waits). For c = 1 it is ρ.
 */
export function erlangC(servers: number, offeredLoad: number): number {
  if (offeredLoad >= servers) return 1;
  if (offeredLoad <= 0) return 0;
  const b = erlangB(servers, offeredLoad);
  return (servers * b) / (servers - offeredLoad * (1 - b));
}

/**
 * Steady-state figures of an M/M/c queue (Erlang C): the latency model of the simulator and of SLO
 * sizing (not part of upstream Kubernetes).
 *
 * Assumes Poisson arrivals, `c` identical servers (replicas × concurrency) with exponential service
 * times, one shared FIFO queue without limit or abandonment, and steady state. Real model servers
 * batch (service time depends on load), have less variable service times (M/D/c waits are about
 * half), queue per replica rather than in one shared queue (worse than M/M/c), and see bursty
 * arrivals; steady state ignores the time a queue takes to build or drain. With ρ = λ/(cμ) ≥ 1
 * there is no steady state and the figures are infinite.
 */
export function mmcMetrics(q: MmcQueue): MmcMetrics {
  check(q);
  const { arrivalRate: lambda, serviceRate: mu, servers: c } = q;
  const a = lambda / mu;
  const utilization = a / c;
  if (utilization >= 1) {
    return {
      utilization,
      stable: false,
      probabilityOfWait: 1,
      meanQueueLength: Infinity,
      meanInSystem: Infinity,
      meanWaitSeconds: Infinity,
      meanResponseSeconds: Infinity,
    };
  }
  const pw = erlangC(c, a);
  const meanQueueLength = (pw * utilization) / (1 - utilization);
  const meanWaitSeconds = pw / (c * mu - lambda);
  return {
    utilization,
    stable: true,
    probabilityOfWait: pw,
    meanQueueLength,
    meanInSystem: meanQueueLength + a,
    meanWaitSeconds,
    meanResponseSeconds: meanWaitSeconds + 1 / mu,
  };
}

/**
 * The p-quantile of the wait in queue: `P(Wq > t) = C·e^{−(cμ−λ)t}`, so
 * `t = ln(C / (1 − p)) / (cμ − λ)`, or 0 when fewer than 1 − p of requests wait.
 */
export function mmcWaitQuantile(q: MmcQueue, p: number): number {
  check(q);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const m = mmcMetrics(q);
  if (!m.stable) return Infinity;
  if (m.probabilityOfWait <= 1 - p) return 0;
  return Math.log(m.probabilityOfWait / (1 - p)) / (q.servers * q.serviceRate - q.arrivalRate);
}

/**
 * `P(W > t)` for the response time W = Wq + S of an M/M/c queue: with probability 1 − C the request
 * is served at once (W = S ~ Exp(μ)); otherwise W is the sum of Exp(θ), θ = cμ − λ, and Exp(μ).
 */
export function mmcResponseTail(q: MmcQueue, t: number): number {
  return responseTail(q, mmcMetrics(q), t);
}

function responseTail(q: MmcQueue, m: MmcMetrics, t: number): number {
  if (!m.stable) return 1;
  const mu = q.serviceRate;
  const theta = q.servers * mu - q.arrivalRate;
  const service = Math.exp(-mu * t);
  const sum =
    Math.abs(theta - mu) < 1e-12 * mu
      ? (1 + mu * t) * service
      : (theta * service - mu * Math.exp(-theta * t)) / (theta - mu);
  return (1 - m.probabilityOfWait) * service + m.probabilityOfWait * sum;
}

/**
 * The p-quantile of the response time (wait + service), found by bisection on
 * {@link mmcResponseTail} to a relative precision of 1e-9. For c = 1 it equals the M/M/1 closed
 * form `−ln(1 − p) / (μ − λ)`.
 */
export function mmcResponseQuantile(q: MmcQueue, p: number): number {
  check(q);
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  const m = mmcMetrics(q);
  if (!m.stable) return Infinity;
  let lo = 0;
  let hi = 1 / q.serviceRate;
  while (responseTail(q, m, hi) > 1 - p) hi *= 2;
  for (let i = 0; i < 200 && hi - lo > 1e-9 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (responseTail(q, m, mid) > 1 - p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
