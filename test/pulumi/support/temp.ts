/** Temporary directories for a test file, removed after it. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const created: string[] = [];
afterAll(() => created.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A new empty directory under the system's temporary directory, removed after the test file. */
export function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'modelship-pulumi-'));
  created.push(dir);
  return dir;
}
