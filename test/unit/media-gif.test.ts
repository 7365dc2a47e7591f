/**
 * src/media/gif.ts: the reverse-process GIF, decoded back by a small GIF reader
 * below (LZW included), so frames, sizes, timing and pixels are checked, not
 * just the magic bytes.
 */
import { describe, expect, it } from 'vitest';
import { GIF_FRAME_MS, GIF_HOLD_MS, encodeGif } from '../../src/media/gif.ts';
import { tileGrid } from '../../src/media/tile.ts';
import { api as gifWorker } from '../../src/ui/gif.worker.ts';

interface DecodedFrame {
  /** Centiseconds, as GIF stores it. */
  delay: number;
  /** RGB, 3 bytes a pixel. */
  rgb: Uint8Array;
  localPalette: boolean;
}

interface Decoded {
  width: number;
  height: number;
  loops: boolean;
  frames: DecodedFrame[];
}

/** GIF LZW: variable-width codes from 2^min + 2, clear and end-of-information codes. */
function lzw(minCodeSize: number, data: Uint8Array): number[] {
  const clear = 1 << minCodeSize;
  const fresh = () => Array.from({ length: clear + 2 }, (_, i) => [i]);
  let table = fresh();
  let size = minCodeSize + 1;
  let prev: number[] | undefined;
  const out: number[] = [];
  let [acc, bits, pos] = [0, 0, 0];
  for (;;) {
    while (bits < size) {
      if (pos >= data.length) return out;
      acc |= data[pos++]! << bits;
      bits += 8;
    }
    const code = acc & ((1 << size) - 1);
    acc >>>= size;
    bits -= size;
    if (code === clear) {
      [table, size, prev] = [fresh(), minCodeSize + 1, undefined];
      continue;
    }
    if (code === clear + 1) return out;
    const entry = code < table.length ? table[code]! : [...prev!, prev![0]!];
    out.push(...entry);
    if (prev && table.length < 4096) table.push([...prev, entry[0]!]);
    if (table.length === 1 << size && size < 12) size++;
    prev = entry;
  }
}

function decodeGif(bytes: Uint8Array): Decoded {
  const ascii = (a: number, n: number) => String.fromCharCode(...bytes.subarray(a, a + n));
  expect(ascii(0, 6)).toBe('GIF89a');
  const u16 = (a: number) => bytes[a]! | (bytes[a + 1]! << 8);
  const width = u16(6);
  const height = u16(8);
  let p = 13;
  const table = (flags: number) => {
    const n = 2 << (flags & 7);
    const colours = bytes.subarray(p, p + 3 * n);
    p += 3 * n;
    return colours;
  };
  const global = bytes[10]! & 0x80 ? table(bytes[10]!) : undefined;
  const blocks = () => {
    const parts: number[] = [];
    for (let n = bytes[p++]!; n > 0; n = bytes[p++]!) {
      parts.push(...bytes.subarray(p, p + n));
      p += n;
    }
    return Uint8Array.from(parts);
  };
  const frames: DecodedFrame[] = [];
  let loops = false;
  let delay = 0;
  for (;;) {
    const kind = bytes[p++];
    if (kind === 0x3b) return { width, height, loops, frames };
    if (kind === 0x21) {
      const label = bytes[p++];
      const body = blocks();
      if (label === 0xf9) delay = body[1]! | (body[2]! << 8);
      if (label === 0xff && String.fromCharCode(...body.subarray(0, 11)) === 'NETSCAPE2.0')
        loops = true;
      continue;
    }
    expect(kind).toBe(0x2c);
    const [fw, fh, flags] = [u16(p + 4), u16(p + 6), bytes[p + 8]!];
    expect([fw, fh]).toEqual([width, height]);
    p += 9;
    const local = flags & 0x80 ? table(flags) : undefined;
    const palette = (local ?? global)!;
    const minCodeSize = bytes[p++]!;
    const index = lzw(minCodeSize, blocks());
    expect(index.length).toBe(width * height);
    const rgb = new Uint8Array(width * height * 3);
    index.forEach((c, i) => rgb.set(palette.subarray(3 * c, 3 * c + 3), 3 * i));
    frames.push({ delay, rgb, localPalette: local !== undefined });
  }
}

