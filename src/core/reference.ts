/**
 * The TypeScript reference kernels: scalar, f32 semantics through Math.fround
 * after every operation, in the order assembly/ uses, so results are bit-identical.
 */
import type { ImageShape } from './types.ts';
import {
  checkSamplerStep,
  checkLength,
  rgbaPixels,
  type Kernels,
  type NoiseAddress,
  type StepCoefficients,
} from './kernels.ts';
import { gaussianReference } from './gaussian.ts';
import { philox4x32 } from './philox.ts';

const fr = Math.fround;

/** x̂0 from a model output m: ε → (x − σ m)/α, v → α x − σ m, x0 → m (all f32). */
export function predX0(
  x: number,
  m: number,
  prediction: number,
  alpha: number,
  sigma: number,
): number {
  if (prediction === 0) return fr(fr(x - fr(sigma * m)) / alpha);
  if (prediction === 1) return fr(fr(alpha * x) - fr(sigma * m));
  return m;
}

function samplerStep(
  x: Float32Array,
  model: Float32Array,
  w: Float32Array | null,
  x0Out: Float32Array,
  k: StepCoefficients,
): void {
  const n = x.length;
  const pred = checkSamplerStep(x, model, w, x0Out, k);
  const [alpha, sigma, a, b, c] = [fr(k.alpha), fr(k.sigma), fr(k.a), fr(k.b), fr(k.c)];
  for (let i = 0; i < n; i++) {
    const xv = x[i] ?? 0;
    let x0 = predX0(xv, model[i] ?? 0, pred, alpha, sigma);
    if (k.clip) x0 = Math.min(Math.max(x0, -1), 1);
    x0Out[i] = x0;
    let next = fr(fr(a * xv) + fr(b * x0));
    if (w) next = fr(next + fr(c * (w[i] ?? 0)));
    x[i] = next;
  }
}

function guidance(out: Float32Array, uncond: Float32Array, cond: Float32Array, w: number): void {
  checkLength('uncond', uncond, out.length);
  checkLength('cond', cond, out.length);
  const wf = fr(w);
  for (let i = 0; i < out.length; i++) {
    const u = uncond[i] ?? 0;
    out[i] = fr(u + fr(wf * fr((cond[i] ?? 0) - u)));
  }
}

function axpby(out: Float32Array, a: number, x: Float32Array, b: number, y: Float32Array): void {
  checkLength('x', x, out.length);
  checkLength('y', y, out.length);
  const [af, bf] = [fr(a), fr(b)];
  for (let i = 0; i < out.length; i++) out[i] = fr(fr(af * (x[i] ?? 0)) + fr(bf * (y[i] ?? 0)));
}

/** floor((clamp(v, −1, 1) + 1) · 127.5 + 0.5) in f32. */
export function quantize(v: number): number {
  return Math.floor(fr(fr(fr(Math.min(Math.max(v, -1), 1) + 1) * 127.5) + 0.5));
}

function toRGBA8(chw: Float32Array, shape: ImageShape, count = 1): Uint8ClampedArray {
  const pixels = rgbaPixels(chw, shape, count);
  const out = new Uint8ClampedArray(count * pixels * 4);
  const rgb = shape.channels === 3;
  for (let k = 0; k < count; k++) {
    const base = k * shape.channels * pixels;
    for (let i = 0; i < pixels; i++) {
      const o = (k * pixels + i) * 4;
      const r = quantize(chw[base + i] ?? 0);
      out[o] = r;
      out[o + 1] = rgb ? quantize(chw[base + pixels + i] ?? 0) : r;
      out[o + 2] = rgb ? quantize(chw[base + 2 * pixels + i] ?? 0) : r;
      out[o + 3] = 255;
    }
  }
  return out;
}

export const referenceKernels: Kernels = {
  backend: 'typescript',
  philox4x32,
  gaussian: (out: Float32Array, address: NoiseAddress, offset = 0) =>
    gaussianReference(out, address.seed, address.stream, address.substream, offset),
  samplerStep,
  guidance,
  axpby,
  toRGBA8,
};
