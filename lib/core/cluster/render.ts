import type { AutoscalerReport } from '../autoscaling/autoscaler-report';
import { capacityProblems, CapacityPlan, planCapacity } from '../capacity/plan';
import { capacityWorkloadOf } from '../capacity/workload';
import { Problems } from '../errors';
import { renderModelMonitoring, RenderedMonitoring } from '../monitoring/render-monitoring';
import { KubeObject } from '../k8s-types';
import { ModelServiceProps } from '../service/props';
import { RenderedModelService } from '../service/render';
import { clusterModelServiceProps, ClusterPlacement } from './model-props';
import { ClusterContext, renderClusterNamespace, RenderedClusterNamespace } from './namespace';
import { ClusterModelProps, ServingClusterProps } from './props';
import { ClusterQuota } from './quota';
import { latencyObjectiveOf, modelMonitoringOptions } from './monitoring';
import { renderResourceQuota } from './quota-needs';
import { checkClusterModels, renderRoutes } from './routes';

/** A model of the cluster, rendered, as the cluster-wide rendering reads it. */
export interface ClusterModel {
  /** Construct path (cdk8s) or resource name (Pulumi) of the model, quoted in its problems. */
  readonly path: string;
  readonly placement: ClusterPlacement;
  readonly rendered: RenderedModelService;
  /** The props the model was added with (its own `monitoring`). */
  readonly props: ClusterModelProps;
  /**
   * The report of the model's autoscaler: its replica range, and the objective of a latency SLO.
   * @default - no autoscaler: the Deployment's fixed `spec.replicas`
   */
  readonly autoscaler?: AutoscalerReport;
}

/** What the cluster renders from all of its models. */
export interface RenderedClusterModels {
  /** The ResourceQuota, unless `ClusterQuota.none()`. */
  readonly resourceQuota?: KubeObject;
  /** The HTTPRoute or Ingress of each routed model, by model name. */
  readonly routes: ReadonlyMap<string, KubeObject>;
  /** The monitoring objects of each monitored model, by model name. */
  readonly monitoring: ReadonlyMap<string, RenderedMonitoring>;
  /** Where the models' replicas go on the node pools, with `nodePools`. */
  readonly capacityPlan?: CapacityPlan;
}

/** Every object of a ServingCluster except its models' own. */
export interface RenderedServingCluster extends RenderedClusterNamespace, RenderedClusterModels {
  /** Every object, in apply order: Namespace, PriorityClasses, LimitRange, ResourceQuota, NetworkPolicy, routes, monitoring. */
  readonly objects: KubeObject[];
}

/**
 * Validates the cluster's props and renders what does not depend on its models; throws a
 * ValidationError with every problem. Both front ends call it when the cluster is created.
 */
export function renderServingClusterNamespace(ctx: ClusterContext, props: ServingClusterProps): RenderedClusterNamespace {
  const problems = new Problems(ctx.path);
  if (typeof props !== 'object' || props === null) problems.add('props', props, 'expected ServingClusterProps (an object; every prop is optional)');
  problems.throwIfAny();
  const rendered = renderClusterNamespace(ctx, props, problems);
  problems.throwIfAny();
  return rendered;
}

/**
 * The ModelService props of a model added to the cluster (`modelPath` quoted in problems) and
 * its placement; throws a ValidationError with every problem.
 */
export function placeClusterModel(cluster: RenderedClusterNamespace, clusterProps: ServingClusterProps, modelPath: string, defaultName: string, props: ClusterModelProps): { props: ModelServiceProps; placement: ClusterPlacement } {
  const problems = new Problems(modelPath);
  if (typeof props !== 'object' || props === null) problems.add('props', props, 'expected ClusterModelProps with at least a runtime');
  problems.throwIfAny();
  const placed = clusterModelServiceProps(cluster, clusterProps.routing, defaultName, props, problems);
  problems.throwIfAny();
  return placed;
}

/**
 * The objects that depend on every model of the cluster: the ResourceQuota and the routes.
 * Checks what spans models (names, canary and mirror targets, overlapping routes, a declared
 * quota below the models' requests); throws a ValidationError with every problem.
 */
export function renderClusterModels(ctx: ClusterContext, props: ServingClusterProps, cluster: RenderedClusterNamespace, models: readonly ClusterModel[]): RenderedClusterModels {
  const problems = new Problems(ctx.path);
  checkClusterModels(props.routing, models, problems);
  const workloads = models.map((m) => capacityWorkloadOf(m.rendered, m.autoscaler ? { min: m.autoscaler.minReplicas, max: m.autoscaler.maxReplicas } : undefined));
  const resourceQuota = renderResourceQuota(props.quota ?? ClusterQuota.fromModels(), cluster.namespace, cluster.labels, workloads, problems);
  const capacityPlan = props.nodePools !== undefined ? planCapacity(props.nodePools, workloads, { ...props.capacity, path: ctx.path }) : undefined;
  if (capacityPlan) capacityProblems(capacityPlan, problems.at('models'));
  problems.throwIfAny();
  const routes = renderRoutes(props.routing, cluster.namespace, cluster.labels, models);
  const monitoring = new Map<string, RenderedMonitoring>();
  for (const model of models) {
    const options = modelMonitoringOptions(props.monitoring, model.props.monitoring, latencyObjectiveOf(model.rendered, model.autoscaler));
    if (options) monitoring.set(model.placement.name, renderModelMonitoring(model.rendered, options, problems.of(model.path).at('monitoring')));
  }
  return { ...(resourceQuota ? { resourceQuota } : {}), routes, monitoring, ...(capacityPlan ? { capacityPlan } : {}) };
}

/**
 * Renders a whole ServingCluster from its props and its rendered models, as plain objects;
 * throws a ValidationError listing every problem. The models' own objects are theirs
 * (`renderModelService` with the props {@link placeClusterModel} gives).
 */
export function renderServingCluster(ctx: ClusterContext, props: ServingClusterProps, models: readonly ClusterModel[]): RenderedServingCluster {
  const cluster = renderServingClusterNamespace(ctx, props);
  const byModels = renderClusterModels(ctx, props, cluster, models);
  return { ...cluster, ...byModels, objects: clusterObjects(cluster, byModels) };
}

/** The cluster's objects in apply order. */
export function clusterObjects(cluster: RenderedClusterNamespace, byModels: RenderedClusterModels): KubeObject[] {
  return [
    cluster.namespaceObject,
    ...cluster.priorityClasses,
    cluster.limitRange,
    ...(byModels.resourceQuota ? [byModels.resourceQuota] : []),
    cluster.defaultDenyPolicy,
    ...byModels.routes.values(),
    ...[...byModels.monitoring.values()].flatMap((m) => m.objects),
  ];
}
