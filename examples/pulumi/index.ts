/**
 * The example serving stack (examples/serving-stack.ts) as a Pulumi program: `pulumi up` from
 * the repository root (Pulumi.yaml points here) deploys the same objects `cdk8s synth` writes
 * for examples/cdk8s, builds and pushes the images made from examples/models/ with
 * docker-build, and pins each Deployment to the pushed digest. In your own program, import from
 * "modelship/pulumi" instead of "../../lib/pulumi".
 */
import * as path from 'path';
import * as k8s from '@pulumi/kubernetes';
import { ModelService } from '../../lib/pulumi';
import { EXAMPLE_MODELS_DIR, NAMESPACE, NAMESPACE_LABELS, servingAutoscalers, servingStack } from '../serving-stack';

/**
 * The model directories, absolute: Pulumi runs a program whose `main` is a directory from that
 * directory, while EXAMPLE_MODELS_DIR is relative to the repository root.
 */
const MODELS_DIR = path.resolve(__dirname, '..', '..', EXAMPLE_MODELS_DIR);

/** The namespace, enforcing Pod Security "restricted"; every model waits for it through `metadata.name`. */
const namespace = new k8s.core.v1.Namespace(NAMESPACE, { metadata: { name: NAMESPACE, labels: NAMESPACE_LABELS } });

/** One ModelService per model of the stack, named as in the stack, autoscaled where the stack says so. */
const autoscalers = servingAutoscalers();
const services = Object.entries(servingStack(MODELS_DIR)).map(
  ([name, props]) => new ModelService(name, { ...props, namespace: namespace.metadata.name, ...(autoscalers[name] ? { autoscale: autoscalers[name] } : {}) }),
);

/** In-cluster URL of each model's inference port, by service name. */
export const endpoints = Object.fromEntries(services.map((s) => [s.name, s.endpoint]));

/** The image each model's Deployment runs, pinned by digest where Pulumi built it. */
export const images = Object.fromEntries(services.map((s) => [s.name, s.image]));
