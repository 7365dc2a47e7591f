/**
 * A model package as one .zip (model.json and one .onnx), read without
 * trusting it: a zip's central directory declares every entry's size, and
 * nothing is inflated until those sizes pass the limits.
 *
 * 1. List the entries from the central directory (read here, nothing
 *    inflated): names, declared sizes, methods, offsets.
 * 2. Pick model.json and the one .onnx; anything else is never inflated.
 *    Refuse duplicates, names outside the zip's folder ("../", "/…"), and
 *    unknown compression methods.
 * 3. Inflate model.json (at most LIMITS.manifestBytes) and validate it.
 * 4. The .onnx's declared size must be the manifest's file.bytes (when it
 *    gives one) and at most LIMITS.modelFileBytes; only then is it inflated,
 *    a few KiB at a time into a buffer of exactly that size, stopping as
 *    soon as the data would pass it (an entry that lies about its size
 *    costs no more time or memory than it declared).
 *
 * A 2 MB zip declaring gigabytes is refused in step 2 or 4 with no large
 * allocation; every failure is a RuntimeError ('zip-invalid' or 'too-large')
 * whose message names the entry and what to do.
 */
import { checkFileBytes, formatBytes, LIMITS } from '../core/limits.ts';
import type { ModelManifest } from '../core/manifest.ts';
import { messageOf, RuntimeError } from './errors.ts';
import { checkDeclaredSizes, parseManifest } from './model-package.ts';
import { tooLarge } from './request.ts';

/** An entry as the zip's central directory declares it. */
export interface ZipEntry {
  name: string;
  /** Compressed bytes. */
  size: number;
  /** Bytes once inflated, as declared. */
  originalSize: number;
  /** 0 stored, 8 deflate; anything else is refused. */
  compression: number;
  /** Offset of the entry's local header. */
  offset: number;
}

export interface ZipPackage {
  manifest: ModelManifest;
  manifestText: string;
  onnx: Uint8Array;
  /** Entries present but never read (other files, folders, hidden files). */
  skipped: string[];
}

/** More entries than any model package needs: a directory claiming more is refused while it is listed. */
export const MAX_ZIP_ENTRIES = 1000;

/** Compressed bytes handed to the inflater at a time: one push yields at most about 1000× this. */
const PUSH_BYTES = 8 * 1024;

type Fflate = typeof import('fflate');
let fflate: Promise<Fflate> | undefined;
/** fflate loads only when a .zip is read. */
function loadFflate(): Promise<Fflate> {
  fflate ??= import('fflate');
  return fflate;
}

function zipError(zipName: string, text: string): RuntimeError {
  return new RuntimeError('zip-invalid', `${zipName} ${text}`);
}

const base = (name: string) => name.split('/').pop() ?? name;
const isDir = (name: string) => name.endsWith('/');
/** macOS resource forks and dot files: never part of a package. */
const isHidden = (name: string) => name.startsWith('__MACOSX/') || base(name).startsWith('.');
const outside = (name: string) =>
  name.startsWith('/') || name.includes('\\') || /^[a-z]:/i.test(name) || name.split('/').includes('..');

const u16 = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number) => (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

/**
 * Step 1: the central directory, nothing inflated. Zip64 (sizes or counts of
 * 0xFFFF…) is refused: a model package within the limits never needs it.
 */
export function listZip(data: Uint8Array, zipName: string): ZipEntry[] {
  const unreadable = (why: string) =>
    zipError(zipName, `is not a readable .zip (${why}). Zip model.json and model.onnx again and retry.`);
  // The end-of-central-directory record: 22 bytes plus a comment of at most 65535.
  let end = -1;
  for (let at = data.length - 22; at >= 0 && at >= data.length - 22 - 0xffff; at--) {
    if (u32(data, at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) throw unreadable('no end of central directory');
  const count = u16(data, end + 10);
  let at = u32(data, end + 16);
  if (count === 0xffff || at === 0xffffffff) throw unreadable('zip64 archives are not read');
  if (count > MAX_ZIP_ENTRIES)
    throw zipError(zipName, `holds ${count} entries; a model package holds two (model.json and the .onnx).`);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > data.length || u32(data, at) !== 0x02014b50) throw unreadable(`central directory entry ${i + 1} is damaged or cut off`);
    const nameLength = u16(data, at + 28);
    const next = at + 46 + nameLength + u16(data, at + 30) + u16(data, at + 32);
    if (next > data.length) throw unreadable(`central directory entry ${i + 1} is cut off`);
    const entry: ZipEntry = {
      name: new TextDecoder().decode(data.subarray(at + 46, at + 46 + nameLength)),
      compression: u16(data, at + 10),
      size: u32(data, at + 20),
      originalSize: u32(data, at + 24),
      offset: u32(data, at + 42),
    };
    if (entry.size === 0xffffffff || entry.originalSize === 0xffffffff || entry.offset === 0xffffffff)
      throw unreadable(`${entry.name} uses zip64 sizes, which are not read`);
    entries.push(entry);
    at = next;
  }
  return entries;
}

/** Step 2: which entry is model.json and which the .onnx; every other entry is skipped. */
export function pickEntries(
  entries: readonly ZipEntry[],
  zipName: string,
): { manifest: ZipEntry; onnx: ZipEntry; skipped: string[] } {
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.name)) throw zipError(zipName, `holds “${e.name}” twice. Zip model.json and model.onnx again.`);
    seen.add(e.name);
    if (outside(e.name))
      throw zipError(zipName, `has an entry named “${e.name}” outside its own folder. Zip model.json and model.onnx again.`);
  }
  const files = entries.filter((e) => !isDir(e.name) && !isHidden(e.name));
  const json = files.filter((e) => e.name.toLowerCase().endsWith('.json'));
  const onnx = files.filter((e) => e.name.toLowerCase().endsWith('.onnx'));
  const named = json.filter((e) => base(e.name) === 'model.json');
  if (named.length > 1)
    throw zipError(zipName, `holds ${named.length} model.json files (${named.map((e) => e.name).join(', ')}); keep one.`);
  const manifest = named[0] ?? (json.length === 1 ? json[0] : undefined);
  if (!manifest) throw zipError(zipName, 'holds no model.json. Put model.json next to the .onnx file in the zip.');
  if (onnx.length !== 1) throw zipError(zipName, `must hold exactly one .onnx file; it holds ${onnx.length}.`);
  const model = onnx[0]!;
  for (const e of [manifest, model]) {
    if (e.compression !== 0 && e.compression !== 8)
      throw zipError(zipName, `stores ${e.name} with compression method ${e.compression}; only stored (0) and deflate (8) are read. Zip it again with ordinary compression.`);
    if (e.compression === 0 && e.size !== e.originalSize)
      throw zipError(zipName, `says ${e.name} is stored uncompressed but gives two sizes (${e.size} and ${e.originalSize}); the zip is damaged.`);
  }
  const skipped = entries.filter((e) => e !== manifest && e !== model).map((e) => e.name);
  return { manifest, onnx: model, skipped };
}

