/**
 * .zip model packages: sizes are checked from the central directory before
 * anything is inflated; only model.json and the one .onnx are ever read.
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/runtime/errors.ts';
import { readModelZip } from '../../src/runtime/model-zip.ts';
import { rejection } from '../support/rejection.ts';
import { buildZip, entry } from '../support/zip.ts';

const manifestText = readFileSync('public/models/fashion-28/model.json', 'utf8');
const onnx = new Uint8Array(readFileSync('public/models/fashion-28/model.onnx'));
const GiB = 2 ** 30;

async function refused(zip: Uint8Array): Promise<RuntimeError> {
  return rejection(readModelZip(zip, 'pkg.zip'), RuntimeError);
}

describe('readModelZip', () => {
  it('reads model.json and the .onnx, in a folder or not, and skips the rest', async () => {
    const zip = buildZip([
      entry('fashion/', '', true),
      entry('fashion/model.json', manifestText),
      entry('fashion/model.onnx', onnx),
      entry('fashion/README.txt', 'hello'),
      entry('__MACOSX/fashion/._model.json', 'junk'),
    ]);
    const pkg = await readModelZip(zip, 'pkg.zip');
    expect(pkg.manifest.id).toBe('fashion-28');
    expect(pkg.manifestText).toBe(manifestText);
    expect(Buffer.from(pkg.onnx).equals(Buffer.from(onnx))).toBe(true);
    expect(pkg.skipped).toEqual(['fashion/', 'fashion/README.txt', '__MACOSX/fashion/._model.json']);
  });

  it('a 2 MB zip declaring gigabytes is refused at once, without inflating', async () => {
    // 2 MiB of zeros per entry, each declaring 3 GiB: a bomb as its directory describes it.
    const chunk = deflateRawSync(new Uint8Array(2 * 2 ** 20));
    const bomb = buildZip([
      entry('model.json', manifestText),
      { name: 'model.onnx', stored: chunk, originalSize: 3 * GiB },
    ]);
    const before = process.memoryUsage().rss;
    const started = performance.now();
    const e = await refused(bomb);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 2 ** 20);
    expect(e.code).toBe('file-size');
    expect(e.message).toMatch(/^model\.onnx in pkg\.zip is 3221225472 bytes \(3 GiB\) but model\.json says file\.bytes = 2608120/);
  });

  it('with no file.bytes in model.json, the absolute cap applies', async () => {
    const json = JSON.parse(manifestText) as { file: Record<string, unknown> };
    json.file = { path: 'model.onnx' };
    const zip = buildZip([
      entry('model.json', JSON.stringify(json)),
      { name: 'model.onnx', stored: deflateRawSync(new Uint8Array(1024)), originalSize: 3 * GiB },
    ]);
    const e = await refused(zip);
    expect(e.code).toBe('too-large');
    expect(e.message).toBe('model.onnx in pkg.zip is 3 GiB; the limit is 512 MiB.');
  });

  it('an entry holding more than it declares is stopped at its declared size', async () => {
    const json = JSON.parse(manifestText) as { file: Record<string, unknown> };
    json.file = { path: 'model.onnx' };
    const liar = buildZip([
      entry('model.json', JSON.stringify(json)),
      { name: 'model.onnx', stored: deflateRawSync(new Uint8Array(32 * 2 ** 20)), originalSize: 1000 },
    ]);
    const started = performance.now();
    const e = await refused(liar);
    expect(performance.now() - started).toBeLessThan(200);
    expect(e.message).toBe(
      'pkg.zip could not be inflated at model.onnx (it holds more than the 1000 bytes it declares). Zip model.json and model.onnx again.',
    );
  });

  it('never inflates entries it does not read, however large they say they are', async () => {
    const zip = buildZip([
      entry('model.json', manifestText),
      entry('model.onnx', onnx),
      { name: 'extra.bin', stored: new Uint8Array(10), originalSize: 4 * GiB - 2 },
    ]);
    expect((await readModelZip(zip, 'pkg.zip')).skipped).toEqual(['extra.bin']);
  });

  it.each<[string, Uint8Array, RegExp]>([
    ['a huge model.json', buildZip([{ name: 'model.json', stored: new Uint8Array(4), originalSize: GiB }, entry('model.onnx', onnx)]), /^model\.json in pkg\.zip is 1 GiB; the limit is 1 MiB\.$/],
    ['duplicates', buildZip([entry('model.json', manifestText), entry('model.json', manifestText), entry('model.onnx', onnx)]), /^pkg\.zip holds “model\.json” twice/],
    ['traversal', buildZip([entry('../model.json', manifestText), entry('model.onnx', onnx)]), /^pkg\.zip has an entry named “\.\.\/model\.json” outside its own folder/],
    ['an absolute name', buildZip([entry('/etc/model.json', manifestText), entry('model.onnx', onnx)]), /outside its own folder/],
    ['two .onnx files', buildZip([entry('model.json', manifestText), entry('a.onnx', onnx), entry('b.onnx', onnx)]), /must hold exactly one \.onnx file; it holds 2/],
    ['no model.json', buildZip([entry('model.onnx', onnx)]), /holds no model\.json/],
    ['an unknown method', buildZip([entry('model.json', manifestText), { ...entry('model.onnx', onnx), method: 12 }]), /compression method 12/],
    ['not a zip', new TextEncoder().encode('hello, this is not a zip at all'), /^pkg\.zip is not a readable \.zip/],
    ['a truncated entry', buildZip([entry('model.json', manifestText), { ...entry('model.onnx', onnx), stored: entry('model.onnx', onnx).stored.subarray(0, 1000) }]), /could not be inflated at model\.onnx/],
  ])('refuses %s with a clear message', async (_what, zip, message) => {
    expect((await refused(zip)).message).toMatch(message);
  });
});
