/**
 * The label selectors that pick one model's series out of everything Prometheus scrapes.
 * @module
 */
import { DCGM_POD_LABELS } from '../autoscaling/runtime-signals';
import { SERVER_CONTAINER } from '../service/pod';
import { MonitorKind } from './options';
import { selector } from './promql';

/** Selectors of one model's series, by source. */
export interface ModelScope {
  readonly namespace: string;
  readonly name: string;
  /** The server's own metrics, as the monitor labels them (`service` for a ServiceMonitor, `pod` for a PodMonitor). */
  readonly server: string;
  /** kube-state-metrics' Deployment series. */
  readonly deployment: string;
  /** kube-state-metrics' series of the server container. */
  readonly container: string;
  /** The DCGM exporter's series of the GPUs the model's pods hold. */
  readonly gpu: string;
}

/**
 * The pods of Deployment `name`: `<name>-<pod-template-hash>-<suffix>`. Anchored (PromQL regexes
 * are), so the pods of a Deployment named `<name>-v2` do not match.
 */
export function podPattern(name: string): string {
  return `${name}-[a-z0-9]+-[a-z0-9]+`;
}

/** The selectors of model `name` in `namespace`, its own series labelled as `target` scrapes them. */
export function modelScope(namespace: string, name: string, target: MonitorKind): ModelScope {
  const pods = { regex: podPattern(name) };
  return {
    namespace,
    name,
    server: selector(target === MonitorKind.POD_MONITOR ? { namespace, pod: pods } : { namespace, service: name }),
    deployment: selector({ namespace, deployment: name }),
    container: selector({ namespace, pod: pods, container: SERVER_CONTAINER }),
    gpu: selector({ [DCGM_POD_LABELS.namespace]: namespace, [DCGM_POD_LABELS.pod]: pods }),
  };
}
