import { Problems } from '../errors';

/**
 * Records a problem when an autoscaled service also fixes its replicas: the autoscaler owns
 * `spec.replicas`, and a fixed count would be silently overridden. Both front ends call it.
 */
export function checkNoFixedReplicas(replicas: unknown, problems: Problems): void {
  if (replicas !== undefined) {
    problems.add('replicas', replicas, 'expected no fixed replicas on an autoscaled ModelService: the autoscaler owns spec.replicas (size it with minReplicas)');
  }
}
