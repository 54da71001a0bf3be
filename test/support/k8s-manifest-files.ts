/**
 * Finding and parsing manifest files (for scripts/validate-dist.ts): *.yaml / *.yml
 * (multi-document) and *.json, yielding every Kubernetes object with where it came from.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as YAML from 'yaml';
import { isObject } from './k8s-problem';

export interface ManifestObject {
  file: string;
  /** Appended to the file name in messages: "#2" for the third YAML document or JSON array entry, "" for a lone JSON object; List items add ".items[i]". */
  where: string;
  object: unknown;
}

export interface ManifestFileResult {
  file: string;
  objects: ManifestObject[];
  /** Documents that are broken or not Kubernetes objects. */
  errors: string[];
  /** True for JSON files that are clearly something else (no apiVersion/kind), which we ignore. */
  skipped: boolean;
}

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export function findManifestFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findManifestFiles(full));
    else if (entry.isFile() && MANIFEST_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) out.push(full);
  }
  return out.sort();
}

function looksLikeK8sObject(value: unknown): boolean {
  return isObject(value) && typeof value['apiVersion'] === 'string' && typeof value['kind'] === 'string';
}

/** `kind: List` (what kubectl accepts and prints) is a wrapper, not an object to validate. */
function expandList(file: string, where: string, value: unknown): ManifestObject[] {
  if (isObject(value) && value['kind'] === 'List' && Array.isArray(value['items'])) {
    return value['items'].map((item, i) => ({ file, where: where ? `${where}.items[${i}]` : `#items[${i}]`, object: item }));
  }
  return [{ file, where, object: value }];
}

/**
 * kubectl reads YAML through go-yaml v2, i.e. YAML 1.1: `on`/`yes` are booleans and
 * 0644 is octal, but timestamps stay strings. Parse the same way so a label like
 * `enabled: on` is caught here rather than by the API server.
 */
const YAML_OPTIONS = {
  version: '1.1' as const,
  customTags: (tags: YAML.Tags): YAML.Tags => tags.filter((t) => typeof t === 'string' || t.tag !== 'tag:yaml.org,2002:timestamp'),
};

function parseYaml(file: string, text: string): ManifestFileResult {
  const result: ManifestFileResult = { file, objects: [], errors: [], skipped: false };
  YAML.parseAllDocuments(text, YAML_OPTIONS).forEach((doc, i) => {
    const where = `#${i}`;
    if (doc.errors.length > 0) {
      result.errors.push(`${where}: YAML error: ${doc.errors.map((e) => e.message.split('\n')[0]).join('; ')}`);
      return;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return; // empty document, e.g. a trailing `---`
    if (!looksLikeK8sObject(value)) {
      result.errors.push(`${where}: not a Kubernetes object (apiVersion and kind must be strings)`);
      return;
    }
    result.objects.push(...expandList(file, where, value));
  });
  return result;
}

function parseJson(file: string, text: string): ManifestFileResult {
  const result: ManifestFileResult = { file, objects: [], errors: [], skipped: false };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    result.errors.push(`invalid JSON: ${(err as Error).message}`);
    return result;
  }
  const candidates = Array.isArray(value) ? value : [value];
  if (candidates.length === 0 || !candidates.every(looksLikeK8sObject)) {
    result.skipped = true; // e.g. cdk8s.json or a JSON report: not manifests
    return result;
  }
  candidates.forEach((obj, i) => result.objects.push(...expandList(file, Array.isArray(value) ? `#${i}` : '', obj)));
  return result;
}

export function loadManifestFile(file: string): ManifestFileResult {
  const text = fs.readFileSync(file, 'utf8');
  return path.extname(file).toLowerCase() === '.json' ? parseJson(file, text) : parseYaml(file, text);
}
