/**
 * Monitoring per model, as pure functions: a Prometheus Operator ServiceMonitor or PodMonitor on
 * the runtime's own metrics endpoint, a PrometheusRule with alerts scoped to the model, and a
 * Grafana dashboard in a ConfigMap for the dashboard sidecar.
 * @module
 */
export { RESTART_WINDOW, SUSTAINED_FOR, type AlertRule } from './alerts';
export { DASHBOARD_SCHEMA_VERSION, MAX_DASHBOARD_UID_LENGTH, dashboardUid } from './dashboard';
export { MonitorKind, type ModelLatencyObjective, type ModelMonitoringOptions, type MonitoringAlertOptions } from './options';
export { renderModelMonitoring, type RenderedMonitoring } from './render-monitoring';
export { RUNTIME_METRICS, runtimeKindOf, runtimeMetrics, type MetricQuery, type RuntimeMetrics } from './runtime-metrics';
export { podPattern } from './scope';
