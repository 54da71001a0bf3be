/**
 * The capacity planner's worked example (issue 6): ten nodes of 4 CPU and 8 GiB, and five
 * models of one replica each: A 2 CPU / 4 GiB, B 1 / 2, C 3 / 6, D 2 / 4, E 1 / 2. Together they
 * request 9 CPU and 18 GiB, so no placement needs fewer than three nodes; the plan finds three
 * (C+E, A+D, B), where the default kube-scheduler's least-allocated spreading would put one pod
 * on each of five nodes. `cdk8s synth` writes the plan to dist/reports/capacity-worked-example.md
 * and the picture to capacity-worked-example.svg.
 *
 * The models are a custom server from a registry image, so each pod requests exactly what is
 * declared (no model-fetching init container).
 */
import { ClusterModelProps, ClusterQuota, ModelImage, NodePool, Runtime, ServingClusterProps } from '../lib/core';

/** The cluster: one pool of ten 4 CPU / 8 GiB nodes. */
export function workedExampleCluster(): ServingClusterProps {
  return {
    namespace: 'worked-example',
    nodePools: [NodePool.cpu('general', { count: 10, cpu: '4', memory: '8Gi' })],
    quota: ClusterQuota.fromModels(),
    monitoring: false,
  };
}

/** The five models, one replica each. */
export function workedExampleModels(): Record<string, ClusterModelProps> {
  const app = (cpu: string, memory: string): ClusterModelProps => ({
    runtime: Runtime.custom({ image: ModelImage.fromRegistry('ghcr.io/acme/scorer:1.4.2') }),
    resources: { cpu, memory },
    replicas: 1,
  });
  return { a: app('2', '4Gi'), b: app('1', '2Gi'), c: app('3', '6Gi'), d: app('2', '4Gi'), e: app('1', '2Gi') };
}
