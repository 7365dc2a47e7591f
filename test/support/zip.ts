/**
 * Test-only: zip archives built by hand, so a test can declare any sizes,
 * names, methods and duplicates (what a hostile zip does), not only what a
 * well-behaved zipper writes. CRCs are 0: the reader does not check them.
 */
import { deflateRawSync } from 'node:zlib';

export interface RawEntry {
  name: string;
  /** The bytes stored in the zip (already deflated when method is 8). */
  stored: Uint8Array;
  method?: number;
  /** What the central directory declares once inflated; default: the real size. */
  originalSize?: number;
  /** What the central directory declares stored; default: stored.length. */
  size?: number;
}

/** An entry of `data`, deflated (method 8) unless `store`. */
export function entry(name: string, data: Uint8Array | string, store = false): RawEntry {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return store
    ? { name, stored: bytes, method: 0, originalSize: bytes.length }
    : { name, stored: deflateRawSync(bytes), method: 8, originalSize: bytes.length };
}

export function buildZip(entries: readonly RawEntry[]): Uint8Array {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const size = e.size ?? e.stored.length;
    const original = e.originalSize ?? e.stored.length;
    const local = Buffer.alloc(30 + name.length);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x800, 6); // UTF-8 names
    local.writeUInt16LE(e.method ?? 8, 8);
    local.writeUInt32LE(size >>> 0, 18);
    local.writeUInt32LE(original >>> 0, 22);
    local.writeUInt16LE(name.length, 26);
    name.copy(local, 30);
    const central = Buffer.alloc(46 + name.length);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x800, 8);
    central.writeUInt16LE(e.method ?? 8, 10);
    central.writeUInt32LE(size >>> 0, 20);
    central.writeUInt32LE(original >>> 0, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    name.copy(central, 46);
    locals.push(local, Buffer.from(e.stored));
    centrals.push(central);
    offset += local.length + e.stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}
