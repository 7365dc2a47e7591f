/**
 * Fuzz: PNG inputs through the CLI's pngToImage (img2img's --init): grey,
 * RGB, palette, grey+alpha and RGBA at 1–16 bits, then truncated, flipped,
 * or declaring huge sizes. A valid PNG must decode to exactly the pixels it
 * holds, fitted to the model size by media's fitImage (centre crop,
 * composited onto white, area-resized; its own unit tests check that); anything
 * else must end in an Error with a message, within the time and memory bounds.
 */
import { crc32, deflateSync } from 'node:zlib';
import { pngToImage } from '../../src/cli/images.ts';
import { fitImage } from '../../src/media/resize.ts';
import { b64, fuzzTarget, Wrong, type Rng } from './harness.ts';

interface PngCase {
  bytes: Uint8Array;
  channels: number;
  /** The RGBA8 pixels a correct decoder yields, when the file is unmutated and 8-bit exact. */
  expected?: { rgba: Uint8Array; width: number; height: number };
}

const SIZE = 28;
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const SAMPLES: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(data).copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

function ihdr(w: number, h: number, depth: number, colour: number): Buffer {
  const d = Buffer.alloc(13);
  d.writeUInt32BE(w >>> 0, 0);
  d.writeUInt32BE(h >>> 0, 4);
  d[8] = depth;
  d[9] = colour;
  return chunk('IHDR', d);
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A valid PNG of random pixels, with the RGBA8 a decoder must give (8-bit exact cases only). */
function validPng(rng: Rng): PngCase {
  const colour = rng.pick([0, 2, 3, 4, 6]);
  const depth = rng.pick(DEPTHS[colour]!);
  const width = rng.int(1, 64);
  const height = rng.int(1, 64);
  const samples = SAMPLES[colour]!;
  const max = 2 ** depth - 1;
  const palette = colour === 3 ? Array.from({ length: 2 ** depth }, () => [rng.int(0, 255), rng.int(0, 255), rng.int(0, 255)]) : [];
  const rowBits = width * samples * depth;
  const rowBytes = Math.ceil(rowBits / 8);
  const raw = Buffer.alloc(height * (rowBytes + 1));
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    raw[y * (rowBytes + 1)] = 0; // filter: none
    let bit = 0;
    for (let x = 0; x < width; x++) {
      const values = Array.from({ length: samples }, () => rng.int(0, max));
      for (const v of values) {
        if (depth === 16) raw.writeUInt16BE(v, y * (rowBytes + 1) + 1 + bit / 8);
        else {
          const at = y * (rowBytes + 1) + 1 + (bit >> 3);
          raw[at] = raw[at]! | (v << (8 - depth - (bit & 7)));
        }
        bit += depth;
      }
      const to8 = (v: number) => Math.round((v * 255) / max);
      const p = (y * width + x) * 4;
      const [r, g, b, a] =
        colour === 0 ? [to8(values[0]!), to8(values[0]!), to8(values[0]!), 255]
        : colour === 2 ? [to8(values[0]!), to8(values[1]!), to8(values[2]!), 255]
        : colour === 3 ? [...palette[values[0]!]!, 255]
        : colour === 4 ? [to8(values[0]!), to8(values[0]!), to8(values[0]!), to8(values[1]!)]
        : values.map(to8);
      rgba.set([r!, g!, b!, a!], p);
    }
  }
  const parts = [SIGNATURE, ihdr(width, height, depth, colour)];
  if (colour === 3) parts.push(chunk('PLTE', Uint8Array.from(palette.flat())));
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array()));
  // 16-bit samples are rounded to 8 bits by the decoder in its own way: check those for range only.
  const exact = depth === 8 || colour === 3 || (colour === 0 && depth < 8);
  return {
    bytes: new Uint8Array(Buffer.concat(parts)),
    channels: rng.pick([1, 3]),
    ...(exact ? { expected: { rgba, width, height } } : {}),
  };
}

function mutate(rng: Rng, png: PngCase): PngCase {
  const b = Buffer.from(png.bytes);
  const c = png.channels;
  switch (rng.int(0, 5)) {
    case 0:
      return { bytes: new Uint8Array(b.subarray(0, rng.int(0, b.length - 1))), channels: c };
    case 1: {
      for (let n = rng.int(1, 8); n > 0; n--) b[rng.int(0, b.length - 1)] = rng.int(0, 255);
      return { bytes: new Uint8Array(b), channels: c };
    }
    case 2: {
      // A valid IHDR (correct CRC) declaring a size the data does not hold.
      const huge = () => rng.pick([0, 1, 4096, 4097, 20000, 65535, 2 ** 31 - 1, 2 ** 32 - 1]);
      const head = ihdr(huge(), huge(), b[24]!, b[25]!);
      return { bytes: new Uint8Array(Buffer.concat([SIGNATURE, head, b.subarray(33)])), channels: c };
    }
    case 3: {
      // Bit depth and colour type that do not go together.
      const head = ihdr(b.readUInt32BE(16), b.readUInt32BE(20), rng.pick([0, 3, 5, 7, 8, 16, 32]), rng.pick([0, 1, 2, 3, 4, 5, 6, 7]));
      return { bytes: new Uint8Array(Buffer.concat([SIGNATURE, head, b.subarray(33)])), channels: c };
    }
    case 4: {
      // IDAT holding too little or too much data (valid CRC).
      const raw = rng.bytes(rng.int(0, 5000));
      const head = b.subarray(0, 33);
      return { bytes: new Uint8Array(Buffer.concat([head, chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array())])), channels: c };
    }
    default:
      return { bytes: rng.bytes(rng.int(0, 200)), channels: c };
  }
}

function check(input: PngCase, out: Float32Array): void {
  if (out.length !== input.channels * SIZE * SIZE) throw new Wrong(`${out.length} values; expected ${input.channels}×${SIZE}×${SIZE}`);
  if (!out.every((v) => Number.isFinite(v) && v >= -1 - 1e-6 && v <= 1 + 1e-6)) throw new Wrong('values outside [-1, 1]');
  const e = input.expected;
  if (!e) return;
  const want = fitImage(e.rgba, e.width, e.height, { channels: input.channels, height: SIZE, width: SIZE });
  const worst = want.reduce((m, v, i) => Math.max(m, Math.abs(v - out[i]!)), 0);
  if (worst > 1e-5) throw new Wrong(`decoded pixels differ from the file's by up to ${worst}`);
}

fuzzTarget('every PNG decodes to its own pixels, or fails with a message, in bounded time and memory', {
  name: 'png',
  budgetMs: 12000,
  maxCases: 4000,
  // A header at the limit (4096×4096) is decoded in full: about 2 s and 500 MiB on a 2-core machine.
  caseMs: 10000,
  generate: (rng) => {
    const png = validPng(rng);
    return rng.bool(0.35) ? png : mutate(rng, png);
  },
  run: (input) => pngToImage(input.bytes, input.channels, SIZE, SIZE),
  check,
  clearError: () => true,
  show: (input) => `channels ${input.channels}, png base64 ${b64(input.bytes)}`,
});
