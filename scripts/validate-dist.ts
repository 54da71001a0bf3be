/**
 * CI gate: validate every Kubernetes object rendered under a directory.
 *
 *   npx ts-node -T scripts/validate-dist.ts dist [--allow-empty]
 *
 * Walks the directory recursively, reads *.yaml/*.yml (all documents) and *.json files
 * holding Kubernetes objects, validates them all together (so Service -> workload port
 * references are checked too) and exits 1 listing every problem. What else a synth writes is
 * checked for what it is: `compose.yaml` against the Compose specification's schema; the image
 * build contexts (`images/`) and Compose's config files (`config/`) hold the user's own files
 * and are not manifests.
 */
import * as fs from 'fs';
import * as path from 'path';
import { findManifestFiles, loadManifestFile, type ManifestObject } from '../test/support/k8s-manifest-files';
import { composeSchemaErrors } from '../test/core/compose/compose-schema';
import { celProblems, registerCustomResourceSchemas } from '../test/support/crd-schemas';
import { validateK8sObjects } from '../test/support/k8s-validate';

/** Top-level folders of a synth that are not manifests. */
const NOT_MANIFESTS = ['images', 'config'];
/** The Compose file a synth writes. */
const COMPOSE_FILES = ['compose.yaml'];

function main(argv: string[]): number {
  const allowEmpty = argv.includes('--allow-empty');
  const dirs = argv.filter((a) => !a.startsWith('--'));
  if (dirs.length !== 1) {
    console.error('usage: validate-dist <directory> [--allow-empty]');
    return 2;
  }
  const dir = path.resolve(dirs[0]!);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`validate-dist: ${dir} is not a directory (did the synth step run?)`);
    return 2;
  }

  const lines: string[] = [];
  const objects: ManifestObject[] = [];
  let files = 0;
  let composeFiles = 0;
  for (const name of COMPOSE_FILES) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) continue;
    composeFiles++;
    for (const e of composeSchemaErrors(JSON.parse(fs.readFileSync(file, 'utf8')))) lines.push(`${path.relative(process.cwd(), file)}: ${e}`);
  }
  const skip = new Set([...NOT_MANIFESTS.map((d) => path.join(dir, d)), ...COMPOSE_FILES.map((f) => path.join(dir, f))]);
  for (const file of findManifestFiles(dir).filter((f) => ![...skip].some((s) => f === s || f.startsWith(`${s}${path.sep}`)))) {
    const result = loadManifestFile(file);
    const rel = path.relative(process.cwd(), file);
    for (const e of result.errors) lines.push(`${rel}${e.startsWith('#') ? '' : ': '}${e}`);
    if (result.objects.length > 0) files++;
    objects.push(...result.objects);
  }

  // KEDA and Prometheus Operator objects are checked against their CRDs' schemas, plus the CEL
  // rules the API server would enforce.
  registerCustomResourceSchemas();
  objects.forEach((o) => celProblems(o.object as object).forEach((p) => lines.push(`${path.relative(process.cwd(), o.file)}${o.where}: ${p}`)));
  const results = validateK8sObjects(objects.map((o) => o.object));
  for (const r of results) {
    const src = objects[r.index]!;
    const at = `${path.relative(process.cwd(), src.file)}${src.where}`;
    for (const p of r.problems) lines.push(`${at} ${r.label}: ${p.path || '(root)'}: ${p.message}`);
  }

  console.log(`validated ${objects.length} objects in ${files} files, and ${composeFiles} Compose file(s) against the Compose specification`);
  if (objects.length === 0 && !allowEmpty) {
    console.error(`validate-dist: no Kubernetes objects found under ${dir} (pass --allow-empty if that is expected)`);
    return 1;
  }
  if (lines.length > 0) {
    console.error(`${lines.length} problem(s):`);
    for (const line of lines) console.error(`  ${line}`);
    return 1;
  }
  return 0;
}

process.exitCode = main(process.argv.slice(2));
