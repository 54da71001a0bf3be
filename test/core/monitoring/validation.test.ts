/** Invalid monitoring options: every problem at once, with the prop, the value and what is allowed. */
import { Duration, ModelImage, Problems, renderModelMonitoring, Runtime } from '../../../lib/core';
import { CUSTOM_IMAGE } from '../../support/fixtures';
import { NAME_RULES } from '../../../lib/core/names';
import { monitor, PATH, problemsOf, service } from './support';
import { validationErrorOf } from '../../support/problems';

const ts = service('torchserve');
const p = (prop: string, given: string, allowed: string) => ({ prop, given, allowed });

test('options that are not an object', () => {
  expect(problemsOf(ts, 'yes')).toEqual([p('options', '"yes"', 'expected ModelMonitoringOptions (an object) or nothing')]);
});

test('a service without a namespace cannot be scoped', () => {
  expect(problemsOf(service('torchserve', { namespace: undefined }), {})).toEqual([
    p('namespace', 'nothing', 'expected the ModelService to have a namespace (ModelServiceProps.namespace): every alert and dashboard query is scoped to it'),
  ]);
});

test('every problem with the top-level options, at once', () => {
  expect(
    problemsOf(ts, {
      target: 'Monitor',
      prometheusLabels: { 'bad key!': 'x', release: 'has space' },
      scrapeInterval: Duration.minutes(10),
      dashboard: 'yes',
      dashboardLabel: { grafana_dashboard: '1', extra: '1' },
      dashboardFolder: 'a/b',
    }),
  ).toEqual([
    p('target', '"Monitor"', 'expected MonitorKind.SERVICE_MONITOR or MonitorKind.POD_MONITOR'),
    p('prometheusLabels.bad key!', '"bad key!"', NAME_RULES.labelKey),
    p('prometheusLabels.release', '"has space"', NAME_RULES.labelValue),
    p('scrapeInterval', '10 minutes (600 s)', 'expected a Duration from 1 s to 300 s'),
    p('dashboard', '"yes"', 'expected true or false'),
    p('dashboardLabel', '{"grafana_dashboard":"1","extra":"1"}', 'expected exactly one label, e.g. { grafana_dashboard: "1" }'),
    p('dashboardFolder', '"a/b"', 'expected a non-empty folder name without "/"'),
  ]);
});

test('a scrape interval of whole seconds, and labels given as an object', () => {
  expect(problemsOf(ts, { scrapeInterval: Duration.millis(1500), prometheusLabels: 'release=x' })).toEqual([
    p('prometheusLabels', '"release=x"', 'expected an object of label keys to label values'),
    p('scrapeInterval', '1500 ms', 'expected whole seconds'),
  ]);
});

describe('latency objective', () => {
  test('a p99 needs a latency histogram: TorchServe and Triton have only cumulative time', () => {
    expect(problemsOf(ts, { latencyObjective: { p99: Duration.millis(100) } })).toEqual([
      p('latencyObjective.p99', '100 ms', 'expected a mean objective instead: torchserve exposes no latency histogram, only cumulative time, so its 99th percentile cannot be computed'),
    ]);
    expect(problemsOf(service('triton'), { latencyObjective: { p99: Duration.millis(100), mean: Duration.millis(20) } }).map((x) => x.prop)).toEqual(['latencyObjective.p99']);
  });

  test('a custom runtime exposes no latency metric', () => {
    expect(problemsOf(service('custom'), { latencyObjective: { mean: Duration.millis(100) } })).toEqual([
      p('latencyObjective.mean', '100 ms', 'expected no latency objective: the custom runtime exposes no latency metric modelship knows'),
    ]);
  });

  test('durations, and at least one of them', () => {
    expect(problemsOf(service('vllm'), { latencyObjective: { p99: 150, mean: Duration.hours(2) } })).toEqual([
      p('latencyObjective.p99', '150', 'expected a Duration from 1 ms to 1 hour'),
      p('latencyObjective.mean', '2 hours (7200 s)', 'expected a Duration from 1 ms to 1 hour'),
    ]);
    expect(problemsOf(service('vllm'), { latencyObjective: {} })).toEqual([p('latencyObjective', '{}', 'expected p99, mean or both')]);
    expect(problemsOf(service('vllm'), { latencyObjective: 0.2 })).toEqual([p('latencyObjective', '0.2', 'expected { p99?: Duration, mean?: Duration }')]);
  });
});

test('every problem with the alert thresholds, at once', () => {
  expect(problemsOf(ts, { alerts: { availability: 1, queueGrowthWindow: Duration.minutes(1), queueLength: 0, restarts: 1.5, gpuMemory: 1.2 } })).toEqual([
    p('alerts.availability', '1', 'expected a fraction greater than 0 and less than 1, e.g. 0.99'),
    p('alerts.queueGrowthWindow', '1 minutes (60 s)', 'expected a Duration from 120 s to 86400 s'),
    p('alerts.queueLength', '0', 'expected a number greater than 0'),
    p('alerts.restarts', '1.5', 'expected an integer of at least 0'),
    p('alerts.gpuMemory', '1.2', 'expected a fraction greater than 0 and at most 1'),
  ]);
  expect(problemsOf(ts, { alerts: [] })).toEqual([p('alerts', '[]', 'expected MonitoringAlertOptions (an object)')]);
});

test('a queue threshold needs a queue metric', () => {
  expect(problemsOf(service('custom'), { alerts: { queueLength: 5 } })).toEqual([
    p('alerts.queueLength', '5', 'expected no queueLength: the custom runtime declares no queue metric (give the custom runtime a scalingMetric)'),
  ]);
  const runtime = Runtime.custom({ image: ModelImage.fromRegistry(CUSTOM_IMAGE), scalingMetric: 'depth' });
  expect(monitor(service('custom', { runtime }), { alerts: { queueLength: 5 } }).alerts).toContain('ModelQueueGrowing');
});

test('problems under a narrowed collector carry its prefix, and earlier problems are thrown with them', () => {
  const problems = new Problems(PATH);
  problems.add('replicas', 0, 'expected at least 1');
  const error = validationErrorOf(() => renderModelMonitoring(ts, { dashboard: 1 as unknown as boolean }, problems.at('monitoring')));
  expect(error.problems.map((x) => x.prop)).toEqual(['replicas', 'monitoring.dashboard']);
});

test('valid options with earlier problems elsewhere still render (the caller decides when to throw)', () => {
  const problems = new Problems(PATH);
  problems.add('replicas', 0, 'expected at least 1');
  expect(renderModelMonitoring(ts, {}, problems.at('monitoring')).alerts.length).toBeGreaterThan(0);
});
