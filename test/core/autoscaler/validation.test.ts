/** Every autoscaler problem: exact prop path, given value and message; all of them at once. */
import {
  ActivationSignal,
  AutoscalerEngine,
  Duration,
  ModelImage,
  PolicySelection,
  Problems,
  renderAutoscaler,
  Runtime,
  ScalingRate,
  ScalingTarget,
  type AutoscalerOptions,
} from '../../../lib/core';
import { validationErrorOf } from '../../support/problems';
import { autoscale, PATH, problemsOf, service } from './support';

const torchserve = () => service('torchserve');
const custom = () => service('custom');
const cpu = ScalingTarget.cpuUtilization(70);
const slo = { p99: Duration.millis(100), peakRps: 400, serviceTime: Duration.millis(20) };

describe('replica bounds', () => {
  test('min > max', () => {
    expect(problemsOf(torchserve(), { target: cpu, minReplicas: 5, maxReplicas: 3 })).toEqual([{ prop: 'maxReplicas', given: '3', allowed: 'expected at least minReplicas (5)' }]);
  });

  test('max below the default min of 2', () => {
    expect(problemsOf(torchserve(), { target: cpu, maxReplicas: 1 })).toEqual([
      { prop: 'maxReplicas', given: '1', allowed: 'expected at least minReplicas (by default 2); set minReplicas: 1 for a single replica' },
    ]);
    expect(autoscale(torchserve(), { target: cpu, minReplicas: 1, maxReplicas: 1 }).report).toMatchObject({ minReplicas: 1, maxReplicas: 1 });
  });

  test('max missing without an SLO; non-integers', () => {
    expect(problemsOf(torchserve(), { target: cpu })).toEqual([
      { prop: 'maxReplicas', given: 'nothing', allowed: 'expected the most replicas to run (required unless the target is ScalingTarget.latencySlo, which sizes it)' },
    ]);
    expect(problemsOf(torchserve(), { target: cpu, minReplicas: 1.5, maxReplicas: -2 })).toEqual([
      { prop: 'minReplicas', given: '1.5', allowed: 'expected an integer of at least 1' },
      { prop: 'maxReplicas', given: '-2', allowed: 'expected an integer of at least 1' },
    ]);
  });

  test('minReplicas 0 with the HPA, and with KEDA', () => {
    expect(problemsOf(torchserve(), { target: cpu, minReplicas: 0, maxReplicas: 3 })).toEqual([
      {
        prop: 'minReplicas',
        given: '0',
        allowed: 'expected at least 1: a HorizontalPodAutoscaler cannot scale to zero; set scaleToZero (with AutoscalerEngine.KEDA) to scale to zero when idle, minReplicas is then the floor while serving',
      },
    ]);
    expect(problemsOf(torchserve(), { target: cpu, engine: AutoscalerEngine.KEDA, minReplicas: 0, maxReplicas: 3 })).toEqual([
      { prop: 'minReplicas', given: '0', allowed: 'expected at least 1: set scaleToZero to scale to zero when idle; minReplicas is then the floor while serving' },
    ]);
  });
});

describe('behaviour limits (validation.go)', () => {
  test('windows over 3600 s, periods outside 1–1800 s, values ≤ 0, unknown selection, empty policies', () => {
    const options: AutoscalerOptions = {
      target: cpu,
      maxReplicas: 4,
      scaleUp: {
        stabilizationWindow: Duration.seconds(3601),
        policies: [ScalingRate.pods(0, Duration.seconds(15)), ScalingRate.percent(100, Duration.seconds(1801)), ScalingRate.pods(2, Duration.millis(500))],
        selectPolicy: 'Maximum' as PolicySelection,
      },
      scaleDown: { stabilizationWindow: Duration.hours(2), policies: [] },
    };
    expect(problemsOf(torchserve(), options)).toEqual([
      { prop: 'scaleUp.stabilizationWindow', given: '3601 s', allowed: 'expected a Duration from 0 s to 3600 s (Kubernetes\' limit on stabilizationWindowSeconds)' },
      { prop: 'scaleUp.selectPolicy', given: '"Maximum"', allowed: 'expected PolicySelection.MAX, PolicySelection.MIN or PolicySelection.DISABLED' },
      { prop: 'scaleUp.policies[0].value', given: '0', allowed: 'expected an integer greater than 0 (pods per period)' },
      { prop: 'scaleUp.policies[1].period', given: '1801 s', allowed: 'expected a Duration from 1 s to 1800 s (Kubernetes\' limit on periodSeconds)' },
      { prop: 'scaleUp.policies[2].period', given: '500 ms', allowed: 'expected a Duration from 1 s to 1800 s (Kubernetes\' limit on periodSeconds)' },
      { prop: 'scaleDown.stabilizationWindow', given: '2 hours (7200 s)', allowed: 'expected a Duration from 0 s to 3600 s (Kubernetes\' limit on stabilizationWindowSeconds)' },
      { prop: 'scaleDown.policies', given: '[]', allowed: 'expected at least one ScalingRate (Kubernetes requires a policy in every rule given)' },
    ]);
  });

  test('the limits themselves are accepted: windows 0 and 3600 s, periods 1 and 1800 s', () => {
    const r = autoscale(torchserve(), {
      target: cpu,
      maxReplicas: 4,
      scaleUp: { stabilizationWindow: Duration.seconds(0), policies: [ScalingRate.percent(1, Duration.seconds(1))] },
      scaleDown: { stabilizationWindow: Duration.seconds(3600), policies: [ScalingRate.pods(1, Duration.seconds(1800))] },
    });
    expect([r.report.scaleUp.stabilizationWindowSeconds, r.report.scaleDown.stabilizationWindowSeconds]).toEqual([0, 3600]);
    expect([r.report.scaleUp.policies[0]!.periodSeconds, r.report.scaleDown.policies[0]!.periodSeconds]).toEqual([1, 1800]);
  });
});

