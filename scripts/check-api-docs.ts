/**
 * Generates API.md (one Markdown file at the repository root) from the TSDoc comments in lib/,
 * or checks that the committed API.md is up to date.
 *
 *   ts-node -T scripts/check-api-docs.ts           # write API.md          (npm run docs)
 *   ts-node -T scripts/check-api-docs.ts --check   # fail if API.md is stale (npm run docs:check)
 *
 * TypeDoc with typedoc-plugin-markdown (settings in typedoc.json) writes one page per entry
 * module (index.md for `modelship`, core.md for `modelship/core`) plus an index page; it has no
 * single-file output. This script renders into a temporary directory and joins the module pages
 * deterministically: root module first, then the others by path. HTML anchors (`useHTMLAnchors`)
 * are prefixed per page so they stay unique, and links between pages are rewritten to in-file
 * anchors. Every in-file link is then checked to resolve, so a broken cross-reference fails here
 * rather than on GitHub.
 *
 * Output is deterministic: no sources/git links (disableSources, disableGit), no timestamps, no
 * absolute paths (the script fails if the temporary directory or repository path leaks in).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const REPO_ROOT = path.resolve(__dirname, '..');
const API_MD = path.join(REPO_ROOT, 'API.md');
const PACKAGE_NAME: string = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).name;
const STALE_MESSAGE = 'API.md is stale: run npm run docs';

/** Runs TypeDoc (typedoc.json) into `outDir`; throws if it fails. */
function runTypedoc(outDir: string): void {
  const typedocBin = path.join(path.dirname(require.resolve('typedoc/package.json')), 'bin', 'typedoc');
  const result = spawnSync(
    process.execPath,
    [typedocBin, '--options', path.join(REPO_ROOT, 'typedoc.json'), '--out', outDir, '--logLevel', 'Warn'],
    { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } },
  );
  if (result.stdout) process.stdout.write(result.stdout);
  if (result.stderr) process.stderr.write(result.stderr);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`check-api-docs: typedoc failed (exit ${result.status ?? result.signal}); API.md not generated.`);
  }
}

function listMarkdown(dir: string, rel = ''): string[] {
  return fs
    .readdirSync(path.join(dir, rel), { withFileTypes: true })
    .flatMap((entry) => {
      const relPath = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return listMarkdown(dir, relPath);
      return entry.name.endsWith('.md') ? [relPath] : [];
    });
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

interface Page {
  /** Path relative to the TypeDoc output directory, with forward slashes. */
  readonly file: string;
  /** Prefix for this page's anchors (empty for the root module page). */
  readonly prefix: string;
  /** Anchor of the page itself. */
  readonly anchor: string;
  /** Module import path shown in the heading (`modelship`, `modelship/core`), if a module page. */
  readonly title: string;
  readonly text: string;
}

/** Joins TypeDoc's pages into the text of API.md. */
function assemble(outDir: string): string {
  const files = listMarkdown(outDir)
    .filter((f) => f !== 'README.md') // the project index page: replaced by our own contents list
    .sort((a, b) => (a === 'index.md' ? -1 : b === 'index.md' ? 1 : a < b ? -1 : a > b ? 1 : 0));
  if (!files.includes('index.md')) {
    throw new Error(`check-api-docs: TypeDoc produced no index.md (root module page); got ${files.join(', ')}`);
  }

  const pages: Page[] = files.map((file) => {
    const base = file.replace(/\.md$/, '');
    const isTopModule = !base.includes('/');
    const title = base === 'index' ? PACKAGE_NAME : isTopModule ? `${PACKAGE_NAME}/${base}` : base;
    return {
      file,
      prefix: base === 'index' ? '' : `${slugify(base)}-`,
      anchor: `module-${slugify(title)}`,
      title,
      text: fs.readFileSync(path.join(outDir, file), 'utf8'),
    };
  });
  const byFile = new Map(pages.map((p) => [p.file, p]));

  const rewriteLinks = (page: Page, text: string): string =>
    text.replace(/\]\(([^()\s]*?)(#[^()\s]*)?\)/g, (match, target: string, hash: string | undefined) => {
      if (target === '' && hash) return `](#${page.prefix}${hash.slice(1)})`;
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || !target.endsWith('.md')) return match; // external
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(page.file), target));
      const dest = byFile.get(resolved);
      if (!dest) {
        if (resolved === 'README.md') return `](#${pages[0].anchor})`;
        throw new Error(`check-api-docs: ${page.file} links to ${target}, which TypeDoc did not generate`);
      }
      return hash ? `](#${dest.prefix}${hash.slice(1)})` : `](#${dest.anchor})`;
    });

  const sections = pages.map((page) => {
    let text = page.text.replace(/\r\n/g, '\n').trim();
    // Retitle the page's H1 ("# index", "# core") with the import path.
    text = text.replace(/^# .*$/m, `# \`${page.title}\``);
    text = text.replace(/<a id="([^"]+)"><\/a>/g, (_m, id: string) => `<a id="${page.prefix}${id}"></a>`);
    text = rewriteLinks(page, text);
    return `<a id="${page.anchor}"></a>\n\n${text}\n`;
  });

  const contents = pages.map((p) => `- [\`${p.title}\`](#${p.anchor})`).join('\n');
  const doc = [
    `# ${PACKAGE_NAME} API reference`,
    '',
    '<!-- Generated by `npm run docs` (TypeDoc + typedoc-plugin-markdown, settings in typedoc.json) from the',
    '     TSDoc comments in lib/. Do not edit by hand; `npm run docs:check` fails when this file is stale. -->',
    '',
    `The package root \`${PACKAGE_NAME}\` is the cdk8s entry point and re-exports the framework-neutral core;`,
    `\`${PACKAGE_NAME}/core\` is the core alone, and \`${PACKAGE_NAME}/pulumi\` the Pulumi front end over the same core.`,
    '',
    contents,
    '',
    sections.join('\n***\n\n'),
  ].join('\n');
  return doc.replace(/[ \t]+$/gm, '').trimEnd() + '\n';
}

