import type * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import { checkNoFixedReplicas } from '../core/autoscaling/autoscalable';
import type { AutoscalerOptions } from '../core/autoscaling/autoscaler-props';
import { renderAutoscaler, type RenderedAutoscaler } from '../core/autoscaling/render-autoscaler';
import { scalableModelService } from '../core/autoscaling/scalable-workload';
import type { ImageBuildContext } from '../core/build/context';
import { Problems } from '../core/errors';
import type { ModelServiceProps } from '../core/service/props';
import type { StartupBudget } from '../core/service/budget';
import { renderModelService, type RenderedModelService } from '../core/service/render';
import { Autoscaler } from './autoscaler';
import { digestReference, dockerBuildImageArgs, imageContextDirectory, registerImage, writeImageContext, type BuiltImage, type ImageBuildOptions } from './image-build';
import { checkedNamespace, inClusterEndpoint, renderedServerImage } from './inputs';
import { childResourceName, registerKubernetesResources, toPulumiResources } from './kubernetes-resources';

/**
 * Args of a Pulumi {@link ModelService}: the core {@link ModelServiceProps}, with the values
 * that may come from other resources accepted as Inputs. Everything structural (the runtime,
 * ports, replicas, …) stays a plain value, so the component knows its children when it is created.
 */
export interface ModelServiceArgs extends Omit<ModelServiceProps, 'namespace'> {
  /**
   * Namespace of the objects, e.g. `namespace.metadata.name` of a `k8s.core.v1.Namespace`.
   * @default - none: the Kubernetes provider's namespace
   */
  readonly namespace?: pulumi.Input<string>;
  /**
   * Scales the service with a HorizontalPodAutoscaler, or a KEDA ScaledObject when it scales to
   * zero, on the signal `autoscale.target` names: what cdk8s's `ModelService.autoscale()` does,
   * given up front because the Deployment then leaves `spec.replicas` to the autoscaler (refused
   * together with `replicas`).
   * @default - no autoscaler: `replicas` pods
   */
  readonly autoscale?: AutoscalerOptions;
  /**
   * How an image made with `ModelImage.fromModelDirectory(...)` is built and pushed.
   * @default - context under `.modelship/images/<name>`, the machine's Docker credentials and platform
   */
  readonly imageBuildOptions?: ImageBuildOptions;
}

/** The outputs a {@link ModelService} registers. */
export interface ModelServiceOutputs {
  /** Namespace of the objects; undefined: the Kubernetes provider's. */
  readonly namespace: pulumi.Input<string> | undefined;
  /** Name of the Service and of every object. */
  readonly serviceName: string;
  /** In-cluster URL of the HTTP inference port. */
  readonly endpoint: pulumi.Input<string>;
  /** The image the Deployment runs. */
  readonly image: pulumi.Input<string>;
}

/**
 * One served model as a Pulumi component: a Deployment of the model server, its Service,
 * ConfigMap, ServiceAccount, PodDisruptionBudget and NetworkPolicy, the same objects the cdk8s
 * `ModelService` synthesizes from the same props.
 *
 * ```ts
 * import * as k8s from "@pulumi/kubernetes";
 * import { Duration, ModelArtifact, ModelService, Runtime } from "modelship/pulumi";
 *
 * const ns = new k8s.core.v1.Namespace("serving", { metadata: { name: "serving" } });
 * const fraud = new ModelService("fraud", {
 *   runtime: Runtime.torchServe({ model: ModelArtifact.fromS3("s3://models/fraud/v7/fraud.mar") }),
 *   namespace: ns.metadata.name,
 *   resources: { cpu: "2", memory: "4Gi" },
 *   modelLoadTime: Duration.minutes(2),
 * });
 * export const endpoint = fraud.endpoint;
 * ```
 *
 * - Every object is a typed `@pulumi/kubernetes` child (`k8s.apps.v1.Deployment`, …) with
 *   `parent: this`, named `<name>-<kind>` (`fraud-deployment`; see {@link childResourceName})
 *   and with `metadata.name` as rendered, so Pulumi does not auto-name it. A Kubernetes provider
 *   given in `opts` (`provider` or `providers`) applies to every child.
 * - The Deployment and Service wait for the pods with `customTimeouts` from `modelLoadTime`
 *   ({@link deploymentCustomTimeouts}); await is never skipped.
 * - With `autoscale`, an {@link Autoscaler} child owns the replicas.
 * - An image from `ModelImage.fromModelDirectory(...)` is written to
 *   `.modelship/images/<name>/`, built and pushed by a `@pulumi/docker-build` Image child
 *   (`<name>-image`), and the Deployment runs it by digest (`repository@sha256:…`), never by tag.
 *   The Image is retained on delete: its content-hash tag may be pushed by other stacks too.
 *
 * Props are validated before anything is registered; every problem is reported at once in a
 * `ValidationError` that names this resource.
 */
