/**
 * Shapes of the schema documents the validator understands.
 *
 * One node type serves both sources we validate against:
 *  - the compact built-in schema (test/support/k8s-schema.json, written by
 *    scripts/gen-k8s-schema.ts from the kube-apiserver OpenAPI v2 document), whose
 *    object nodes point at each other by definition name through `$ref`; and
 *  - CRD `openAPIV3Schema` documents plugged in with `registerSchema`, which are
 *    structural (inline, no `$ref`) and use the same `x-kubernetes-*` extensions.
 */
export interface SchemaNode {
  /** Name of an entry in the document's `definitions` (no `#/definitions/` prefix). */
  $ref?: string;
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  /** int32, int64, double, byte (base64), date-time, quantity (resource.Quantity), ... */
  format?: string;
  properties?: Record<string, SchemaNode>;
  /** A schema for map values; `true` means any value; absent/false means no extra keys. */
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  allOf?: SchemaNode[];
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  /** Generator marker: the field exists in the 1.32 API but not in 1.28. */
  'x-not-in-1.28'?: boolean;
  /** Generator marker: the field exists in 1.28 but 1.32 dropped it, so there is no schema for its contents. */
  'x-only-in-1.28'?: boolean;
}

export interface KindEntry {
  /** Definition that describes the whole object. */
  definition: string;
  namespaced: boolean;
}

/** The committed compact schema document (test/support/k8s-schema.json). */
export interface CompactSchemaDoc {
  about: string;
  source: Record<string, unknown>;
  /** API groups served by kube-apiserver itself ("" = core); anything else is a custom resource. */
  builtinGroups: string[];
  /** apiVersion -> kind -> entry, e.g. kinds["apps/v1"]["Deployment"]. */
  kinds: Record<string, Record<string, KindEntry>>;
  definitions: Record<string, SchemaNode>;
}
