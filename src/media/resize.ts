/**
 * Resizing a model-space image (C×H×W floats) by area averaging: each output
 * pixel is the mean of the source area it covers, weighted by overlap, so a
 * large photo or icon shrinks to the model's size without aliasing. Works in
 * float, so a 2:1 shrink of black and white stripes is exactly mid-grey (0).
 * `fitImage` is the one way a picture becomes a model input, in the app and
 * in the CLI alike, so the same file gives the same start image in both.
 */
import type { ImageShape } from '../core/types.ts';
import { rgbaToCHW, type Pixels } from './rgba.ts';

/** x (from.channels×from.height×from.width) → from.channels×height×width. */
export function resizeArea(
  x: Float32Array,
  from: ImageShape,
  height: number,
  width: number,
): Float32Array {
  const { channels: C, height: H, width: W } = from;
  if (x.length !== C * H * W) {
    throw new Error(`x: got ${x.length} floats; expected ${C}×${H}×${W} = ${C * H * W}`);
  }
  if (H === height && W === width) return x.slice();
  const out = new Float32Array(C * height * width);
  for (let y = 0; y < height; y++) {
    const y0 = (y * H) / height;
    const y1 = ((y + 1) * H) / height;
    for (let xo = 0; xo < width; xo++) {
      const x0 = (xo * W) / width;
      const x1 = ((xo + 1) * W) / width;
      const sum = new Array<number>(C).fill(0);
      let area = 0;
      for (let sy = Math.floor(y0); sy < Math.ceil(y1); sy++) {
        const wy = Math.min(y1, sy + 1) - Math.max(y0, sy);
        for (let sx = Math.floor(x0); sx < Math.ceil(x1); sx++) {
          const wxy = (Math.min(x1, sx + 1) - Math.max(x0, sx)) * wy;
          for (let c = 0; c < C; c++) sum[c]! += wxy * x[c * H * W + sy * W + sx]!;
          area += wxy;
        }
      }
      for (let c = 0; c < C; c++) out[c * height * width + y * width + xo] = sum[c]! / area;
    }
  }
  return out;
}

/** The largest centred box of `shape`'s aspect ratio inside a w×h picture (at least 1×1). */
export function centreCrop(
  w: number,
  h: number,
  shape: ImageShape,
): { left: number; top: number; width: number; height: number } {
  const width = Math.max(1, Math.min(w, Math.round((h * shape.width) / shape.height)));
  const height = Math.max(1, Math.min(h, Math.round((w * shape.height) / shape.width)));
  return { left: Math.floor((w - width) / 2), top: Math.floor((h - height) / 2), width, height };
}

/**
 * A w×h RGBA picture → the model's `shape` (C×H×W in [-1, 1]): centre-cropped
 * to the shape's aspect ratio (centreCrop; nothing is stretched), converted by
 * rgbaToCHW, then shrunk or grown by area averaging.
 */
export function fitImage(rgba: Pixels, w: number, h: number, shape: ImageShape): Float32Array {
  const { channels, height, width } = shape;
  const box = centreCrop(w, h, shape);
  let crop = rgba;
  if (box.width !== w || box.height !== h) {
    crop = new Uint8ClampedArray(box.width * box.height * 4);
    for (let y = 0; y < box.height; y++) {
      const from = ((box.top + y) * w + box.left) * 4;
      crop.set(rgba.subarray(from, from + box.width * 4), y * box.width * 4);
    }
  }
  const full = rgbaToCHW(crop, box.width, box.height, channels);
  return resizeArea(full, { channels, height: box.height, width: box.width }, height, width);
}
