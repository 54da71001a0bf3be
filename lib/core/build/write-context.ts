import * as fs from 'fs';
import * as path from 'path';
import type { ImageBuildContext } from './context';

/**
 * Makes `directory` hold exactly the build context: the same bytes and modes its content-hash tag
 * covers. Files that already match are left untouched and files that are not part of the context
 * are removed (they would otherwise be sent to the builder), so repeated runs change nothing on disk.
 */
export function writeImageContext(directory: string, build: ImageBuildContext): void {
  const root = path.resolve(directory);
  const wanted = new Map(build.files.map((f) => [path.join(root, ...f.path.split('/')), f]));
  removeExtraneous(root, wanted);
  for (const [target, file] of wanted) {
    const current = fs.existsSync(target) ? fs.statSync(target) : undefined;
    if (current?.isFile() && (current.mode & 0o777) === file.mode && fs.readFileSync(target).equals(file.data)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    if (current) fs.rmSync(target, { recursive: true, force: true });
    fs.writeFileSync(target, file.data, { mode: file.mode });
    // writeFileSync applies the umask; set the mode the hash covers.
    fs.chmodSync(target, file.mode);
  }
}

/** Removes what is under `root` (absolute) but neither a file in `wanted` nor a folder on the way to one. */
function removeExtraneous(root: string, wanted: Map<string, unknown>): void {
  if (!fs.existsSync(root)) return;
  const folders = new Set([...wanted.keys()].flatMap((file) => ancestors(root, file)));
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && folders.has(full)) visit(full);
      else if (!(entry.isFile() && wanted.has(full))) fs.rmSync(full, { recursive: true, force: true });
    }
  };
  visit(root);
}

/** The folders between `root` and `file`, both absolute. */
function ancestors(root: string, file: string): string[] {
  const out: string[] = [];
  for (let dir = path.dirname(file); dir !== root && dir.startsWith(root + path.sep); dir = path.dirname(dir)) out.push(dir);
  return out;
}
