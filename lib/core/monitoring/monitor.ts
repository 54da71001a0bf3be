/**
 * The ServiceMonitor or PodMonitor that scrapes one model's server on the runtime's own metrics
 * port and path.
 * @module
 */
import { KubeObject, Labels, ObjectMeta } from '../k8s-types';
import { MonitorKind } from './options';

/** Where and how often to scrape. */
export interface ScrapeTarget {
  /** The named port: a Service port (ServiceMonitor) or container port (PodMonitor); both carry the runtime's port name. */
  readonly port: string;
  readonly path: string;
  /** A Prometheus duration, e.g. `30s`. */
  readonly interval: string;
}

/**
 * A ServiceMonitor selecting the model's Service by its selector labels (the Service carries them)
 * in the model's namespace, or a PodMonitor selecting its pods the same way.
 */
export function renderMonitor(kind: MonitorKind, metadata: ObjectMeta, namespace: string, selector: Labels, target: ScrapeTarget): KubeObject {
  const endpoint = { port: target.port, path: target.path, interval: target.interval, scheme: 'http' };
  const common = { selector: { matchLabels: { ...selector } }, namespaceSelector: { matchNames: [namespace] } };
  return {
    apiVersion: 'monitoring.coreos.com/v1',
    kind,
    metadata,
    spec: kind === MonitorKind.POD_MONITOR ? { ...common, podMetricsEndpoints: [endpoint] } : { ...common, endpoints: [endpoint] },
  };
}
