/**
 * The Grafana dashboard: valid JSON with Prometheus targets that parse and are scoped to the
 * model, a stable uid of at most 40 characters, panels by what the runtime and the hardware
 * expose, in a ConfigMap the sidecar finds.
 */
import { Accelerator, dashboardUid, Duration, MAX_DASHBOARD_UID_LENGTH } from '../../../lib/core';
import { checkPromQL } from '../../support/promql-check';
import { RUNTIME_KINDS } from '../../support/fixtures';
import { dashboardOf, expectValid, monitor, NAMESPACE, service } from './support';

const titles = (kind: (typeof RUNTIME_KINDS)[number], extra = {}) => dashboardOf(monitor(service(kind, extra))).json.panels.map((p) => p.title);

describe.each(RUNTIME_KINDS)('%s', (kind) => {
  const m = monitor(service(kind), kind === 'vllm' || kind === 'tfserving' ? { latencyObjective: { p99: Duration.millis(200), mean: Duration.millis(80) } } : {});
  const { key, json } = dashboardOf(m);

  test('a dashboard JSON model: uid, title, schemaVersion, a Prometheus data source variable, timeseries panels on a grid', () => {
    expect(key).toBe(`${NAMESPACE}-fraud.json`);
    expect(json.uid).toBe(`${NAMESPACE}-fraud`);
    expect(json.title).toBe(`${NAMESPACE} / fraud`);
    expect(json.schemaVersion).toBe(39);
    expect(json.templating.list.map((v) => v.name)).toEqual(['datasource']);
    expect(json.panels.map((p) => p.id)).toEqual(json.panels.map((_p, i) => i + 1));
    for (const p of json.panels) {
      expect(p.type).toBe('timeseries');
      expect(p.gridPos.w).toBe(12);
      expect(p.targets.map((t) => t.refId)).toEqual(p.targets.map((_t, i) => String.fromCharCode(65 + i)));
    }
    // No two panels overlap.
    const cells = json.panels.map((p) => `${p.gridPos.x},${p.gridPos.y}`);
    expect(new Set(cells).size).toBe(cells.length);
  });

  test('every target parses as PromQL and, unless a constant objective line, is scoped to the model\'s namespace', () => {
    for (const p of json.panels) {
      for (const t of p.targets) {
        const check = checkPromQL(t.expr, ['$__rate_interval']);
        expect(check.type).toBe('vector');
        if (check.selectors.length === 0) expect(t.expr).toMatch(/^vector\([0-9.]+\)$/);
        for (const s of check.selectors) expect([s.matchers['namespace'], s.matchers['exported_namespace']]).toContain(`=${NAMESPACE}`);
      }
    }
  });

  test('replicas and restarts always; the ConfigMap validates', () => {
    expect(json.panels.map((p) => p.title)).toEqual(expect.arrayContaining(['Replicas', 'Server restarts']));
    expectValid([m.dashboard!]);
  });
});

test('panels by runtime and hardware', () => {
  expect(titles('torchserve')).toEqual(['Requests per second', 'Server error ratio', 'Latency', 'Queue per replica', 'Replicas', 'Server restarts']);
  expect(titles('vllm')).toEqual(['Requests per second', 'Server error ratio', 'Latency', 'Queue per replica', 'Replicas', 'Server restarts', 'GPU utilization', 'GPU memory']);
  expect(titles('custom')).toEqual(['Replicas', 'Server restarts']);
  expect(titles('triton', { accelerator: Accelerator.nvidiaGpu() })).toContain('GPU memory');
  expect(titles('triton')).not.toContain('GPU utilization');
});

test('the error panel reads what the alert reads: TorchServe\'s only on pods Ready throughout the interval', () => {
  const errors = (kind: (typeof RUNTIME_KINDS)[number]) => dashboardOf(monitor(service(kind))).json.panels.find((p) => p.title === 'Server error ratio')!;
  const ts = errors('torchserve');
  expect(checkPromQL(ts.targets[0]!.expr, ['$__rate_interval']).metrics).toEqual(['Requests2XX', 'Requests4XX', 'Requests5XX', 'kube_pod_status_ready']);
  expect(ts.targets[0]!.expr).toContain(`and on(namespace, pod) (min_over_time(kube_pod_status_ready{namespace="${NAMESPACE}",pod=~"fraud-[a-z0-9]+-[a-z0-9]+",condition="true"}[$__rate_interval]) == 1)`);
  expect(ts.description).toContain('Ready throughout');
  expect(errors('triton').targets[0]!.expr).not.toContain('kube_pod_status_ready');
});

test('latency: p50 and p99 from a histogram, the mean otherwise, with the objective as lines', () => {
  const latency = (kind: (typeof RUNTIME_KINDS)[number], objective = {}) => dashboardOf(monitor(service(kind), { latencyObjective: objective })).json.panels.find((p) => p.title === 'Latency')!;
  const vllm = latency('vllm', { p99: Duration.millis(200) });
  expect(vllm.targets.map((t) => t.legendFormat)).toEqual(['p50', 'p99', 'mean', 'p99 objective']);
  expect(vllm.targets[3]!.expr).toBe('vector(0.2)');
  expect(vllm.fieldConfig.defaults.unit).toBe('s');
  const ts = latency('torchserve', { mean: Duration.millis(50) });
  expect(ts.targets.map((t) => t.legendFormat)).toEqual(['mean', 'mean objective']);
  expect(ts.targets[1]!.expr).toBe('vector(0.05)');
});

test('deterministic: the same props render the same bytes', () => {
  const a = monitor(service('triton')).dashboard!['data'];
  const b = monitor(service('triton')).dashboard!['data'];
  expect(a).toEqual(b);
});

describe('uid', () => {
  test('namespace-name when it fits in 40 characters', () => {
    expect(dashboardUid('serving', 'fraud')).toBe('serving-fraud');
    const fits = `${'n'.repeat(20)}-${'m'.repeat(19)}`;
    expect(dashboardUid('n'.repeat(20), 'm'.repeat(19))).toBe(fits);
  });

  test('a readable prefix and a hash when it does not: at most 40 characters, stable, distinct for names sharing a prefix', () => {
    const ns = 'production-serving-platform';
    const a = dashboardUid(ns, 'recommendation-ranker-large');
    const b = dashboardUid(ns, 'recommendation-ranker-small');
    expect(a).toHaveLength(MAX_DASHBOARD_UID_LENGTH);
    expect(a).not.toBe(b);
    expect(dashboardUid(ns, 'recommendation-ranker-large')).toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    // Pinned, so a change of the derivation (which would orphan users' links and stars) fails here.
    expect(a).toBe('production-serving-platform-r-ca6ee27259');
  });

  test('the longest names still give a valid uid', () => {
    expect(dashboardUid('n'.repeat(63), 'm'.repeat(63))).toMatch(/^n{29}-[0-9a-f]{10}$/);
  });
});

test('the dashboard is opt-out, and the folder annotation opt-in', () => {
  const none = monitor(service('torchserve'), { dashboard: false });
  expect(none.dashboard).toBeUndefined();
  expect(none.objects.map((o) => o.kind)).toEqual(['ServiceMonitor', 'PrometheusRule']);
  const foldered = monitor(service('torchserve'), { dashboardFolder: 'Fraud models' });
  expect(foldered.dashboard?.metadata.annotations).toEqual({ grafana_folder: 'Fraud models' });
  expectValid(foldered.objects);
});
