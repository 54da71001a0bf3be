/**
 * The cdk8s front end: constructs that wrap the core's rendered objects in cdk8s ApiObjects.
 * @module
 */
export * from '../core';
export * from './autoscaler';
export * from './image-assets';
export * from './model-service';
export * from './report-files';
export * from './scalable-workload';
export * from './serving-cluster';
