/**
 * Shared helpers of the autoscaler tests: rendered services per runtime, rendering an autoscaler
 * the way a front end does, and strict validation of what it emits (built-in HPA schema, the KEDA
 * CRD registered from test/support/crd-schemas, and the CRD's CEL rule).
 */
import {
  Problems,
  renderAutoscaler,
  type AutoscalerOptions,
  type KubeObject,
  type ModelServiceProps,
  type RenderedAutoscaler,
  type RenderedModelService,
} from '../../../lib/core';
import { celProblems, registerCustomResourceSchemas } from '../../support/crd-schemas';
import { MINIMAL_PROPS, render, type RuntimeKind } from '../../support/fixtures';
import { formatProblems, validateK8sObjects } from '../../support/k8s-validate';
import { validationErrorOf, withoutConstruct } from '../../support/problems';

registerCustomResourceSchemas();

/** The construct path every test renders under. */
export const PATH = 'test/fraud';

/** A rendered service of a runtime (minimal props, plus `extra`). */
export function service(kind: RuntimeKind, extra: Partial<ModelServiceProps> = {}): RenderedModelService {
  return render({ ...MINIMAL_PROPS[kind](), ...extra });
}

/** Renders an autoscaler as a front end does, with a fresh collector. */
export function autoscale(svc: RenderedModelService, options: AutoscalerOptions): RenderedAutoscaler {
  return renderAutoscaler(svc, options, new Problems(PATH));
}

/** The problems renderAutoscaler throws for `options` (fails the test when it does not throw). */
export function problemsOf(svc: RenderedModelService, options: AutoscalerOptions): { prop: string; given: string; allowed: string }[] {
  return validationErrorOf(() => renderAutoscaler(svc, options, new Problems(PATH))).problems.map((p) => {
    expect(p.construct).toBe(PATH);
    return withoutConstruct(p);
  });
}

/** Every object passes the strict validator (unknown fields rejected) and the CRD's CEL rules. */
export function expectValid(objects: readonly KubeObject[]): void {
  expect(objects.length).toBeGreaterThan(0);
  const failed = validateK8sObjects(objects).filter((r) => r.problems.length > 0);
  expect(formatProblems(failed)).toBe('');
  for (const o of objects) expect(celProblems(o)).toEqual([]);
}

/** The selector labels and the labels of every object of the `fraud` service of a runtime. */
export function labelsOf(kind: RuntimeKind): Record<string, string> {
  return { 'app.kubernetes.io/name': 'fraud', 'app.kubernetes.io/component': 'model-server', 'app.kubernetes.io/managed-by': 'modelship', 'modelship.dev/runtime': kind };
}

/** Kubernetes' default scale-up rate limits. */
export const K8S_UP_POLICIES = [
  { type: 'Pods', value: 4, periodSeconds: 15 },
  { type: 'Percent', value: 100, periodSeconds: 15 },
];
/** Kubernetes' default scale-down rate limit. */
export const K8S_DOWN_POLICIES = [{ type: 'Percent', value: 100, periodSeconds: 15 }];
