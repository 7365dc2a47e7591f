/**
 * Test-only: a small GIF reader (LZW included), so tests check a GIF's
 * frames, sizes, timing, palettes and pixels, not just its magic bytes.
 * Reads what gifenc writes: GIF89a, full-size frames, no interlacing.
 */
import { tileGrid } from '../../src/media/tile.ts';

export interface DecodedFrame {
  /** Centiseconds, as GIF stores it. */
  delay: number;
  /** RGB, 3 bytes a pixel. */
  rgb: Uint8Array;
  /** The colour table the frame was drawn with (its own or the global one), RGB triples. */
  palette: Uint8Array;
  localPalette: boolean;
}

export interface DecodedGif {
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

export function decodeGif(bytes: Uint8Array): DecodedGif {
  const ascii = (a: number, n: number) => String.fromCharCode(...bytes.subarray(a, a + n));
  if (ascii(0, 6) !== 'GIF89a')
    throw new Error(`not a GIF89a: starts with ${JSON.stringify(ascii(0, 6))}`);
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
    if (kind !== 0x2c) throw new Error(`unexpected block 0x${kind?.toString(16)} at byte ${p - 1}`);
    const [fw, fh, flags] = [u16(p + 4), u16(p + 6), bytes[p + 8]!];
    if (fw !== width || fh !== height)
      throw new Error(`frame ${frames.length} is ${fw}×${fh}; the GIF is ${width}×${height}`);
    p += 9;
    const local = flags & 0x80 ? table(flags) : undefined;
    const palette = local ?? global;
    if (!palette) throw new Error(`frame ${frames.length} has no colour table`);
    const minCodeSize = bytes[p++]!;
    const index = lzw(minCodeSize, blocks());
    if (index.length !== width * height)
      throw new Error(
        `frame ${frames.length} decodes to ${index.length} pixels; expected ${width * height}`,
      );
    const rgb = new Uint8Array(width * height * 3);
    index.forEach((c, i) => rgb.set(palette.subarray(3 * c, 3 * c + 3), 3 * i));
    frames.push({ delay, rgb, palette, localPalette: local !== undefined });
  }
}

/** The RGB a decoded frame should show: `frame` (count RGBA8 images of w×h) tiled as encodeGif tiles it. */
export function tiledRGB(
  frame: Uint8ClampedArray,
  count: number,
  w: number,
  h: number,
  cols: number,
  scale: number,
): Uint8Array {
  const { rgba } = tileGrid(frame, count, w, h, cols, scale);
  return Uint8Array.from(
    { length: (rgba.length / 4) * 3 },
    (_, i) => rgba[Math.floor(i / 3) * 4 + (i % 3)]!,
  );
}
