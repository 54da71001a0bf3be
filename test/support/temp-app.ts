import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';

const outdirs: string[] = [];
afterAll(() => outdirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/**
 * A cdk8s App whose outdir is a fresh temporary folder, removed after the test file's tests:
 * for tests that read what a synth writes beside the manifests.
 */
export function tempApp(prefix = 'modelship-'): App {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  outdirs.push(outdir);
  return new App({ outdir });
}
