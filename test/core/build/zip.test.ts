import { execFileSync } from 'child_process';
import * as fc from 'fast-check';
import * as zlib from 'zlib';
import { ZIP_EPOCH, crc32, readZip, writeZip, type ZipEntryInput } from '../../../lib/core/build';
import { externalList, pythonReadZips } from './python-zip';

/** Bit-at-a-time CRC-32, written from the definition, as an oracle for the table version. */
function crc32Reference(data: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** A buffer that claims `length` bytes without allocating them (for the size limits). */
function fakeBuffer(length: number): Buffer {
  const b = Buffer.alloc(0);
  Object.defineProperty(b, 'length', { value: length });
  return b;
}

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

const sample: ZipEntryInput[] = [
  { path: 'handler.py', data: Buffer.from('def handle(data, ctx):\n    return data\n') },
  { path: 'weights.bin', data: Buffer.from([0, 1, 2, 255, 254]), compression: 'stored' },
  { path: 'sub/dir/notes.txt', data: Buffer.from('hello '.repeat(200)), mode: 0o600 },
  { path: 'empty', data: Buffer.alloc(0) },
  { path: 'scripts/run.sh', data: Buffer.from('#!/bin/sh\n'), mode: 0o755, compression: 'stored' },
];

describe('crc32', () => {
  test('known check values', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(Buffer.alloc(0))).toBe(0);
    expect(crc32(Buffer.from('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
    expect(crc32(Buffer.from([0]))).toBe(0xd202ef8d);
  });

  test('continues over pieces', () => {
    const whole = crc32(Buffer.from('123456789'));
    expect(crc32(Buffer.from('6789'), crc32(Buffer.from('12345')))).toBe(whole);
  });

  test('matches a bit-at-a-time reference and zlib on random data', () => {
    // zlib.crc32 exists from Node.js 20.15; older versions fall back to the reference twice.
    const zlibCrc = (zlib as { crc32?: (d: Uint8Array) => number }).crc32 ?? crc32Reference;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        const got = crc32(bytes);
        expect(got).toBe(crc32Reference(bytes));
        expect(got).toBe(zlibCrc(bytes));
      }),
    );
  });
});

