/**
 * Memory is bounded before it is allocated: requests, pictures and decoded
 * images over core/limits.ts are refused quickly with one line giving the
 * number and the limit, in the CLI and in the runtime the app uses.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, parseArgs } from '../../src/cli/args.ts';
import { run } from '../../src/cli/generate.ts';
import { pngToImage } from '../../src/cli/images.ts';
import { generationBytes, LimitError, LIMITS } from '../../src/core/limits.ts';
import { validateManifest, type ModelManifest } from '../../src/core/manifest.ts';
import { encodeGif } from '../../src/media/gif.ts';
import { declaredImageSize } from '../../src/media/image-size.ts';
import { RuntimeError } from '../../src/runtime/errors.ts';
import { readModelPackage } from '../../src/runtime/model-package.ts';
import { checkRequest } from '../../src/runtime/request.ts';
import type { ProgressBar } from '../../src/cli/progress.ts';
import { rejection } from '../support/rejection.ts';

const tmp = mkdtempSync(join(tmpdir(), 'limits-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fashionText = readFileSync('public/models/fashion-28/model.json', 'utf8');
const fashion = validateManifest(JSON.parse(fashionText));

function quiet(): ProgressBar & { steps: number } {
  const bar = { steps: 0, note: () => undefined, update: () => void bar.steps++, done: () => undefined };
  return bar;
}

/** A model.json like fashion-28's with another image size (the validator's limit is 4096×4096). */
function manifestAt(channels: number, height: number, width: number): ModelManifest {
  const json = JSON.parse(fashionText) as { image: Record<string, unknown> };
  json.image = { ...json.image, channels, height, width };
  return validateManifest(json);
}

/** A PNG signature and IHDR chunk declaring w×h grey, then a tiny IDAT and IEND (not a valid image of that size). */
function pngHeader(w: number, h: number): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(data).copy(out, 8);
    return out; // CRC left 0: the header is refused before any CRC is read.
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grey
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1024))),
    chunk('IEND', new Uint8Array()),
  ]);
}

async function cliError(argv: string[]): Promise<{ message: string; steps: number }> {
  const bar = quiet();
  const e = await rejection(run(parseArgs(argv), bar), CliError);
  return { message: e.message, steps: bar.steps };
}

describe('the CLI refuses, before sampling, what would not fit', () => {
  it('--n 64 --scale 32 --gif: the GIF would pass the limit', async () => {
    const r = await cliError(['--model', 'fashion-28', '--n', '64', '--scale', '32', '--gif', '--out', join(tmp, 'a.png')]);
    expect(r.message).toMatch(/^--gif .*a\.gif \(7392×7392, 49 frames\) needs about [\d.]+ GiB; the limit is 768 MiB\. Use a smaller --scale or fewer images\.$/);
    expect(r.steps).toBe(0);
  });

  it('a model at the validator limits (4096×4096×3) with --n 16 is refused at load', async () => {
    const dir = join(tmp, 'huge');
    mkdirSync(dir, { recursive: true });
    const json = JSON.parse(fashionText) as { image: Record<string, unknown>; file: Record<string, unknown> };
    json.image = { ...json.image, channels: 3, height: 4096, width: 4096 };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const bar = quiet();
    const e = await rejection(run(parseArgs(['--model', dir, '--n', '16', '--out', join(tmp, 'h.png')]), bar), RuntimeError);
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/^Model fashion-28 \(4096×4096×3\) for one image needs about [\d.]+ GiB; the limit is 768 MiB\./);
    expect(bar.steps).toBe(0);
  });

  it('--init with a PNG that declares 20000×20000 is refused from its header', async () => {
    const path = join(tmp, 'big.png');
    writeFileSync(path, pngHeader(20000, 20000));
    const before = process.memoryUsage().rss;
    const r = await cliError(['--init', path, '--out', join(tmp, 'b.png')]);
    expect(r.message).toBe(
      `--init ${path}: the PNG is 20000×20000 (400.0 M pixels); the limit is 16.8 M pixels (4096×4096). Scale it down first.`,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 2 ** 20);
  });
});

