/**
 * The framework-neutral core: props, validation, defaults and rendering to plain Kubernetes
 * objects. Imports neither cdk8s nor Pulumi (a test keeps it so).
 * @module
 */
export * from './accelerator';
export * from './artifact';
export * from './autoscaling';
export * from './build';
export * from './capacity';
export * from './compose';
export * from './duration';
export * from './errors';
export * from './image';
export type * from './k8s-types';
export * from './monitoring';
export * from './names';
export * from './policy';
export * from './quantity';
export * from './runtime';
export * from './service';
export * from './cluster';