/** The RGB of a tiled frame, what a decoded GIF frame should show. */
function expectedRGB(
  frame: Uint8ClampedArray,
  count: number,
  w: number,
  h: number,
  cols: number,
  scale: number,
) {
  const { rgba } = tileGrid(frame, count, w, h, cols, scale);
  return Uint8Array.from(
    { length: (rgba.length / 4) * 3 },
    (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]!,
  );
}

/** `n` frames of `count` images of w×h, from a seeded LCG; grey when `grey`. */
function film(n: number, count: number, w: number, h: number, grey: boolean, colours = 256) {
  let s = 12345;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) % colours;
  return Array.from({ length: n }, () => {
    const f = new Uint8ClampedArray(count * w * h * 4);
    for (let p = 0; p < f.length; p += 4) {
      const v = next();
      // Colour: a small palette of distinct hues, so quantization has room to be near-exact.
      f.set(grey ? [v, v, v, 255] : [(v * 37) % 256, (v * 91) % 256, (v * 53) % 256, 255], p);
    }
    return f;
  });
}

describe('encodeGif', () => {
  it('grey frames decode exactly: frame count, size, pixels, timing, looping', () => {
    const [count, w, h, cols, scale] = [3, 5, 4, 2, 2];
    const frames = film(4, count, w, h, true);
    const gif = decodeGif(encodeGif(frames, count, w, h, cols, scale));
    expect([gif.width, gif.height]).toEqual([2 * 10 + 2, 2 * 8 + 2]);
    expect(gif.loops).toBe(true);
    expect(gif.frames.length).toBe(4);
    gif.frames.forEach((f, i) =>
      expect(f.rgb).toEqual(expectedRGB(frames[i]!, count, w, h, cols, scale)),
    );
    expect(gif.frames.map((f) => f.delay)).toEqual([
      GIF_FRAME_MS / 10,
      GIF_FRAME_MS / 10,
      GIF_FRAME_MS / 10,
      GIF_HOLD_MS / 10,
    ]);
    // All grey: one global grey table, no local ones.
    expect(gif.frames.map((f) => f.localPalette)).toEqual([false, false, false, false]);
  });

  it('colour frames decode within rgb565 quantization', () => {
    const [count, w, h] = [2, 6, 6];
    const frames = film(3, count, w, h, false, 40);
    const gif = decodeGif(encodeGif(frames, count, w, h, 2, 3));
    expect([gif.width, gif.height]).toEqual([2 * 18 + 3, 18]);
    expect(gif.frames.length).toBe(3);
    gif.frames.forEach((f, i) => {
      const want = expectedRGB(frames[i]!, count, w, h, 2, 3);
      let worst = 0;
      want.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - f.rgb[j]!))));
      // rgb565 keeps 5 bits of red and blue: a colour moves by at most half a step of 8.
      expect(worst).toBeLessThanOrEqual(4);
    });
    expect(gif.frames.at(-1)!.delay).toBe(GIF_HOLD_MS / 10);
  });

  it('a colour frame after a grey first frame carries its own palette', () => {
    const grey = film(1, 1, 4, 4, true)[0]!;
    const colour = film(1, 1, 4, 4, false, 8)[0]!;
    const gif = decodeGif(encodeGif([grey, colour, grey], 1, 4, 4, 1));
    expect(gif.frames.map((f) => f.localPalette)).toEqual([false, true, false]);
    expect(gif.frames[2]!.rgb).toEqual(expectedRGB(grey, 1, 4, 4, 1, 1));
  });

  it('no frames is an error', () => {
    expect(() => encodeGif([], 1, 4, 4, 1)).toThrow('frames: got none; expected at least one');
  });

  it('the app’s GIF worker and the CLI (encodeGif) give the same bytes for the same frames', async () => {
    for (const grey of [true, false]) {
      const frames = film(3, 4, 7, 7, grey, 60);
      const cli = encodeGif(frames, 4, 7, 7, 2, 4);
      const app = await gifWorker.encode(frames, 4, 7, 7, 2, 4);
      expect(app).toEqual(cli);
    }
  });
});
