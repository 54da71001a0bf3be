import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { ScalableWorkload, WorkloadStartupOptions } from '../core/autoscaling/scalable-workload';
import { KubeObject } from '../core/k8s-types';

/**
 * What modelship reads of a cdk8s-plus workload (`Deployment`, `StatefulSet`): its `IScalable`
 * side, described by shape so that cdk8s-plus stays optional (modelship never loads it).
 */
export interface Cdk8sPlusScalable extends IConstruct {
  /** Whether an autoscaler owns its replicas. */
  readonly hasAutoscaler: boolean;
  /** Makes it leave `spec.replicas` to the autoscaler. */
  markHasAutoscaler(): void;
  /** Its kind, name and the replicas it was given. */
  toScalingTarget(): { readonly kind: string; readonly apiVersion: string; readonly name: string; readonly replicas?: number };
}

function isCdk8sPlusScalable(workload: IConstruct): workload is Cdk8sPlusScalable {
  const w = workload as Partial<Cdk8sPlusScalable>;
  return typeof w.markHasAutoscaler === 'function' && typeof w.toScalingTarget === 'function';
}

/**
 * A cdk8s-plus `Deployment` or `StatefulSet` (or a Deployment/StatefulSet `ApiObject`, such as an
 * imported `KubeDeployment`) as a workload an {@link Autoscaler} can scale: its name, namespace,
 * labels and containers' resources are read from its manifest as it is now (add its containers
 * first), the rest from `options`.
 *
 * A cdk8s-plus workload is told it has an autoscaler (`markHasAutoscaler()`), so it leaves
 * `spec.replicas` to it; replicas it was given explicitly, or an ApiObject's `spec.replicas`, are
 * refused when the autoscaler validates it, as cdk8s-plus's own HorizontalPodAutoscaler refuses them.
 */
export function scalableWorkloadOf(workload: Cdk8sPlusScalable | ApiObject, options: WorkloadStartupOptions): ScalableWorkload {
  let replicas: number | undefined;
  if (!(workload instanceof ApiObject) && isCdk8sPlusScalable(workload)) {
    replicas = workload.toScalingTarget().replicas;
    workload.markHasAutoscaler();
  }
  const read = (): KubeObject => ApiObject.of(workload).toJson() as KubeObject;
  const manifest = read();
  const spec = manifest['spec'] as Record<string, unknown> | undefined;
  const described = ScalableWorkload.fromManifest(replicas === undefined ? manifest : { ...manifest, spec: { ...spec, replicas } }, options);
  // Containers added or resized afterwards would make the autoscaler's checks (requests, GPUs) stale.
  const containers = JSON.stringify(described.containers);
  workload.node.addValidation({
    validate: () =>
      JSON.stringify(ScalableWorkload.fromManifest(read(), options).containers) === containers
        ? []
        : [`modelship: the containers of ${workload.node.path} changed after scalableWorkloadOf() read them for an autoscaler; add every container (and its resources) before creating the Autoscaler`],
  });
  return described;
}
