/**
 * A Grafana dashboard per model, as deterministic JSON in a ConfigMap that Grafana's dashboard
 * sidecar (kube-prometheus-stack's `grafana.sidecar.dashboards`) loads.
 * @module
 */
import { createHash } from 'crypto';
import { DCGM_GPU_UTILIZATION } from '../autoscaling/runtime-signals';
import { KubeObject, ObjectMeta } from '../k8s-types';
import { promNumber } from './promql';
import { queuePerPod, type QueueMetric, type RuntimeMetrics } from './runtime-metrics';
import type { ModelScope } from './scope';

/** Grafana's limit on a dashboard uid. */
export const MAX_DASHBOARD_UID_LENGTH = 40;
/** The dashboard JSON schema version written (Grafana 10.4 / 11). */
export const DASHBOARD_SCHEMA_VERSION = 39;

/**
 * A stable dashboard uid for a model: `<namespace>-<name>` when it fits in 40 characters, else its
 * first 29 characters, `-` and 10 hex digits of a hash of `<namespace>/<name>` (so two long names
 * sharing a prefix still differ). The uid is the dashboard's identity in Grafana: links and
 * starred dashboards survive re-synthesis.
 */
export function dashboardUid(namespace: string, name: string): string {
  const readable = `${namespace}-${name}`;
  if (readable.length <= MAX_DASHBOARD_UID_LENGTH) return readable;
  const hash = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, 10);
  return `${readable.slice(0, MAX_DASHBOARD_UID_LENGTH - 11).replace(/-+$/, '')}-${hash}`;
}

/** What the dashboard charts. */
export interface DashboardInput {
  readonly scope: ModelScope;
  readonly runtime: string;
  readonly metrics: RuntimeMetrics;
  readonly queue?: QueueMetric;
  readonly accelerated: boolean;
  readonly latency: { readonly p99Seconds?: number; readonly meanSeconds?: number };
}

interface Target {
  readonly expr: string;
  readonly legendFormat: string;
}

const DATASOURCE = { type: 'prometheus', uid: '${datasource}' };
const RANGE = '$__rate_interval';

/** The dashboard as a plain object (Grafana's JSON model). */
export function renderDashboard(input: DashboardInput): Record<string, unknown> {
  const { scope, metrics, latency } = input;
  const panels: { title: string; description: string; unit: string; targets: Target[] }[] = [];
  const objective = (seconds: number | undefined, label: string): Target[] => (seconds === undefined ? [] : [{ expr: `vector(${promNumber(seconds)})`, legendFormat: label }]);

  if (metrics.requestRate) {
    panels.push({ title: 'Requests per second', description: `Requests the ${input.runtime} server answered, over all replicas.`, unit: 'reqps', targets: [{ expr: metrics.requestRate(scope.server, RANGE), legendFormat: 'requests/s' }] });
  }
  if (metrics.errorRatio) {
    const counted = metrics.errorRatioReadyOnly ? ', on the pods Ready throughout the interval (the server also counts the answers to its probes, 500 while a pod loads)' : '';
    panels.push({ title: 'Server error ratio', description: `The fraction of requests that failed on the server side${counted}.`, unit: 'percentunit', targets: [{ expr: metrics.errorRatio(scope.server, RANGE, scope.pods), legendFormat: 'errors' }] });
  }
  const latencyTargets: Target[] = [
    ...(metrics.latencyQuantile ? [{ expr: metrics.latencyQuantile(0.5, scope.server, RANGE), legendFormat: 'p50' }, { expr: metrics.latencyQuantile(0.99, scope.server, RANGE), legendFormat: 'p99' }] : []),
    ...(metrics.meanLatency ? [{ expr: metrics.meanLatency(scope.server, RANGE), legendFormat: 'mean' }] : []),
  ];
  if (latencyTargets.length > 0) {
    const kind = metrics.latencyQuantile ? 'p50, p99 and mean' : 'mean (the server has no latency histogram)';
    panels.push({
      title: 'Latency',
      description: `Request latency: ${kind}, against the model's objective when it has one.`,
      unit: 's',
      targets: [...latencyTargets, ...objective(metrics.latencyQuantile ? latency.p99Seconds : undefined, 'p99 objective'), ...objective(latency.meanSeconds, 'mean objective')],
    });
  }
  if (input.queue) {
    panels.push({ title: 'Queue per replica', description: `${input.queue.recipe.derivation}.`, unit: 'short', targets: [{ expr: queuePerPod(input.queue.recipe, scope.server, RANGE), legendFormat: '{{pod}}' }] });
  }
  panels.push(
    {
      title: 'Replicas',
      description: 'Desired and available replicas of the Deployment (kube-state-metrics).',
      unit: 'short',
      targets: [
        { expr: `kube_deployment_spec_replicas${scope.deployment}`, legendFormat: 'desired' },
        { expr: `kube_deployment_status_replicas_available${scope.deployment}`, legendFormat: 'available' },
      ],
    },
    {
      title: 'Server restarts',
      description: 'Restarts of the server container per pod (kube-state-metrics).',
      unit: 'short',
      targets: [{ expr: `sum by (pod) (increase(kube_pod_container_status_restarts_total${scope.container}[${RANGE}]))`, legendFormat: '{{pod}}' }],
    },
  );
  if (input.accelerated) {
    const used = `DCGM_FI_DEV_FB_USED${scope.gpu}`;
    panels.push(
      { title: 'GPU utilization', description: 'Utilization of each GPU the model holds (DCGM exporter).', unit: 'percent', targets: [{ expr: `${DCGM_GPU_UTILIZATION}${scope.gpu}`, legendFormat: '{{exported_pod}} GPU {{gpu}}' }] },
      { title: 'GPU memory', description: 'Framebuffer memory in use on each GPU the model holds (DCGM exporter).', unit: 'percentunit', targets: [{ expr: `${used} / (${used} + DCGM_FI_DEV_FB_FREE${scope.gpu})`, legendFormat: '{{exported_pod}} GPU {{gpu}}' }] },
    );
  }

  return {
    uid: dashboardUid(scope.namespace, scope.name),
    title: `${scope.namespace} / ${scope.name}`,
    description: `Model ${scope.name} (${input.runtime}) served by modelship.`,
    tags: ['modelship', input.runtime],
    editable: true,
    graphTooltip: 1,
    refresh: '30s',
    schemaVersion: DASHBOARD_SCHEMA_VERSION,
    time: { from: 'now-6h', to: 'now' },
    timezone: 'browser',
    version: 1,
    annotations: { list: [] },
    templating: { list: [{ name: 'datasource', label: 'Data source', type: 'datasource', query: 'prometheus', current: {}, hide: 0, options: [], refresh: 1 }] },
    panels: panels.map((p, i) => ({
      id: i + 1,
      type: 'timeseries',
      title: p.title,
      description: p.description,
      datasource: DATASOURCE,
      gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: Math.floor(i / 2) * 8 },
      fieldConfig: { defaults: { unit: p.unit }, overrides: [] },
      options: { legend: { displayMode: 'list', placement: 'bottom', showLegend: true }, tooltip: { mode: 'multi', sort: 'none' } },
      targets: p.targets.map((t, j) => ({ refId: String.fromCharCode(65 + j), datasource: DATASOURCE, expr: t.expr, legendFormat: t.legendFormat })),
    })),
  };
}

/** The ConfigMap holding the dashboard, under one `<uid>.json` key. */
export function dashboardConfigMap(metadata: ObjectMeta, dashboard: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [`${String(dashboard['uid'])}.json`]: `${JSON.stringify(dashboard, null, 2)}\n` } };
}