describe('writeZip / readZip', () => {
  test('round-trips paths, data, compression, modes and the default timestamp', () => {
    const entries = readZip(writeZip(sample));
    expect(entries.map((e) => e.path)).toEqual(sample.map((e) => e.path));
    entries.forEach((e, i) => {
      expect(e.data.equals(sample[i]!.data)).toBe(true);
      expect(e.crc32).toBe(crc32(sample[i]!.data));
      expect(e.modifiedAt).toEqual(ZIP_EPOCH);
      expect(e.flags & 0x0800).toBe(0x0800);
    });
    expect(entries.map((e) => e.compression)).toEqual(['deflated', 'stored', 'deflated', 'deflated', 'stored']);
    expect(entries.map((e) => e.mode)).toEqual([0o644, 0o644, 0o600, 0o644, 0o755]);
    // Regular-file type bits (S_IFREG) with the permissions, as CPython's zipfile writes them.
    expect(entries[0]!.externalAttributes).toBe(0o100644 * 0x10000);
    // Deflated data is actually compressed.
    expect(entries[2]!.compressedSize).toBeLessThan(entries[2]!.data.length);
  });

  test('writes the documented header fields', () => {
    const zip = writeZip([{ path: 'a.txt', data: Buffer.from('abc') }], { compression: 'stored' });
    expect(zip.readUInt32LE(0)).toBe(0x04034b50); // local header
    expect(zip.readUInt16LE(4)).toBe(20); // version needed 2.0
    expect(zip.readUInt16LE(6)).toBe(0x0800); // UTF-8 names
    expect(zip.readUInt16LE(8)).toBe(0); // stored
    expect(zip.readUInt16LE(10)).toBe(0); // 00:00:00
    expect(zip.readUInt16LE(12)).toBe((1 << 5) | 1); // 1980-01-01
    expect(zip.readUInt32LE(14)).toBe(crc32(Buffer.from('abc')));
    expect(zip.subarray(30, 35).toString()).toBe('a.txt');
    expect(zip.subarray(35, 38).toString()).toBe('abc');
    const cd = 38;
    expect(zip.readUInt32LE(cd)).toBe(0x02014b50);
    expect(zip.readUInt16LE(cd + 4)).toBe(0x0314); // made by Unix, 2.0
    expect(zip.readUInt32LE(cd + 38)).toBe(0x81a40000); // -rw-r--r--
    expect(zip.readUInt32LE(cd + 42)).toBe(0); // local header offset
    const end = zip.length - 22;
    expect(zip.readUInt32LE(end)).toBe(0x06054b50);
    expect(zip.readUInt16LE(end + 10)).toBe(1);
    expect(zip.readUInt32LE(end + 12)).toBe(46 + 5);
    expect(zip.readUInt32LE(end + 16)).toBe(cd);
    expect(zip.length).toBe(30 + 5 + 3 + 46 + 5 + 22);
  });

  test('an empty archive is just the end record', () => {
    const zip = writeZip([]);
    expect(zip.length).toBe(22);
    expect(readZip(zip)).toEqual([]);
  });

  test('the timestamp is configurable and odd seconds round down', () => {
    const at = { year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59 };
    const [entry] = readZip(writeZip([{ path: 'x', data: Buffer.from('x') }], { modifiedAt: at }));
    expect(entry!.modifiedAt).toEqual({ ...at, second: 58 });
  });

  test('identical inputs give identical bytes; any change gives different bytes', () => {
    const a = writeZip(sample);
    expect(writeZip(sample.map((e) => ({ ...e, data: Buffer.from(e.data) }))).equals(a)).toBe(true);
    expect(writeZip(sample, { modifiedAt: { year: 1980, month: 1, day: 2 } }).equals(a)).toBe(false);
    expect(writeZip([...sample].reverse()).equals(a)).toBe(false);
    expect(writeZip(sample, { compression: 'stored' }).equals(a)).toBe(false);
  });

  test('CPython zipfile reads the archive identically', () => {
    const withUnicode = [...sample, { path: 'données/naïve ✓.txt', data: Buffer.from('ünïcode') }];
    const [report] = pythonReadZips([writeZip(withUnicode)]);
    expect(report!.testzip).toBeNull();
    expect(report!.entries.map((e) => e.filename)).toEqual(withUnicode.map((e) => e.path));
    report!.entries.forEach((e, i) => {
      const input = withUnicode[i]!;
      expect(Buffer.from(e.data, 'base64').equals(input.data)).toBe(true);
      expect(e.compress_type).toBe(input.compression === 'stored' ? 0 : 8);
      expect(e.create_system).toBe(3);
      expect(e.external_attr >>> 16).toBe(0o100000 | (input.mode ?? 0o644));
      expect(e.date_time).toEqual([1980, 1, 1, 0, 0, 0]);
      expect(e.flag_bits & 0x800).toBe(0x800);
      expect(e.CRC).toBe(crc32(input.data));
      expect(e.file_size).toBe(input.data.length);
    });
  });

  test('unzip (or python3 -m zipfile) tests and lists the archive', () => {
    const { names } = externalList(writeZip(sample));
    expect(names).toEqual(sample.map((e) => e.path));
  });

  test('reads an archive written by CPython zipfile', () => {
    const out = execFileSync('python3', [
      '-c',
      'import io, sys, zipfile\n' +
        'b = io.BytesIO()\n' +
        'with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:\n' +
        '    z.writestr("a/b.txt", "hello " * 50)\n' +
        '    z.writestr(zipfile.ZipInfo("s.bin", (2001, 2, 3, 4, 5, 6)), b"\\x00\\x01", compress_type=zipfile.ZIP_STORED)\n' +
        'sys.stdout.buffer.write(b.getvalue())',
    ]);
    const entries = readZip(out);
    expect(entries.map((e) => [e.path, e.compression, e.data.toString('latin1')])).toEqual([
      ['a/b.txt', 'deflated', 'hello '.repeat(50)],
      ['s.bin', 'stored', '\x00\x01'],
    ]);
    expect(entries[1]!.modifiedAt).toEqual({ year: 2001, month: 2, day: 3, hour: 4, minute: 5, second: 6 });
    expect(entries[0]!.mode).toBe(0o600); // writestr's default
  });

  test('random entry sets round-trip through readZip', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_. é✓-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    const entryArb = fc.record({
      path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
      data: fc.uint8Array({ maxLength: 3000 }).map((a) => Buffer.from(a)),
      mode: fc.option(fc.integer({ min: 0, max: 0o7777 }), { nil: undefined }),
      compression: fc.option(fc.constantFrom('stored' as const, 'deflated' as const), { nil: undefined }),
    });
    const entriesArb = fc.uniqueArray(entryArb, { selector: (e) => e.path, maxLength: 12 });
    fc.assert(
      fc.property(entriesArb, (entries) => {
        const zip = writeZip(entries);
        expect(writeZip(entries).equals(zip)).toBe(true);
        const back = readZip(zip);
        expect(back.map((e) => e.path)).toEqual(entries.map((e) => e.path));
        back.forEach((e, i) => {
          expect(e.data.equals(entries[i]!.data)).toBe(true);
          expect(e.mode).toBe(entries[i]!.mode ?? 0o644);
          expect(e.compression).toBe(entries[i]!.compression ?? 'deflated');
        });
      }),
      { numRuns: 150 },
    );
  });

  test('random entry sets round-trip through CPython zipfile', () => {
    const segment = fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/);
    const entriesArb = fc.uniqueArray(
      fc.record({
        path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
        data: fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a)),
        compression: fc.constantFrom('stored' as const, 'deflated' as const),
      }),
      { selector: (e) => e.path, maxLength: 8 },
    );
    const sets = fc.sample(entriesArb, { numRuns: 40, seed: 42 });
    const reports = pythonReadZips(sets.map((s) => writeZip(s)));
    reports.forEach((report, n) => {
      expect(report.testzip).toBeNull();
      expect(report.entries.map((e) => [e.filename, e.data])).toEqual(sets[n]!.map((e) => [e.path, e.data.toString('base64')]));
    });
  });
});

