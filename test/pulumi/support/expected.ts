/**
 * What a Pulumi ModelService should register for a rendering: the typed resource's type token
 * and child name of every object.
 */
import type { KubeObject } from '../../../lib/core';

/** The `@pulumi/kubernetes` type token of an object: `kubernetes:apps/v1:Deployment`, core group as `core/v1`. */
export function kubernetesType(object: Pick<KubeObject, 'apiVersion' | 'kind'>): string {
  return `kubernetes:${object.apiVersion.includes('/') ? object.apiVersion : `core/${object.apiVersion}`}:${object.kind}`;
}

/** The child name of an object of the component `component`. */
export function childName(component: string, object: Pick<KubeObject, 'kind'>): string {
  return `${component}-${object.kind.toLowerCase()}`;
}

/** A Deployment's containers (not its init containers). */
export function containersOf(deployment: unknown): { name: string; image: string }[] {
  return (deployment as { spec: { template: { spec: { containers: { name: string; image: string }[] } } } }).spec.template.spec.containers;
}

/** A deep copy of `objects` with the Deployment's server image replaced by `image`. */
export function withServerImage<T>(objects: T[], image: string): T[] {
  return objects.map((object) => {
    const copy = JSON.parse(JSON.stringify(object)) as T & { kind: string };
    if (copy.kind === 'Deployment') containersOf(copy).find((c) => c.name === 'server')!.image = image;
    return copy;
  });
}
