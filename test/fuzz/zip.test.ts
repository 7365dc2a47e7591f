/**
 * Fuzz: .zip model packages through readModelZip (what the app's import
 * runs in a worker): honest and lying declared sizes, real deflate bombs,
 * traversal names, duplicates, folders, unknown methods, truncation and
 * flipped bytes. Each ends in the package (model.json and the very .onnx
 * bytes zipped) or a RuntimeError with a message, fast and without a large
 * allocation.
 */
import { readFileSync } from 'node:fs';
import { createDeflateRaw } from 'node:zlib';
import { beforeAll } from 'vitest';
import { RuntimeError } from '../../src/runtime/errors.ts';
import { readModelZip, type ZipPackage } from '../../src/runtime/model-zip.ts';
import { buildZip, entry, type RawEntry } from '../support/zip.ts';
import { b64, fuzzTarget, Wrong, type Rng } from './harness.ts';

const manifestText = readFileSync('public/models/fashion-28/model.json', 'utf8');
const onnx = new Uint8Array(readFileSync('public/models/fashion-28/model.onnx'));
const MiB = 2 ** 20;

/** The .onnx entry, deflated once (deflating 2.6 MB per case would spend the budget on setup). */
const onnxEntries = new Map<string, RawEntry>();
function onnxEntry(name: string, store: boolean): RawEntry {
  const key = `${name}:${store}`;
  if (!onnxEntries.has(key)) onnxEntries.set(key, entry(name, onnx, store));
  return { ...onnxEntries.get(key)! };
}

/** 600 MiB of zeros deflated (about 0.6 MB), made in 1 MiB writes so the test never holds 600 MiB. */
let bomb: Uint8Array;
beforeAll(async () => {
  const deflate = createDeflateRaw({ level: 9 });
  const parts: Buffer[] = [];
  deflate.on('data', (b: Buffer) => parts.push(b));
  const zeros = Buffer.alloc(MiB);
  for (let i = 0; i < 600; i++) if (!deflate.write(zeros)) await new Promise((ok) => deflate.once('drain', ok));
  await new Promise((ok) => deflate.end(ok));
  bomb = new Uint8Array(Buffer.concat(parts));
});

interface ZipCase {
  zip: Uint8Array;
  /** The .onnx bytes a correct read returns, when the zip is honest and whole. */
  onnx?: Uint8Array;
}

const NAMES = ['model.json', 'model.onnx', 'm/model.json', 'm/model.onnx', '../model.json', '/abs/model.onnx', 'C:/x.onnx', 'a\\b.json', 'm/', '.hidden.json', '__MACOSX/m/._model.json', 'other.json', 'b.onnx', 'readme.txt', 'ÿ.onnx', ''];

function manifestFor(rng: Rng): string {
  const json = JSON.parse(manifestText) as { file: Record<string, unknown>; id: string };
  const k = rng.int(0, 4);
  if (k === 1) json.file = { path: 'model.onnx' };
  if (k === 2) json.file = { ...json.file, bytes: rng.pick([0, 1, 600 * MiB, 2 ** 32 - 1]) };
  if (k === 3) return manifestText.slice(0, rng.int(0, manifestText.length));
  return JSON.stringify(json);
}

function randomEntries(rng: Rng): { entries: RawEntry[]; onnx?: Uint8Array } {
  const entries: RawEntry[] = [];
  let honest = true;
  const json = entry(rng.pick(['model.json', 'model.json', 'pkg/model.json']), manifestFor(rng), rng.bool(0.3));
  entries.push(json);
  const kind = rng.int(0, 5);
  let model: RawEntry;
  if (kind === 0) {
    // A real bomb, its size declared honestly (600 MiB) or as a lie.
    model = { name: 'model.onnx', stored: bomb, originalSize: rng.bool() ? 600 * MiB : rng.pick([onnx.length, 1000, 0]) };
    honest = false;
  } else if (kind === 1) {
    // A size declared far beyond the data: a bomb as its directory describes it.
    model = { ...onnxEntry('model.onnx', false), originalSize: rng.pick([2 ** 32 - 1, 3 * 2 ** 30, onnx.length + 1, onnx.length - 1]) };
    honest = false;
  } else {
    model = onnxEntry(rng.pick(['model.onnx', 'pkg/model.onnx']), rng.bool(0.3));
  }
  entries.push(model);
  for (let n = rng.int(0, 3); n > 0; n--) {
    const name = rng.pick(NAMES);
    const data = rng.bytes(rng.int(0, 64));
    entries.push(rng.bool(0.2) ? { name, stored: data, originalSize: rng.int(0, 2 ** 32 - 1) } : entry(name, data, rng.bool()));
    honest = false;
  }
  if (rng.bool(0.1)) entries.push({ ...entries[0]! });
  if (rng.bool(0.1)) entries[rng.int(0, entries.length - 1)]!.method = rng.pick([1, 6, 12, 14, 99]);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return honest ? { entries, onnx } : { entries };
}

function generate(rng: Rng): ZipCase {
  const { entries, onnx: want } = randomEntries(rng);
  const zip = buildZip(entries);
  const k = rng.int(0, 9);
  if (k === 0) return { zip: zip.slice(0, rng.int(0, zip.length - 1)) };
  if (k === 1) {
    const bad = zip.slice();
    for (let n = rng.int(1, 6); n > 0; n--) bad[rng.int(Math.max(0, bad.length - 200), bad.length - 1)] = rng.int(0, 255);
    return { zip: bad };
  }
  if (k === 2) return { zip: rng.bytes(rng.int(0, 300)) };
  return want ? { zip, onnx: want } : { zip };
}

function check(input: ZipCase, pkg: ZipPackage): void {
  const declared = pkg.manifest.file.bytes;
  if (declared > 0 && pkg.onnx.byteLength !== declared)
    throw new Wrong(`returned ${pkg.onnx.byteLength} bytes of .onnx; model.json says ${declared}`);
  if (pkg.onnx.byteLength > 512 * MiB) throw new Wrong(`returned ${pkg.onnx.byteLength} bytes, over the limit`);
  if (input.onnx && !Buffer.from(pkg.onnx).equals(Buffer.from(input.onnx)))
    throw new Wrong('the .onnx bytes read differ from the ones zipped');
}

const show = (input: ZipCase) => {
  const text = b64(input.zip);
  return text.length > 4000 ? `zip of ${input.zip.length} bytes (base64 head ${text.slice(0, 4000)}…)` : `zip base64 ${text}`;
};

fuzzTarget('every zip yields its own package or a clear error, quickly and in bounded memory', {
  name: 'zip',
  budgetMs: 12000,
  maxCases: 3000,
  caseMs: 3000,
  generate,
  run: (input) => readModelZip(input.zip, 'pkg.zip'),
  check,
  clearError: (e) =>
    e instanceof RuntimeError && ['zip-invalid', 'too-large', 'file-size', 'manifest-json', 'manifest-invalid'].includes(e.code),
  show,
});
