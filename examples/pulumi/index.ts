/**
 * The example serving stack (examples/serving-stack.ts) as a Pulumi program: `pulumi up` from
 * the repository root (Pulumi.yaml points here) deploys the same objects `cdk8s synth` writes
 * for examples/cdk8s. In your own program, import from "modelship/pulumi" instead of "../../lib/pulumi".
 */
import * as k8s from '@pulumi/kubernetes';
import { ModelService } from '../../lib/pulumi';
import { NAMESPACE, NAMESPACE_LABELS, servingStack } from '../serving-stack';

/** The namespace, enforcing Pod Security "restricted"; every model waits for it through `metadata.name`. */
const namespace = new k8s.core.v1.Namespace(NAMESPACE, { metadata: { name: NAMESPACE, labels: NAMESPACE_LABELS } });

/** One ModelService per model of the stack, named as in the stack. */
const services = Object.entries(servingStack()).map(([name, props]) => new ModelService(name, { ...props, namespace: namespace.metadata.name }));

/** In-cluster URL of each model's inference port, by service name. */
export const endpoints = Object.fromEntries(services.map((s) => [s.name, s.endpoint]));

/** The image each model's Deployment runs (pinned by digest when Pulumi built it). */
export const images = Object.fromEntries(services.map((s) => [s.name, s.image]));
