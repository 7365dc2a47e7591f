/**
 * A batch of images on one grid, scaled up by a whole factor: what the CLI
 * writes as a PNG, and what every GIF frame is (CLI and app alike).
 */
import { imageAt, type Pixels } from './rgba.ts';

/** An RGBA8 picture of width×height. */
export interface Raster {
  rgba: Pixels;
  width: number;
  height: number;
}

/**
 * The size of tileGrid's output: `cols` columns of images of w×h, each source
 * pixel drawn scale×scale, with a one-source-pixel gutter between neighbours
 * (none for a single image).
 */
export function gridSize(
  count: number,
  w: number,
  h: number,
  cols: number,
  scale: number,
): { width: number; height: number } {
  const rows = Math.ceil(count / cols);
  const gap = count > 1 ? scale : 0;
  return {
    width: cols * w * scale + (cols - 1) * gap,
    height: rows * h * scale + (rows - 1) * gap,
  };
}

/**
 * Lays `count` RGBA8 images of w×h (one after another in `rgba`) on a grid of
 * `cols` columns, scaled up `scale` times by nearest neighbour. Gutters and
 * empty cells are opaque black. With count 1 this is a plain upscale.
 */
export function tileGrid(
  rgba: Pixels,
  count: number,
  w: number,
  h: number,
  cols: number,
  scale = 1,
): Raster & { rgba: Uint8ClampedArray } {
  if (!Number.isInteger(scale) || scale < 1) {
    throw new Error(`scale: got ${scale}; expected a whole number ≥ 1`);
  }
  if (rgba.length < count * w * h * 4) {
    throw new Error(`rgba: got ${rgba.length} bytes; expected ${count}×${w}×${h}×4 at least`);
  }
  const { width, height } = gridSize(count, w, h, cols, scale);
  const gap = count > 1 ? scale : 0;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  const row = new Uint8ClampedArray(w * scale * 4);
  for (let k = 0; k < count; k++) {
    const image = imageAt(rgba, k, w, h);
    const ox = (k % cols) * (w * scale + gap);
    const oy = Math.floor(k / cols) * (h * scale + gap);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w * scale; x++) {
        const src = (y * w + Math.floor(x / scale)) * 4;
        for (let c = 0; c < 4; c++) row[x * 4 + c] = image[src + c]!;
      }
      for (let r = 0; r < scale; r++) out.set(row, ((oy + y * scale + r) * width + ox) * 4);
    }
  }
  return { rgba: out, width, height };
}
