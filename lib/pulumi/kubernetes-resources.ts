import * as k8s from '@pulumi/kubernetes';
import * as pulumi from '@pulumi/pulumi';
import type { KubeObject } from '../core/k8s-types';
import type { RenderedModelService } from '../core/service/render';
import { deploymentCustomTimeouts } from './await-timeouts';
import { placeInputs, type PlacedInputs } from './inputs';

/**
 * The Pulumi name of a component's child: `<component name>-<suffix>`, e.g. `fraud-deployment`.
 *
 * Child names are contract: renaming one replaces the live object. Because each starts with the
 * component's name, an `aliases` entry on the component (say, after renaming `fraud` to
 * `fraud-v2`) carries over to every child: Pulumi derives the child's old name by swapping the
 * prefix.
 */
export function childResourceName(componentName: string, suffix: string): string {
  return `${componentName}-${suffix}`;
}

/** One Kubernetes object, ready to be registered as a typed `@pulumi/kubernetes` resource. */
export interface KubernetesResourcePlan {
  /** `apiVersion` of the object, e.g. `apps/v1`. */
  readonly apiVersion: string;
  /** `kind` of the object, e.g. `Deployment`. */
  readonly kind: string;
  /** The Pulumi resource name, from {@link childResourceName} with the lower-case kind. */
  readonly name: string;
  /** The resource's args: the rendered object with Inputs placed (`metadata.name` as rendered, so Pulumi does not auto-name). */
  readonly args: pulumi.Inputs;
  /** Await timeouts from the startup budget, for the resources Pulumi awaits until the pods are ready. */
  readonly customTimeouts?: pulumi.CustomTimeouts;
  /** Names of the plans this one is registered after (the Deployment waits for its ServiceAccount and ConfigMap). */
  readonly dependsOn: readonly string[];
}

/** How a ModelService's objects are registered beyond the rendering. */
export interface ModelServicePlanOptions {
  /**
   * The most replicas the service's autoscaler may run. The Deployment then leaves
   * `spec.replicas` to the autoscaler (Pulumi would otherwise reset it on every update), and a
   * rolling update is awaited for that many pods.
   * @default - not autoscaled: the rendered `spec.replicas` stays
   */
  readonly autoscaledUpTo?: number;
}

/** Kinds the Deployment's pods need to exist before they can be created. */
const POD_PREREQUISITES = new Set(['ServiceAccount', 'ConfigMap']);
/** Kinds Pulumi awaits until the model server's pods are ready. */
const AWAITS_PODS = new Set(['Deployment', 'Service']);

/** The plan of one object: named `<component>-<lower-case kind>`, Inputs placed, no options. */
export function planObject(componentName: string, object: KubeObject, inputs: PlacedInputs = {}): KubernetesResourcePlan {
  return { apiVersion: object.apiVersion, kind: object.kind, name: childResourceName(componentName, object.kind.toLowerCase()), args: placeInputs(object, inputs), dependsOn: [] };
}

/**
 * Plans the typed resources of a rendered ModelService, one per object in apply order, without
 * registering anything (so it is testable without a Pulumi engine or mocks).
 *
 * @param componentName the ModelService's Pulumi name, the prefix of every child name
 * @param rendered the core's rendering
 * @param inputs values from other resources to place into the objects
 * @param options what else shapes the registered objects
 */
export function toPulumiResources(componentName: string, rendered: RenderedModelService, inputs: PlacedInputs = {}, options: ModelServicePlanOptions = {}): KubernetesResourcePlan[] {
  const customTimeouts = deploymentCustomTimeouts(rendered.deployment, rendered.budget, options.autoscaledUpTo);
  const plans = rendered.objects.map((object) => planObject(componentName, object, inputs));
  const prerequisites = plans.filter((p) => POD_PREREQUISITES.has(p.kind)).map((p) => p.name);
  return plans.map((plan) => {
    if (!AWAITS_PODS.has(plan.kind)) return plan;
    if (plan.kind === 'Service') return { ...plan, customTimeouts };
    const args = options.autoscaledUpTo === undefined ? plan.args : withoutReplicas(plan.args);
    return { ...plan, args, customTimeouts, dependsOn: prerequisites };
  });
}

