import { inflateRawSync } from "node:zlib";

// DOCX and EPUB files are zip archives. Their entries are read here, never inflated past what their
// headers declare, and those declarations are bounded before anything is inflated: a zip bomb (a few
// kilobytes that inflate to gigabytes) is refused, not unpacked into memory.

export interface ZipLimits {
  /** Entries in the archive. */
  maxEntries: number;
  /** One entry, inflated. */
  maxEntryBytes: number;
  /** All entries read from one archive, inflated. */
  maxTotalBytes: number;
  /** Inflated ÷ compressed size of an entry over 1 MB: XML and XHTML deflate at 5–30 to 1. */
  maxRatio: number;
}

/** A 1,000-page Word document's XML is about 30 MB; a book's chapters are a few MB together. */
export const ZIP_LIMITS: ZipLimits = { maxEntries: 20_000, maxEntryBytes: 64 * 1024 * 1024, maxTotalBytes: 128 * 1024 * 1024, maxRatio: 200 };

export class ZipError extends Error {
  override name = "ZipError";
}

/** An archive over the limits (a zip bomb, or simply too big): skipped with the reason, not failed. */
export class ZipLimitError extends ZipError {
  override name = "ZipLimitError";
}

export interface ZipEntry {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  size: number;
  headerOffset: number;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MB = 1024 * 1024;

export class ZipArchive {
  readonly entries: Map<string, ZipEntry>;
  private inflated = 0;

  constructor(
    private readonly bytes: Buffer,
    private readonly limits: ZipLimits = ZIP_LIMITS,
  ) {
    this.entries = readDirectory(bytes, limits);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Checks an entry's declared size and ratio, and the archive's total, before inflating any of it. */
  check(name: string): ZipEntry {
    const entry = this.entries.get(name);
    if (!entry) throw new ZipError(`it has no ${name}`);
    const { limits } = this;
    if (entry.flags & 1) throw new ZipError(`${name} is encrypted`);
    if (entry.size > limits.maxEntryBytes) throw new ZipLimitError(`${name} would inflate to ${mb(entry.size)}; the limit is ${mb(limits.maxEntryBytes)}`);
    if (entry.size > MB && entry.size > entry.compressedSize * limits.maxRatio) {
      throw new ZipLimitError(`${name} would inflate ${Math.round(entry.size / Math.max(1, entry.compressedSize))} times over (a zip bomb?)`);
    }
    if (this.inflated + entry.size > limits.maxTotalBytes) throw new ZipLimitError(`its entries would inflate to over ${mb(limits.maxTotalBytes)}`);
    return entry;
  }

  /** An entry's bytes: inflated no further than its declared size, which check() has bounded. */
  read(name: string): Buffer {
    const entry = this.check(name);
    const { bytes } = this;
    const at = entry.headerOffset;
    if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL) throw new ZipError(`${name} is damaged (no local header)`);
    const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (data.length < entry.compressedSize) throw new ZipError(`${name} is cut short`);
    let out: Buffer;
    if (entry.method === 0) {
      if (entry.compressedSize !== entry.size) throw new ZipError(`${name} is damaged (stored size mismatch)`);
      out = data;
    } else if (entry.method === 8) {
      try {
        // maxOutputLength makes zlib stop at the declared size: an entry whose header lies fails here.
        out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ERR_BUFFER_TOO_LARGE") throw new ZipLimitError(`${name} inflates to more than its header says (a zip bomb?)`);
        throw new ZipError(`${name} is damaged (${(error as Error).message})`);
      }
    } else {
      throw new ZipError(`${name} uses compression method ${entry.method}, which is not read`);
    }
    this.inflated += out.length;
    return out;
  }

  text(name: string): string {
    return new TextDecoder("utf-8").decode(this.read(name));
  }
}

function readDirectory(bytes: Buffer, limits: ZipLimits): Map<string, ZipEntry> {
  const eocd = findEnd(bytes);
  const count = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  const offset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || offset === 0xffffffff) throw new ZipError("it is a ZIP64 archive, which is not read");
  if (count > limits.maxEntries) throw new ZipLimitError(`it has ${count} entries; the limit is ${limits.maxEntries}`);
  if (offset + size > bytes.length) throw new ZipError("its zip directory is cut short");
  const entries = new Map<string, ZipEntry>();
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL) throw new ZipError("its zip directory is damaged");
    const nameLength = bytes.readUInt16LE(at + 28);
    const name = bytes.toString("utf8", at + 46, at + 46 + nameLength);
    entries.set(name, {
      name,
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      size: bytes.readUInt32LE(at + 24),
      headerOffset: bytes.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

/** The end-of-directory record: the last 22 bytes, or further back past a comment of up to 64 KB. */
function findEnd(bytes: Buffer): number {
  for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
    if (bytes.readUInt32LE(at) === EOCD) return at;
  }
  throw new ZipError("it is not a zip archive");
}

function mb(bytes: number): string {
  return `${(bytes / MB).toFixed(0)} MB`;
}
