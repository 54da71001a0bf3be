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
  /** kube-state-metrics' series of the model's pods (`kube_pod_status_ready`), by namespace and pod name. */
  readonly pods: string;
  /** kube-state-metrics' series of the server container. */
  readonly container: string;
  /** The DCGM exporter's series of the GPUs the model's pods hold. */
  readonly gpu: string;
}

/** The API server keeps this much of a `generateName` before adding 5 random characters. */
const GENERATED_NAME_PREFIX = 58;
/** The longest pod-template-hash (a uint32 in decimal digits, safe-encoded). */
const HASH_LENGTH = 10;

/**
 * The pods of Deployment `name`: `<name>-<pod-template-hash>-<suffix>`. Anchored (PromQL regexes
 * are), so the pods of a Deployment named `<name>-v2` do not match. A pod's name is
 * `<name>-<hash>-` cut to 58 characters plus 5 random ones, so for names of 47 characters and
 * more the hash is cut short (and the `-` after it dropped), and from 57 the name itself.
 */
export function podPattern(name: string): string {
  if (name.length + HASH_LENGTH + 2 <= GENERATED_NAME_PREFIX) return `${name}-[a-z0-9]+-[a-z0-9]+`;
  if (name.length + 1 >= GENERATED_NAME_PREFIX) return `${`${name}-`.slice(0, GENERATED_NAME_PREFIX)}[a-z0-9]{5}`;
  return `${name}-(?:[a-z0-9]+-[a-z0-9]{5}|[a-z0-9]{${GENERATED_NAME_PREFIX - name.length - 1 + 5}})`;
}

/** The selectors of model `name` in `namespace`, its own series labelled as `target` scrapes them. */
export function modelScope(namespace: string, name: string, target: MonitorKind): ModelScope {
  const pods = { regex: podPattern(name) };
  return {
    namespace,
    name,
    server: selector(target === MonitorKind.POD_MONITOR ? { namespace, pod: pods } : { namespace, service: name }),
    deployment: selector({ namespace, deployment: name }),
    pods: selector({ namespace, pod: pods }),
    container: selector({ namespace, pod: pods, container: SERVER_CONTAINER }),
    gpu: selector({ [DCGM_POD_LABELS.namespace]: namespace, [DCGM_POD_LABELS.pod]: pods }),
  };
}
