import type { CustomTimeouts } from '@pulumi/pulumi';
import type { KubeObject } from '../core/k8s-types';
import type { StartupBudget } from '../core/service/budget';

/**
 * Seconds added to Pulumi's await timeouts beyond the rollout's own deadlines, so that a stalled
 * rollout is reported with Kubernetes' reason (`ProgressDeadlineExceeded`, which Pulumi's await
 * logic reads from the Deployment's conditions) before Pulumi's generic timeout fires.
 */
export const AWAIT_MARGIN_SECONDS = 60;

/**
 * How many batches a rolling update replaces the pods in: with `maxUnavailable: 0` (the
 * ModelService default), at most `maxSurge` new pods start at a time, so replacing `replicas`
 * pods takes `ceil(replicas / maxSurge)` batches. `maxSurge` may be a count or a percentage of
 * `replicas` (rounded up, as the Deployment controller rounds it).
 *
 * @param replicas the Deployment's `spec.replicas`
 * @param maxSurge the Deployment's `spec.strategy.rollingUpdate.maxSurge`
 */
export function rolloutBatches(replicas: number, maxSurge: number | string): number {
  const surge = typeof maxSurge === 'number' ? maxSurge : Math.ceil((replicas * Number.parseFloat(maxSurge)) / 100);
  // A surge of 0 (possible only with maxUnavailable > 0) replaces pods one at a time at best.
  return Math.max(1, Math.ceil(replicas / Math.max(1, surge)));
}

/** The await timeouts, in seconds, of the resources that wait for the model server's pods. */
export interface AwaitTimeoutSeconds {
  /** Creating the Deployment: every replica starts at once. */
  readonly create: number;
  /** Updating it: a rolling update, one batch of `maxSurge` pods after another. */
  readonly update: number;
}

/**
 * The await timeouts of a Deployment, from the one startup budget.
 *
 * Kubernetes reports a rollout failed when it makes no progress for `progressDeadlineSeconds`
 * (by default the budget's `podReadySeconds`: image pull + download + model load + one startup
 * and one readiness probe period, plus a margin). So that Pulumi never gives up on a rollout that
 * Kubernetes still considers healthy:
 *
 * - **create** = `progressDeadlineSeconds` + {@link AWAIT_MARGIN_SECONDS}: a new Deployment
 *   starts every replica at once, so one pod-start is the whole wait.
 * - **update** = {@link rolloutBatches}`(replicas, maxSurge)` × `progressDeadlineSeconds` +
 *   {@link AWAIT_MARGIN_SECONDS}: a rolling update with `maxUnavailable: 0` starts `maxSurge`
 *   new pods, waits until they are ready, and repeats; each batch may take up to the deadline.
 *
 * For example 2 replicas, `maxSurge` 1 and a 480 s deadline: create 540 s, update 1,020 s.
 * An autoscaled Deployment may run up to the autoscaler's maximum when it is updated, so that
 * maximum is the replica count.
 *
 * @param deployment the rendered Deployment (its `maxSurge` defaults to 25%, as Kubernetes defaults it)
 * @param budget the service's startup budget
 * @param replicas the pods a rolling update replaces; by default the Deployment's `spec.replicas`,
 *   or Kubernetes' default of 1
 */
export function deploymentAwaitSeconds(deployment: KubeObject, budget: StartupBudget, replicas?: number): AwaitTimeoutSeconds {
  const spec = deployment['spec'] as { replicas?: number; strategy?: { rollingUpdate?: { maxSurge?: number | string } } } | undefined;
  const batches = rolloutBatches(replicas ?? spec?.replicas ?? 1, spec?.strategy?.rollingUpdate?.maxSurge ?? '25%');
  return {
    create: budget.progressDeadlineSeconds + AWAIT_MARGIN_SECONDS,
    update: batches * budget.progressDeadlineSeconds + AWAIT_MARGIN_SECONDS,
  };
}

/**
 * {@link deploymentAwaitSeconds} as Pulumi `customTimeouts` (`"540s"`). Used for the Deployment
 * and also for the Service, because Pulumi awaits a Service until none of its endpoints is
 * unready: that is, until the Deployment's pods are ready. Deletion keeps Pulumi's default.
 * Await is never skipped (no `pulumi.com/skipAwait` annotation).
 */
export function deploymentCustomTimeouts(deployment: KubeObject, budget: StartupBudget, replicas?: number): CustomTimeouts {
  const seconds = deploymentAwaitSeconds(deployment, budget, replicas);
  return { create: `${seconds.create}s`, update: `${seconds.update}s` };
}
