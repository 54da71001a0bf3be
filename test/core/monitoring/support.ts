/**
 * Shared helpers of the monitoring tests: a rendered service per runtime (in a namespace), the
 * monitoring rendered as a front end does, and reaching into the rule, monitor and dashboard.
 * Emitted objects are validated strictly against the Prometheus Operator CRDs registered from
 * test/support/crd-schemas.
 */
import {
  Problems,
  renderModelMonitoring,
  type ModelMonitoringOptions,
  type ModelServiceProps,
  type RenderedModelService,
  type RenderedMonitoring,
} from '../../../lib/core';
import { registerCustomResourceSchemas } from '../../support/crd-schemas';
import { MINIMAL_PROPS, render, type RuntimeKind } from '../../support/fixtures';
import { validationErrorOf, withoutConstruct } from '../../support/problems';

registerCustomResourceSchemas();

/** The construct path every test renders under. */
export const PATH = 'test/fraud';
/** The namespace every test service is in. */
export const NAMESPACE = 'serving';

/** A rendered service of a runtime in {@link NAMESPACE} (minimal props, plus `extra`). */
export function service(kind: RuntimeKind, extra: Partial<ModelServiceProps> = {}): RenderedModelService {
  return render({ ...MINIMAL_PROPS[kind](), namespace: NAMESPACE, ...extra });
}

/** Renders the monitoring as a front end does, with a fresh collector. */
export function monitor(svc: RenderedModelService, options?: ModelMonitoringOptions): RenderedMonitoring {
  return renderModelMonitoring(svc, options, new Problems(PATH));
}

/** The problems renderModelMonitoring throws for `options` (fails the test when it does not throw). */
export function problemsOf(svc: RenderedModelService, options: unknown): { prop: string; given: string; allowed: string }[] {
  return validationErrorOf(() => renderModelMonitoring(svc, options as ModelMonitoringOptions, new Problems(PATH))).problems.map((p) => {
    expect(p.construct).toBe(PATH);
    return withoutConstruct(p);
  });
}

/** Every object passes the strict validator (unknown fields rejected), as the autoscaler's objects do. */
export { expectValid } from '../autoscaler/support';

/** One alerting rule as rendered. */
export interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: { summary: string; description: string };
}

/** The alerting rules of the PrometheusRule (one group). */
export function rulesOf(m: RenderedMonitoring): Rule[] {
  const groups = (m.prometheusRule['spec'] as { groups: { name: string; rules: Rule[] }[] }).groups;
  expect(groups).toHaveLength(1);
  return groups[0]!.rules;
}

/** The rule named `alert`; fails the test when there is none. */
export function ruleOf(m: RenderedMonitoring, alert: string): Rule {
  const rule = rulesOf(m).find((r) => r.alert === alert);
  expect(rule).toBeDefined();
  return rule!;
}

/** One scrape endpoint of a ServiceMonitor or PodMonitor. */
export interface Endpoint {
  port: string;
  path: string;
  interval: string;
  scheme: string;
}

/** The monitor's single endpoint; fails the test when there is no monitor. */
export function endpointOf(m: RenderedMonitoring): Endpoint {
  expect(m.monitor).toBeDefined();
  const spec = m.monitor!['spec'] as { endpoints?: Endpoint[]; podMetricsEndpoints?: Endpoint[] };
  const endpoints = spec.endpoints ?? spec.podMetricsEndpoints ?? [];
  expect(endpoints).toHaveLength(1);
  return endpoints[0]!;
}

/** A Grafana dashboard panel as rendered. */
export interface Panel {
  id: number;
  title: string;
  description: string;
  type: string;
  gridPos: { h: number; w: number; x: number; y: number };
  fieldConfig: { defaults: { unit: string } };
  targets: { refId: string; expr: string; legendFormat: string }[];
}

/** The dashboard JSON, parsed from the ConfigMap's single key; fails the test when there is no dashboard. */
export function dashboardOf(m: RenderedMonitoring): { key: string; json: { uid: string; title: string; schemaVersion: number; panels: Panel[]; templating: { list: { name: string }[] } } } {
  expect(m.dashboard).toBeDefined();
  const data = m.dashboard!['data'] as Record<string, string>;
  const keys = Object.keys(data);
  expect(keys).toHaveLength(1);
  return { key: keys[0]!, json: JSON.parse(data[keys[0]!]!) };
}

/** The names of the alerts rendered for a runtime's minimal service with `options`. */
export function alertNames(kind: RuntimeKind, options?: ModelMonitoringOptions, extra: Partial<ModelServiceProps> = {}): string[] {
  return rulesOf(monitor(service(kind, extra), options)).map((r) => r.alert);
}
