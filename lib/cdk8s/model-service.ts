import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ImageBuildContext } from '../core/build/context';
import { KubeObject } from '../core/k8s-types';
import { ModelServiceProps, RenderedModelService, renderModelService, StartupBudget } from '../core/service';
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

  public constructor(scope: Construct, id: string, props: ModelServiceProps) {
    super(scope, id);
    this.rendered = renderModelService({ path: this.node.path, defaultName: id }, props);
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

  /** The build context of the server image, when it is built from a model directory (written to `images/<name>/` at synth). */
  public get imageBuild(): ImageBuildContext | undefined {
    return this.rendered.imageBuild;
  }

  /** The in-cluster URL of the HTTP inference port, e.g. `http://fraud.serving.svc.cluster.local:8080`. */
  public get endpoint(): string {
    const http = this.rendered.profile.ports.find((p) => p.role === 'http')!;
    const namespace = this.rendered.deployment.metadata.namespace ?? ApiObject.of(this.deployment).metadata.namespace;
    const host = namespace ? `${this.name}.${namespace}.svc.cluster.local` : this.name;
    return `http://${host}:${http.port}`;
  }
}
