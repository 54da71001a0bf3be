/**
 * A second opinion from kubernetes-models' generated JSON-schema validators. They know
 * nothing about 1.28 and do not reject unknown fields, so they mostly duplicate our own
 * findings; we only add the ones about paths we have said nothing about.
 */
import { indexPath, childPath, type JsonObject, type SchemaProblem } from './k8s-problem';

interface AjvError {
  instancePath?: string;
  message?: string;
}

type ModelClass = new (data: JsonObject) => { validate(): void };

const classes = new Map<string, ModelClass | undefined>();

function loadModel(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!classes.has(key)) {
    let cls: ModelClass | undefined;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      cls = (require(`kubernetes-models/${apiVersion}/${kind}`) as Record<string, ModelClass>)[kind];
    } catch {
      cls = undefined; // no model for this kind (e.g. a custom resource)
    }
    classes.set(key, cls);
  }
  return classes.get(key);
}

/** "/spec/containers/0/name" -> "spec.containers[0].name", walking the value so array indexes and map keys are told apart. */
export function pointerToPath(pointer: string, root: unknown): string {
  let path = '';
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      path = indexPath(path, Number(seg));
      node = node[Number(seg)];
    } else {
      path = childPath(path, seg);
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return path;
}

function related(a: string, b: string): boolean {
  const under = (x: string, y: string): boolean => y === '' || x === y || x.startsWith(`${y}.`) || x.startsWith(`${y}[`);
  return under(a, b) || under(b, a);
}

/** Turn model errors into problems, dropping those about paths (or their parents/children) we already reported. */
export function foldModelErrors(errors: readonly AjvError[], root: unknown, own: readonly SchemaProblem[]): SchemaProblem[] {
  const byPath = new Map<string, Set<string>>();
  for (const e of errors) {
    const path = pointerToPath(e.instancePath ?? '', root);
    if (own.some((p) => related(p.path, path) && p.path !== '')) continue;
    const messages = byPath.get(path) ?? new Set<string>();
    messages.add(e.message ?? 'invalid');
    byPath.set(path, messages);
  }
  return [...byPath].map(([path, messages]) => ({ path, message: `kubernetes-models: ${[...messages].join('; ')}` }));
}

export function kubernetesModelsProblems(obj: JsonObject, apiVersion: string, kind: string, own: readonly SchemaProblem[]): SchemaProblem[] {
  const Model = loadModel(apiVersion, kind);
  if (!Model) return [];
  try {
    new Model(obj).validate();
    return [];
  } catch (err) {
    const errors = (err as { errors?: AjvError[] }).errors;
    if (Array.isArray(errors)) return foldModelErrors(errors, obj, own);
    return own.length > 0 ? [] : [{ path: '', message: `kubernetes-models: validation failed: ${String(err)}` }];
  }
}
