import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { checkNoFixedReplicas } from '../core/autoscaling/autoscalable';
import { AutoscalerOptions } from '../core/autoscaling/autoscaler-props';
import { renderAutoscaler } from '../core/autoscaling/render-autoscaler';
import { scalableModelService } from '../core/autoscaling/scalable-workload';
import { ImageBuildContext } from '../core/build/context';
import { Problems } from '../core/errors';
import { KubeObject } from '../core/k8s-types';
import { inClusterUrl, ModelServiceProps, RenderedModelService, renderModelService, StartupBudget } from '../core/service';
import { Autoscaler } from './autoscaler';
import { ImageAssets } from './image-assets';

/**
 * One served model: a Deployment of the model server, its Service, ConfigMap, ServiceAccount,
 * PodDisruptionBudget and NetworkPolicy, secure and zero-downtime by default.
 *
 * ```ts
 * new ModelService(chart, "fraud", {
 *   runtime: Runtime.torchServe({ model: ModelArtifact.fromS3("s3://models/fraud/v7/fraud.mar") }),
 *   resources: { cpu: "2", memory: "4Gi" },
 *   modelLoadTime: Duration.minutes(2),
 * });
 * ```
 *
 * Props are validated when the construct is created; every problem is reported at once in a
 * {@link ValidationError}. The construct id is the default name of every object (and the
 * in-cluster host name), so it is public contract: renaming it replaces the live objects.
 */
export class ModelService extends Construct {
  /** Name of the objects and the in-cluster host name. */
  public readonly name: string;
  /** The Deployment running the model server. */
  public readonly deployment: ApiObject;
  /** The ClusterIP Service for inference (and metrics). */
  public readonly service: ApiObject;
  /** The ServiceAccount the pods run as (no token mounted). */
  public readonly serviceAccount: ApiObject;
  /** The PodDisruptionBudget (one pod at a time). */
  public readonly podDisruptionBudget: ApiObject;
  /** The NetworkPolicy admitting only inference and monitoring traffic. */
  public readonly networkPolicy: ApiObject;
  /** The runtime's generated config files, for runtimes that have any. */
  public readonly configMap?: ApiObject;
  /** Every timeout derived from `modelLoadTime`. */
  public readonly budget: StartupBudget;
  /** The rendered plain objects, before any JSON patch. */
  public readonly rendered: RenderedModelService;

  private scaler?: Autoscaler;
  private readonly fixedReplicas: number | undefined;

  public constructor(scope: Construct, id: string, props: ModelServiceProps) {
    super(scope, id);
    this.fixedReplicas = props?.replicas;
    // The chart's namespace, unless the props name one: the core then renders it into every
    // object and into namespace-scoped queries (KEDA), exactly as the Pulumi front end does.
    const namespace = typeof props === 'object' && props !== null && props.namespace === undefined ? Chart.of(this).namespace : undefined;
    this.rendered = renderModelService({ path: this.node.path, defaultName: id }, namespace ? { ...props, namespace } : props);
    this.name = this.rendered.name;
    this.budget = this.rendered.budget;
    const wrap = (object: KubeObject) => new ApiObject(this, object.kind, object);
    this.serviceAccount = wrap(this.rendered.serviceAccount);
    this.configMap = this.rendered.configMap ? wrap(this.rendered.configMap) : undefined;
    this.deployment = wrap(this.rendered.deployment);
    this.service = wrap(this.rendered.service);
    this.podDisruptionBudget = wrap(this.rendered.podDisruptionBudget);
    this.networkPolicy = wrap(this.rendered.networkPolicy);
    ImageAssets.of(this).register(this.node.path, this.rendered);
  }

  /**
   * Scales the service with a HorizontalPodAutoscaler, or a KEDA ScaledObject when it scales to
   * zero, on the signal `options.target` names (the runtime's own queue, requests per second,
   * GPU, CPU, or a latency SLO the autoscaler is sized from). The Deployment then leaves
   * `spec.replicas` to the autoscaler. Problems are reported under `autoscale.…` of this service.
   *
   * @returns the Autoscaler, with its report (also written to `reports/autoscaling.md` at synth)
   */
  public autoscale(options: AutoscalerOptions): Autoscaler {
    const problems = new Problems(this.node.path);
    if (this.scaler) problems.add('autoscale', options, 'expected one autoscale() per ModelService: it already has an autoscaler');
    checkNoFixedReplicas(this.fixedReplicas, problems);
    problems.throwIfAny();
    const workload = scalableModelService(this.rendered);
    // Rendered here, so problems name the prop as the user wrote it (`autoscale.…`).
    const rendered = renderAutoscaler(workload, options, problems.at('autoscale'));
    this.deployment.addJsonPatch(JsonPatch.remove('/spec/replicas'));
    this.scaler = Autoscaler._fromRendering(this, 'Autoscaler', { ...options, workload }, rendered);
    return this.scaler;
  }

  /** The autoscaler, once {@link ModelService.autoscale} has been called. */
  public get autoscaler(): Autoscaler | undefined {
    return this.scaler;
  }

  /** The build context of the server image, when it is built from a model directory (written to `images/<name>/` at synth). */
  public get imageBuild(): ImageBuildContext | undefined {
    return this.rendered.imageBuild;
  }

  /** The in-cluster URL of the HTTP inference port, e.g. `http://fraud.serving.svc.cluster.local:8080`. */
  public get endpoint(): string {
    return inClusterUrl(this.rendered, this.rendered.deployment.metadata.namespace ?? ApiObject.of(this.deployment).metadata.namespace);
  }
}
