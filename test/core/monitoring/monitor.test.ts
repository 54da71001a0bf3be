/**
 * The ServiceMonitor or PodMonitor scrapes the runtime's own metrics port and path, as the
 * rendered Service and Deployment declare them, and every emitted object passes the strict
 * validator with the Prometheus Operator CRDs.
 */
import { Duration, ModelImage, MonitorKind, PortRole, Runtime } from '../../../lib/core';
import { CUSTOM_IMAGE, RUNTIME_KINDS, serverOf, servicePortsOf } from '../../support/fixtures';
import { validateK8sObjects } from '../../support/k8s-validate';
import { endpointOf, expectValid, monitor, NAMESPACE, service } from './support';

/** Each runtime's metrics endpoint, from the reference notes (not from the code under test). */
const METRICS_ENDPOINT = {
  torchserve: { port: 'metrics', number: 8082, path: '/metrics' },
  tfserving: { port: 'http', number: 8501, path: '/monitoring/prometheus/metrics' },
  triton: { port: 'metrics', number: 8002, path: '/metrics' },
  vllm: { port: 'http', number: 8000, path: '/metrics' },
} as const;

describe.each(Object.entries(METRICS_ENDPOINT))('%s', (kind, expected) => {
  const svc = service(kind as keyof typeof METRICS_ENDPOINT);

  test('the ServiceMonitor scrapes the named Service port the runtime serves metrics on, at its path', () => {
    const m = monitor(svc);
    expect(m.monitor?.kind).toBe('ServiceMonitor');
    expect(endpointOf(m)).toEqual({ port: expected.port, path: expected.path, interval: '30s', scheme: 'http' });
    // The Service has that port, targeting the container port of the same name and number.
    const servicePort = servicePortsOf(svc).find((p) => p.name === expected.port);
    expect(servicePort).toMatchObject({ port: expected.number, targetPort: expected.port });
    expect(serverOf(svc).ports).toContainEqual({ name: expected.port, containerPort: expected.number, protocol: 'TCP' });
    expect(svc.profile.metrics).toEqual({ port: expected.port, path: expected.path });
  });

  test('the ServiceMonitor selects the model\'s Service by labels the Service carries, in its namespace only', () => {
    const spec = monitor(svc).monitor!['spec'] as { selector: { matchLabels: Record<string, string> }; namespaceSelector: { matchNames: string[] } };
    expect(spec.namespaceSelector).toEqual({ matchNames: [NAMESPACE] });
    expect(Object.keys(spec.selector.matchLabels).length).toBeGreaterThan(0);
    expect(svc.service.metadata.labels).toMatchObject(spec.selector.matchLabels);
    expect(svc.service.metadata.namespace).toBe(NAMESPACE);
  });

  test('the PodMonitor scrapes the container port of the same name and selects the pods', () => {
    const m = monitor(svc, { target: MonitorKind.POD_MONITOR });
    expect(m.monitor?.kind).toBe('PodMonitor');
    expect(endpointOf(m)).toEqual({ port: expected.port, path: expected.path, interval: '30s', scheme: 'http' });
    const spec = m.monitor!['spec'] as { selector: { matchLabels: Record<string, string> } };
    const podLabels = (svc.deployment['spec'] as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
    expect(podLabels).toMatchObject(spec.selector.matchLabels);
  });

  test('the NetworkPolicy admits the monitoring namespace to the scraped port', () => {
    const ingress = (svc.networkPolicy['spec'] as { ingress: { from?: unknown[]; ports: { port: string }[] }[] }).ingress;
    expect(ingress.some((rule) => rule.ports.some((p) => p.port === expected.port))).toBe(true);
  });

  test.each([MonitorKind.SERVICE_MONITOR, MonitorKind.POD_MONITOR])('every object validates (%s)', (target) => {
    const m = monitor(svc, { target, prometheusLabels: { release: 'kube-prometheus-stack' }, dashboardFolder: 'Models', latencyObjective: kind === 'tfserving' || kind === 'vllm' ? { p99: Duration.millis(300) } : { mean: Duration.millis(80) } });
    expectValid(m.objects);
    expect(m.objects.map((o) => o.kind)).toEqual([target, 'PrometheusRule', 'ConfigMap']);
  });
});

describe('custom runtime', () => {
  test('without a metricsPath there is nothing to scrape: no monitor, and the rule and dashboard still validate', () => {
    const m = monitor(service('custom'));
    expect(m.monitor).toBeUndefined();
    expect(m.objects.map((o) => o.kind)).toEqual(['PrometheusRule', 'ConfigMap']);
    expectValid(m.objects);
  });

  test('with a metrics port and path, the monitor scrapes them', () => {
    const svc = service('custom', {
      runtime: Runtime.custom({
        image: ModelImage.fromRegistry(CUSTOM_IMAGE),
        ports: [{ name: 'http', port: 8080 }, { name: 'prom', port: 9100, role: PortRole.METRICS }],
        metricsPath: '/stats/prometheus',
      }),
    });
    const m = monitor(svc, { scrapeInterval: Duration.seconds(15) });
    expect(endpointOf(m)).toEqual({ port: 'prom', path: '/stats/prometheus', interval: '15s', scheme: 'http' });
    expect(servicePortsOf(svc).map((p) => p.name)).toContain('prom');
    expectValid(m.objects);
  });
});

test('labels: the model\'s labels plus prometheusLabels on the monitor and rule; the sidecar label on the dashboard only', () => {
  const svc = service('torchserve', { labels: { team: 'fraud' } });
  const m = monitor(svc, { prometheusLabels: { release: 'kube-prometheus-stack' }, dashboardLabel: { grafana_dashboard: 'models' } });
  const expected = { ...svc.service.metadata.labels, release: 'kube-prometheus-stack' };
  expect(m.monitor?.metadata).toEqual({ name: 'fraud', namespace: NAMESPACE, labels: expected });
  expect(m.prometheusRule.metadata).toEqual({ name: 'fraud', namespace: NAMESPACE, labels: expected });
  expect(m.dashboard?.metadata).toEqual({ name: 'fraud-dashboard', namespace: NAMESPACE, labels: { ...svc.service.metadata.labels, grafana_dashboard: 'models' } });
  expect(svc.service.metadata.labels?.['team']).toBe('fraud');
});

test('a scrape interval sets the endpoint interval and widens alert rate windows to four scrapes', () => {
  const m = monitor(service('torchserve'), { scrapeInterval: Duration.minutes(2) });
  expect(endpointOf(m).interval).toBe('2m');
  const rules = (m.prometheusRule['spec'] as { groups: { rules: { alert: string; expr: string }[] }[] }).groups[0]!.rules;
  expect(rules.find((r) => r.alert === 'ModelErrorRatioHigh')?.expr).toContain('[8m]');
});

test('rendering is deterministic', () => {
  for (const kind of RUNTIME_KINDS) expect(JSON.stringify(monitor(service(kind)).objects)).toBe(JSON.stringify(monitor(service(kind)).objects));
});

test('the validator does reject an unknown field in a monitor (the CRD schemas are loaded)', () => {
  const m = monitor(service('torchserve'));
  const bad = structuredClone(m.monitor!);
  ((bad['spec'] as { endpoints: Record<string, unknown>[] }).endpoints[0]!)['metricsPath'] = '/metrics';
  expect(validateK8sObjects([bad]).flatMap((r) => r.problems)).not.toEqual([]);
});
