/**
 * Image files for the CLI: RGBA8 batches to a PNG grid, an animated GIF or a
 * NumPy array, and a PNG to the C×H×W floats in [-1, 1] that img2img starts from.
 */
import * as gifencModule from 'gifenc';
import type { Palette } from 'gifenc';
import { PNG } from 'pngjs';

// gifenc is CommonJS for Node (whose ESM loader then exposes only a default
// export holding the functions) and ESM for bundlers (named exports).
const gifenc =
  typeof gifencModule.GIFEncoder === 'function'
    ? gifencModule
    : (gifencModule as unknown as { default: typeof gifencModule }).default;
const { GIFEncoder, applyPalette, quantize } = gifenc;

export interface Grid {
  rgba: Uint8Array;
  width: number;
  height: number;
}

/** Lays `count` RGBA8 images of w×h on a grid of `cols` columns, each pixel scaled by `scale`, 1-scale gutters. */
export function tileGrid(
  rgba: Uint8Array | Uint8ClampedArray,
  count: number,
  w: number,
  h: number,
  cols: number,
  scale: number,
): Grid {
  const rows = Math.ceil(count / cols);
  const gap = count > 1 ? scale : 0;
  const width = cols * w * scale + (cols - 1) * gap;
  const height = rows * h * scale + (rows - 1) * gap;
  const out = new Uint8Array(width * height * 4);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  for (let k = 0; k < count; k++) {
    const ox = (k % cols) * (w * scale + gap);
    const oy = Math.floor(k / cols) * (h * scale + gap);
    for (let y = 0; y < h * scale; y++) {
      for (let x = 0; x < w * scale; x++) {
        const src = (k * w * h + Math.floor(y / scale) * w + Math.floor(x / scale)) * 4;
        const dst = ((oy + y) * width + ox + x) * 4;
        out[dst] = rgba[src]!;
        out[dst + 1] = rgba[src + 1]!;
        out[dst + 2] = rgba[src + 2]!;
        out[dst + 3] = rgba[src + 3]!;
      }
    }
  }
  return { rgba: out, width, height };
}

export function encodePng(grid: Grid): Uint8Array {
  return PNG.sync.write({ width: grid.width, height: grid.height, data: grid.rgba });
}

const GRAYS: Palette = Array.from({ length: 256 }, (_, v) => [v, v, v]);

function isGray(rgba: Uint8Array): boolean {
  for (let i = 0; i < rgba.length; i += 4)
    if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) return false;
  return true;
}

/** An animated GIF of grids; the last frame is held longer. Gray images keep all 256 levels. */
export function encodeGif(frames: Grid[], delayMs = 80): Uint8Array {
  const gif = GIFEncoder();
  frames.forEach((f, i) => {
    const gray = isGray(f.rgba);
    const palette = gray ? GRAYS : quantize(f.rgba, 256);
    const index = gray
      ? Uint8Array.from({ length: f.width * f.height }, (_, p) => f.rgba[p * 4]!)
      : applyPalette(f.rgba, palette);
    gif.writeFrame(index, f.width, f.height, {
      palette,
      delay: i === frames.length - 1 ? 1500 : delayMs,
      ...(i === 0 ? { repeat: 0 } : {}),
    });
  });
  gif.finish();
  return gif.bytes();
}

/**
 * A NumPy .npy file (format 1.0) of the batch as uint8, shape count×h×w×channels:
 * the pixels the PNG shows, in an array Python reads with numpy.load. Keeps
 * the model's first `channels` of each RGBA pixel.
 */
export function encodeNpy(
  rgba: Uint8Array | Uint8ClampedArray,
  count: number,
  h: number,
  w: number,
  channels: number,
): Uint8Array {
  if (rgba.length !== count * h * w * 4)
    throw new Error(`encodeNpy: ${rgba.length} bytes; expected ${count}×${h}×${w}×4 RGBA`);
  if (channels < 1 || channels > 4) throw new Error(`encodeNpy: channels ${channels}, expected 1..4`);
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${count}, ${h}, ${w}, ${channels}), }`;
  // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(10 + header.length + count * h * w * channels);
  out.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(new TextEncoder().encode(header), 10);
  let o = 10 + header.length;
  for (let p = 0; p < count * h * w; p++)
    for (let c = 0; c < channels; c++) out[o++] = rgba[p * 4 + c]!;
  return out;
}

/**
 * Decodes a PNG into `channels`×h×w floats in [-1, 1] (the model's range),
 * resizing by area averaging when its size differs. Alpha is composited on black.
 */
export function pngToImage(file: Uint8Array, channels: number, h: number, w: number): Float32Array {
  const png = PNG.sync.read(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
  const out = new Float32Array(channels * h * w);
  for (let y = 0; y < h; y++) {
    const y0 = (y * png.height) / h;
    const y1 = ((y + 1) * png.height) / h;
    for (let x = 0; x < w; x++) {
      const x0 = (x * png.width) / w;
      const x1 = ((x + 1) * png.width) / w;
      const rgb = [0, 0, 0];
      let area = 0;
      for (let sy = Math.floor(y0); sy < Math.ceil(y1); sy++) {
        const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
        for (let sx = Math.floor(x0); sx < Math.ceil(x1); sx++) {
          const wx = Math.min(x1, sx + 1) - Math.max(x0, sx);
          const p = (sy * png.width + sx) * 4;
          const a = png.data[p + 3]! / 255;
          for (let c = 0; c < 3; c++) rgb[c]! += wx * wy * a * png.data[p + c]!;
          area += wx * wy;
        }
      }
      const [r, g, b] = rgb.map((v) => v / area / 255) as [number, number, number];
      const values = channels === 1 ? [0.299 * r + 0.587 * g + 0.114 * b] : [r, g, b, 1];
      for (let c = 0; c < channels; c++) out[c * h * w + y * w + x] = (values[c] ?? 1) * 2 - 1;
    }
  }
  return out;
}
