/**
 * CustomResourceDefinitions of the custom resources modelship renders (KEDA ScaledObject and
 * TriggerAuthentication; Prometheus Operator ServiceMonitor, PodMonitor and PrometheusRule),
 * copied byte for byte from their projects (see SOURCES.md), and their registration with the
 * strict validator of ../k8s-validate.ts.
 *
 * The validator walks each CRD's structural `openAPIV3Schema` with unknown fields rejected, as
 * the API server's strict decoding does; it does not evaluate CEL (`x-kubernetes-validations`),
 * so the CEL rules of the kinds we emit are restated in {@link celProblems}.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { registerCrd } from '../k8s-validate';

/** The CRD files in this directory. */
export const CRD_FILES: readonly string[] = fs
  .readdirSync(__dirname)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** Parses one CRD file of this directory. */
export function loadCrd(file: string): unknown {
  return parse(fs.readFileSync(path.join(__dirname, file), 'utf8'));
}

/** Registers every CRD of this directory with the strict validator; returns a function that unregisters them. */
export function registerCustomResourceSchemas(): () => void {
  const undo = CRD_FILES.map((f) => registerCrd(loadCrd(f)));
  return () => undo.forEach((u) => u());
}

/**
 * The CEL rules (`x-kubernetes-validations`) of the custom resources modelship emits, which the
 * schema walk does not evaluate. ScaledObject (keda.sh_scaledobjects.yaml): `!has(self.minReplicaCount)
 * || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)`.
 */
export function celProblems(obj: { apiVersion?: unknown; kind?: unknown; spec?: unknown }): string[] {
  if (obj.apiVersion !== 'keda.sh/v1alpha1' || obj.kind !== 'ScaledObject') return [];
  const spec = (obj.spec ?? {}) as { minReplicaCount?: number; maxReplicaCount?: number };
  const max = spec.maxReplicaCount ?? 100;
  return spec.minReplicaCount !== undefined && spec.minReplicaCount > max ? ['spec: minReplicaCount must be less than or equal to maxReplicaCount'] : [];
}
