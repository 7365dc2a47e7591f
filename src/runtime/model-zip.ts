/**
 * A model package as one .zip (model.json and one .onnx), read without
 * trusting it: a zip's central directory declares every entry's size, and
 * nothing is inflated until those sizes pass the limits.
 *
 * 1. List the entries (no inflating): names, declared sizes, methods.
 * 2. Pick model.json and the one .onnx; anything else is never inflated.
 *    Refuse duplicates, names outside the zip's folder ("../", "/…"), and
 *    unknown compression methods.
 * 3. Inflate model.json (at most LIMITS.manifestBytes) and validate it.
 * 4. The .onnx's declared size must be the manifest's file.bytes (when it
 *    gives one) and at most LIMITS.modelFileBytes; only then is it inflated,
 *    into a buffer of exactly that size (fflate never grows a buffer it is
 *    given, so an entry that lies about its size cannot grow past it).
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

/** Step 1: the central directory, nothing inflated. */
export function listZip(ff: Fflate, data: Uint8Array, zipName: string): ZipEntry[] {
  const entries: ZipEntry[] = [];
  try {
    ff.unzipSync(data, {
      filter: (f) => {
        if (entries.length >= MAX_ZIP_ENTRIES)
          throw zipError(zipName, `holds more than ${MAX_ZIP_ENTRIES} entries; a model package holds two (model.json and the .onnx).`);
        entries.push({ name: f.name, size: f.size, originalSize: f.originalSize, compression: f.compression });
        return false;
      },
    });
  } catch (e) {
    if (e instanceof RuntimeError) throw e;
    throw zipError(zipName, `is not a readable .zip (${messageOf(e)}). Zip model.json and model.onnx again and retry.`);
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

/**
 * Inflates one entry (by name) into a buffer of its declared size. Synchronous:
 * the app calls this in a worker (workers/serve-generator.ts), and fflate's
 * asynchronous unzip would start its own workers from blob: URLs, which the
 * Content-Security-Policy does not allow.
 */
function inflateEntry(ff: Fflate, data: Uint8Array, entry: ZipEntry, zipName: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = ff.unzipSync(data, { filter: (f) => f.name === entry.name })[entry.name];
  } catch (e) {
    throw zipError(zipName, `could not be inflated at ${entry.name} (${messageOf(e)}). Zip model.json and model.onnx again.`);
  }
  if (!bytes || bytes.byteLength !== entry.originalSize)
    throw zipError(zipName, `could not be inflated at ${entry.name} (${bytes?.byteLength ?? 0} of ${entry.originalSize} bytes; it is truncated). Zip model.json and model.onnx again.`);
  return bytes;
}

/** Reads a .zip model package (see the file comment); `zipName` is for messages. */
export async function readModelZip(data: Uint8Array, zipName: string): Promise<ZipPackage> {
  tooLarge(() => checkFileBytes(zipName, data.byteLength, LIMITS.zipBytes));
  const ff = await loadFflate();
  const picked = pickEntries(listZip(ff, data, zipName), zipName);
  tooLarge(() => checkFileBytes(`${picked.manifest.name} in ${zipName}`, picked.manifest.originalSize, LIMITS.manifestBytes));
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
