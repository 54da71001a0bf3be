/**
 * modelship: typed constructs for serving machine-learning models on Kubernetes.
 *
 * The package root is the cdk8s entry (constructs plus the core's value classes);
 * `modelship/core` is the framework-neutral core alone.
 * @module
 */
export * from './cdk8s';
