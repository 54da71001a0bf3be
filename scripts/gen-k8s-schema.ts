/**
 * Derives test/support/k8s-schema.json: a compact, Kubernetes-1.28-restricted schema
 * for the built-in kinds modelship renders, used by test/support/k8s-validate.ts.
 *
 *   npx ts-node -T scripts/gen-k8s-schema.ts [--openapi PATH] [--out PATH]
 *
 * Inputs
 *  - the OpenAPI v2 document of a real kube-apiserver 1.32 (default:
 *    ../shared/reference/k8s/openapi-v2-v1.32.json, or $K8S_OPENAPI). It is the only
 *    machine-readable source with wire names, types, formats, enums and list semantics.
 *  - cdk8s-plus-28's generated 1.28 bindings (node_modules/cdk8s-plus-28/lib/imports/k8s.d.ts).
 *    1.32 is a superset of 1.28, so we use the bindings to learn which fields (and which
 *    `required` lists) 1.28 had. Every interface and property there carries a
 *    `@schema <definition>#<wireName>` JSDoc tag, which gives an exact mapping.
 *
 * The output keeps only what the validator reads (types, formats, enums, required,
 * list-map keys) for the definitions reachable from ROOT_KINDS. Fields that are newer
 * than 1.28 are kept as bare `{"x-not-in-1.28": true}` markers so the validator can say
 * so instead of "unknown field"; their sub-schemas are dropped.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import type { CompactSchemaDoc, KindEntry, SchemaNode } from '../test/support/k8s-schema-types';

const REPO = path.resolve(__dirname, '..');

/** The kinds modelship renders. Add a kind here and regenerate to validate it. */
const ROOT_KINDS: ReadonlyArray<readonly [apiVersion: string, kind: string]> = [
  ['v1', 'Namespace'],
  ['v1', 'ConfigMap'],
  ['v1', 'Secret'],
  ['v1', 'Service'],
  ['v1', 'ServiceAccount'],
  ['v1', 'PersistentVolumeClaim'],
  ['v1', 'ResourceQuota'],
  ['v1', 'LimitRange'],
  ['apps/v1', 'Deployment'],
  ['apps/v1', 'StatefulSet'],
  ['policy/v1', 'PodDisruptionBudget'],
  ['networking.k8s.io/v1', 'NetworkPolicy'],
  ['networking.k8s.io/v1', 'Ingress'],
  ['autoscaling/v2', 'HorizontalPodAutoscaler'],
  ['scheduling.k8s.io/v1', 'PriorityClass'],
  ['rbac.authorization.k8s.io/v1', 'Role'],
  ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['batch/v1', 'Job'],
];

/**
 * Definitions that are not objects on the wire. OpenAPI v2 cannot express them
 * (Quantity is just "string" there although the server also accepts numbers), so we
 * inline a node the validator understands at each use instead of keeping a definition.
 */
