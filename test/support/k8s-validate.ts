/**
 * Strict offline validation of rendered Kubernetes manifests against the Kubernetes 1.28
 * API, for tests and for scripts/validate-dist.ts.
 *
 *   validateK8sObject(obj)      -> problems of one object ([] when valid)
 *   validateK8sObjects(objs)    -> per-object problems, including cross-object rules
 *   assertValidK8sObjects(objs) -> throws listing every problem, prefixed with Kind/name
 *   registerSchema / registerCrd -> plug in custom resource schemas
 *
 * Layers, in order: the schema walk (unknown fields at any depth, types, formats, enums,
 * required, 1.28-only fields; k8s-schema-walker.ts) with per-definition rules
 * (k8s-definition-checks.ts); object name/namespace and per-kind rules
 * (k8s-kind-checks.ts, k8s-pod-checks.ts, ...); then kubernetes-models' own validator.
 */
import { DEFINITION_CHECKS } from './k8s-definition-checks';
import { checkKind, checkNameAndNamespace } from './k8s-kind-checks';
import { crossObjectProblems } from './k8s-cross-object-checks';
import { kubernetesModelsProblems } from './k8s-models-check';
import { isObject, objectField, stringField, type JsonObject, type SchemaProblem } from './k8s-problem';
import { builtinApiVersionsOf, isBuiltinApiVersion, lookupKind, sharedDefinitions } from './k8s-schema-registry';
import { describeJsonType, walk } from './k8s-schema-walker';

export type { SchemaProblem } from './k8s-problem';
export type { SchemaNode } from './k8s-schema-types';
export { registerCrd, registerSchema, type RegisterOptions } from './k8s-schema-registry';

export interface ObjectProblems {
  /** Position of the object in the input array. */
  index: number;
  /** "Kind/name" (with namespace when set), for messages. */
  label: string;
  problems: SchemaProblem[];
}

function missingSchemaMessage(apiVersion: string, kind: string): string {
  if (!isBuiltinApiVersion(apiVersion)) {
    return `no schema for ${apiVersion} ${kind}: custom resource; register its CRD schema with registerSchema()/registerCrd()`;
  }
  const elsewhere = builtinApiVersionsOf(kind);
  if (elsewhere.length > 0) return `no schema for ${apiVersion} ${kind}: ${kind} is served as ${elsewhere.join(', ')}`;
  return `no schema for ${apiVersion} ${kind}: not one of the built-in kinds in the compact schema (add it to ROOT_KINDS in scripts/gen-k8s-schema.ts)`;
}

function dedupe(problems: SchemaProblem[]): SchemaProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function validateK8sObject(obj: unknown): SchemaProblem[] {
  if (!isObject(obj)) return [{ path: '', message: `must be a Kubernetes object, got ${describeJsonType(obj)}` }];
  const problems: SchemaProblem[] = [];
  const report = (path: string, message: string): void => {
    problems.push({ path, message });
  };

  const apiVersion = obj['apiVersion'];
  const kind = obj['kind'];
  if (typeof apiVersion !== 'string' || apiVersion === '') report('apiVersion', apiVersion === undefined ? 'required field is missing' : `must be a non-empty string, got ${describeJsonType(apiVersion)}`);
  if (typeof kind !== 'string' || kind === '') report('kind', kind === undefined ? 'required field is missing' : `must be a non-empty string, got ${describeJsonType(kind)}`);
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || problems.length > 0) return problems;

  const schema = lookupKind(apiVersion, kind);
  if (!schema) return [{ path: '', message: missingSchemaMessage(apiVersion, kind) }];

  let body: JsonObject = obj;
  if (schema.builtin && obj['status'] !== undefined) {
    // Status belongs to the controllers; say so rather than calling it an unknown field.
    report('status', 'is written by the cluster; a rendered manifest must not set it');
    const { status: _status, ...rest } = obj;
    body = rest;
  }
  walk(body, schema.root, '', { definitions: sharedDefinitions(), checks: DEFINITION_CHECKS, report });
  checkNameAndNamespace(body, kind, schema.namespaced, report);
  if (schema.builtin) checkKind(body, apiVersion, kind, report);

  const own = dedupe(problems);
  return schema.builtin ? [...own, ...kubernetesModelsProblems(obj, apiVersion, kind, own)] : own;
}

/** "Deployment ns/name", "Service/name", or "Kind #3" when the object has no name. */
export function describeObject(obj: unknown, index: number): string {
  const kind = isObject(obj) ? stringField(obj, 'kind') ?? 'object' : 'object';
  const meta = isObject(obj) ? objectField(obj, 'metadata') : undefined;
  const name = stringField(meta, 'name');
  const ns = stringField(meta, 'namespace');
  if (!name) return `${kind} #${index}`;
  return ns ? `${kind} ${ns}/${name}` : `${kind}/${name}`;
}

/** Validates each object, then the rules that relate objects to each other (Service -> workload ports). */
export function validateK8sObjects(objs: readonly unknown[]): ObjectProblems[] {
  const cross = crossObjectProblems(objs);
  return objs.map((obj, index) => ({
    index,
    label: describeObject(obj, index),
    problems: dedupe([...validateK8sObject(obj), ...(cross.get(index) ?? [])]),
  }));
}

export function formatProblems(results: readonly ObjectProblems[]): string {
  return results
    .flatMap((r) => r.problems.map((p) => `${r.label}: ${p.path || '(root)'}: ${p.message}`))
    .join('\n');
}

export function assertValidK8sObjects(objs: unknown[]): void {
  const failed = validateK8sObjects(objs).filter((r) => r.problems.length > 0);
  if (failed.length === 0) return;
  const count = failed.reduce((n, r) => n + r.problems.length, 0);
  throw new Error(`${count} Kubernetes schema problem(s) in ${failed.length} of ${objs.length} object(s):\n${formatProblems(failed)}`);
}
