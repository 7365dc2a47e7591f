/// <reference lib="webworker" />
/**
 * Encodes a reverse-process filmstrip as an animated GIF, scaled up by a whole
 * factor so a 28 px image is visible. Input: frames of one size, RGBA8, x_T first.
 */
import { GIFEncoder, applyPalette, quantize } from 'gifenc';

interface Frame {
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

function upscale(f: Frame, s: number): Uint8ClampedArray {
  const W = f.width * s;
  const out = new Uint8ClampedArray(W * f.height * s * 4);
  for (let y = 0; y < f.height * s; y++) {
    const sy = Math.floor(y / s);
    for (let x = 0; x < W; x++) {
      const si = (sy * f.width + Math.floor(x / s)) * 4;
      const di = (y * W + x) * 4;
      out[di] = f.rgba[si] ?? 0;
      out[di + 1] = f.rgba[si + 1] ?? 0;
      out[di + 2] = f.rgba[si + 2] ?? 0;
      out[di + 3] = 255;
    }
  }
  return out;
}

self.onmessage = (e: MessageEvent<Frame[]>) => {
  const frames = e.data;
  const first = frames[0];
  if (!first) throw new Error('no frames to encode');
  const s = Math.max(1, Math.ceil(224 / Math.max(first.width, first.height)));
  const gif = GIFEncoder();
  frames.forEach((f, i) => {
    const rgba = upscale(f, s);
    const palette = quantize(rgba, 256);
    const last = i === frames.length - 1;
    gif.writeFrame(applyPalette(rgba, palette), f.width * s, f.height * s, { palette, delay: last ? 1500 : 120 });
  });
  gif.finish();
  const bytes = gif.bytes();
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(bytes, [bytes.buffer]);
};
