/**
 * The Pulumi front end: ComponentResources that register the core's rendered objects as typed
 * `@pulumi/kubernetes` resources, build images with `@pulumi/docker-build` and pin them by digest.
 * Loads neither cdk8s nor constructs; `@pulumi/docker-build` only when an image is built.
 * @module
 */
export * from '../core';
export * from './autoscaler';
export * from './await-timeouts';
export * from './image-build';
export * from './inputs';
export * from './kubernetes-resources';
export * from './model-service';
export * from './serving-cluster';
