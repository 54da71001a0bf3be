/**
 * Structural validation of a JSON value against a SchemaNode, modelled on what the
 * API server does with strict field validation: every field must be known at every
 * depth, values must have the declared type/format/enum, required fields must be set.
 *
 * Semantic rules that OpenAPI cannot express live in per-definition checks, which the
 * walk calls for every object it validates against a named definition.
 */
import { childPath, indexPath, isObject, type JsonObject, type Report } from './k8s-problem';
import { isQuantity, QUANTITY_SYNTAX } from './k8s-quantity';
import type { SchemaNode } from './k8s-schema-types';

export type DefinitionCheck = (value: JsonObject, path: string, report: Report) => void;

export interface WalkContext {
  definitions: Record<string, SchemaNode>;
  /** Extra checks keyed by definition name, run after the definition's fields were walked. */
  checks: Record<string, DefinitionCheck>;
  report: Report;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
// Go's encoding/json decodes []byte with base64.StdEncoding (padding required) and skips newlines.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
/** Fields every embedded or top-level object may carry whatever its schema says. */
const TYPE_META_AND_METADATA = new Set(['apiVersion', 'kind', 'metadata']);

export function describeJsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? `integer ${value}` : `number ${value}`;
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return typeof value;
}

export function walk(value: unknown, node: SchemaNode, path: string, ctx: WalkContext): void {
  if (node.$ref !== undefined) {
    const def = ctx.definitions[node.$ref];
    if (!def) {
      ctx.report(path, `internal: schema refers to unknown definition ${node.$ref}`);
      return;
    }
    walk(value, def, path, ctx);
    const check = ctx.checks[node.$ref];
    if (check && isObject(value)) check(value, path, ctx.report);
    return;
  }
  if (node['x-not-in-1.28'] || node['x-only-in-1.28']) return; // handled by the parent object / nothing to check
  if (value === null) {
    if (!node.nullable) ctx.report(path, 'must not be null');
    return;
  }

  for (const sub of node.allOf ?? []) walk(value, sub, path, ctx);
  if (node['x-kubernetes-int-or-string']) {
    checkIntOrString(value, node, path, ctx.report);
    return; // any anyOf next to it is the [{type: integer}, {type: string}] idiom
  }
  if (node.anyOf) checkAlternatives(value, node.anyOf, 'anyOf', path, ctx);
  if (node.oneOf) checkAlternatives(value, node.oneOf, 'oneOf', path, ctx);

  const type = node.type ?? (node.properties ? 'object' : undefined);
  switch (type) {
    case 'object':
      if (isObject(value)) walkObject(value, node, path, ctx);
      else ctx.report(path, `must be an object, got ${describeJsonType(value)}`);
      break;
    case 'array':
      if (Array.isArray(value)) walkArray(value, node, path, ctx);
      else ctx.report(path, `must be an array, got ${describeJsonType(value)}`);
      break;
    case 'string':
      checkString(value, node, path, ctx.report);
      break;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) ctx.report(path, `must be an integer, got ${describeJsonType(value)}`);
      else checkNumber(value, node, path, ctx.report);
      break;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) ctx.report(path, `must be a number, got ${describeJsonType(value)}`);
      else checkNumber(value, node, path, ctx.report);
      break;
    case 'boolean':
      if (typeof value !== 'boolean') ctx.report(path, `must be a boolean, got ${describeJsonType(value)}`);
      break;
    default:
      break;
  }
  if (node.enum && !node.enum.some((e) => e === value) && isScalar(value)) {
    ctx.report(path, `unsupported value ${JSON.stringify(value)}: supported values: ${node.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  }
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

function walkObject(obj: JsonObject, node: SchemaNode, path: string, ctx: WalkContext): void {
  const props = node.properties ?? {};
  const extra = node.additionalProperties;
  const openEnded = extra === true || node['x-kubernetes-preserve-unknown-fields'] === true;
  for (const [key, value] of Object.entries(obj)) {
    const at = childPath(path, key);
    const prop = props[key];
    if (prop) {
      if (prop['x-not-in-1.28']) {
        ctx.report(at, `field "${key}" is not in Kubernetes 1.28 (it was added in a later release)`);
      } else if (value !== null) {
        // The server treats an explicit null like an absent optional field.
        walk(value, prop, at, ctx);
      }
    } else if (typeof extra === 'object') {
      walk(value, extra, at, ctx);
    } else if (!openEnded && !(node['x-kubernetes-embedded-resource'] && TYPE_META_AND_METADATA.has(key))) {
      ctx.report(at, `unknown field "${key}"`);
    }
  }
  for (const req of node.required ?? []) {
    if (obj[req] === undefined || obj[req] === null) ctx.report(childPath(path, req), 'required field is missing');
  }
  const count = Object.keys(obj).length;
  if (node.minProperties !== undefined && count < node.minProperties) ctx.report(path, `must have at least ${node.minProperties} properties`);
  if (node.maxProperties !== undefined && count > node.maxProperties) ctx.report(path, `must have at most ${node.maxProperties} properties`);
}

function walkArray(items: unknown[], node: SchemaNode, path: string, ctx: WalkContext): void {
  if (node.items) items.forEach((item, i) => walk(item, node.items!, indexPath(path, i), ctx));
  if (node.minItems !== undefined && items.length < node.minItems) ctx.report(path, `must have at least ${node.minItems} items`);
  if (node.maxItems !== undefined && items.length > node.maxItems) ctx.report(path, `must have at most ${node.maxItems} items`);

  // Server-side apply refuses associative lists with duplicate keys and sets with duplicate values.
  const listType = node['x-kubernetes-list-type'];
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    let key: string | undefined;
    let shown: string | undefined;
    if (listType === 'map' && isObject(item)) {
      const keys = node['x-kubernetes-list-map-keys'] ?? [];
      // protocol is the only defaulted map key among our kinds (ports lists); compare as the server would.
      const values = keys.map((k) => item[k] ?? (k === 'protocol' ? 'TCP' : undefined));
      key = JSON.stringify(values);
      shown = keys.map((k, j) => `${k}=${JSON.stringify(values[j])}`).join(', ');
    } else if (listType === 'set' && isScalar(item)) {
      key = JSON.stringify(item);
      shown = key;
    }
    if (key === undefined) return;
    const first = seen.get(key);
    if (first !== undefined) ctx.report(indexPath(path, i), `duplicate entry ${shown} (same as ${indexPath(path, first)})`);
    else seen.set(key, i);
  });
}

function checkString(value: unknown, node: SchemaNode, path: string, report: Report): void {
  if (node.format === 'quantity') {
    if (!isQuantity(value)) report(path, `invalid quantity ${describeJsonType(value)}: ${QUANTITY_SYNTAX}`);
    return;
  }
  if (typeof value !== 'string') {
    report(path, `must be a string, got ${describeJsonType(value)}`);
    return;
  }
  if (node.format === 'byte' && !BASE64.test(value.replace(/[\r\n]/g, ''))) report(path, 'must be base64-encoded (standard alphabet, padded)');
  if (node.format === 'date-time' && !RFC3339.test(value)) report(path, `must be an RFC 3339 date-time, got ${JSON.stringify(value)}`);
  checkStringBounds(value, node, path, report);
}

function checkStringBounds(value: string, node: SchemaNode, path: string, report: Report): void {
  const length = [...value].length;
  if (node.minLength !== undefined && length < node.minLength) report(path, `must be at least ${node.minLength} characters`);
  if (node.maxLength !== undefined && length > node.maxLength) report(path, `must be at most ${node.maxLength} characters`);
  if (node.pattern !== undefined && !new RegExp(node.pattern, 'u').test(value)) report(path, `must match the pattern ${node.pattern}`);
}

function checkNumber(value: number, node: SchemaNode, path: string, report: Report): void {
  if (node.format === 'int32' && (value < INT32_MIN || value > INT32_MAX)) report(path, `must fit in a 32-bit integer, got ${value}`);
  if (node.minimum !== undefined && (node.exclusiveMinimum ? value <= node.minimum : value < node.minimum)) {
    report(path, `must be ${node.exclusiveMinimum ? 'greater than' : 'greater than or equal to'} ${node.minimum}`);
  }
  if (node.maximum !== undefined && (node.exclusiveMaximum ? value >= node.maximum : value > node.maximum)) {
    report(path, `must be ${node.exclusiveMaximum ? 'less than' : 'less than or equal to'} ${node.maximum}`);
  }
}

function checkIntOrString(value: unknown, node: SchemaNode, path: string, report: Report): void {
  if (typeof value === 'string') checkStringBounds(value, node, path, report);
  else if (typeof value === 'number' && Number.isInteger(value)) checkNumber(value, { ...node, format: 'int32' }, path, report);
  else report(path, `must be an integer or a string, got ${describeJsonType(value)}`);
}

/** anyOf/oneOf of CRD schemas; the branches only add value validations (structural schema rules). */
function checkAlternatives(value: unknown, branches: SchemaNode[], keyword: 'anyOf' | 'oneOf', path: string, ctx: WalkContext): void {
  const failures = branches.map((branch) => {
    const found: string[] = [];
    walk(value, branch, path, { ...ctx, report: (p, m) => found.push(`${p || '(root)'}: ${m}`) });
    return found;
  });
  const passing = failures.filter((f) => f.length === 0).length;
  if (passing === 0) ctx.report(path, `must match ${keyword === 'anyOf' ? 'at least' : 'exactly'} one schema in ${keyword} (${failures.map((f) => f[0]).join('; ')})`);
  else if (keyword === 'oneOf' && passing > 1) ctx.report(path, `must match exactly one schema in oneOf, matched ${passing}`);
}
