/**
 * Independent checks of archives with CPython's `zipfile` (python3 is on every machine of
 * this project's kind) and, where installed, Info-ZIP's `unzip`.
 */
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

/** What CPython's zipfile reports about one entry. */
export interface PyZipEntry {
  readonly filename: string;
  readonly compress_type: number;
  readonly flag_bits: number;
  readonly create_system: number;
  readonly external_attr: number;
  readonly date_time: number[];
  readonly file_size: number;
  readonly CRC: number;
  /** The entry's contents, base64. */
  readonly data: string;
}

/** What CPython's zipfile reports about one archive. */
export interface PyZipReport {
  /** `ZipFile.testzip()`: the first bad entry's name, or null when every CRC checks. */
  readonly testzip: string | null;
  readonly entries: PyZipEntry[];
}

const SCRIPT = `
import base64, io, json, sys, zipfile
out = []
for blob in json.load(sys.stdin):
    z = zipfile.ZipFile(io.BytesIO(base64.b64decode(blob)))
    out.append({
        "testzip": z.testzip(),
        "entries": [{
            "filename": i.filename, "compress_type": i.compress_type, "flag_bits": i.flag_bits,
            "create_system": i.create_system, "external_attr": i.external_attr,
            "date_time": list(i.date_time), "file_size": i.file_size, "CRC": i.CRC,
            "data": base64.b64encode(z.read(i)).decode("ascii"),
        } for i in z.infolist()],
    })
json.dump(out, sys.stdout)
`;

/** Reads each archive with CPython's zipfile (one python3 process for all of them). */
export function pythonReadZips(archives: readonly Buffer[]): PyZipReport[] {
  const input = JSON.stringify(archives.map((a) => a.toString('base64')));
  const out = execFileSync('python3', ['-c', SCRIPT], { input, maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(out.toString('utf8')) as PyZipReport[];
}

/** Runs a Python snippet with `data` on stdin and returns its stdout. */
export function python(script: string, data: Buffer | string = ''): string {
  return execFileSync('python3', ['-c', script], { input: data }).toString('utf8');
}

function has(cmd: string): boolean {
  try {
    execFileSync(cmd, ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Tests `archive` with Info-ZIP (`unzip -t`, then `zipinfo -1` for the names) when it is
 * installed, else with `python3 -m zipfile -t` and `-l`. Returns the tool used and the names
 * listed; throws (failing the test) if the tool finds the archive bad.
 */
export function externalList(archive: Buffer): { tool: string; names: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'modelship-zip-'));
  try {
    const file = join(dir, 'archive.zip');
    writeFileSync(file, archive);
    if (has('unzip')) {
      const test = execFileSync('unzip', ['-t', file]).toString('utf8');
      if (!/No errors detected/.test(test)) throw new Error(`unzip -t: ${test}`);
      const names = execFileSync('unzip', ['-Z1', file]).toString('utf8').split('\n').filter((l) => l !== '');
      return { tool: 'unzip', names };
    }
    execFileSync('python3', ['-m', 'zipfile', '-t', file]);
    const listing = execFileSync('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', file]).toString('utf8');
    return { tool: 'python3 -m zipfile', names: listing.split('\n').filter((l) => l !== '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
