/**
 * A minimal, deterministic ZIP writer and reader (PKWARE APPNOTE 6.3.x, no Zip64), built on
 * Node's `zlib` only.
 *
 * Determinism: the bytes depend only on the entries (in the order given), their compression,
 * modes and the one timestamp every entry gets. Nothing is read from the clock, the file
 * system, the user or the host. DEFLATE output comes from the zlib bundled with Node.js
 * (Chromium's fork: its 4-byte match hash is portable across CPUs, but it skips some
 * 3-byte matches canonical zlib finds, so small files can deflate a few bytes differently
 * from CPython's `zipfile`; both are valid). It is stable for a given Node.js zlib, but a
 * Node.js upgrade may change it: content hashes meant to survive upgrades should hash the
 * inputs, or the archive should use `'stored'`.
 *
 * Layout written, per entry: local file header (no extra field, no data descriptor), then
 * the data; then the central directory in the same order; then the end-of-central-directory
 * record with no comment. Header fields follow what CPython's `zipfile` writes on Unix
 * (`version made by` = Unix / 2.0, `version needed` = 2.0, Unix mode in the upper 16 bits of
 * the external attributes, regular-file type bits included), except that the UTF-8 flag
 * (general purpose bit 11) is set on every entry.
 */
import { deflateRawSync, inflateRawSync } from 'zlib';

/** How an entry's data is stored: as is (method 0) or DEFLATE-compressed (method 8). */
export type ZipCompression = 'stored' | 'deflated';

/**
 * A DOS date and time (local time with no zone, as ZIP stores it). DOS time has a two-second
 * resolution: an odd `second` is written as the even second before it.
 */
export interface DosDateTime {
  /** 1980–2107. */
  readonly year: number;
  /** 1–12. */
  readonly month: number;
  /** 1–31 (checked against the month). */
  readonly day: number;
  /** 0–23; default 0. */
  readonly hour?: number;
  /** 0–59; default 0. */
  readonly minute?: number;
  /** 0–59; default 0. */
  readonly second?: number;
}

/** One file to write into an archive. */
export interface ZipEntryInput {
  /**
   * The path inside the archive: `/`-separated, relative, without empty, `.` or `..`
   * segments, backslashes or NUL, at most 65,535 bytes in UTF-8.
   */
  readonly path: string;
  /** The file's contents (at most 4 GiB - 1 bytes, before and after compression). */
  readonly data: Buffer;
  /** Unix permission bits (0–0o7777); default `0o644`. Written as a regular file. */
  readonly mode?: number;
  /** Overrides {@link ZipWriteOptions.compression} for this entry. */
  readonly compression?: ZipCompression;
}

/** Options for {@link writeZip}. */
export interface ZipWriteOptions {
  /** Compression of entries that don't set their own; default `'deflated'`. */
  readonly compression?: ZipCompression;
  /** DEFLATE level 0–9 for deflated entries; default 6 (zlib's default, as CPython's `zipfile` uses). */
  readonly level?: number;
  /** The modification time written on every entry; default {@link ZIP_EPOCH} (1980-01-01 00:00:00). */
  readonly modifiedAt?: DosDateTime;
}

/** One file read back by {@link readZip}. */
export interface ZipEntry {
  /** The path inside the archive (UTF-8 when flagged so, else decoded as CP437). */
  readonly path: string;
  /** The uncompressed contents, CRC- and size-checked. */
  readonly data: Buffer;
  /** How the entry was stored. */
  readonly compression: ZipCompression;
  /** Unix permission bits (`& 0o7777`) when the archive was made on Unix; otherwise `undefined`. */
  readonly mode: number | undefined;
  /** The raw 32-bit external file attributes from the central directory. */
  readonly externalAttributes: number;
  /** The general purpose bit flags from the central directory. */
  readonly flags: number;
  /** The CRC-32 of {@link ZipEntry.data}. */
  readonly crc32: number;
  /** The size of the stored (possibly compressed) data. */
  readonly compressedSize: number;
  /** The entry's DOS modification time. */
  readonly modifiedAt: Required<DosDateTime>;
}

