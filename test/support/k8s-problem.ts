/** One thing wrong with a manifest, located by a JSON path such as "spec.template.spec.containers[0].ports[1].name". */
export interface SchemaProblem {
  path: string;
  message: string;
}

/** Callback the individual checks report through; paths are absolute (from the object root). */
export type Report = (path: string, message: string) => void;

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Objects in an array, with their index, skipping entries of the wrong type (the schema walk reports those). */
export function objectItems(value: unknown): Array<[number, JsonObject]> {
  if (!Array.isArray(value)) return [];
  const out: Array<[number, JsonObject]> = [];
  value.forEach((item, i) => {
    if (isObject(item)) out.push([i, item]);
  });
  return out;
}

export function stringField(obj: JsonObject | undefined, key: string): string | undefined {
  const v = obj?.[key];
  return typeof v === 'string' ? v : undefined;
}

export function objectField(obj: JsonObject | undefined, key: string): JsonObject | undefined {
  const v = obj?.[key];
  return isObject(v) ? v : undefined;
}

/** String-valued entries of a map field; non-string values are the schema walk's business. */
export function stringMap(value: unknown): Array<[string, string]> {
  if (!isObject(value)) return [];
  return Object.entries(value).filter((e): e is [string, string] => typeof e[1] === 'string');
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Appends a property: `a.b`, or `a["app.kubernetes.io/name"]` for keys that are not plain identifiers. */
export function childPath(base: string, key: string): string {
  if (IDENTIFIER.test(key)) return base ? `${base}.${key}` : key;
  return `${base}[${JSON.stringify(key)}]`;
}

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}
