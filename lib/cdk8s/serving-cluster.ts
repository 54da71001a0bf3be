import { ApiObject, JsonPatch, Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import {
  ClusterModel,
  ClusterModelProps,
  ClusterPlacement,
  capacityReportFiles,
  clusterCapacityReport,
  placeClusterModel,
  priorityClassLevel,
  RenderedClusterModels,
  RenderedClusterNamespace,
  renderClusterModels,
  renderServingClusterNamespace,
  resourceQuotaIdentity,
  routeIdentity,
  ServingClusterProps,
} from '../core/cluster';
import { renderCapacitySvg } from '../core/capacity/svg';
import { CapacityPlan } from '../core/capacity/plan';
import { Problems } from '../core/errors';
import { KubeObject } from '../core/k8s-types';
import { renderModelMonitoring } from '../core/monitoring/render-monitoring';
import { modelMonitoringOptions } from '../core/cluster/monitoring';
import { ModelService } from './model-service';
import { ReportFiles } from './report-files';

interface AddedModel {
  readonly service: ModelService;
  readonly placement: ClusterPlacement;
  readonly props: ClusterModelProps;
}

/** Top-level fields of an object that are rendered at synth (everything but its identity). */
const IDENTITY = new Set(['apiVersion', 'kind', 'metadata']);

/**
 * A namespace and what its models share: Pod Security "restricted" enforced, a ResourceQuota
 * sized from the models, a LimitRange, a default-deny NetworkPolicy, PriorityClasses for
 * scheduling priority, and one entry point (Gateway API HTTPRoutes or Ingresses) with weighted
 * canaries and mirrored traffic.
 *
 * ```ts
 * const cluster = new ServingCluster(chart, "prod", { routing: ClusterRouting.gateway({ gatewayName: "public", gatewayNamespace: "gateway" }) });
 * const fraud = cluster.addModel("fraud", { runtime, resources: { cpu: "2", memory: "4Gi" }, priority: Priority.critical() });
 * fraud.autoscale({ target: ScalingTarget.runtimeQueue(), maxReplicas: 12 });
 * cluster.addModel("fraud-v8", { runtime: v8, canary: { of: fraud, weight: 10 } });
 * ```
 *
 * The cluster's own props are validated when it is created, each model's when it is added.
 * What spans models (the quota, canary and mirror targets, overlapping routes) is checked at
 * synth, after every model and autoscaler exists, and fails it with a ValidationError. The
 * ResourceQuota and the routes are rendered then too, so a canary added after its stable model
 * still lands in that model's HTTPRoute.
 */
export class ServingCluster extends Construct {
  /** The namespace of the cluster and its models. */
  public readonly namespace: string;
  /** The Namespace. */
  public readonly namespaceObject: ApiObject;
  /** `<namespace>-critical`, `-standard` and `-batch`. */
  public readonly priorityClasses: ApiObject[];
  /** The LimitRange (requests for containers without any). */
  public readonly limitRange: ApiObject;
  /** The ResourceQuota, unless `ClusterQuota.none()`. */
  public readonly resourceQuota?: ApiObject;
  /** The NetworkPolicy denying all ingress that no model's policy admits. */
  public readonly defaultDenyPolicy: ApiObject;
  /** The rendered namespace-level objects. */
  public readonly rendered: RenderedClusterNamespace;

  private readonly props: ServingClusterProps;
  private readonly added: AddedModel[] = [];
  private readonly routeObjects = new Map<string, ApiObject>();
  private cache?: { key: string; value: RenderedClusterModels };

  public constructor(scope: Construct, id: string, props: ServingClusterProps = {}) {
    super(scope, id);
    this.props = props;
    this.rendered = renderServingClusterNamespace({ path: this.node.path, defaultName: id }, props);
    this.namespace = this.rendered.namespace;
    this.namespaceObject = this.wrap(this.rendered.namespaceObject, 'Namespace', true);
    // Ids by kind, not by name: `<namespace>-batch` is also a valid model id (addModel's children share this scope).
    this.priorityClasses = this.rendered.priorityClasses.map((o) => this.wrap(o, `PriorityClass-${priorityClassLevel(this.namespace, o)}`, true));
    this.limitRange = this.wrap(this.rendered.limitRange, 'LimitRange');
    if (props.quota?.kind !== 'none') {
      this.resourceQuota = this.later(this, resourceQuotaIdentity(this.namespace, this.rendered.labels), 'ResourceQuota', ['spec'], () => this.renderModels().resourceQuota);
    }
    this.defaultDenyPolicy = this.wrap(this.rendered.defaultDenyPolicy, 'NetworkPolicy');
    if (props.nodePools !== undefined) {
      const files = capacityReportFiles(this.namespace);
      const reports = ReportFiles.of(this);
      reports.add(files.markdown, this.node.path, () => clusterCapacityReport(this.namespace, this.capacityPlan!, files.svg));
      reports.add(files.svg, this.node.path, () => renderCapacitySvg(this.capacityPlan!));
    }
    // Throws the ValidationError of problems that span models; cdk8s runs it before writing anything.
    this.node.addValidation({ validate: () => (this.renderModels(), []) });
  }

  /**
   * Adds a model: a {@link ModelService} (a child of this construct, `id` its default name) in
   * the cluster's namespace, with the PriorityClass of its `priority` and, when routed, its
   * HTTPRoute or Ingress.
   *
   * @returns the ModelService, to autoscale or patch
   */
  public addModel(id: string, props: ClusterModelProps): ModelService {
    const placed = placeClusterModel(this.rendered, this.props, `${this.node.path}/${id}`, id, props);
    const service = new ModelService(this, id, placed.props);
    const name = placed.placement.name;
    // Monitoring options are checked now (without the autoscaler's objective, which only adds an alert).
    const monitoring = modelMonitoringOptions(this.props.monitoring, props.monitoring, undefined);
    if (monitoring) {
      renderModelMonitoring(service.rendered, monitoring, new Problems(service.node.path).at('monitoring')).objects.forEach((object, i) => {
        const fields = Object.keys(object).filter((k) => !IDENTITY.has(k));
        this.later(service, object, object.kind === 'ConfigMap' ? 'Dashboard' : object.kind, fields, () => this.renderModels().monitoring.get(name)!.objects[i]);
      });
    }
    this.added.push({ service, placement: placed.placement, props });
    if (placed.placement.route.routed) {
      const identity = routeIdentity(this.props.routing, this.namespace, this.rendered.labels, name);
      this.routeObjects.set(name, this.later(service, identity, identity.kind, ['spec'], () => this.renderModels().routes.get(name)));
    }
    return service;
  }

  /** The models added so far, in order. */
  public get models(): ModelService[] {
    return this.added.map((m) => m.service);
  }

  /** The HTTPRoute or Ingress of the routed model named `name`. */
  public routeOf(name: string): ApiObject | undefined {
    return this.routeObjects.get(name);
  }

  /**
   * Where the models' replicas go on the node pools (with `nodePools`), planned once every
   * model and autoscaler exists: read it after adding them. The synth writes it to
   * `reports/capacity-<namespace>.md` and `.svg`.
   */
  public get capacityPlan(): CapacityPlan | undefined {
    return this.renderModels().capacityPlan;
  }

  /** The objects that depend on every model (quota, routes, monitoring, capacity), rendered once per set of models and autoscalers. */
  private renderModels(): RenderedClusterModels {
    const models: ClusterModel[] = this.added.map(({ service, placement, props }) => ({ path: service.node.path, placement, rendered: service.rendered, props, autoscaler: service.autoscaler?.report }));
    const key = models.map((m) => `${m.placement.name}:${m.autoscaler ? `${m.autoscaler.minReplicas}-${m.autoscaler.maxReplicas}` : ''}`).join(',');
    if (this.cache?.key !== key) this.cache = { key, value: renderClusterModels({ path: this.node.path, defaultName: this.node.id }, this.props, this.rendered, models) };
    return this.cache.value;
  }

  /**
   * An ApiObject whose identity is known now and whose `fields` are rendered at synth, from the
   * models and autoscalers added by then (a canary's weight in a route, an SLO in alerts).
   */
  private later(scope: Construct, identity: KubeObject, id: string, fields: readonly string[], produce: () => KubeObject | undefined): ApiObject {
    const lazy = Object.fromEntries(fields.map((k) => [k, Lazy.any({ produce: () => produce()![k] })]));
    return new ApiObject(scope, id, { apiVersion: identity.apiVersion, kind: identity.kind, metadata: identity.metadata, ...lazy });
  }

  /** An ApiObject of a rendered object; cluster-scoped ones lose the namespace a chart would stamp on them. */
  private wrap(object: KubeObject, id: string, clusterScoped = false): ApiObject {
    const api = new ApiObject(this, id, object);
    if (clusterScoped && api.metadata.namespace !== undefined) api.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    return api;
  }
}
