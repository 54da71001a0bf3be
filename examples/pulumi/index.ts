/**
 * The example serving stack (examples/serving-stack.ts) as a Pulumi program: `pulumi up` from
 * the repository root (Pulumi.yaml points here) deploys the same objects `cdk8s synth` writes
 * for examples/cdk8s, builds and pushes the images made from examples/models/ with
 * docker-build, and pins each Deployment to the pushed digest. In your own program, import from
 * "modelship/pulumi" instead of "../../lib/pulumi".
 */
import * as path from 'path';
import { ServingCluster, type ClusterModelArgs } from '../../lib/pulumi';
import { EXAMPLE_MODELS_DIR, servingAutoscalers, servingCluster, servingStack } from '../serving-stack';

/**
 * The model directories, absolute: Pulumi runs a program whose `main` is a directory from that
 * directory, while EXAMPLE_MODELS_DIR is relative to the repository root.
 */
const MODELS_DIR = path.resolve(__dirname, '..', '..', EXAMPLE_MODELS_DIR);

/** Every model of the stack, autoscaled where the stack says so (Pulumi takes the autoscaler up front). */
const autoscalers = servingAutoscalers();
const models: Record<string, ClusterModelArgs> = Object.fromEntries(
  Object.entries(servingStack(MODELS_DIR)).map(([name, props]) => [name, { ...props, ...(autoscalers[name] ? { autoscale: autoscalers[name] } : {}) }]),
);

/** The cluster: its Namespace, quota, priorities, routes and monitoring, and one ModelService per model. */
const cluster = new ServingCluster('cluster', { ...servingCluster(), models });
const services = Object.values(cluster.models);

/** In-cluster URL of each model's inference port, by service name. */
export const endpoints = Object.fromEntries(services.map((s) => [s.name, s.endpoint]));

/** The image each model's Deployment runs, pinned by digest where Pulumi built it. */
export const images = Object.fromEntries(services.map((s) => [s.name, s.image]));

/** Where the models' replicas go on the node pools (markdown), as cdk8s writes reports/capacity-serving.md. */
export const capacityReport = cluster.capacityReport;