/** Fails when the document would differ between machines or has dangling in-file links. */
function verify(doc: string, outDir: string): void {
  const problems: string[] = [];
  for (const leak of [outDir, fs.realpathSync(outDir), REPO_ROOT]) {
    if (doc.includes(leak)) problems.push(`contains the absolute path ${leak}`);
  }
  const ids = [...doc.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) problems.push(`duplicate anchor #${id}`);
    seen.add(id);
  }
  const dangling = new Set<string>();
  for (const m of doc.matchAll(/\]\(#([^()\s]+)\)/g)) {
    if (!seen.has(m[1])) dangling.add(m[1]);
  }
  for (const id of dangling) problems.push(`link to missing anchor #${id}`);
  if (problems.length > 0) {
    throw new Error(`check-api-docs: generated API.md is not acceptable:\n  ${problems.join('\n  ')}`);
  }
}

/** 1-based line of the first difference, with both versions of that line. */
function firstDifference(a: string, b: string): string {
  const la = a.split('\n');
  const lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) {
      return `first difference at line ${i + 1}:\n  committed: ${JSON.stringify(la[i] ?? '<end of file>')}\n  generated: ${JSON.stringify(lb[i] ?? '<end of file>')}`;
    }
  }
  return 'files differ';
}

function main(): void {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: check-api-docs [--check]   (unknown argument ${unknown[0]})`);
    process.exit(64);
  }
  const check = args.includes('--check');

  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelship-api-docs-'));
  try {
    runTypedoc(outDir);
    const doc = assemble(outDir);
    verify(doc, outDir);
    if (!check) {
      fs.writeFileSync(API_MD, doc);
      console.log(`check-api-docs: wrote API.md (${doc.split('\n').length} lines)`);
      return;
    }
    const committed = fs.existsSync(API_MD) ? fs.readFileSync(API_MD, 'utf8') : undefined;
    if (committed === undefined) {
      console.error(`${STALE_MESSAGE} (API.md does not exist)`);
      process.exitCode = 1;
    } else if (committed !== doc) {
      console.error(`${STALE_MESSAGE}\n${firstDifference(committed, doc)}`);
      process.exitCode = 1;
    } else {
      console.log('check-api-docs: API.md is up to date');
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