/** The earliest DOS timestamp, 1980-01-01 00:00:00: the default for every entry. */
export const ZIP_EPOCH: Required<DosDateTime> = Object.freeze({ year: 1980, month: 1, day: 1, hour: 0, minute: 0, second: 0 });

/** The largest size or offset a ZIP without Zip64 can record: 4 GiB - 1 bytes. */
export const ZIP32_LIMIT = 0xffffffff;

/** Default Unix permission bits of an entry: `rw-r--r--`. */
export const ZIP_DEFAULT_MODE = 0o644;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const END_RECORD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const MAX_ENTRIES = 0xffff;
const VERSION_NEEDED = 20; // 2.0: DEFLATE; what CPython writes for stored entries too.
const VERSION_MADE_BY = (3 << 8) | 20; // host 3 = Unix, so readers honour the mode bits.
const FLAG_ENCRYPTED = 0x0001;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
const S_IFREG = 0o100000;

let crcTable: Uint32Array | undefined;

function table(): Uint32Array {
  if (crcTable) return crcTable;
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  crcTable = t;
  return t;
}

/**
 * CRC-32 (ISO-HDLC / ITU-T V.42: reflected polynomial 0xEDB88320, initial and final XOR
 * 0xFFFFFFFF) as ZIP, gzip and PNG use it. Pass the previous result as `previous` to
 * continue over data given in pieces.
 *
 * @example crc32(Buffer.from('123456789')) === 0xcbf43926
 */
