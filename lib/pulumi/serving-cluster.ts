import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { CapacityPlan } from '../core/capacity/plan';
import { clusterCapacityReport } from '../core/cluster/capacity-report';
import { renderCapacitySvg } from '../core/capacity/svg';
import type { ClusterModelProps, ServingClusterProps } from '../core/cluster/props';
import { placeClusterModel, renderClusterModels, renderServingClusterNamespace, type ClusterModel, type RenderedClusterModels } from '../core/cluster/render';
import type { RenderedClusterNamespace } from '../core/cluster/namespace';
import { priorityClassLevel } from '../core/cluster/priority';
import type { KubeObject } from '../core/k8s-types';
import { childResourceName, planObject, registerKubernetesResources, type KubernetesResourcePlan } from './kubernetes-resources';
import { ModelService, renderModelServiceArgs, type ModelServiceArgs } from './model-service';

/** Args of a model of a Pulumi {@link ServingCluster}: the core {@link ClusterModelProps} (the namespace is the cluster's), with a ModelService's `autoscale` and `imageBuildOptions`. */
export interface ClusterModelArgs extends Omit<ClusterModelProps, 'namespace'>, Pick<ModelServiceArgs, 'autoscale' | 'imageBuildOptions'> {}

/** Args of a Pulumi {@link ServingCluster}: the core {@link ServingClusterProps} and its models. */
export interface ServingClusterArgs extends ServingClusterProps {
  /**
   * The models, by id (each id the default name of its objects, as a cdk8s `addModel(id, …)`),
   * in the order given: a canary or shadow may name a model before or after it.
   * @default - none
   */
  readonly models?: Record<string, ClusterModelArgs>;
}

/**
 * A namespace and what its models share, as a Pulumi component: the objects the cdk8s
 * `ServingCluster` synthesizes from the same props, each a typed `@pulumi/kubernetes` child.
 *
 * ```ts
 * const cluster = new ServingCluster("prod", {
 *   nodePools: [NodePool.cpu("general", { count: 10, cpu: "4", memory: "8Gi" })],
 *   routing: ClusterRouting.gateway({ gatewayName: "public", gatewayNamespace: "gateway" }),
 *   models: {
 *     fraud: { runtime, resources: { cpu: "2", memory: "4Gi" }, autoscale: { target: ScalingTarget.runtimeQueue(), maxReplicas: 12 } },
 *     "fraud-v8": { runtime: v8, canary: { of: "fraud", weight: 10 } },
 *   },
 * });
 * export const capacity = cluster.capacityReport;
 * ```
 *
 * The models are args, not `addModel()` calls after construction, because the cluster's own
 * objects depend on all of them together: the ResourceQuota sums them, a canary changes its
 * stable model's HTTPRoute, the capacity plan places them all. Given up front, every problem
 * (a model that does not fit at minReplicas, overlapping routes, a quota too small) is a
 * ValidationError before anything is registered, and the component knows its children when it
 * is created, as Pulumi expects.
 *
 * Children: the Namespace (`<name>-namespace`), PriorityClasses (`<name>-priorityclass-critical`, …),
 * LimitRange, ResourceQuota and NetworkPolicy (`<name>-<kind>`), and one {@link ModelService}
 * per model named `<name>-<id>` (its objects named after the model). A model's HTTPRoute or
 * Ingress and its monitoring (`-servicemonitor`, `-prometheusrule`, `-dashboard`) are children
 * of its ModelService. Every namespaced object takes the Namespace's name as an Input, so it is
 * created after the Namespace.
 */
