/**
 * Between the model's images (C×H×W floats in [-1, 1]) and RGBA8 pixels, one
 * image at a time. Whole batches on the sampling path go through the kernels'
 * toRGBA8 instead; chwToRGBA is the same rule (core's reference), so a pixel
 * never depends on which path drew it.
 */
import { referenceKernels } from '../core/reference.ts';
import type { ImageShape } from '../core/types.ts';

/** RGBA8 pixels, 4 bytes a pixel, row by row. */
export type Pixels = Uint8Array | Uint8ClampedArray;

/** The k-th image of `rgba`, which holds images of w×h one after another (a view, not a copy). */
export function imageAt<T extends Pixels>(rgba: T, k: number, w: number, h: number): T {
  const n = w * h * 4;
  return rgba.subarray(k * n, (k + 1) * n) as T;
}

/** One C×H×W image in [-1, 1] → RGBA8: 1 channel is grey, 3 are RGB; alpha 255. */
export function chwToRGBA(x: Float32Array, shape: ImageShape): Uint8ClampedArray {
  return referenceKernels.toRGBA8(x, shape, 1);
}

/** ITU-R BT.601 luma weights (PIL's convert('L') uses the same). */
const LUMA_R = 0.299;
const LUMA_G = 0.587;
const LUMA_B = 0.114;

/**
 * One RGBA8 image of w×h → `channels`×h×w floats in [-1, 1] (1: luma, 3: RGB).
 *
 * Transparent pixels are composited onto white: the colour emoji the models
 * learn from are drawn on white, and a transparent PNG of one should look the
 * same to the model. Opaque images (every Fashion-MNIST sample) are unchanged,
 * and a grey pixel keeps its exact level. Compositing is linear, so it commutes
 * with resizeArea's averaging.
 */
export function rgbaToCHW(rgba: Pixels, w: number, h: number, channels: number): Float32Array {
  if (channels !== 1 && channels !== 3) {
    throw new Error(`channels: got ${channels}; expected one of 1 (grey), 3 (RGB)`);
  }
  if (rgba.length !== w * h * 4) {
    throw new Error(`rgba: got ${rgba.length} bytes; expected ${w}×${h}×4 = ${w * h * 4}`);
  }
  const pixels = w * h;
  const out = new Float32Array(channels * pixels);
  for (let p = 0; p < pixels; p++) {
    const a = rgba[p * 4 + 3]! / 255;
    const white = 255 * (1 - a);
    const r = rgba[p * 4]! * a + white;
    const g = rgba[p * 4 + 1]! * a + white;
    const b = rgba[p * 4 + 2]! * a + white;
    if (channels === 1) {
      const grey = r === g && g === b ? r : LUMA_R * r + LUMA_G * g + LUMA_B * b;
      out[p] = (grey / 255) * 2 - 1;
    } else {
      out[p] = (r / 255) * 2 - 1;
      out[pixels + p] = (g / 255) * 2 - 1;
      out[2 * pixels + p] = (b / 255) * 2 - 1;
    }
  }
  return out;
}