export function crc32(data: Uint8Array, previous = 0): number {
  const t = table();
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = t[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

function encodeDosDateTime(t: DosDateTime): { date: number; time: number } {
  const { year, month, day } = t;
  const hour = t.hour ?? 0;
  const minute = t.minute ?? 0;
  const second = t.second ?? 0;
  const monthDays = isInt(year, 1980, 2107) && isInt(month, 1, 12) ? new Date(Date.UTC(year, month, 0)).getUTCDate() : 31;
  if (!isInt(year, 1980, 2107) || !isInt(month, 1, 12) || !isInt(day, 1, monthDays) || !isInt(hour, 0, 23) || !isInt(minute, 0, 59) || !isInt(second, 0, 59)) {
    throw new RangeError(`ZIP modification time ${JSON.stringify(t)} is not a valid DOS date and time between 1980-01-01 00:00:00 and 2107-12-31 23:59:59`);
  }
  return {
    date: ((year - 1980) << 9) | (month << 5) | day,
    time: (hour << 11) | (minute << 5) | (second >> 1),
  };
}

function decodeDosDateTime(date: number, time: number): Required<DosDateTime> {
  return {
    year: 1980 + (date >> 9),
    month: (date >> 5) & 0x0f,
    day: date & 0x1f,
    hour: time >> 11,
    minute: (time >> 5) & 0x3f,
    second: (time & 0x1f) * 2,
  };
}

/** Why `path` can't name a ZIP entry, or `undefined` when it can. */
function pathProblem(path: unknown): string | undefined {
  if (typeof path !== 'string' || path.length === 0) return 'must be a non-empty string';
  if (path.includes('\\') || path.includes('\0')) return 'must not contain a backslash or NUL';
  if (path.startsWith('/')) return 'must be relative (no leading "/")';
  if (path.split('/').some((s) => s === '' || s === '.' || s === '..')) return 'must not contain empty, "." or ".." segments';
  if (Buffer.byteLength(path, 'utf8') > 0xffff) return 'must be at most 65535 bytes in UTF-8';
  return undefined;
}

interface Prepared {
  readonly name: Buffer;
  readonly method: number;
  readonly data: Buffer;
  readonly size: number;
  readonly stored: Buffer;
  readonly externalAttributes: number;
}

/**
 * Writes a ZIP archive of `entries`, in the order given, with no directory entries. Identical
 * inputs give identical bytes.
 *
 * @throws RangeError naming the entry when a file, its compressed form or the archive would
 *   exceed 4 GiB - 1 bytes (Zip64 is not supported), when there are more than 65,535 entries,
 *   or when a mode, level or timestamp is out of range.
 * @throws Error when a path is malformed or used twice.
 */
export function writeZip(entries: readonly ZipEntryInput[], options: ZipWriteOptions = {}): Buffer {
  if (entries.length > MAX_ENTRIES) {
    throw new RangeError(`a ZIP without Zip64 holds at most ${MAX_ENTRIES} entries; got ${entries.length}`);
  }
  const level = options.level ?? 6;
  if (!isInt(level, 0, 9)) throw new RangeError(`DEFLATE level must be an integer 0-9; got ${String(level)}`);
  const defaultCompression = options.compression ?? 'deflated';
  const { date, time } = encodeDosDateTime(options.modifiedAt ?? ZIP_EPOCH);

  const seen = new Set<string>();
  const prepared: Prepared[] = [];
  const offsets: number[] = [];
  let offset = 0; // where the next local header goes
  let centralSize = 0;
  for (const entry of entries) {
    const problem = pathProblem(entry.path);
    if (problem) throw new Error(`ZIP entry path ${JSON.stringify(entry.path)} ${problem}`);
    if (seen.has(entry.path)) throw new Error(`ZIP entry path ${JSON.stringify(entry.path)} is used twice`);
    seen.add(entry.path);
    if (!Buffer.isBuffer(entry.data)) throw new TypeError(`ZIP entry ${JSON.stringify(entry.path)}: data must be a Buffer`);
    const size = entry.data.length;
    if (size > ZIP32_LIMIT) {
      throw new RangeError(`ZIP entry ${JSON.stringify(entry.path)} is ${size} bytes; without Zip64 an entry may be at most ${ZIP32_LIMIT} bytes (4 GiB - 1)`);
    }
    const mode = entry.mode ?? ZIP_DEFAULT_MODE;
    if (!isInt(mode, 0, 0o7777)) {
      throw new RangeError(`ZIP entry ${JSON.stringify(entry.path)}: mode must be an integer 0-0o7777 (permission bits); got ${String(mode)}`);
    }
    const compression = entry.compression ?? defaultCompression;
    if (compression !== 'stored' && compression !== 'deflated') {
      throw new RangeError(`ZIP entry ${JSON.stringify(entry.path)}: compression must be 'stored' or 'deflated'; got ${String(compression)}`);
    }
    const stored = compression === 'deflated' ? deflateRawSync(entry.data, { level }) : entry.data;
    if (stored.length > ZIP32_LIMIT) {
      throw new RangeError(`ZIP entry ${JSON.stringify(entry.path)} compresses to ${stored.length} bytes; without Zip64 an entry may be at most ${ZIP32_LIMIT} bytes (4 GiB - 1)`);
    }
    const name = Buffer.from(entry.path, 'utf8');
    // Checked for every entry before any CRC is computed, so an oversized archive fails fast.
    offsets.push(offset);
    offset += LOCAL_HEADER_SIZE + name.length + stored.length;
    centralSize += CENTRAL_HEADER_SIZE + name.length;
    if (offset + centralSize + END_RECORD_SIZE > ZIP32_LIMIT) {
      throw new RangeError(
        `ZIP archive would exceed ${ZIP32_LIMIT} bytes (4 GiB - 1) at entry ${JSON.stringify(entry.path)}; Zip64 is not supported`,
      );
    }
    prepared.push({
      name,
      method: compression === 'deflated' ? METHOD_DEFLATED : METHOD_STORED,
      data: entry.data,
      size,
      stored,
      externalAttributes: ((S_IFREG | mode) << 16) >>> 0,
    });
  }
  const total = offset + centralSize + END_RECORD_SIZE;

  const crcs = prepared.map((p) => crc32(p.data));
  const parts: Buffer[] = [];
  prepared.forEach((p, i) => {
    const h = Buffer.alloc(LOCAL_HEADER_SIZE);
    h.writeUInt32LE(SIG_LOCAL, 0);
    h.writeUInt16LE(VERSION_NEEDED, 4);
    h.writeUInt16LE(FLAG_UTF8, 6);
    h.writeUInt16LE(p.method, 8);
    h.writeUInt16LE(time, 10);
    h.writeUInt16LE(date, 12);
    h.writeUInt32LE(crcs[i]!, 14);
    h.writeUInt32LE(p.stored.length, 18);
    h.writeUInt32LE(p.size, 22);
    h.writeUInt16LE(p.name.length, 26);
    h.writeUInt16LE(0, 28); // extra field length
    parts.push(h, p.name, p.stored);
  });
  prepared.forEach((p, i) => {
    const h = Buffer.alloc(CENTRAL_HEADER_SIZE);
    h.writeUInt32LE(SIG_CENTRAL, 0);
    h.writeUInt16LE(VERSION_MADE_BY, 4);
    h.writeUInt16LE(VERSION_NEEDED, 6);
    h.writeUInt16LE(FLAG_UTF8, 8);
    h.writeUInt16LE(p.method, 10);
    h.writeUInt16LE(time, 12);
    h.writeUInt16LE(date, 14);
    h.writeUInt32LE(crcs[i]!, 16);
    h.writeUInt32LE(p.stored.length, 20);
    h.writeUInt32LE(p.size, 24);
    h.writeUInt16LE(p.name.length, 28);
    h.writeUInt16LE(0, 30); // extra field length
    h.writeUInt16LE(0, 32); // comment length
    h.writeUInt16LE(0, 34); // disk number start
    h.writeUInt16LE(0, 36); // internal attributes
    h.writeUInt32LE(p.externalAttributes, 38);
    h.writeUInt32LE(offsets[i]!, 42);
    parts.push(h, p.name);
  });
  const end = Buffer.alloc(END_RECORD_SIZE);
  end.writeUInt32LE(SIG_END, 0);
  end.writeUInt16LE(0, 4); // this disk
  end.writeUInt16LE(0, 6); // disk with the central directory
  end.writeUInt16LE(prepared.length, 8);
  end.writeUInt16LE(prepared.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(0, 20); // comment length
  parts.push(end);
  return Buffer.concat(parts, total);
}

// Code page 437, bytes 0x80-0xFF: what APPNOTE says names without the UTF-8 flag are in.
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

function decodeName(bytes: Buffer, utf8: boolean): string {
  if (utf8) return bytes.toString('utf8');
  let s = '';
  for (const b of bytes) s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80]!;
  return s;
}

function corrupt(what: string): Error {
  return new Error(`not a readable ZIP archive: ${what}`);
}

/**
 * Reads a ZIP archive through its central directory: every entry's path and inflated data,
 * in central-directory order. Checks signatures, sizes and CRC-32s, and that each local header
 * names the same file as the central directory.
 *
 * Supports what {@link writeZip} and common tools write: stored and deflated entries, one
 * disk, no encryption, no Zip64.
 *
 * @throws Error when the archive is malformed, truncated, or uses an unsupported feature.
 */
export function readZip(buf: Buffer): ZipEntry[] {
  if (!Buffer.isBuffer(buf)) throw new TypeError('readZip expects a Buffer');
  let endAt = -1;
  for (let i = buf.length - END_RECORD_SIZE; i >= 0 && i >= buf.length - END_RECORD_SIZE - MAX_COMMENT; i--) {
    if (buf.readUInt32LE(i) === SIG_END && i + END_RECORD_SIZE + buf.readUInt16LE(i + 20) === buf.length) {
      endAt = i;
      break;
    }
  }
  if (endAt < 0) throw corrupt('no end of central directory record');
  const disk = buf.readUInt16LE(endAt + 4);
  const cdDisk = buf.readUInt16LE(endAt + 6);
  const onDisk = buf.readUInt16LE(endAt + 8);
  const count = buf.readUInt16LE(endAt + 10);
  const cdSize = buf.readUInt32LE(endAt + 12);
  const cdOffset = buf.readUInt32LE(endAt + 16);
  if (count === 0xffff || cdSize === ZIP32_LIMIT || cdOffset === ZIP32_LIMIT) throw corrupt('Zip64 archives are not supported');
  if (disk !== 0 || cdDisk !== 0 || onDisk !== count) throw corrupt('multi-disk archives are not supported');
  if (cdOffset + cdSize > endAt) throw corrupt('central directory runs past its end record');

  const entries: ZipEntry[] = [];
  let at = cdOffset;
  for (let n = 0; n < count; n++) {
    if (at + CENTRAL_HEADER_SIZE > endAt || buf.readUInt32LE(at) !== SIG_CENTRAL) throw corrupt(`bad central directory header #${n + 1}`);
    const madeBy = buf.readUInt16LE(at + 4);
    const flags = buf.readUInt16LE(at + 8);
    const method = buf.readUInt16LE(at + 10);
    const time = buf.readUInt16LE(at + 12);
    const date = buf.readUInt16LE(at + 14);
    const crc = buf.readUInt32LE(at + 16);
    const compressedSize = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLength = buf.readUInt16LE(at + 28);
    const extraLength = buf.readUInt16LE(at + 30);
    const commentLength = buf.readUInt16LE(at + 32);
    const externalAttributes = buf.readUInt32LE(at + 38);
    const localOffset = buf.readUInt32LE(at + 42);
    const nameBytes = buf.subarray(at + CENTRAL_HEADER_SIZE, at + CENTRAL_HEADER_SIZE + nameLength);
    at += CENTRAL_HEADER_SIZE + nameLength + extraLength + commentLength;
    if (at > cdOffset + cdSize) throw corrupt(`central directory header #${n + 1} runs past the directory`);
    const path = decodeName(nameBytes, (flags & FLAG_UTF8) !== 0);
    const where = `entry ${JSON.stringify(path)}`;
    if (compressedSize === ZIP32_LIMIT || size === ZIP32_LIMIT || localOffset === ZIP32_LIMIT) throw corrupt(`${where} uses Zip64, which is not supported`);
    if (flags & FLAG_ENCRYPTED) throw corrupt(`${where} is encrypted`);
    if (method !== METHOD_STORED && method !== METHOD_DEFLATED) throw corrupt(`${where} uses compression method ${method}; only 0 (stored) and 8 (deflated) are supported`);

    if (localOffset + LOCAL_HEADER_SIZE > cdOffset || buf.readUInt32LE(localOffset) !== SIG_LOCAL) throw corrupt(`${where}: bad local header`);
    const localNameLength = buf.readUInt16LE(localOffset + 26);
    const localExtraLength = buf.readUInt16LE(localOffset + 28);
    const localName = buf.subarray(localOffset + LOCAL_HEADER_SIZE, localOffset + LOCAL_HEADER_SIZE + localNameLength);
    if (!localName.equals(nameBytes)) throw corrupt(`${where}: local header names a different file`);
    const dataStart = localOffset + LOCAL_HEADER_SIZE + localNameLength + localExtraLength;
    if (dataStart + compressedSize > cdOffset) throw corrupt(`${where}: data runs past the central directory`);
    const stored = buf.subarray(dataStart, dataStart + compressedSize);
    let data: Buffer;
    if (method === METHOD_DEFLATED) {
      try {
        data = inflateRawSync(stored);
      } catch (e) {
        throw corrupt(`${where}: cannot inflate (${(e as Error).message})`);
      }
    } else {
      data = Buffer.from(stored);
    }
    if (data.length !== size) throw corrupt(`${where}: size is ${data.length}, central directory says ${size}`);
    const actualCrc = crc32(data);
    if (actualCrc !== crc) throw corrupt(`${where}: CRC-32 is ${actualCrc.toString(16)}, central directory says ${crc.toString(16)}`);
    entries.push({
      path,
      data,
      compression: method === METHOD_DEFLATED ? 'deflated' : 'stored',
      mode: madeBy >> 8 === 3 ? (externalAttributes >>> 16) & 0o7777 : undefined,
      externalAttributes,
      flags,
      crc32: crc,
      compressedSize,
      modifiedAt: decodeDosDateTime(date, time),
    });
  }
  return entries;
}
