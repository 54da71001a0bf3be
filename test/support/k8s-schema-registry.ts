/**
 * Which schema validates which apiVersion/kind: the committed built-in compact schema,
 * plus whatever custom-resource schemas callers register at run time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isObject, objectField, stringField } from './k8s-problem';
import type { CompactSchemaDoc, SchemaNode } from './k8s-schema-types';

export interface KindSchema {
  apiVersion: string;
  kind: string;
  root: SchemaNode;
  namespaced: boolean;
  /** false for schemas added with registerSchema (CRDs). */
  builtin: boolean;
}

const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

// Read at run time rather than `import`ed so TypeScript does not type-check a 60 kB literal.
const BUILTIN: CompactSchemaDoc = JSON.parse(fs.readFileSync(path.join(__dirname, 'k8s-schema.json'), 'utf8')) as CompactSchemaDoc;

const custom = new Map<string, KindSchema>();

function key(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** Definitions every schema may `$ref` (CRD schemas get ObjectMeta from here). */
export function sharedDefinitions(): Record<string, SchemaNode> {
  return BUILTIN.definitions;
}

export function lookupKind(apiVersion: string, kind: string): KindSchema | undefined {
  const registered = custom.get(key(apiVersion, kind));
  if (registered) return registered;
  const entry = BUILTIN.kinds[apiVersion]?.[kind];
  if (!entry) return undefined;
  return { apiVersion, kind, root: { $ref: entry.definition }, namespaced: entry.namespaced, builtin: true };
}

/** Is the group of this apiVersion served by kube-apiserver itself (as opposed to a CRD)? */
export function isBuiltinApiVersion(apiVersion: string): boolean {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '';
  return BUILTIN.builtinGroups.includes(group);
}

/** apiVersions under which the built-in schema has this kind (for "did you mean" hints). */
export function builtinApiVersionsOf(kind: string): string[] {
  return Object.entries(BUILTIN.kinds).filter(([, kinds]) => kinds[kind] !== undefined).map(([apiVersion]) => apiVersion);
}

export interface RegisterOptions {
  /** Defaults to true, as most custom resources are namespaced. */
  namespaced?: boolean;
}

/**
 * Plug in the structural `openAPIV3Schema` of a custom resource version (what a CRD
 * has under spec.versions[].schema.openAPIV3Schema). Like the API server, objects get
 * apiVersion/kind/metadata whatever the schema says, and metadata is validated as
 * ObjectMeta. Returns a function that removes the registration again (handy in tests).
 */
export function registerSchema(apiVersion: string, kind: string, openApiV3Schema: SchemaNode, options: RegisterOptions = {}): () => void {
  const root: SchemaNode = {
    ...openApiV3Schema,
    type: 'object',
    properties: {
      ...openApiV3Schema.properties,
      apiVersion: { type: 'string' },
      kind: { type: 'string' },
      metadata: { $ref: OBJECT_META },
    },
  };
  const k = key(apiVersion, kind);
  const entry: KindSchema = { apiVersion, kind, root, namespaced: options.namespaced ?? true, builtin: false };
  custom.set(k, entry);
  return () => {
    if (custom.get(k) === entry) custom.delete(k);
  };
}

/**
 * Register every version of a CustomResourceDefinition object (apiextensions.k8s.io/v1).
 * Returns a function that removes them all again.
 */
export function registerCrd(crd: unknown): () => void {
  const spec = isObject(crd) ? objectField(crd, 'spec') : undefined;
  const group = stringField(spec, 'group');
  const kind = stringField(objectField(spec, 'names'), 'kind');
  if (!spec || !group || !kind || !Array.isArray(spec['versions'])) throw new Error('registerCrd: not an apiextensions.k8s.io/v1 CustomResourceDefinition');
  const namespaced = stringField(spec, 'scope') !== 'Cluster';
  const undo: Array<() => void> = [];
  for (const version of spec['versions']) {
    const name = isObject(version) ? stringField(version, 'name') : undefined;
    const schema = isObject(version) ? objectField(objectField(version, 'schema'), 'openAPIV3Schema') : undefined;
    if (name && schema) undo.push(registerSchema(`${group}/${name}`, kind, schema as SchemaNode, { namespaced }));
  }
  return () => undo.forEach((u) => u());
}