/** The entry's stored bytes, located through its local header. */
function storedBytes(data: Uint8Array, entry: ZipEntry, zipName: string): Uint8Array {
  const at = entry.offset;
  if (at + 30 > data.length || u32(data, at) !== 0x04034b50)
    throw zipError(zipName, `has a damaged local header for ${entry.name}. Zip model.json and model.onnx again.`);
  const start = at + 30 + u16(data, at + 26) + u16(data, at + 28);
  if (start + entry.size > data.length)
    throw zipError(zipName, `is cut off inside ${entry.name} (${data.length - start} of ${entry.size} bytes). Copy the .zip again.`);
  return data.subarray(start, start + entry.size);
}

/**
 * Inflates one entry into a buffer of exactly its declared size, a few KiB
 * at a time, and stops as soon as the data would pass that size: an entry
 * that lies about its size costs no more than it declared. Synchronous: the
 * app calls this in a worker (workers/serve-generator.ts), and fflate's
 * asynchronous inflate would start its own workers from blob: URLs, which
 * the Content-Security-Policy does not allow.
 */
function inflateEntry(ff: Fflate, data: Uint8Array, entry: ZipEntry, zipName: string): Uint8Array {
  const stored = storedBytes(data, entry, zipName);
  if (entry.compression === 0) return stored.slice();
  const out = new Uint8Array(entry.originalSize);
  let filled = 0;
  const fail = (why: string) =>
    zipError(zipName, `could not be inflated at ${entry.name} (${why}). Zip model.json and model.onnx again.`);
  const inflate = new ff.Inflate((chunk) => {
    if (filled + chunk.length > out.length) throw fail(`it holds more than the ${entry.originalSize} bytes it declares`);
    out.set(chunk, filled);
    filled += chunk.length;
  });
  try {
    for (let at = 0; at < stored.length || at === 0; at += PUSH_BYTES)
      inflate.push(stored.subarray(at, at + PUSH_BYTES), at + PUSH_BYTES >= stored.length);
  } catch (e) {
    throw e instanceof RuntimeError ? e : fail(messageOf(e));
  }
  if (filled !== out.length) throw fail(`${filled} of ${entry.originalSize} bytes; it is truncated`);
  return out;
}

/** Reads a .zip model package (see the file comment); `zipName` is for messages. */
export async function readModelZip(data: Uint8Array, zipName: string): Promise<ZipPackage> {
  tooLarge(() => checkFileBytes(zipName, data.byteLength, LIMITS.zipBytes));
  const picked = pickEntries(listZip(data, zipName), zipName);
  tooLarge(() => checkFileBytes(`${picked.manifest.name} in ${zipName}`, picked.manifest.originalSize, LIMITS.manifestBytes));
  const ff = await loadFflate();
  let manifestText: string;
  try {
    manifestText = new TextDecoder('utf-8', { fatal: true }).decode(inflateEntry(ff, data, picked.manifest, zipName));
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    throw zipError(zipName, `holds a ${picked.manifest.name} that is not UTF-8 text. Save model.json as UTF-8 and zip again.`);
  }
  const manifest = parseManifest(manifestText);
  checkDeclaredSizes(manifest);
  const declared = picked.onnx.originalSize;
  if (manifest.file.bytes > 0 && declared !== manifest.file.bytes)
    throw new RuntimeError(
      'file-size',
      `${picked.onnx.name} in ${zipName} is ${declared} bytes (${formatBytes(declared)}) but model.json says file.bytes = ${manifest.file.bytes}: the file is from another export or the zip is damaged. Zip the model.onnx that came with this model.json.`,
    );
  tooLarge(() => checkFileBytes(`${picked.onnx.name} in ${zipName}`, declared, LIMITS.modelFileBytes));
  const onnx = inflateEntry(ff, data, picked.onnx, zipName);
  return { manifest, manifestText, onnx, skipped: picked.skipped };
}
