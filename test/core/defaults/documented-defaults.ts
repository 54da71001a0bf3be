/**
 * Finds every `@default` TSDoc tag in lib/core, keyed `file:Owner.member`, so the defaults
 * tests can prove they cover each one with the text it documents.
 */
import * as fs from 'fs';
import * as path from 'path';

export const CORE_DIR = path.join(__dirname, '../../../lib/core');

/** One documented default. */
export interface DocumentedDefault {
  /** `service/props.ts:ResourceProps.cpu`: the file under lib/core, the interface or class, the member. */
  readonly key: string;
  /** The text after `@default`, e.g. `"1"` or `- no CPU limit`. */
  readonly text: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? sourceFiles(path.join(dir, entry.name)) : entry.name.endsWith('.ts') ? [path.join(dir, entry.name)] : []))
    .sort();
}

const OWNER = /^\s*export\s+(?:abstract\s+)?(?:interface|class)\s+(\w+)/;
// A property (`readonly cpu?: string`) or a method (`public static inImage(`) after the comment.
const MEMBER = /^\s*(?:readonly\s+(\w+)\??\s*:|(?:public\s+)?(?:static\s+)?(\w+)\s*\()/;

/** Every `@default` in lib/core, in file order. Throws if a tag cannot be attributed to a member. */
export function scanDocumentedDefaults(dir = CORE_DIR): DocumentedDefault[] {
  const found: DocumentedDefault[] = [];
  for (const file of sourceFiles(dir)) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    let owner = '';
    lines.forEach((line, i) => {
      owner = OWNER.exec(line)?.[1] ?? owner;
      const tag = /@default\s+(.*?)\s*(?:\*\/)?\s*$/.exec(line);
      if (!tag) return;
      // The member is the first declaration after the comment closes (on this line or later).
      let j = i;
      while (j < lines.length && !lines[j]!.includes('*/')) j++;
      let member: string | undefined;
      for (let k = j + 1; k < lines.length && member === undefined; k++) {
        const match = MEMBER.exec(lines[k]!);
        if (match) member = match[1] ?? match[2];
      }
      const rel = path.relative(dir, file).split(path.sep).join('/');
      if (!owner || !member) throw new Error(`${rel}:${i + 1}: @default not followed by a member of an exported interface or class`);
      found.push({ key: `${rel}:${owner}.${member}`, text: tag[1]! });
    });
  }
  return found;
}