export class ModelService extends pulumi.ComponentResource {
  /** The Pulumi type token. */
  public static readonly TYPE = 'modelship:index:ModelService';

  /** Name of the objects and the in-cluster host name. */
  public readonly name: string;
  /** The rendered plain objects (the server image as rendered: for a built image, its tag). */
  public readonly rendered: RenderedModelService;
  /** Every timeout derived from `modelLoadTime`. */
  public readonly budget: StartupBudget;
  /** The await timeouts of the Deployment and Service. */
  public readonly customTimeouts: pulumi.CustomTimeouts;
  /** The Deployment running the model server. */
  public readonly deployment: k8s.apps.v1.Deployment;
  /** The ClusterIP Service for inference (and metrics). */
  public readonly service: k8s.core.v1.Service;
  /** The ServiceAccount the pods run as (no token mounted). */
  public readonly serviceAccount: k8s.core.v1.ServiceAccount;
  /** The PodDisruptionBudget (one pod at a time). */
  public readonly podDisruptionBudget: k8s.policy.v1.PodDisruptionBudget;
  /** The NetworkPolicy admitting only inference and monitoring traffic. */
  public readonly networkPolicy: k8s.networking.v1.NetworkPolicy;
  /** The runtime's generated config files, for runtimes that have any. */
  public readonly configMap?: k8s.core.v1.ConfigMap;
  /** The build context of the server image, when it is built from a model directory. */
  public readonly imageBuild?: ImageBuildContext;
  /** The `@pulumi/docker-build` Image that builds and pushes it. */
  public readonly builtImage?: BuiltImage;
  /** The autoscaler, with `args.autoscale`. */
  public readonly autoscaler?: Autoscaler;

  /** What {@link ModelService.namespace} and the other outputs hold: plain values when known at construction. */
  private readonly outputValues: ModelServiceOutputs;