describe('signals the runtime does not expose', () => {
  test('runtimeQueue and requestsPerSecond on a custom runtime without scalingMetric', () => {
    expect(problemsOf(custom(), { target: ScalingTarget.runtimeQueue(), maxReplicas: 4 })).toEqual([
      {
        prop: 'target',
        given: 'ScalingTarget.runtimeQueue()',
        allowed: 'expected a signal the custom runtime exposes: it declares no scaling metric (for Runtime.custom set scalingMetric and metricsPath), so there is no queue to scale on',
      },
    ]);
    expect(problemsOf(custom(), { target: ScalingTarget.requestsPerSecond(10), maxReplicas: 4 })).toEqual([
      {
        prop: 'target',
        given: 'ScalingTarget.requestsPerSecond(10)',
        allowed: 'expected a request counter the custom runtime exposes: it has none modelship knows; scale on ScalingTarget.runtimeQueue() (its scalingMetric) or ScalingTarget.cpuUtilization() instead',
      },
    ]);
  });

  test('a scaling metric without a metrics path cannot be scraped', () => {
    const svc = service('custom', { runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2'), scalingMetric: 'queue_depth' }) });
    expect(problemsOf(svc, { target: ScalingTarget.runtimeQueue(), maxReplicas: 4 })).toEqual([
      {
        prop: 'target',
        given: 'ScalingTarget.runtimeQueue()',
        allowed: 'expected a metrics endpoint: the custom runtime declares the scaling metric queue_depth but no metrics path, so Prometheus cannot scrape it (for Runtime.custom set metricsPath)',
      },
    ]);
  });

  test('GPU utilization without GPUs; an SLO on the custom runtime (no request counter, a queue of unknown meaning)', () => {
    expect(problemsOf(torchserve(), { target: ScalingTarget.gpuUtilization(70), maxReplicas: 4 })).toEqual([
      { prop: 'target', given: 'ScalingTarget.gpuUtilization(70)', allowed: 'expected pods with GPUs: the pods request none, so the DCGM exporter reports no utilization for them (set accelerator)' },
    ]);
    const svc = service('custom', { runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2'), scalingMetric: 'queue_depth', metricsPath: '/metrics' }) });
    expect(problemsOf(svc, { target: ScalingTarget.latencySlo({ ...slo, queueGuard: true }) })).toEqual([
      {
        prop: 'target',
        given: 'ScalingTarget.latencySlo({…})',
        allowed: 'expected a request counter the custom runtime exposes: it has none modelship knows; scale on ScalingTarget.runtimeQueue() (its scalingMetric) or ScalingTarget.cpuUtilization() instead',
      },
      { prop: 'target.queueGuard', given: 'true', allowed: 'expected false: the custom scaling metric queue_depth has no known meaning, so no guard target can be computed for it' },
    ]);
  });

  test('target values out of range', () => {
    expect(problemsOf(torchserve(), { target: ScalingTarget.cpuUtilization(0), maxReplicas: 4 })).toEqual([
      { prop: 'target', given: 'ScalingTarget.cpuUtilization(0)', allowed: 'expected a cpu utilization target: an integer percentage of the pods\' cpu request of at least 1' },
    ]);
    expect(problemsOf(service('vllm'), { target: ScalingTarget.gpuUtilization(120), maxReplicas: 4 })).toEqual([
      { prop: 'target', given: 'ScalingTarget.gpuUtilization(120)', allowed: 'expected a GPU utilization target: a percentage greater than 0 and at most 100' },
    ]);
    expect(problemsOf(torchserve(), { target: ScalingTarget.runtimeQueue(0), maxReplicas: 4 })).toEqual([
      { prop: 'target', given: 'ScalingTarget.runtimeQueue(0)', allowed: 'expected a per-pod target of at least 0.001' },
    ]);
    expect(problemsOf(torchserve(), { target: 'cpu' as never, maxReplicas: 4 })).toEqual([
      { prop: 'target', given: '"cpu"', allowed: 'expected a ScalingTarget, e.g. ScalingTarget.runtimeQueue() or ScalingTarget.cpuUtilization(70)' },
    ]);
  });
});

describe('scale to zero', () => {
  const activation = ActivationSignal.prometheus('sum(rate(nginx_ingress_controller_requests{exported_service="fraud"}[2m]))');

  test('with the HPA engine', () => {
    expect(problemsOf(torchserve(), { target: cpu, maxReplicas: 4, engine: AutoscalerEngine.HPA, scaleToZero: { activation } })).toEqual([
      {
        prop: 'engine',
        given: '"hpa"',
        allowed: 'expected AutoscalerEngine.KEDA with scaleToZero: a HorizontalPodAutoscaler cannot scale to zero (minReplicas must be at least 1 unless the alpha HPAScaleToZero feature gate is on)',
      },
    ]);
  });

  test('without an activation signal, with a bad idle time, with a bad schedule', () => {
    expect(problemsOf(torchserve(), { target: cpu, maxReplicas: 4, scaleToZero: { idleAfter: Duration.millis(10) } as never })).toEqual([
      {
        prop: 'scaleToZero.activation',
        given: 'nothing',
        allowed: 'expected ActivationSignal.prometheus(query) or ActivationSignal.schedule(timezone, start, end): the server\'s own metrics vanish with its last pod, so nothing else would scale it back up from zero',
      },
      { prop: 'scaleToZero.idleAfter', given: '10 ms', allowed: 'expected a Duration of at least 1 s' },
    ]);
    expect(problemsOf(torchserve(), { target: cpu, maxReplicas: 4, scaleToZero: { activation: ActivationSignal.schedule('Berlin time', '0 8 * *', '0 18 * * 1-5') } })).toEqual([
      { prop: 'scaleToZero.activation', given: 'ActivationSignal.schedule("Berlin time", "0 8 * *", "0 18 * * 1-5")', allowed: 'expected an IANA time zone such as "Europe/Berlin"' },
      { prop: 'scaleToZero.activation', given: 'ActivationSignal.schedule("Berlin time", "0 8 * *", "0 18 * * 1-5")', allowed: 'expected start as a cron expression of five fields, e.g. "0 8 * * 1-5"' },
    ]);
    expect(problemsOf(torchserve(), { target: cpu, maxReplicas: 4, scaleToZero: { activation: ActivationSignal.prometheus(' ', -1) } })).toEqual([
      { prop: 'scaleToZero.activation', given: 'ActivationSignal.prometheus(" ", -1)', allowed: 'expected a non-empty PromQL query' },
      { prop: 'scaleToZero.activation', given: 'ActivationSignal.prometheus(" ", -1)', allowed: 'expected an activation threshold of at least 0' },
    ]);
  });

  test('a bad engine and Prometheus URL', () => {
    expect(problemsOf(torchserve(), { target: cpu, maxReplicas: 4, engine: 'knative' as AutoscalerEngine, prometheusUrl: 'prometheus:9090' })).toEqual([
      { prop: 'engine', given: '"knative"', allowed: 'expected AutoscalerEngine.HPA or AutoscalerEngine.KEDA' },
      { prop: 'prometheusUrl', given: '"prometheus:9090"', allowed: 'expected an http(s) URL such as "http://prometheus-operated.monitoring.svc:9090"' },
    ]);
  });
});

describe('latency SLO', () => {
  test('p99 below the service time\'s own p99 (20 ms × ln 100 = 92.1 ms): unmeetable at any scale', () => {
    expect(problemsOf(torchserve(), { target: ScalingTarget.latencySlo({ ...slo, p99: Duration.millis(90) }) })).toEqual([
      { prop: 'target.p99', given: '90 ms', allowed: 'expected more than 92.1 ms, the p99 of the service time alone (20 ms mean, exponential: × ln 100): no number of replicas can meet it' },
    ]);
    expect(problemsOf(torchserve(), { target: ScalingTarget.latencySlo({ p99: Duration.millis(15), mean: undefined, peakRps: 400, serviceTime: Duration.millis(20) }) })[0]!.prop).toBe('target.p99');
  });

  test('a mean at or below the service time', () => {
    expect(problemsOf(torchserve(), { target: ScalingTarget.latencySlo({ mean: Duration.millis(20), peakRps: 400, serviceTime: Duration.millis(20) }) })).toEqual([
      { prop: 'target.mean', given: '20 ms', allowed: 'expected more than 20 ms, the mean of the service time alone (20 ms mean): no number of replicas can meet it' },
    ]);
  });

  test('an objective maxReplicas cannot meet names maxReplicas and the count needed', () => {
    expect(problemsOf(torchserve(), { target: ScalingTarget.latencySlo(slo), maxReplicas: 9 })).toEqual([
      { prop: 'maxReplicas', given: '9', allowed: 'expected at least 10: the p99 objective of 100 ms needs 10 replicas at 400 requests/s' },
    ]);
    expect(problemsOf(torchserve(), { target: ScalingTarget.latencySlo(slo), minReplicas: 11 })).toEqual([
      { prop: 'minReplicas', given: '11', allowed: 'expected at most maxReplicas (10, sized for the p99 objective of 100 ms at 400 requests/s)' },
    ]);
  });

  test('missing, doubled and out-of-range inputs, all at once', () => {
    const bad = ScalingTarget.latencySlo({
      p99: Duration.millis(100),
      mean: Duration.millis(50),
      peakRps: -1,
      serviceTime: Duration.millis(20),
      throughputPerReplica: 50,
      concurrencyPerReplica: 0,
      offPeakRps: Number.NaN,
      headroom: 0.5,
      queueGuard: 'yes' as unknown as boolean,
    });
    expect(problemsOf(torchserve(), { target: bad })).toEqual([
      { prop: 'target.mean', given: '50 ms', allowed: 'expected only one objective: p99 or mean, not both' },
      { prop: 'target.peakRps', given: '-1', allowed: 'expected requests per second: a finite number greater than 0' },
      { prop: 'target.throughputPerReplica', given: '50', allowed: 'expected only one of serviceTime and throughputPerReplica' },
      { prop: 'target.concurrencyPerReplica', given: '0', allowed: 'expected an integer from 1 to 100000' },
      { prop: 'target.offPeakRps', given: 'NaN', allowed: 'expected requests per second: a finite number greater than 0' },
      { prop: 'target.headroom', given: '0.5', allowed: 'expected a factor of at least 1' },
      { prop: 'target.queueGuard', given: '"yes"', allowed: 'expected true or false' },
    ]);
    expect(problemsOf(torchserve(), { target: ScalingTarget.latencySlo({ peakRps: 400 } as never) })).toEqual([
      { prop: 'target.p99', given: 'nothing', allowed: 'expected an objective: p99 or mean' },
      { prop: 'target.serviceTime', given: 'nothing', allowed: 'expected the service time of one request, or throughputPerReplica' },
    ]);
    expect(problemsOf(torchserve(), { target: ScalingTarget.latencySlo({ ...slo, offPeakRps: 500 }) })).toEqual([
      { prop: 'target.offPeakRps', given: '500', allowed: 'expected at most peakRps (400)' },
    ]);
  });
});

test('every problem at once, after those already recorded, prefixed by the caller\'s collector', () => {
  const problems = new Problems(PATH).at('autoscaler');
  problems.add('earlier', 1, 'expected something else');
  const error = validationErrorOf(() =>
    renderAutoscaler(custom(), { target: ScalingTarget.runtimeQueue(), minReplicas: 3, maxReplicas: 2, scaleUp: { stabilizationWindow: Duration.hours(2) } }, problems),
  );
  expect(error.problems.map((p) => p.prop)).toEqual(['autoscaler.earlier', 'autoscaler.maxReplicas', 'autoscaler.scaleUp.stabilizationWindow', 'autoscaler.target']);
  expect(error.message).toContain(`${PATH}: autoscaler.maxReplicas: got 2; expected at least minReplicas (3)`);
});

test('options that are not an object', () => {
  expect(problemsOf(torchserve(), undefined as never)).toEqual([{ prop: 'options', given: 'nothing', allowed: 'expected AutoscalerOptions with at least a target' }]);
});