/** A Deployment's args without `spec.replicas` (the rest shared). */
function withoutReplicas(deployment: pulumi.Inputs): pulumi.Inputs {
  const { replicas: _replicas, ...spec } = deployment['spec'] as Record<string, unknown>;
  return { ...deployment, spec };
}

type KubernetesResourceClass = new (name: string, args: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The typed resource class of every `apiVersion/kind` a ModelService or ServingCluster renders;
 * custom resources (KEDA's ScaledObject, Gateway API's HTTPRoute, the Prometheus Operator's
 * monitors and rules) are `k8s.apiextensions.CustomResource`s. The args are the core's objects,
 * whose shape the tests check against the Kubernetes schema and the CRDs; the classes' own arg
 * types (DeploymentArgs requires `spec`) are not restated here.
 */
const RESOURCE_CLASSES: Readonly<Record<string, KubernetesResourceClass>> = {
  'v1/ServiceAccount': k8s.core.v1.ServiceAccount,
  'v1/ConfigMap': k8s.core.v1.ConfigMap,
  'v1/Service': k8s.core.v1.Service,
  'apps/v1/Deployment': k8s.apps.v1.Deployment as unknown as KubernetesResourceClass,
  'policy/v1/PodDisruptionBudget': k8s.policy.v1.PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': k8s.networking.v1.NetworkPolicy,
  'autoscaling/v2/HorizontalPodAutoscaler': k8s.autoscaling.v2.HorizontalPodAutoscaler as unknown as KubernetesResourceClass,
  'keda.sh/v1alpha1/ScaledObject': k8s.apiextensions.CustomResource as unknown as KubernetesResourceClass,
  // A ServingCluster's own objects.
  'v1/Namespace': k8s.core.v1.Namespace,
  'v1/LimitRange': k8s.core.v1.LimitRange,
  'v1/ResourceQuota': k8s.core.v1.ResourceQuota,
  'scheduling.k8s.io/v1/PriorityClass': k8s.scheduling.v1.PriorityClass as unknown as KubernetesResourceClass,
  'networking.k8s.io/v1/Ingress': k8s.networking.v1.Ingress,
  'gateway.networking.k8s.io/v1/HTTPRoute': k8s.apiextensions.CustomResource as unknown as KubernetesResourceClass,
  'monitoring.coreos.com/v1/ServiceMonitor': k8s.apiextensions.CustomResource as unknown as KubernetesResourceClass,
  'monitoring.coreos.com/v1/PodMonitor': k8s.apiextensions.CustomResource as unknown as KubernetesResourceClass,
  'monitoring.coreos.com/v1/PrometheusRule': k8s.apiextensions.CustomResource as unknown as KubernetesResourceClass,
};

/**
 * Registers each plan as its typed `@pulumi/kubernetes` resource (`k8s.apps.v1.Deployment`, …)
 * with `opts` (give `parent`; the parent's providers then apply), in order, and returns them by name.
 */
export function registerKubernetesResources(plans: readonly KubernetesResourcePlan[], opts: pulumi.CustomResourceOptions): Map<string, pulumi.CustomResource> {
  const registered = new Map<string, pulumi.CustomResource>();
  for (const plan of plans) {
    const Resource = RESOURCE_CLASSES[`${plan.apiVersion}/${plan.kind}`];
    if (!Resource) throw new Error(`modelship: no typed Pulumi resource for ${plan.apiVersion} ${plan.kind}`);
    const dependsOn = plan.dependsOn.map((name) => registered.get(name)!);
    registered.set(plan.name, new Resource(plan.name, plan.args, {
      ...opts,
      ...(plan.customTimeouts ? { customTimeouts: plan.customTimeouts } : {}),
      ...(dependsOn.length > 0 ? { dependsOn } : {}),
    }));
  }
  return registered;
}