const INLINE_DEFINITIONS: Record<string, SchemaNode> = {
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { type: 'string', format: 'quantity' },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { 'x-kubernetes-int-or-string': true },
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { type: 'string', format: 'date-time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
};

/** Keys of an OpenAPI property we carry over verbatim; everything else (descriptions, patch strategies, unions) is dropped. */
const KEPT_KEYWORDS = ['type', 'format', 'enum', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys'] as const;

interface OpenApiNode {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, OpenApiNode>;
  additionalProperties?: OpenApiNode | boolean;
  items?: OpenApiNode;
  required?: string[];
  'x-kubernetes-group-version-kind'?: Array<{ group: string; version: string; kind: string }>;
  [extension: string]: unknown;
}

interface OpenApiDoc {
  info: { title: string; version: string };
  definitions: Record<string, OpenApiNode>;
  paths: Record<string, Record<string, unknown>>;
}

/** What k8s.d.ts says a definition looked like in 1.28. */
interface Shape128 {
  interfaceName: string;
  definition: string | undefined;
  /** wire name -> property info */
  props: Map<string, { optional: boolean; typeName: string | undefined }>;
}

function parseArgs(argv: string[]): { openapi: string; out: string } {
  let openapi = process.env['K8S_OPENAPI'] ?? path.resolve(REPO, '../shared/reference/k8s/openapi-v2-v1.32.json');
  let out = path.join(REPO, 'test/support/k8s-schema.json');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--openapi') openapi = path.resolve(argv[++i] ?? '');
    else if (argv[i] === '--out') out = path.resolve(argv[++i] ?? '');
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return { openapi, out };
}

function jsDocSchemaTag(node: ts.Node): string | undefined {
  const tag = ts.getJSDocTags(node).find((t) => t.tagName.text === 'schema');
  return tag ? ts.getTextOfJSDocComment(tag.comment)?.trim() : undefined;
}

/** Name of the interface a property's type refers to, looking through arrays and `{ [key: string]: T }` maps. */
function referencedTypeName(type: ts.TypeNode | undefined): string | undefined {
  if (!type) return undefined;
  if (ts.isArrayTypeNode(type)) return referencedTypeName(type.elementType);
  if (ts.isTypeReferenceNode(type)) return type.typeName.getText();
  if (ts.isTypeLiteralNode(type)) {
    const index = type.members.find(ts.isIndexSignatureDeclaration);
    return index ? referencedTypeName(index.type) : undefined;
  }
  return undefined;
}

function read128Shapes(dtsFile: string): { byDefinition: Map<string, Shape128>; byInterface: Map<string, Shape128> } {
  const source = ts.createSourceFile(dtsFile, fs.readFileSync(dtsFile, 'utf8'), ts.ScriptTarget.ES2022, true);
  const byDefinition = new Map<string, Shape128>();
  const byInterface = new Map<string, Shape128>();
  for (const stmt of source.statements) {
    if (!ts.isInterfaceDeclaration(stmt)) continue;
    const shape: Shape128 = { interfaceName: stmt.name.text, definition: jsDocSchemaTag(stmt), props: new Map() };
    for (const member of stmt.members) {
      if (!ts.isPropertySignature(member)) continue;
      // The tag is "<definition>#<wire name>"; the TS name is camel-cased and may differ (e.g. `$ref` -> `ref`).
      const tag = jsDocSchemaTag(member);
      const wire = tag?.includes('#') ? tag.slice(tag.indexOf('#') + 1) : member.name.getText();
      shape.props.set(wire, { optional: member.questionToken !== undefined, typeName: referencedTypeName(member.type) });
    }
    byInterface.set(shape.interfaceName, shape);
    if (shape.definition) {
      if (byDefinition.has(shape.definition)) throw new Error(`two interfaces claim ${shape.definition}`);
      byDefinition.set(shape.definition, shape);
    }
  }
  return { byDefinition, byInterface };
}

/** apiVersion/kind -> namespaced?, from the create (POST) paths: namespaced kinds are created under /namespaces/{namespace}/. */
function scopeByKind(doc: OpenApiDoc): Map<string, boolean> {
  const scopes = new Map<string, boolean>();
  for (const [route, ops] of Object.entries(doc.paths)) {
    for (const op of Object.values(ops)) {
      const o = op as { 'x-kubernetes-action'?: string; 'x-kubernetes-group-version-kind'?: { group: string; version: string; kind: string } };
      const gvk = o['x-kubernetes-group-version-kind'];
      if (o['x-kubernetes-action'] !== 'post' || !gvk) continue;
      const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
      scopes.set(`${apiVersion}/${gvk.kind}`, route.includes('{namespace}'));
    }
  }
  return scopes;
}

interface Report {
  notIn128: string[];
  onlyIn128: string[];
  mappedViaParent: string[];
  unmapped: string[];
  requiredDiffers: string[];
  ambiguous: string[];
}

/** Every API group the server serves ("" is the core group), so the validator can tell built-in kinds from custom resources. */
function builtinGroups(doc: OpenApiDoc): string[] {
  const groups = new Set<string>();
  for (const def of Object.values(doc.definitions)) for (const g of def['x-kubernetes-group-version-kind'] ?? []) groups.add(g.group);
  return [...groups].sort();
}

function generate(doc: OpenApiDoc, shapes: ReturnType<typeof read128Shapes>): { definitions: Record<string, SchemaNode>; kinds: CompactSchemaDoc['kinds']; report: Report } {
  const report: Report = { notIn128: [], onlyIn128: [], mappedViaParent: [], unmapped: [], requiredDiffers: [], ambiguous: [] };
  const scopes = scopeByKind(doc);
  const gvkIndex = new Map<string, string>();
  for (const [name, def] of Object.entries(doc.definitions)) {
    for (const g of def['x-kubernetes-group-version-kind'] ?? []) {
      gvkIndex.set(`${g.group ? `${g.group}/${g.version}` : g.version}/${g.kind}`, name);
    }
  }

  const kinds: CompactSchemaDoc['kinds'] = {};
  const roots = new Set<string>();
  const queue: Array<{ name: string; hint: Shape128 | undefined; from: string }> = [];
  for (const [apiVersion, kind] of ROOT_KINDS) {
    const key = `${apiVersion}/${kind}`;
    const definition = gvkIndex.get(key);
    const namespaced = scopes.get(key);
    if (!definition || namespaced === undefined) throw new Error(`${key} is not in the OpenAPI document`);
    const entry: KindEntry = { definition, namespaced };
    (kinds[apiVersion] ??= {})[kind] = entry;
    roots.add(definition);
    queue.push({ name: definition, hint: undefined, from: key });
  }

  const out: Record<string, SchemaNode> = {};
  const hints = new Map<string, Shape128 | undefined>();

  const compactNode = (node: OpenApiNode, hint: Shape128 | undefined, from: string): SchemaNode => {
    if (node.$ref) {
      const target = node.$ref.replace('#/definitions/', '');
      const inline = INLINE_DEFINITIONS[target];
      if (inline) return { ...inline };
      const targetDef = doc.definitions[target];
      if (!targetDef) throw new Error(`dangling $ref ${target} from ${from}`);
      if (targetDef.type !== 'object') throw new Error(`${target} is not an object; add it to INLINE_DEFINITIONS`);
      queue.push({ name: target, hint, from });
      return { $ref: target };
    }
    const result: Record<string, unknown> = {};
    for (const k of KEPT_KEYWORDS) if (node[k] !== undefined) result[k] = node[k];
    if (node.items) result['items'] = compactNode(node.items, hint, from);
    if (typeof node.additionalProperties === 'object') result['additionalProperties'] = compactNode(node.additionalProperties, hint, from);
    else if (node.additionalProperties === true) result['additionalProperties'] = true;
    return result as SchemaNode;
  };

  while (queue.length > 0) {
    const { name, hint, from } = queue.shift()!;
    if (hints.has(name)) {
      const previous = hints.get(name);
      if (!shapes.byDefinition.has(name) && previous?.interfaceName !== hint?.interfaceName) {
        report.ambiguous.push(`${name}: reached as ${previous?.interfaceName ?? '?'} and as ${hint?.interfaceName ?? '?'} (kept the first)`);
      }
      continue;
    }
    hints.set(name, hint);
    const def = doc.definitions[name]!;
    const isRoot = roots.has(name);

    // Prefer the interface whose @schema tag names this definition. A definition 1.28 did
    // not have under this name (e.g. 1.29 split VolumeResourceRequirements out of
    // ResourceRequirements) is matched to the 1.28 type of the property that led here.
    let shape = shapes.byDefinition.get(name);
    if (!shape && hint) {
      shape = hint;
      report.mappedViaParent.push(`${name} -> ${hint.interfaceName} (${hint.definition ?? 'untagged'}), via ${from}`);
    }
    if (!shape) report.unmapped.push(`${name} (via ${from})`);
    const ownShape = shape !== undefined && shape === shapes.byDefinition.get(name);

    const properties: Record<string, SchemaNode> = {};
    for (const [prop, propNode] of Object.entries(def.properties ?? {})) {
      // Status is written by controllers; a rendered manifest has no business carrying it.
      if (isRoot && prop === 'status') continue;
      // cdk8s fills apiVersion/kind itself, so its *Props interfaces omit them.
      const alwaysThere = isRoot && (prop === 'apiVersion' || prop === 'kind');
      const prop128 = shape?.props.get(prop);
      if (shape && !prop128 && !alwaysThere) {
        properties[prop] = { 'x-not-in-1.28': true };
        report.notIn128.push(`${name}#${prop}`);
        continue;
      }
      const childHint = prop128?.typeName ? shapes.byInterface.get(prop128.typeName) : undefined;
      properties[prop] = compactNode(propNode, childHint, `${name}#${prop}`);
    }
    if (ownShape) {
      for (const prop of shape!.props.keys()) {
        if (def.properties?.[prop] !== undefined) continue;
        properties[prop] = { 'x-only-in-1.28': true, 'x-kubernetes-preserve-unknown-fields': true };
        report.onlyIn128.push(`${name}#${prop}`);
      }
    }

    const node: SchemaNode = { type: 'object', properties };
    if (typeof def.additionalProperties === 'object') node.additionalProperties = compactNode(def.additionalProperties, undefined, name);
    if (Object.keys(properties).length === 0 && !node.additionalProperties) node['x-kubernetes-preserve-unknown-fields'] = true;

    // OpenAPI "required" is derived from Go struct tags (no omitempty), not from the
    // server's validation code, and both versions have quirks (1.28 lists
    // PodFailurePolicyRule.onPodConditions although a rule with only onExitCodes is
    // valid). Requiring only what both versions agree on avoids false alarms; the
    // semantic checks cover the fields validation really insists on.
    const required32 = (def.required ?? []).filter((r) => properties[r] && !properties[r]!['x-not-in-1.28']);
    let required = required32;
    if (shape) {
      const required128 = new Set([...shape.props.entries()].filter(([, info]) => !info.optional).map(([p]) => p));
      required = required32.filter((r) => required128.has(r));
      const only128 = [...required128].filter((r) => !required32.includes(r) && properties[r] && !properties[r]!['x-only-in-1.28']);
      const only32 = required32.filter((r) => !required128.has(r));
      if (only128.length + only32.length > 0) {
        report.requiredDiffers.push(`${name}: required only in 1.28 [${only128.join(',')}], only in 1.32 [${only32.join(',')}] -> not required`);
      }
    }
    if (required.length > 0) node.required = required;
    out[name] = node;
  }

  const sorted: Record<string, SchemaNode> = {};
  for (const name of Object.keys(out).sort()) sorted[name] = out[name]!;
  return { definitions: sorted, kinds, report };
}

/** One definition per line: small, yet a regeneration shows up as a readable diff. */
function serialize(doc: CompactSchemaDoc): string {
  const defs = Object.entries(doc.definitions).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return [
    '{',
    `  "about": ${JSON.stringify(doc.about)},`,
    `  "source": ${JSON.stringify(doc.source)},`,
    `  "builtinGroups": ${JSON.stringify(doc.builtinGroups)},`,
    `  "kinds": ${JSON.stringify(doc.kinds)},`,
    '  "definitions": {',
    defs.join(',\n'),
    '  }',
    '}',
    '',
  ].join('\n');
}

function main(): void {
  const { openapi, out } = parseArgs(process.argv.slice(2));
  const raw = fs.readFileSync(openapi);
  const doc = JSON.parse(raw.toString('utf8')) as OpenApiDoc;
  const dts = require.resolve('cdk8s-plus-28/lib/imports/k8s.d.ts', { paths: [REPO] });
  const cdk8sPlusVersion = (JSON.parse(fs.readFileSync(path.join(path.dirname(dts), '../../package.json'), 'utf8')) as { version: string }).version;
  const { definitions, kinds, report } = generate(doc, read128Shapes(dts));

  const compact: CompactSchemaDoc = {
    about: 'GENERATED by scripts/gen-k8s-schema.ts - do not edit. Kubernetes 1.28 view of the kube-apiserver 1.32 OpenAPI v2 schema; see K8S-SCHEMA-SOURCE.md.',
    source: {
      openapi: path.basename(openapi),
      openapiInfo: doc.info,
      openapiSha256: crypto.createHash('sha256').update(raw).digest('hex'),
      restrictedWith: `cdk8s-plus-28@${cdk8sPlusVersion} lib/imports/k8s.d.ts`,
      license: 'Apache-2.0 (Kubernetes project)',
    },
    builtinGroups: builtinGroups(doc),
    kinds,
    definitions,
  };
  const text = serialize(compact);
  fs.writeFileSync(out, text);

  const section = (title: string, lines: string[]): void => {
    console.log(`\n${title} (${lines.length})`);
    for (const line of lines) console.log(`  ${line}`);
  };
  console.log(`wrote ${path.relative(REPO, out)}: ${Object.keys(definitions).length} definitions, ${text.length} bytes`);
  section('fields newer than 1.28 (reported as not in 1.28)', report.notIn128);
  section('fields in 1.28 but gone from 1.32 (accepted, contents unchecked)', report.onlyIn128);
  section('definitions matched to a 1.28 type through the referencing property', report.mappedViaParent);
  section('definitions with no 1.28 type found (1.32 shape used as is)', report.unmapped);
  section('ambiguous matches', report.ambiguous);
  section('required lists that differ between 1.28 and 1.32', report.requiredDiffers);
}

main();
