/**
 * Spherical interpolation of two noise tensors (Shoemake 1985), used to walk
 * between two seeds' x_T: slerp(a, b; p) = sin((1−p)θ)/sin θ · a + sin(pθ)/sin θ · b,
 * cos θ = a·b / (|a| |b|). Coefficients in float64; falls back to the straight
 * line when a and b are (nearly) parallel.
 */
import type { Kernels } from './kernels.ts';
import { checkLength } from './kernels.ts';
import { numberIn } from './options.ts';

export function slerpCoefficients(a: Float32Array, b: Float32Array, p: number): [number, number] {
  checkLength('b', b, a.length);
  numberIn('p', p, 0, 1);
  let dot = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    dot += x * y;
    aa += x * x;
    bb += y * y;
  }
  const cos = Math.min(1, Math.max(-1, dot / Math.sqrt(aa * bb)));
  const theta = Math.acos(cos);
  if (!(Math.sin(theta) > 1e-6)) return [1 - p, p];
  return [Math.sin((1 - p) * theta) / Math.sin(theta), Math.sin(p * theta) / Math.sin(theta)];
}

export function slerp(
  kernels: Kernels,
  a: Float32Array,
  b: Float32Array,
  p: number,
  out = new Float32Array(a.length),
): Float32Array {
  const [ca, cb] = slerpCoefficients(a, b, p);
  kernels.axpby(out, ca, a, cb, b);
  return out;
}
