/** The documented defaults of model monitoring (monitoring/options.ts). */
import { Duration, MonitorKind } from '../../../lib/core';
import { dashboardOf, endpointOf, monitor, ruleOf, rulesOf, service } from '../monitoring/support';
import { documented, type DefaultCases } from './cases';

const F = 'monitoring/options.ts';
const ts = () => service('torchserve');

export const MONITORING_DEFAULTS: DefaultCases = {
  [`${F}:ModelLatencyObjective.p99`]: documented('- no p99 alert', () => {
    const alerts = rulesOf(monitor(service('vllm'), { latencyObjective: { mean: Duration.millis(500) } })).map((r) => r.alert);
    expect(alerts).toContain('ModelLatencyMeanHigh');
    expect(alerts).not.toContain('ModelLatencyP99High');
  }),
  [`${F}:ModelLatencyObjective.mean`]: documented('- no mean-latency alert', () => {
    const alerts = rulesOf(monitor(service('vllm'), { latencyObjective: { p99: Duration.seconds(2) } })).map((r) => r.alert);
    expect(alerts).toContain('ModelLatencyP99High');
    expect(alerts).not.toContain('ModelLatencyMeanHigh');
  }),
  [`${F}:MonitoringAlertOptions.availability`]: documented('0.99', () => {
    expect(ruleOf(monitor(ts()), 'ModelErrorRatioHigh').expr).toMatch(/\) > 0\.01$/);
  }),
  [`${F}:MonitoringAlertOptions.queueGrowthWindow`]: documented('Duration.minutes(10)', () => {
    expect(ruleOf(monitor(ts()), 'ModelQueueGrowing').expr).toContain('[10m:1m]) > 0');
  }),
  [`${F}:MonitoringAlertOptions.queueLength`]: documented('- the runtime\'s default autoscaling queue target: 1 request waiting (TorchServe, Triton, vLLM), 4 in flight (TensorFlow Serving)', () => {
    for (const kind of ['torchserve', 'triton', 'vllm'] as const) expect(ruleOf(monitor(service(kind)), 'ModelQueueGrowing').expr).toMatch(/\) > 1 and deriv/);
    expect(ruleOf(monitor(service('tfserving')), 'ModelQueueGrowing').expr).toMatch(/\) > 4 and deriv/);
  }),
  [`${F}:MonitoringAlertOptions.restarts`]: documented('3', () => {
    expect(ruleOf(monitor(ts()), 'ModelRestarting').expr).toMatch(/\[1h\]\) > 3$/);
  }),
  [`${F}:MonitoringAlertOptions.gpuMemory`]: documented('0.95', () => {
    expect(ruleOf(monitor(service('vllm')), 'ModelGpuMemoryHigh').expr).toMatch(/ > 0\.95$/);
  }),
  [`${F}:ModelMonitoringOptions.target`]: documented('MonitorKind.SERVICE_MONITOR', () => {
    const m = monitor(ts());
    expect(m.monitor?.kind).toBe('ServiceMonitor');
    expect(MonitorKind.SERVICE_MONITOR).toBe('ServiceMonitor');
  }),
  [`${F}:ModelMonitoringOptions.prometheusLabels`]: documented('{}', () => {
    const svc = ts();
    const m = monitor(svc);
    expect(m.monitor?.metadata.labels).toEqual(svc.service.metadata.labels);
    expect(m.prometheusRule.metadata.labels).toEqual(svc.service.metadata.labels);
  }),
  [`${F}:ModelMonitoringOptions.scrapeInterval`]: documented('Duration.seconds(30)', () => {
    expect(endpointOf(monitor(ts())).interval).toBe('30s');
  }),
  [`${F}:ModelMonitoringOptions.latencyObjective`]: documented('- no latency alert', () => {
    for (const kind of ['torchserve', 'tfserving', 'triton', 'vllm'] as const) {
      expect(rulesOf(monitor(service(kind))).filter((r) => r.alert.startsWith('ModelLatency'))).toEqual([]);
    }
  }),
  [`${F}:ModelMonitoringOptions.dashboard`]: documented('true', () => {
    const m = monitor(ts());
    expect(m.dashboard?.kind).toBe('ConfigMap');
    expect(m.objects).toContain(m.dashboard);
  }),
  [`${F}:ModelMonitoringOptions.dashboardLabel`]: documented('{ grafana_dashboard: "1" }', () => {
    expect(monitor(ts()).dashboard?.metadata.labels?.['grafana_dashboard']).toBe('1');
  }),
  [`${F}:ModelMonitoringOptions.dashboardFolder`]: documented('- no annotation: the sidecar\'s default folder', () => {
    const m = monitor(ts());
    expect(m.dashboard?.metadata.annotations).toBeUndefined();
    expect(dashboardOf(m).json.uid).toBe('serving-fraud');
  }),
  [`${F}:ModelMonitoringOptions.alerts`]: documented('- the defaults of each threshold', () => {
    expect(rulesOf(monitor(ts()))).toEqual(rulesOf(monitor(ts(), { alerts: { availability: 0.99, queueGrowthWindow: Duration.minutes(10), queueLength: 1, restarts: 3, gpuMemory: 0.95 } })));
  }),
};
