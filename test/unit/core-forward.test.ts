/**
 * The forward process both ways: closed form q(x_t | x_0) and the Markov chain
 * q(x_t | x_{t−1}) agree in distribution, and x_T is N(0, I) within tolerance.
 * Bounds are 5 standard errors for n iid elements.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSchedule } from '../../src/core/schedule.ts';
import { forwardDiffuse } from '../../src/core/forward.ts';
import { slerp } from '../../src/core/slerp.ts';
import { referenceKernels } from '../../src/core/reference.ts';
import type { Kernels } from '../../src/core/kernels.ts';
import { loadKernels } from '../../src/runtime/kernels.ts';
import { expectSameBits } from './core-bits.ts';

const schedule = buildSchedule({
  kind: 'linear',
  betaStart: 1e-4,
  betaEnd: 0.02,
  trainSteps: 1000,
});
const n = 1 << 16;
/** Data with structure: x0_i takes 4 values in [−0.9, 0.9]; statistics are taken per value class. */
const x0 = Float32Array.from({ length: n }, (_, i) => [-0.9, -0.3, 0.4, 0.9][i % 4] ?? 0);
let wasm: Kernels;
beforeAll(async () => {
  wasm = await loadKernels({ variant: 'simd' });
});

/** Mean and variance of x_t − sqrt(ᾱ) x0 over all elements (residuals are iid N(0, 1 − ᾱ) by theory). */
function residualMoments(xt: Float32Array, alphaBar: number): { mean: number; variance: number } {
  let [sum, sq] = [0, 0];
  for (let i = 0; i < n; i++) {
    const r = (xt[i] ?? 0) - Math.sqrt(alphaBar) * (x0[i] ?? 0);
    sum += r;
    sq += r * r;
  }
  const mean = sum / n;
  return { mean, variance: sq / n - mean * mean };
}

describe('forward process', () => {
  for (const t of [1, 10, 250, 1000]) {
    it(`closed form and Markov chain agree in distribution at t = ${t}`, () => {
      const alphaBar = schedule.alphaBar[t - 1] ?? 0;
      const sd = Math.sqrt(1 - alphaBar);
      for (const mode of ['closed-form', 'markov'] as const) {
        const xt = forwardDiffuse(wasm, schedule, x0, t, { seed: 9, stream: 0 }, mode);
        const { mean, variance } = residualMoments(xt, alphaBar);
        expect(Math.abs(mean), `${mode} mean`).toBeLessThan((5 * sd) / Math.sqrt(n));
        expect(Math.abs(variance / (sd * sd) - 1), `${mode} variance`).toBeLessThan(
          5 * Math.sqrt(2 / n),
        );
      }
    });
  }

  it('x_T is N(0, I): mean, variance and correlation with x0 vanish', () => {
    const xT = forwardDiffuse(wasm, schedule, x0, 1000, { seed: 4, stream: 0 }, 'markov');
    let [sum, sq, cross] = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      const v = xT[i] ?? 0;
      sum += v;
      sq += v * v;
      cross += v * (x0[i] ?? 0);
    }
    // sqrt(ᾱ_T) = 0.0064: the residual signal is below the tolerance by construction of the schedule.
    expect(Math.abs(sum / n)).toBeLessThan(5 / Math.sqrt(n));
    expect(Math.abs(sq / n - 1)).toBeLessThan(5 * Math.sqrt(2 / n));
    expect(Math.abs(cross / n)).toBeLessThan(5 / Math.sqrt(n));
  });

  it('the Markov chain is a different path to the same law (its noise differs from the closed form’s)', () => {
    const closed = forwardDiffuse(wasm, schedule, x0, 50, { seed: 1, stream: 0 }, 'closed-form');
    const chain = forwardDiffuse(wasm, schedule, x0, 50, { seed: 1, stream: 0 }, 'markov');
    expect(closed).not.toEqual(chain);
    expectSameBits(
      forwardDiffuse(referenceKernels, schedule, x0, 50, { seed: 1, stream: 0 }, 'markov'),
      chain,
      'ts',
    );
  });

  it('t = 0 is x0; t outside 0..T and unknown modes are errors', () => {
    expect(forwardDiffuse(wasm, schedule, x0, 0, { seed: 1, stream: 0 }, 'markov')).toEqual(x0);
    expect(() =>
      forwardDiffuse(wasm, schedule, x0, 1001, { seed: 1, stream: 0 }, 'markov'),
    ).toThrow(/t: got 1001/);
    expect(() =>
      forwardDiffuse(wasm, schedule, x0, 5, { seed: 1, stream: 0 }, 'jump' as 'markov'),
    ).toThrow(/mode.*closed-form, markov/);
  });
});

describe('slerp of noise', () => {
  it('runs from a to b and keeps the norm of Gaussian noise (a straight line would lose ~29%)', () => {
    const a = wasm.gaussian(new Float32Array(n), { seed: 1, stream: 0, substream: 0 });
    const b = wasm.gaussian(new Float32Array(n), { seed: 2, stream: 0, substream: 0 });
    const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
    expect(slerp(wasm, a, b, 0)).toEqual(a);
    expect(slerp(wasm, a, b, 1)).toEqual(b);
    const mid = slerp(wasm, a, b, 0.5);
    expect(norm(mid) / Math.sqrt(n)).toBeCloseTo(1, 2);
    expect(() => slerp(wasm, a, b, 1.5)).toThrow(/p: got 1.5/);
  });
});