export class ServingCluster extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'modelship:index:ServingCluster';

  /** The namespace's name. */
  public readonly namespace: string;
  /** The Namespace. */
  public readonly namespaceResource: k8s.core.v1.Namespace;
  /** `<namespace>-critical`, `-standard` and `-batch`. */
  public readonly priorityClasses: k8s.scheduling.v1.PriorityClass[];
  /** The LimitRange. */
  public readonly limitRange: k8s.core.v1.LimitRange;
  /** The ResourceQuota, unless `ClusterQuota.none()`. */
  public readonly resourceQuota?: k8s.core.v1.ResourceQuota;
  /** The default-deny NetworkPolicy. */
  public readonly defaultDenyPolicy: k8s.networking.v1.NetworkPolicy;
  /** The models, by id. */
  public readonly models: Readonly<Record<string, ModelService>>;
  /** The HTTPRoute or Ingress of each routed model, by model name. */
  public readonly routes: Readonly<Record<string, pulumi.CustomResource>>;
  /** The namespace-level objects as rendered. */
  public readonly rendered: RenderedClusterNamespace & RenderedClusterModels;
  /** Where the models' replicas go on the node pools, with `nodePools`. */
  public readonly capacityPlan?: CapacityPlan;
  /** The capacity plan as markdown (what cdk8s writes to `reports/capacity-<namespace>.md`); registered as the output `capacityReport`. */
  public readonly capacityReport?: string;
  /** The packing as an SVG picture (cdk8s's `reports/capacity-<namespace>.svg`). */
  public readonly capacitySvg?: string;

  /**
   * @param name the resource name: the default namespace, and the prefix of every child's name
   * @param args the cluster's props and its models
   * @param opts resource options; `provider`/`providers` reach every child
   */
  public constructor(name: string, args: ServingClusterArgs = {}, opts: pulumi.ComponentResourceOptions = {}) {
    // Everything is rendered and checked first: a problem fails before anything is registered.
    const { models: modelArgs = {}, ...props } = args ?? {};
    const ctx = { path: name, defaultName: name };
    const cluster = renderServingClusterNamespace(ctx, props);
    const models = Object.entries(modelArgs).map(([id, margs]) => {
      const resourceName = childResourceName(name, id);
      const { autoscale, imageBuildOptions, ...modelProps } = margs ?? ({} as ClusterModelArgs);
      const placed = placeClusterModel(cluster, props, resourceName, id, modelProps as ClusterModelProps);
      const serviceArgs: ModelServiceArgs = { ...placed.props, name: placed.placement.name, ...(autoscale ? { autoscale } : {}), ...(imageBuildOptions ? { imageBuildOptions } : {}) };
      return { id, resourceName, placement: placed.placement, modelProps: modelProps as ClusterModelProps, serviceArgs, rendered: renderModelServiceArgs(resourceName, serviceArgs) };
    });
    const clusterModels: ClusterModel[] = models.map((m) => ({ path: m.resourceName, placement: m.placement, rendered: m.rendered.rendered, props: m.modelProps, autoscaler: m.rendered.autoscaler?.report }));
    const byModels = renderClusterModels(ctx, props, cluster, clusterModels);
    super(ServingCluster.TYPE, name, {}, opts);
    this.namespace = cluster.namespace;
    this.rendered = { ...cluster, ...byModels };

    const namespaceResource = registerKubernetesResources([planObject(name, cluster.namespaceObject)], { parent: this }).get(childResourceName(name, 'namespace'))!;
    this.namespaceResource = namespaceResource as k8s.core.v1.Namespace;
    // Namespaced objects take the Namespace's name as an Input: created after it, deleted before it.
    const namespace = this.namespaceResource.metadata.name;
    const placed = (owner: string, object: KubeObject, suffix?: string): KubernetesResourcePlan => {
      const plan = planObject(owner, object, object.metadata.namespace !== undefined ? { namespace } : {});
      return suffix ? { ...plan, name: childResourceName(owner, suffix) } : plan;
    };
    const level = (o: KubeObject) => priorityClassLevel(cluster.namespace, o);
    const own = registerKubernetesResources([
      ...cluster.priorityClasses.map((o) => placed(name, o, `priorityclass-${level(o)}`)),
      placed(name, cluster.limitRange),
      ...(byModels.resourceQuota ? [placed(name, byModels.resourceQuota)] : []),
      placed(name, cluster.defaultDenyPolicy),
    ], { parent: this });
    const child = <T>(suffix: string) => own.get(childResourceName(name, suffix)) as T;
    this.priorityClasses = cluster.priorityClasses.map((o) => child(`priorityclass-${level(o)}`));
    this.limitRange = child('limitrange');
    this.resourceQuota = byModels.resourceQuota ? child('resourcequota') : undefined;
    this.defaultDenyPolicy = child('networkpolicy');

    const services: Record<string, ModelService> = {};
    const routes: Record<string, pulumi.CustomResource> = {};
    for (const m of models) {
      const service = new ModelService(m.resourceName, { ...m.serviceArgs, namespace }, { parent: this }, m.rendered);
      services[m.id] = service;
      const modelName = m.placement.name;
      const route = byModels.routes.get(modelName);
      const monitoring = byModels.monitoring.get(modelName)?.objects ?? [];
      const registered = registerKubernetesResources([
        ...(route ? [placed(m.resourceName, route)] : []),
        ...monitoring.map((o) => placed(m.resourceName, o, o.kind === 'ConfigMap' ? 'dashboard' : undefined)),
      ], { parent: service });
      if (route) routes[modelName] = registered.get(childResourceName(m.resourceName, route.kind.toLowerCase()))!;
    }
    this.models = services;
    this.routes = routes;

    if (byModels.capacityPlan) {
      this.capacityPlan = byModels.capacityPlan;
      this.capacityReport = clusterCapacityReport(cluster.namespace, byModels.capacityPlan);
      this.capacitySvg = renderCapacitySvg(byModels.capacityPlan);
    }
    this.registerOutputs({ namespace: cluster.namespace, ...(this.capacityReport ? { capacityReport: this.capacityReport } : {}) });
  }
}
