/**
 * The shared vectors (test/vectors/kernels.json) on every backend: TypeScript
 * reference, WASM SIMD and WASM scalar, lengths 1, 3, 4, 17 and 10^5 (tail loops
 * included). All kernels are bit-exact by contract. Plus hand-checked values,
 * the loader's errors, and proof that the built module really uses SIMD.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import binaryen from 'binaryen';
import { referenceKernels } from '../../src/core/reference.ts';
import type { Kernels } from '../../src/core/kernels.ts';
import { loadKernels } from '../../src/runtime/kernels.ts';
import { describeOutput, runCase, type KernelVectors } from '../vectors/kernel-cases.ts';

const vectors = JSON.parse(
  readFileSync(new URL('../vectors/kernels.json', import.meta.url), 'utf8'),
) as KernelVectors;
const backends: Record<string, Kernels> = { typescript: referenceKernels };

beforeAll(async () => {
  backends['wasm-simd'] = await loadKernels({ variant: 'simd' });
  backends['wasm-scalar'] = await loadKernels({ variant: 'scalar' });
});

describe('shared kernel vectors', () => {
  it('cover every kernel at lengths 1, 3, 4, 17 and 10^5', () => {
    const lengths = (kernel: string) =>
      new Set(
        vectors.cases
          .filter((c) => c.kernel === kernel)
          .map((c) => ('n' in c ? c.n : c.shape.height * c.shape.width)),
      );
    for (const kernel of ['gaussian', 'samplerStep', 'guidance', 'axpby', 'toRGBA8']) {
      expect([...lengths(kernel)].sort((a, b) => a - b)).toEqual([1, 3, 4, 17, 100_000]);
    }
  });

  for (const name of ['typescript', 'wasm-simd', 'wasm-scalar']) {
    it(`${name} reproduces all ${vectors.cases.length} cases bit for bit`, () => {
      const kernels = backends[name];
      if (!kernels) throw new Error(`backend ${name} did not load`);
      expect(kernels.backend).toBe(name);
      for (const [index, c] of vectors.cases.entries()) {
        const outputs = runCase(kernels, c);
        for (const [key, expected] of Object.entries(c.expect)) {
          const got = outputs[key];
          if (!got) throw new Error(`case ${index}: no output ${key}`);
          expect(describeOutput(got), `case ${index} (${c.kernel}) ${key}`).toEqual(expected);
        }
      }
    });
  }
});

describe('kernels against hand-computed values', () => {
  const all = () => Object.values(backends);

  it('samplerStep converts ε, v and x0 predictions, clips x̂0, and updates x', () => {
    // α = 0.8, σ = 0.6, x = 0.5: ε = 0.25 → x̂0 = (0.5 − 0.15)/0.8 = 0.4375;
    // v = 0.25 → x̂0 = 0.4 − 0.15 = 0.25; x0 = 2 → clipped to 1.
    const cases = [
      ['epsilon', 0.25, 0.4375],
      ['v', 0.25, 0.25],
      ['sample', 2, 1],
    ] as const;
    for (const kernels of all()) {
      for (const [prediction, m, x0Expected] of cases) {
        const x = Float32Array.of(0.5);
        const x0 = new Float32Array(1);
        kernels.samplerStep(x, Float32Array.of(m), Float32Array.of(-1), x0, {
          prediction,
          alpha: 0.8,
          sigma: 0.6,
          clip: true,
          a: 0.5,
          b: 2,
          c: 0.25,
        });
        expect(x0[0]).toBeCloseTo(x0Expected, 6);
        expect(x[0]).toBeCloseTo(0.25 + 2 * x0Expected - 0.25, 6);
      }
    }
  });

  it('guidance is u + w (c − u); axpby is a x + b y', () => {
    for (const kernels of all()) {
      const out = new Float32Array(5);
      kernels.guidance(out, Float32Array.of(1, 2, 3, 4, 5), Float32Array.of(2, 2, 2, 2, 2), 3);
      expect(Array.from(out)).toEqual([4, 2, 0, -2, -4]);
      kernels.axpby(out, 2, Float32Array.of(1, 2, 3, 4, 5), -1, Float32Array.of(1, 1, 1, 1, 1));
      expect(Array.from(out)).toEqual([1, 3, 5, 7, 9]);
    }
  });

  it('toRGBA8 maps [−1, 1] to 0..255 (clamped, rounded), gray and RGB', () => {
    for (const kernels of all()) {
      const gray = kernels.toRGBA8(Float32Array.of(-2, -1, 0, 1, 3), {
        channels: 1,
        height: 1,
        width: 5,
      });
      expect(Array.from(gray)).toEqual([
        0, 0, 0, 255, 0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255, 255, 255, 255, 255,
      ]);
      // Planes R = (1, −1), G = (0, 0.5), B = (−1, 1); 0.5 → floor(1.5 · 127.5 + 0.5) = 191.
      const rgb = kernels.toRGBA8(Float32Array.of(1, -1, 0, 0.5, -1, 1), {
        channels: 3,
        height: 1,
        width: 2,
      });
      expect(Array.from(rgb)).toEqual([255, 128, 0, 255, 0, 191, 255, 255]);
    }
  });

  it('length mismatches, bad shapes and unknown predictions are errors that name the argument', () => {
    for (const kernels of all()) {
      const one = () => new Float32Array(1);
      const step = { alpha: 0.8, sigma: 0.6, clip: false, a: 1, b: 0, c: 0 };
      expect(() =>
        kernels.samplerStep(one(), one(), null, one(), { ...step, prediction: 'eps' as 'v' }),
      ).toThrow(/prediction: got "eps"; expected one of epsilon, v, sample/);
      expect(() =>
        kernels.axpby(new Float32Array(3), 1, new Float32Array(4), 1, new Float32Array(3)),
      ).toThrow(/x: length 4; expected 3/);
      expect(() =>
        kernels.toRGBA8(new Float32Array(8), { channels: 2, height: 2, width: 2 }),
      ).toThrow(/shape.channels/);
    }
  });
});

describe('the WASM loader and module', () => {
  it('the release module contains v128 SIMD instructions and the scalar one none', () => {
    const text = (file: string) => {
      const bytes = readFileSync(new URL(`../../src/generated/${file}`, import.meta.url));
      const module = binaryen.readBinaryWithFeatures(bytes, binaryen.Features.All);
      const wat = module.emitText();
      module.dispose();
      return wat;
    };
    const simd = text('kernels.wasm');
    expect(simd).toMatch(/f32x4\.mul/);
    expect(simd).toMatch(/i64x2\.extmul_low_i32x4_u/);
    expect(text('kernels-scalar.wasm')).not.toMatch(/v128|f32x4|i32x4/);
  });

  it('accepts a compiled module or bytes, and rejects an unknown variant', async () => {
    const bytes = readFileSync(new URL('../../src/generated/kernels-scalar.wasm', import.meta.url));
    expect((await loadKernels({ wasm: bytes })).backend).toBe('wasm-scalar');
    expect((await loadKernels({ wasm: await WebAssembly.compile(bytes) })).backend).toBe(
      'wasm-scalar',
    );
    await expect(loadKernels({ variant: 'avx' as 'simd' })).rejects.toThrow(
      /variant.*auto, simd, scalar/,
    );
  });

  it('grows its memory for buffers larger than the initial page', () => {
    const kernels = backends['wasm-simd'];
    const big = kernels?.gaussian(new Float32Array(3_000_000), {
      seed: 1,
      stream: 0,
      substream: 0,
    });
    expect(big?.[2_999_999]).toBe(
      referenceKernels.gaussian(
        new Float32Array(1),
        { seed: 1, stream: 0, substream: 0 },
        2_999_999,
      )[0],
    );
  });
});
