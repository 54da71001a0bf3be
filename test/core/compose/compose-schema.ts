/**
 * The Compose specification's JSON schema (test/support/compose-spec.json, see
 * COMPOSE-SPEC-SOURCE.md), compiled once with ajv. The schema is draft-07 and closes every object
 * with `additionalProperties: false` plus `^x-` pattern properties, so a misspelt or unknown key
 * fails validation.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import * as fs from 'fs';
import * as path from 'path';

/** Path of the committed schema copy. */
export const COMPOSE_SCHEMA_PATH = path.join(__dirname, '..', '..', 'support', 'compose-spec.json');

let compiled: ValidateFunction | undefined;

/** The compiled validator (draft-07; the schema's `https://` meta-schema id is the draft-07 meta-schema). */
export function composeValidator(): ValidateFunction {
  if (compiled) return compiled;
  const schema = JSON.parse(fs.readFileSync(COMPOSE_SCHEMA_PATH, 'utf8')) as Record<string, unknown>;
  // strict: false: ajv's strict mode lints schemas (e.g. union types); validation itself is
  // exactly the schema's, unknown properties included.
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The schema names draft-07 by its https:// URL; ajv registers it under http://…#.
  const draft07 = ajv.getSchema('http://json-schema.org/draft-07/schema')!.schema as Record<string, unknown>;
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  if (!ajv.validateSchema(schema)) throw new Error(`compose-spec.json is not a valid draft-07 schema: ${ajv.errorsText(ajv.errors)}`);
  compiled = ajv.compile(schema);
  return compiled;
}

/** Validation errors of `doc` as readable lines (empty when valid). */
export function composeSchemaErrors(doc: unknown): string[] {
  const validate = composeValidator();
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
