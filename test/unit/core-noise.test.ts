/**
 * Philox4x32-10 and the Gaussian transform: known answers, bit-identity across
 * engines and splits, skip-ahead, the polynomial approximations' error, and the
 * distribution of 2^20 samples (moments and Kolmogorov–Smirnov).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { philox4x32 } from '../../src/core/philox.ts';
import { cosSinTurn, gaussianReference, logUnit } from '../../src/core/gaussian.ts';
import { referenceKernels } from '../../src/core/reference.ts';
import type { Kernels } from '../../src/core/kernels.ts';
import { loadKernels } from '../../src/runtime/kernels.ts';
import { expectSameBits } from './core-bits.ts';

/** Random123's kat_vectors for philox4x32_10: counter, key, expected output. */
const KNOWN_ANSWERS: [number[], number[], number[]][] = [
  [
    [0, 0, 0, 0],
    [0, 0],
    [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
  ],
  [
    [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    [0xffffffff, 0xffffffff],
    [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
  ],
  [
    [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
    [0xa4093822, 0x299f31d0],
    [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
  ],
];

const N = 1 << 20;
let simd: Kernels;
let scalar: Kernels;
let samples: Float32Array;

beforeAll(async () => {
  simd = await loadKernels({ variant: 'simd' });
  scalar = await loadKernels({ variant: 'scalar' });
  samples = simd.gaussian(new Float32Array(N), { seed: 2024, stream: 0, substream: 0 });
});

/** erfc with fractional error < 1.2e-7 everywhere (Numerical Recipes' Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 +
                            t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}
const normalCdf = (x: number) => 0.5 * erfc(-x / Math.SQRT2);

describe('Philox4x32-10', () => {
  it('reproduces the Random123 known-answer vectors (TypeScript, WASM SIMD, WASM scalar)', () => {
    for (const [counter, key, expected] of KNOWN_ANSWERS) {
      expect(Array.from(philox4x32(counter, key))).toEqual(expected);
      expect(Array.from(simd.philox4x32(counter, key))).toEqual(expected);
      expect(Array.from(scalar.philox4x32(counter, key))).toEqual(expected);
    }
  });
});

describe('Gaussian noise: bits', () => {
  it('is bit-identical in WASM SIMD, WASM scalar and TypeScript over 2^20 samples', () => {
    expectSameBits(
      scalar.gaussian(new Float32Array(N), { seed: 2024, stream: 0, substream: 0 }),
      samples,
      'scalar',
    );
    expectSameBits(gaussianReference(new Float32Array(N), 2024, 0, 0), samples, 'typescript');
  });

  it('produces sample k without samples 0..k−1, and any split of a range gives the same bits', () => {
    const address = { seed: 2 ** 40 + 9, stream: 5, substream: 3 };
    const whole = simd.gaussian(new Float32Array(1000), address);
    for (const kernels of [simd, scalar, referenceKernels]) {
      for (const [from, to] of [
        [0, 1],
        [1, 4],
        [3, 20],
        [17, 18],
        [5, 999],
        [998, 1000],
      ] as const) {
        expectSameBits(
          kernels.gaussian(new Float32Array(to - from), address, from),
          whole.subarray(from, to),
          `${kernels.backend} ${from}..${to}`,
        );
      }
    }
  });

  it('gives distinct streams for distinct seeds, streams and substreams', () => {
    const base = simd.gaussian(new Float32Array(8), { seed: 1, stream: 0, substream: 0 });
    for (const address of [
      { seed: 2, stream: 0, substream: 0 },
      { seed: 1 + 2 ** 32, stream: 0, substream: 0 },
      { seed: 1, stream: 1, substream: 0 },
      { seed: 1, stream: 0, substream: 1 },
    ]) {
      expect(simd.gaussian(new Float32Array(8), address)).not.toEqual(base);
    }
  });

  it('rejects a seed that is not a non-negative safe integer', () => {
    expect(() => simd.gaussian(new Float32Array(4), { seed: -1, stream: 0, substream: 0 })).toThrow(
      /seed/,
    );
    expect(() =>
      referenceKernels.gaussian(new Float32Array(4), { seed: 0.5, stream: 0, substream: 0 }),
    ).toThrow(/seed/);
  });
});

describe('Gaussian noise: polynomial approximations', () => {
  // Stated maximum errors (measured here, on 1/3 of the 2^24 angles and ~2^19 of the 2^23 log inputs):
  //   ln u:           ≤ 0.8 ulp of the result (relative ≤ 8e-8);
  //   cos θ, sin θ:   absolute ≤ 1.0e-7;
  //   sample z:       absolute ≤ 1.5e-6 against Box–Muller in float64 on the same Philox words (|z| ≤ 5.77).
  it('ln u is within 0.8 ulp', () => {
    let worst = 0;
    for (let n = 1; n < 1 << 24; n += n < 8192 ? 2 : 32) {
      const exact = Math.log(n / 2 ** 24);
      const ulp = 2 ** (Math.floor(Math.log2(Math.abs(exact))) - 23);
      worst = Math.max(worst, Math.abs(logUnit(n) - exact) / ulp);
    }
    expect(worst).toBeLessThan(0.8);
  });

  it('cos θ and sin θ are within 1.0e-7 on every third of the 2^24 angles', () => {
    let worst = 0;
    for (let j = 0; j < 1 << 24; j += 3) {
      const theta = (2 * Math.PI * (j + 0.5)) / 2 ** 24;
      const [c, s] = cosSinTurn(j);
      worst = Math.max(worst, Math.abs(c - Math.cos(theta)), Math.abs(s - Math.sin(theta)));
    }
    expect(worst).toBeLessThan(1.0e-7);
  });

  it('each sample is within 1.5e-6 of float64 Box–Muller on the same words', () => {
    let worst = 0;
    const count = 1 << 16;
    for (let block = 0; block < count / 4; block++) {
      const w = philox4x32([block, 0, 0, 0], [2024, 0]);
      for (const pair of [0, 1]) {
        const u = (((w[2 * pair] ?? 0) >>> 8) | 1) / 2 ** 24;
        const theta = (2 * Math.PI * (((w[2 * pair + 1] ?? 0) >>> 8) + 0.5)) / 2 ** 24;
        const r = Math.sqrt(-2 * Math.log(u));
        worst = Math.max(
          worst,
          Math.abs((samples[4 * block + 2 * pair] ?? 0) - r * Math.cos(theta)),
          Math.abs((samples[4 * block + 2 * pair + 1] ?? 0) - r * Math.sin(theta)),
        );
      }
    }
    expect(worst).toBeLessThan(1.5e-6);
  });
});

describe('Gaussian noise: distribution of 2^20 samples', () => {
  // Each bound is 5 standard errors of the statistic under N(0, 1): a false alarm is a ~1e-6 event.
  const se = (v: number) => 5 * Math.sqrt(v / N);

  it('has mean 0, variance 1, skewness 0 and excess kurtosis 0', () => {
    let [m1, m2, m3, m4] = [0, 0, 0, 0];
    for (const z of samples) {
      const z2 = z * z;
      m1 += z;
      m2 += z2;
      m3 += z2 * z;
      m4 += z2 * z2;
    }
    [m1, m2, m3, m4] = [m1 / N, m2 / N, m3 / N, m4 / N];
    const variance = m2 - m1 * m1;
    expect(Math.abs(m1)).toBeLessThan(se(1));
    expect(Math.abs(variance - 1)).toBeLessThan(se(2));
    expect(Math.abs(m3 / variance ** 1.5)).toBeLessThan(se(6));
    expect(Math.abs(m4 / variance ** 2 - 3)).toBeLessThan(se(24));
  });

  it('passes Kolmogorov–Smirnov against N(0, 1) (√N·D < 1.95, p ≈ 0.001)', () => {
    const sorted = Float32Array.from(samples).sort();
    let d = 0;
    for (let i = 0; i < N; i++) {
      const cdf = normalCdf(sorted[i] ?? 0);
      d = Math.max(d, (i + 1) / N - cdf, cdf - i / N);
    }
    expect(Math.sqrt(N) * d).toBeLessThan(1.95);
  });

  it('has no lag-1 correlation and no correlation between streams', () => {
    const other = simd.gaussian(new Float32Array(N), { seed: 2024, stream: 1, substream: 0 });
    let [lag, cross] = [0, 0];
    for (let i = 0; i < N; i++) {
      lag += (samples[i] ?? 0) * (samples[(i + 1) % N] ?? 0);
      cross += (samples[i] ?? 0) * (other[i] ?? 0);
    }
    expect(Math.abs(lag / N)).toBeLessThan(se(1));
    expect(Math.abs(cross / N)).toBeLessThan(se(1));
  });
});
