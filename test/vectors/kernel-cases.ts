/**
 * The shared kernel vectors (kernels.json): one format, run unchanged against
 * every Kernels backend. Inputs are described, not stored (a Gaussian stream and
 * a scale); expected outputs are stored as values for short cases and as an
 * FNV-1a hash of the bytes (plus the first values) for long ones.
 */
import type { Kernels, StepCoefficients } from '../../src/core/kernels.ts';
import type { ImageShape } from '../../src/core/types.ts';

/** Math.fround(scale · sample i of Gaussian stream (seed, stream, substream)). */
export interface InputSpec {
  gaussian: [seed: number, stream: number, substream: number];
  scale: number;
}

export type Expected = number[] | { fnv1a32: string; length: number; first: number[] };

export type KernelCase =
  | {
      kernel: 'gaussian';
      n: number;
      seed: number;
      stream: number;
      substream: number;
      offset: number;
      expect: { out: Expected };
    }
  | {
      kernel: 'samplerStep';
      n: number;
      inputs: { x: InputSpec; model: InputSpec; w: InputSpec | null };
      coefficients: StepCoefficients;
      expect: { x: Expected; x0: Expected };
    }
  | {
      kernel: 'guidance';
      n: number;
      inputs: { uncond: InputSpec; cond: InputSpec };
      w: number;
      expect: { out: Expected };
    }
  | {
      kernel: 'axpby';
      n: number;
      inputs: { x: InputSpec; y: InputSpec };
      a: number;
      b: number;
      expect: { out: Expected };
    }
  | {
      kernel: 'toRGBA8';
      shape: ImageShape;
      count: number;
      inputs: { chw: InputSpec };
      expect: { rgba: Expected };
    };

/** A case before its expected outputs are filled in. */
export type KernelCaseInput = KernelCase extends infer C
  ? C extends unknown
    ? Omit<C, 'expect'>
    : never
  : never;

export interface KernelVectors {
  about: string;
  /** Every case is bit-exact by contract: all backends run the same f32 operations in the same order. */
  exact: true;
  cases: KernelCase[];
}

export const LENGTHS = [1, 3, 4, 17, 100_000];
const SHORT = 17;

export function makeInput(kernels: Kernels, spec: InputSpec, n: number): Float32Array {
  const [seed, stream, substream] = spec.gaussian;
  const out = kernels.gaussian(new Float32Array(n), { seed, stream, substream });
  for (let i = 0; i < n; i++) out[i] = Math.fround(spec.scale * (out[i] ?? 0));
  return out;
}

export function fnv1a32(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (const byte of bytes) h = Math.imul(h ^ byte, 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

export function describeOutput(values: Float32Array | Uint8ClampedArray): Expected {
  if (values.length <= SHORT * 4) return Array.from(values);
  return {
    fnv1a32: fnv1a32(new Uint8Array(values.buffer, values.byteOffset, values.byteLength)),
    length: values.length,
    first: Array.from(values.subarray(0, 8)),
  };
}

/** Runs one case on a backend and returns its outputs, named as in `expect`. */
export function runCase(
  kernels: Kernels,
  c: KernelCase,
): Record<string, Float32Array | Uint8ClampedArray> {
  switch (c.kernel) {
    case 'gaussian':
      return { out: kernels.gaussian(new Float32Array(c.n), c, c.offset) };
    case 'samplerStep': {
      const x = makeInput(kernels, c.inputs.x, c.n);
      const model = makeInput(kernels, c.inputs.model, c.n);
      const w = c.inputs.w ? makeInput(kernels, c.inputs.w, c.n) : null;
      const x0 = new Float32Array(c.n);
      kernels.samplerStep(x, model, w, x0, c.coefficients);
      return { x, x0 };
    }
    case 'guidance': {
      const out = new Float32Array(c.n);
      kernels.guidance(
        out,
        makeInput(kernels, c.inputs.uncond, c.n),
        makeInput(kernels, c.inputs.cond, c.n),
        c.w,
      );
      return { out };
    }
    case 'axpby': {
      const out = new Float32Array(c.n);
      kernels.axpby(
        out,
        c.a,
        makeInput(kernels, c.inputs.x, c.n),
        c.b,
        makeInput(kernels, c.inputs.y, c.n),
      );
      return { out };
    }
    case 'toRGBA8': {
      const n = c.count * c.shape.channels * c.shape.height * c.shape.width;
      return { rgba: kernels.toRGBA8(makeInput(kernels, c.inputs.chw, n), c.shape, c.count) };
    }
  }
}
