import * as pulumi from '@pulumi/pulumi';
import { Problems } from '../core/errors';
import type { KubeObject } from '../core/k8s-types';
import { isDnsLabel, NAME_RULES } from '../core/names';
import { inClusterUrl } from '../core/service/endpoint';
import { SERVER_CONTAINER } from '../core/service/pod';
import type { RenderedModelService } from '../core/service/render';

/**
 * Values that may come from other Pulumi resources, placed into the rendered objects before
 * they are registered. Everything structural is rendered from plain props first.
 */
export interface PlacedInputs {
  /**
   * Namespace of every object (all objects of a ModelService are namespaced).
   * @default - the objects' rendered namespace, if any
   */
  readonly namespace?: pulumi.Input<string>;
  /**
   * Image of the model server container, e.g. the digest reference of an image Pulumi built.
   * @default - the rendered image
   */
  readonly serverImage?: pulumi.Input<string>;
}

/**
 * A rendered object with {@link PlacedInputs} put in place: `metadata.namespace`, and the
 * `server` container's image of a Deployment. Only the path to a placed value is copied (the
 * rest is shared with the rendering, which is never modified); with nothing to place, the object
 * itself is returned.
 */
export function placeInputs(object: KubeObject, inputs: PlacedInputs): pulumi.Inputs {
  let placed: pulumi.Inputs = object;
  if (inputs.namespace !== undefined) {
    // Keep the key order the core renders (name, namespace, labels, …).
    const { name, namespace: _rendered, ...rest } = object.metadata;
    placed = { ...placed, metadata: { name, namespace: inputs.namespace, ...rest } };
  }
  if (inputs.serverImage !== undefined && object.kind === 'Deployment') {
    const spec = object['spec'] as { template: { spec: { containers: { name: string; image: string }[] } } };
    const containers = spec.template.spec.containers;
    if (!containers.some((c) => c.name === SERVER_CONTAINER)) throw new Error(`modelship: the Deployment ${object.metadata.name} has no "${SERVER_CONTAINER}" container to run ${String(inputs.serverImage)}`);
    const template = { ...spec.template, spec: { ...spec.template.spec, containers: containers.map((c) => (c.name === SERVER_CONTAINER ? { ...c, image: inputs.serverImage } : c)) } };
    placed = { ...placed, spec: { ...spec, template } };
  }
  return placed;
}

/**
 * A namespace given as an Output or Promise, checked once it is known: it must be a DNS-1123
 * label, as the core checks a plain one (failing with the same {@link ValidationError}).
 *
 * @param resourceName the component's name, quoted in the error
 */
export function checkedNamespace(resourceName: string, namespace: pulumi.Input<string>): pulumi.Output<string> {
  return pulumi.output(namespace).apply((value) => {
    if (!isDnsLabel(value)) {
      const problems = new Problems(resourceName);
      problems.add('namespace', value, NAME_RULES.label);
      problems.throwIfAny();
    }
    return value;
  });
}

/** The image the rendered Deployment's server container runs. */
export function renderedServerImage(rendered: RenderedModelService): string {
  const containers = (rendered.deployment['spec'] as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers;
  return containers.find((c) => c.name === SERVER_CONTAINER)!.image;
}

/**
 * The in-cluster URL of the service's HTTP inference port, e.g.
 * `http://fraud.serving.svc.cluster.local:8080`; without a namespace, the bare service name
 * (resolvable from the same namespace), as the cdk8s `ModelService.endpoint` gives it. A plain
 * string when the namespace is known now, an Output when it comes from another resource.
 */
export function inClusterEndpoint(rendered: RenderedModelService, namespace: pulumi.Input<string> | undefined): pulumi.Input<string> {
  const url = (ns: string | undefined) => inClusterUrl(rendered, ns);
  return namespace === undefined || typeof namespace === 'string' ? url(namespace) : pulumi.output(namespace).apply(url);
}