describe('the runtime refuses requests and models over the limits', () => {
  it('a 512×512×3 model: 4 images pass, 64 do not', () => {
    const m = manifestAt(3, 512, 512);
    const request = { seed: 1, count: 4, steps: 10, sampler: 'ddim' as const, guidance: 3, labels: [1] };
    expect(() => checkRequest(request, m)).not.toThrow();
    let e: unknown;
    try {
      checkRequest({ ...request, count: 64 }, m);
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(RuntimeError);
    expect((e as RuntimeError).code).toBe('too-large');
    expect((e as Error).message).toMatch(/^64 images of 512×512×3 needs about [\d.]+ GiB; the limit is 768 MiB\. Ask for fewer images/);
  });

  it('keeping frames counts them', () => {
    const base = { shape: fashion.image, count: 64, guided: true, frames: 0 };
    expect(generationBytes({ ...base, frames: 49 }) - generationBytes(base)).toBe(49 * 64 * 28 * 28 * 4);
  });

  it('refuses an import whose model.json declares a file over the limit before reading the file', async () => {
    const json = JSON.parse(fashionText) as { file: Record<string, unknown> };
    json.file = { ...json.file, bytes: LIMITS.modelFileBytes + 1 };
    const e = await rejection(
      readModelPackage({ kind: 'files', manifestText: JSON.stringify(json), onnx: new Uint8Array(1) }),
      RuntimeError,
    );
    expect(e.code).toBe('too-large');
    expect(e.message).toMatch(/^model\.onnx \(file\.bytes\) is 512 MiB; the limit is 512 MiB\.$/);
  });

  it('encodeGif refuses a film over the limit before encoding a frame', () => {
    const frame = new Uint8ClampedArray(64 * 28 * 28 * 4);
    expect(() => encodeGif(Array(49).fill(frame), 64, 28, 28, 8, 32)).toThrow(LimitError);
  });
});

describe('declared image sizes', () => {
  it('reads PNG, GIF, JPEG and WebP headers', () => {
    expect(declaredImageSize(pngHeader(20000, 3))).toEqual({ format: 'png', width: 20000, height: 3 });
    const gif = Buffer.from('GIF89a\x10\x27\x02\x00', 'latin1');
    expect(declaredImageSize(gif)).toEqual({ format: 'gif', width: 10000, height: 2 });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0, 0xff, 0xc0, 0, 11, 8, 0x4e, 0x20, 0x27, 0x10, 3, 0, 0, 0]);
    expect(declaredImageSize(jpeg)).toEqual({ format: 'jpeg', width: 10000, height: 20000 });
    const webp = Buffer.alloc(30);
    webp.write('RIFF', 0, 'latin1');
    webp.write('WEBPVP8X', 8, 'latin1');
    webp.writeUIntLE(16383, 24, 3);
    webp.writeUIntLE(99, 27, 3);
    expect(declaredImageSize(webp)).toEqual({ format: 'webp', width: 16384, height: 100 });
    expect(declaredImageSize(new Uint8Array([1, 2, 3]))).toBeUndefined();
  });

  it('reads BMP headers (a negative height is a top-down bitmap) and AVIF/HEIF ispe boxes (the largest item)', () => {
    const bmp = Buffer.alloc(26);
    bmp.write('BM', 0, 'latin1');
    bmp.writeInt32LE(30000, 18);
    bmp.writeInt32LE(-20, 22);
    expect(declaredImageSize(bmp)).toEqual({ format: 'bmp', width: 30000, height: 20 });
    const ispe = (w: number, h: number) => {
      const box = Buffer.alloc(20);
      box.writeUInt32BE(20, 0);
      box.write('ispe', 4, 'latin1');
      box.writeUInt32BE(w, 12);
      box.writeUInt32BE(h, 16);
      return box;
    };
    const ftyp = Buffer.from('\0\0\0\x14ftypavif\0\0\0\0avifmif1', 'latin1');
    const avif = Buffer.concat([ftyp, Buffer.alloc(40), ispe(256, 256), ispe(16384, 16384), ispe(512, 512)]);
    expect(declaredImageSize(avif)).toEqual({ format: 'avif', width: 16384, height: 16384 });
    expect(declaredImageSize(ftyp)).toBeUndefined();
  });

  it('pngToImage refuses a header over the pixel limit without decoding', () => {
    expect(() => pngToImage(pngHeader(4097, 4097), 1, 28, 28)).toThrow(LimitError);
  });
});

describe('the app check before createImageBitmap', () => {
  it('refuses a picture whose header declares more than the limit, and passes an ordinary one', async () => {
    const { checkImageBlob } = await import('../../src/ui/image-limits.ts');
    await expect(checkImageBlob(new Blob([pngHeader(20000, 20000) as Uint8Array<ArrayBuffer>]), 'photo.png')).rejects.toThrow(
      'photo.png is 20000×20000 (400.0 M pixels); the limit is 16.8 M pixels (4096×4096). Scale it down first.',
    );
    await expect(checkImageBlob(new Blob([pngHeader(4000, 3000) as Uint8Array<ArrayBuffer>]), 'photo.png')).resolves.toBeUndefined();
  });

  it('reads on through a JPEG whose frame header comes after more than 256 KB of metadata', async () => {
    const { checkImageBlob } = await import('../../src/ui/image-limits.ts');
    const app1 = Buffer.alloc(4 + 60000);
    app1.writeUInt16BE(0xffe1, 0);
    app1.writeUInt16BE(60002, 2);
    const sof = Buffer.from([0xff, 0xc0, 0, 11, 8, 0x4e, 0x20, 0x4e, 0x20, 3, 0, 0, 0]);
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8]), app1, app1, app1, app1, app1, sof]);
    expect(jpeg.length).toBeGreaterThan(256 * 1024);
    await expect(checkImageBlob(new Blob([jpeg]), 'photo.jpg')).rejects.toThrow(/^photo\.jpg is 20000×20000 /);
  });

  it('refuses and closes a decoded bitmap over the limit (a format no header check reads)', async () => {
    const { checkDecoded } = await import('../../src/ui/image-limits.ts');
    let closed = false;
    const bitmap = { width: 16384, height: 16384, close: () => (closed = true) } as unknown as ImageBitmap;
    expect(() => checkDecoded(bitmap, 'photo.avif')).toThrow(/^photo\.avif is 16384×16384 /);
    expect(closed).toBe(true);
    const small = { width: 640, height: 480, close: () => (closed = false) } as unknown as ImageBitmap;
    expect(() => checkDecoded(small)).not.toThrow();
    expect(closed).toBe(true);
  });
});