  /**
   * @param name the resource name: the default object name, and the prefix of every child's name
   * @param args the service's props
   * @param opts resource options; `provider`/`providers` reach every child
   */
  public constructor(name: string, args: ModelServiceArgs, opts: pulumi.ComponentResourceOptions = {}, /** @internal */ prerendered?: RenderedModelServiceArgs) {
    // Rendering first: invalid props fail before anything is registered.
    const { rendered, autoscaler } = prerendered ?? renderModelServiceArgs(name, args);
    super(ModelService.TYPE, name, {}, opts);
    const { namespace, imageBuildOptions } = args;
    this.rendered = rendered;
    this.name = rendered.name;
    this.budget = rendered.budget;
    this.imageBuild = rendered.imageBuild;

    let serverImage: pulumi.Input<string> = renderedServerImage(rendered);
    if (rendered.imageBuild) {
      const directory = imageContextDirectory(name, imageBuildOptions);
      writeImageContext(directory, rendered.imageBuild);
      this.builtImage = registerImage(childResourceName(name, 'image'), dockerBuildImageArgs(rendered.imageBuild, directory, imageBuildOptions), {
        parent: this,
        // Content-hash tags are shared by every stack that builds the same model: deleting this
        // one must not delete an image another stack's Deployment still pins.
        retainOnDelete: true,
      });
      serverImage = digestReference(rendered.imageBuild.repository, this.builtImage.digest);
    }
    const placedNamespace = namespace === undefined || typeof namespace === 'string' ? undefined : checkedNamespace(name, namespace);
    const plans = toPulumiResources(
      name,
      rendered,
      { ...(placedNamespace ? { namespace: placedNamespace } : {}), ...(rendered.imageBuild ? { serverImage } : {}) },
      autoscaler ? { autoscaledUpTo: autoscaler.report.maxReplicas } : {},
    );
    // What the Deployment is registered with (an autoscaled one awaits a rollout of up to maxReplicas).
    this.customTimeouts = plans.find((p) => p.kind === 'Deployment')!.customTimeouts!;
    const children = registerKubernetesResources(plans, { parent: this });
    const child = <T>(kind: string) => children.get(childResourceName(name, kind.toLowerCase())) as T;
    this.serviceAccount = child('ServiceAccount');
    this.configMap = child('ConfigMap');
    this.deployment = child('Deployment');
    this.service = child('Service');
    this.podDisruptionBudget = child('PodDisruptionBudget');
    this.networkPolicy = child('NetworkPolicy');
    if (autoscaler) {
      // Validated with the service's props above; a namespace from another resource reaches it once known.
      const workload = scalableModelService(rendered);
      this.autoscaler = Autoscaler._fromRendering(childResourceName(name, 'autoscaler'), { ...args.autoscale!, workload, ...(placedNamespace ? { namespace: placedNamespace } : {}) }, autoscaler, { parent: this });
    }

    const namespaceValue = placedNamespace ?? rendered.deployment.metadata.namespace;
    this.outputValues = {
      namespace: namespaceValue,
      serviceName: rendered.name,
      endpoint: inClusterEndpoint(rendered, namespaceValue),
      image: serverImage,
    };
    // Plain values where they are known now: an Output per value would cost every service
    // several promises whether or not the program reads it.
    this.registerOutputs(this.outputValues);
  }

  /** Namespace of the objects (undefined: the provider's). */
  public get namespace(): pulumi.Output<string | undefined> {
    return pulumi.output(this.outputValues.namespace);
  }

  /** Name of the Service (and of every object). */
  public get serviceName(): pulumi.Output<string> {
    return pulumi.output(this.outputValues.serviceName);
  }

  /** In-cluster URL of the HTTP inference port, e.g. `http://fraud.serving.svc.cluster.local:8080`. */
  public get endpoint(): pulumi.Output<string> {
    return pulumi.output(this.outputValues.endpoint);
  }

  /** The image the Deployment runs: `repository@sha256:…` for a built image. */
  public get image(): pulumi.Output<string> {
    return pulumi.output(this.outputValues.image);
  }
}

/** What {@link renderModelServiceArgs} renders. */
export interface RenderedModelServiceArgs {
  readonly rendered: RenderedModelService;
  readonly autoscaler?: RenderedAutoscaler;
}

/**
 * Renders the args of the ModelService `name` with the core, and the autoscaler they ask for;
 * a namespace that is not yet known is placed after rendering. A ServingCluster renders its
 * models with this first (to check them together before registering anything) and hands the
 * result to each ModelService.
 */
export function renderModelServiceArgs(name: string, args: ModelServiceArgs): RenderedModelServiceArgs {
  const context = { path: name, defaultName: name };
  // Not an object: the core reports it as a ValidationError.
  if (typeof args !== 'object' || args === null) return { rendered: renderModelService(context, args as ModelServiceProps) };
  const { namespace, imageBuildOptions: _options, autoscale, ...props } = args;
  // A plain namespace is checked by the core with every other prop; an Output once it is known.
  const rendered = renderModelService(context, typeof namespace === 'string' ? { ...props, namespace } : props);
  if (autoscale === undefined) return { rendered };
  const problems = new Problems(name);
  checkNoFixedReplicas(props.replicas, problems);
  const autoscaler = renderAutoscaler(rendered, autoscale, problems.at('autoscale'));
  problems.throwIfAny();
  return { rendered, autoscaler };
}