describe('writeZip limits and input errors', () => {
  test('rejects an entry over 4 GiB - 1 with a RangeError naming it', () => {
    const err = thrown(() => writeZip([{ path: 'ok', data: Buffer.from('x') }, { path: 'big/weights.bin', data: fakeBuffer(2 ** 32) }]));
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('ZIP entry "big/weights.bin" is 4294967296 bytes; without Zip64 an entry may be at most 4294967295 bytes (4 GiB - 1)');
  });

  test('rejects an archive that would exceed 4 GiB - 1, naming the entry that crosses it', () => {
    const err = thrown(() =>
      writeZip([
        { path: 'a', data: fakeBuffer(2 ** 31), compression: 'stored' },
        { path: 'b', data: fakeBuffer(2 ** 31), compression: 'stored' },
      ]),
    );
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe('ZIP archive would exceed 4294967295 bytes (4 GiB - 1) at entry "b"; Zip64 is not supported');
  });

  test('rejects malformed and duplicate paths, bad modes and bad timestamps', () => {
    const one = (path: string): ZipEntryInput[] => [{ path, data: Buffer.alloc(0) }];
    expect(thrown(() => writeZip(one(''))).message).toBe('ZIP entry path "" must be a non-empty string');
    expect(thrown(() => writeZip(one('/etc/passwd'))).message).toBe('ZIP entry path "/etc/passwd" must be relative (no leading "/")');
    expect(thrown(() => writeZip(one('a/../b'))).message).toBe('ZIP entry path "a/../b" must not contain empty, "." or ".." segments');
    expect(thrown(() => writeZip(one('a\\b'))).message).toBe('ZIP entry path "a\\\\b" must not contain a backslash or NUL');
    expect(thrown(() => writeZip(one('dir/'))).message).toBe('ZIP entry path "dir/" must not contain empty, "." or ".." segments');
    expect(thrown(() => writeZip([...one('x'), ...one('x')])).message).toBe('ZIP entry path "x" is used twice');
    const badMode = thrown(() => writeZip([{ path: 'x', data: Buffer.alloc(0), mode: 0o10000 }]));
    expect(badMode).toBeInstanceOf(RangeError);
    expect(badMode.message).toBe('ZIP entry "x": mode must be an integer 0-0o7777 (permission bits); got 4096');
    const badTime = thrown(() => writeZip(one('x'), { modifiedAt: { year: 2023, month: 2, day: 29 } }));
    expect(badTime).toBeInstanceOf(RangeError);
    expect(badTime.message).toBe(
      'ZIP modification time {"year":2023,"month":2,"day":29} is not a valid DOS date and time between 1980-01-01 00:00:00 and 2107-12-31 23:59:59',
    );
    expect(thrown(() => writeZip(one('x'), { modifiedAt: { year: 1979, month: 12, day: 31 } }))).toBeInstanceOf(RangeError);
    expect(thrown(() => writeZip(one('x'), { level: 10 })).message).toBe('DEFLATE level must be an integer 0-9; got 10');
  });
});

describe('readZip on bad input', () => {
  const good = writeZip([{ path: 'a.txt', data: Buffer.from('hello hello hello') }], { compression: 'stored' });

  test('rejects data without an end record', () => {
    expect(thrown(() => readZip(Buffer.from('not a zip at all, not even close'))).message).toBe(
      'not a readable ZIP archive: no end of central directory record',
    );
  });

  test('detects a corrupted byte through the CRC', () => {
    const bad = Buffer.from(good);
    bad[30 + 5] ^= 0xff; // first data byte
    expect(thrown(() => readZip(bad)).message).toMatch(/^not a readable ZIP archive: entry "a\.txt": CRC-32 is [0-9a-f]+, central directory says [0-9a-f]+$/);
  });

  test('detects a local header that disagrees with the central directory', () => {
    const bad = Buffer.from(good);
    bad[30] = 'b'.charCodeAt(0); // local name a.txt -> b.txt
    expect(thrown(() => readZip(bad)).message).toBe('not a readable ZIP archive: entry "a.txt": local header names a different file');
  });

  test('rejects truncated archives', () => {
    expect(() => readZip(good.subarray(0, good.length - 1))).toThrow('not a readable ZIP archive');
  });
});
