import type { CapacityPlanOptions } from '../capacity/plan';
import type { NodePool } from '../capacity/node-pool';
import type { ModelMonitoringOptions } from '../monitoring/options';
import { ModelServiceProps } from '../service/props';
import { LimitRangeOptions, ClusterQuota } from './quota';
import { Priority, PriorityValues } from './priority';
import { ClusterRouting, ModelRoute } from './routing';

/** A model of the same cluster: its name, or the ModelService itself (anything with a `name`). */
export type ModelRef = string | { readonly name: string };

/** Options of a canary: this model takes a share of another model's route. */
export interface CanaryOptions {
  /** The stable model whose route this model shares. */
  readonly of: ModelRef;
  /**
   * Percentage of the route's requests sent to this model (0–100); the stable model gets the
   * rest. Promote by setting 100: the stable model then gets nothing but stays deployed until
   * you remove it (and make this model the stable one).
   */
  readonly weight: number;
}

/** Options of a shadow: this model receives a copy of another model's requests; its responses are discarded. */
export interface MirrorOptions {
  /** The model whose requests are mirrored. */
  readonly of: ModelRef;
  /**
   * Percentage of the requests mirrored (0–100).
   * @default 100
   */
  readonly percent?: number;
}

/** Props of a model added to a ServingCluster: a ModelService's, and where it sits in the cluster. */
export interface ClusterModelProps extends ModelServiceProps {
  /**
   * Where the model is served behind the cluster's entry point. A canary or a shadow has no
   * route of its own: it is reached through its stable model's.
   * @default - with a Gateway, ModelRoute.path(`/<name>`); with an Ingress, ModelRoute.host(`<name>.<domain>`); without routing, ModelRoute.none()
   */
  readonly route?: ModelRoute;
  /**
   * Scheduling priority: the cluster's PriorityClass of that level. Give either this or
   * `priorityClassName` (for a PriorityClass of your own).
   * @default Priority.standard()
   */
  readonly priority?: Priority;
  /**
   * Makes this model a canary of another: a weighted share of that model's route.
   * @default - not a canary
   */
  readonly canary?: CanaryOptions;
  /**
   * Makes this model a shadow of another: mirrored copies of its requests (Gateway API `RequestMirror`).
   * @default - not a shadow
   */
  readonly mirror?: MirrorOptions;
  /**
   * The model's monitoring (ServiceMonitor or PodMonitor, PrometheusRule, Grafana dashboard),
   * over the cluster's `monitoring` options (each option given replaces the cluster's, except
   * `alerts`, whose thresholds replace the cluster's one by one); `false` for none. Without a `latencyObjective`, the
   * objective of the model's `ScalingTarget.latencySlo` autoscaler is alerted on (when its runtime
   * exposes that statistic).
   * @default - the cluster's monitoring
   */
  readonly monitoring?: ModelMonitoringOptions | false;
}

/** Props of a ServingCluster: a namespace and what its models share. */
export interface ServingClusterProps {
  /**
   * The namespace (created by the cluster, Pod Security "restricted" enforced) and the prefix of
   * its PriorityClasses' names: the cluster's own, so not `default` or `kube-…`, and not
   * `system-…` (Kubernetes reserves that prefix of PriorityClass names).
   * @default - the construct id (cdk8s) or resource name (Pulumi)
   */
  readonly namespace?: string;
  /**
   * The ResourceQuota of the namespace.
   * @default ClusterQuota.fromModels()
   */
  readonly quota?: ClusterQuota;
  /**
   * Default requests for containers that declare none.
   * @default - 100m CPU and 128Mi memory (request and limit)
   */
  readonly limitRange?: LimitRangeOptions;
  /**
   * Values of the cluster's PriorityClasses.
   * @default - critical 100000, standard 10000, batch 1000
   */
  readonly priorities?: PriorityValues;
  /**
   * The entry point that routes requests to the models.
   * @default ClusterRouting.none()
   */
  readonly routing?: ClusterRouting;
  /**
   * The cluster's node pools: every model's replicas are planned onto them at synth, at
   * minReplicas (must fit: a ValidationError otherwise), at maxReplicas and during a rollout
   * (reported), and a model no pool admits is a ValidationError.
   * @default - none: no capacity plan
   */
  readonly nodePools?: NodePool[];
  /**
   * How the capacity plan is computed.
   * @default - the planner's defaults
   */
  readonly capacity?: Omit<CapacityPlanOptions, 'path'>;
  /**
   * Monitoring of every model (each model's `monitoring` overrides it); `false` for none.
   * Needs the Prometheus Operator's CRDs and, for the dashboards, Grafana's dashboard sidecar.
   * @default - monitoring with the defaults of ModelMonitoringOptions
   */
  readonly monitoring?: ModelMonitoringOptions | false;
  /**
   * Extra labels on every namespace-level object; not the keys the cluster sets itself
   * (`app.kubernetes.io/managed-by`, `modelship.dev/cluster`, the Pod Security labels).
   * @default - none
   */
  readonly labels?: Record<string, string>;
}
