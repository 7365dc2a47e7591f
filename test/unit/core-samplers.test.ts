/**
 * Samplers against the exact denoiser of Gaussian data x0 ~ N(μ, s² I): no trained model needed.
 *
 * Tolerances, derived: with the exact denoiser every sampler is an affine map of
 * independent Gaussians, so its output law N(m_N, v_N) is known exactly
 * (samplerMoments, float64). Then
 *   (1) the loop's samples match (m_N, v_N) within 5 standard errors
 *       (SE of the mean sqrt(v/n), of the std sqrt(v/(2n)), n elements, all iid);
 *   (2) the discretization bias (m_N − μ, sqrt(v_N) − s) is within the stated bound
 *       for the sampler's order and step count, and shrinks as the steps grow.
 * Together: |mean − μ| ≤ |m_N − μ| + 5 SE and |std − s| ≤ |sqrt(v_N) − s| + 5 SE.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleLoop, type SampleLoopOptions } from '../../src/core/loop.ts';
import { buildSchedule } from '../../src/core/schedule.ts';
import { SAMPLER_NAMES } from '../../src/core/samplers.ts';
import type { Conditioning } from '../../src/core/conditioning.ts';
import { referenceKernels } from '../../src/core/reference.ts';
import type { Kernels } from '../../src/core/kernels.ts';
import type { SampleRequest, SamplerName, SampleProgress } from '../../src/core/types.ts';
import { loadKernels } from '../../src/runtime/kernels.ts';
import { exactDenoiser, samplerMoments } from './core-exact-denoiser.ts';
import { expectSameBits } from './core-bits.ts';

const schedule = buildSchedule({
  kind: 'linear',
  betaStart: 1e-4,
  betaEnd: 0.02,
  trainSteps: 1000,
});
const [MU, S] = [0.3, 0.5];
/** One label group of ten labels, null label 10 (Fashion-MNIST's layout). */
const conditioning: Conditioning = {
  kind: 'labels',
  groups: [
    {
      name: 'class',
      title: 'Class',
      ids: Array.from({ length: 10 }, (_, i) => `c${i}`),
      titles: Array.from({ length: 10 }, (_, i) => `C${i}`),
      nullLabel: 10,
      default: null,
    },
  ],
  defaultGuidance: 3,
  tensorRank: 1,
};
let wasm: Kernels;
beforeAll(async () => {
  wasm = await loadKernels({ variant: 'simd' });
});

async function run(
  options: Partial<SampleLoopOptions> & Pick<SampleLoopOptions, 'request'>,
): Promise<{ x: Float32Array; progress: SampleProgress[] }> {
  const loop = sampleLoop({
    schedule,
    shape: { channels: 1, height: 8, width: 8 },
    prediction: 'epsilon',
    denoise: exactDenoiser(schedule, MU, S, options.prediction ?? 'epsilon'),
    kernels: wasm,
    conditioning: { kind: 'none' },
    ...options,
  });
  const progress: SampleProgress[] = [];
  for (;;) {
    const next = await loop.next();
    if (next.done) return { x: next.value, progress };
    progress.push(next.value);
  }
}

function moments(x: Float32Array): { mean: number; std: number } {
  let sum = 0;
  for (const v of x) sum += v;
  const mean = sum / x.length;
  let sq = 0;
  for (const v of x) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / x.length) };
}

describe('samplers with the exact denoiser of N(μ, s²) data', () => {
  // sampler, steps, η, backend, bound on the exact discretization bias of the std (relative to s)
  const configs: [SamplerName, number, number, 'wasm' | 'typescript', number][] = [
    ['ddpm', 1000, 0, 'wasm', 0.01],
    ['ddpm-beta', 1000, 0, 'wasm', 0.005],
    ['euler-a', 1000, 0, 'wasm', 0.01],
    ['ddim', 50, 0, 'typescript', 0.06],
    ['ddim', 50, 0.5, 'wasm', 0.07],
    ['dpmpp-2m', 25, 0, 'typescript', 0.025],
  ];
  const images = 4;
  const shape = { channels: 1, height: 128, width: 128 };
  const n = images * 128 * 128;

  for (const [sampler, steps, eta, backend, bound] of configs) {
    it(`${sampler} (η ${eta}, ${steps} steps, ${backend}) matches μ and s`, async () => {
      const exact = samplerMoments(schedule, sampler, steps, MU, S, eta);
      expect(Math.abs(exact.std - S) / S, 'discretization bias of the std').toBeLessThan(bound);
      expect(Math.abs(exact.mean - MU), 'discretization bias of the mean').toBeLessThan(0.002);
      const { x } = await run({
        shape,
        kernels: backend === 'wasm' ? wasm : referenceKernels,
        request: {
          seed: 11,
          count: images,
          steps,
          sampler,
          eta,
          guidance: 1,
          labels: [],
          clip: false,
          previewEvery: steps,
        },
      });
      const got = moments(x);
      const seMean = exact.std / Math.sqrt(n);
      const seStd = exact.std / Math.sqrt(2 * n);
      expect(Math.abs(got.mean - exact.mean)).toBeLessThan(5 * seMean);
      expect(Math.abs(got.std - exact.std)).toBeLessThan(5 * seStd);
      expect(Math.abs(got.mean - MU)).toBeLessThan(Math.abs(exact.mean - MU) + 5 * seMean);
      expect(Math.abs(got.std - S)).toBeLessThan(Math.abs(exact.std - S) + 5 * seStd);
    });
  }

  it('the exact bias shrinks at each sampler’s order as steps grow', () => {
    const bias = (sampler: SamplerName, steps: number) =>
      Math.abs(samplerMoments(schedule, sampler, steps, MU, S).std - S);
    for (const sampler of ['ddpm', 'ddim', 'euler-a'] as const) {
      // First order: doubling the steps about halves the error.
      const ratio = bias(sampler, 200) / bias(sampler, 100);
      expect(ratio, sampler).toBeGreaterThan(0.4);
      expect(ratio, sampler).toBeLessThan(0.6);
    }
    // Second order: 25 DPM-Solver++(2M) steps beat 100 DDIM steps.
    expect(bias('dpmpp-2m', 25)).toBeLessThan(bias('ddim', 100));
  });

  it('ε-, v- and x0-prediction models give the same samples', async () => {
    const request = {
      seed: 5,
      count: 2,
      steps: 20,
      sampler: 'dpmpp-2m',
      guidance: 1,
      labels: [],
      clip: false,
    } as const;
    const eps = (await run({ request, prediction: 'epsilon' })).x;
    for (const prediction of ['v', 'sample'] as const) {
      const other = (await run({ request, prediction })).x;
      for (let i = 0; i < eps.length; i++) expect(other[i]).toBeCloseTo(eps[i] ?? 0, 4);
    }
  });
});

describe('the sampling loop', () => {
  const base = { seed: 3, steps: 12, guidance: 1, labels: [], clip: true } as const;

  it('image k of a batch is bit-identical to the same image made alone, on either backend', async () => {
    for (const sampler of SAMPLER_NAMES) {
      const request = { ...base, sampler, eta: 0.7 };
      const batch = (await run({ request: { ...request, count: 3 } })).x;
      const alone = (await run({ request: { ...request, count: 1, firstIndex: 1 } })).x;
      const aloneTs = (
        await run({
          request: { ...request, count: 1, firstIndex: 1 },
          kernels: referenceKernels,
        })
      ).x;
      expectSameBits(alone, batch.subarray(64, 128), `${sampler} wasm`);
      expectSameBits(aloneTs, alone, `${sampler} typescript`);
    }
  });

  it('classifier-free guidance: one doubled call for w ∉ {0, 1}, combined as u + w (c − u)', async () => {
    const calls: { batch: number; labels: number[] }[] = [];
    // A model whose output depends on the label: ε = 0.1 · (label − 5) + 0.2 x.
    const denoise = async (
      x: Float32Array,
      _t: number,
      labels: Int32Array | null,
      batch: number,
    ) => {
      calls.push({ batch, labels: Array.from(labels ?? []) });
      const per = x.length / batch;
      return Float32Array.from(
        x,
        (v, i) => 0.1 * ((labels?.[Math.floor(i / per)] ?? 0) - 5) + 0.2 * v,
      );
    };
    const request: SampleRequest = { ...base, sampler: 'ddim', count: 2, labels: [1] };
    const guided = (await run({ request: { ...request, guidance: 3 }, denoise, conditioning })).x;
    expect(calls.length).toBe(12);
    expect(calls[0]).toEqual({ batch: 4, labels: [1, 1, 10, 10] });
    // The same run with a model that applies the guidance itself, through the same kernel.
    const combined = async (
      x: Float32Array,
      t: number,
      labels: Int32Array | null,
      batch: number,
    ) => {
      const c = await denoise(x, t, labels, batch);
      const u = await denoise(x, t, new Int32Array(batch).fill(10), batch);
      const out = new Float32Array(x.length);
      wasm.guidance(out, u, c, 3);
      return out;
    };
    expectSameBits((await run({ request, denoise: combined, conditioning })).x, guided, 'guided');
    calls.length = 0;
    await run({ request: { ...request, guidance: 0 }, denoise, conditioning });
    expect(calls[0]).toEqual({ batch: 2, labels: [10, 10] });
    calls.length = 0;
    await run({ request: { ...request, guidance: 1 }, denoise, conditioning });
    expect(calls[0]).toEqual({ batch: 2, labels: [1, 1] });
    await expect(
      run({ request: { ...request, guidance: 2 }, denoise, conditioning: { kind: 'none' } }),
    ).rejects.toThrow(/labels: got \[1\]; expected 0 entries/);
    // "Any" on a labelled model: one call per step on the null label, whatever w is.
    calls.length = 0;
    await run({ request: { ...request, labels: [null], guidance: 3 }, denoise, conditioning });
    expect(calls.length).toBe(12);
    expect(calls[0]).toEqual({ batch: 2, labels: [10, 10] });
  });

  it('stops between steps with an AbortError', async () => {
    const signal = { aborted: false };
    let calls = 0;
    const denoise = async (x: Float32Array) => {
      if (++calls === 3) signal.aborted = true;
      return new Float32Array(x.length);
    };
    const error = await run({
      request: { ...base, sampler: 'ddim', count: 1 },
      denoise,
      signal,
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).name).toBe('AbortError');
    expect(calls).toBe(3);
  });

  it('reports progress with x̂0 previews when due', async () => {
    const { progress } = await run({
      request: { ...base, sampler: 'ddim', count: 2, previewEvery: 5 },
    });
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(progress.every((p) => p.of === 12)).toBe(true);
    expect(progress[0]?.t).toBe(999);
    expect(progress.filter((p) => p.x0).map((p) => p.step)).toEqual([1, 5, 10, 12]);
    expect(progress[4]?.x0?.length).toBe(128);
    expect(progress[4]?.x0).not.toBe(progress[9]?.x0);
  });

  it('img2img starts at the timestep nearest strength·T from the closed-form noised image', async () => {
    const image = Float32Array.from({ length: 64 }, (_, i) => Math.cos(i) * 0.8);
    const seen: { t: number; x: Float32Array }[] = [];
    const denoise = async (x: Float32Array, t: number) => {
      seen.push({ t, x: x.slice() });
      return new Float32Array(x.length);
    };
    const request = { ...base, sampler: 'ddim', count: 1, steps: 20 } as const;
    const { progress } = await run({
      request: { ...request, init: { image, strength: 0.5 } },
      denoise,
    });
    expect(seen[0]?.t).toBe(499);
    expect(progress[0]?.of).toBe(10);
    const eps = wasm.gaussian(new Float32Array(64), { seed: 3, stream: 0, substream: 0 });
    const expected = new Float32Array(64);
    const ab = schedule.alphaBar[499] ?? 0;
    wasm.axpby(expected, Math.sqrt(ab), image, Math.sqrt(1 - ab), eps);
    expectSameBits(seen[0]?.x ?? new Float32Array(), expected, 'noised init');
  });

  it('img2img at strength 0 keeps the image: no step runs', async () => {
    const image = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * 0.7);
    let calls = 0;
    const denoise = async (x: Float32Array) => {
      calls++;
      return new Float32Array(x.length);
    };
    const request = { ...base, sampler: 'ddim', count: 2, init: { image, strength: 0 } } as const;
    const { x, progress } = await run({ request, denoise });
    expect(calls).toBe(0);
    expect(progress).toEqual([]);
    expectSameBits(x.subarray(64), image, 'second copy');
  });

  it('uses an x_T override in place of the seed’s noise', async () => {
    const request = { ...base, sampler: 'euler-a', count: 2 } as const;
    const own = (await run({ request })).x;
    const noise = new Float32Array(128);
    for (let k = 0; k < 2; k++)
      wasm.gaussian(noise.subarray(64 * k, 64 * (k + 1)), { seed: 3, stream: k, substream: 0 });
    expectSameBits((await run({ request: { ...request, noise } })).x, own, 'override');
    await expect(run({ request: { ...request, noise: new Float32Array(5) } })).rejects.toThrow(
      /noise: got 5 values; expected a Float32Array of count×64/,
    );
  });

  it('clips x̂0 to [−1, 1] by default', async () => {
    const far = exactDenoiser(schedule, 3, 0.5, 'epsilon');
    const { x } = await run({ request: { ...base, sampler: 'dpmpp-2m', count: 1 }, denoise: far });
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
    const unclipped = (
      await run({ request: { ...base, sampler: 'dpmpp-2m', count: 1, clip: false }, denoise: far })
    ).x;
    expect(Math.max(...unclipped)).toBeGreaterThan(2);
  });

  it('rejects bad requests naming the field and the valid values', async () => {
    await expect(
      run({ request: { ...base, sampler: 'plms' as SamplerName, count: 1 } }),
    ).rejects.toThrow(/sampler: got "plms"; expected one of dpmpp-2m, ddim, ddpm, ddpm-beta, euler-a/);
    await expect(
      run({ request: { ...base, sampler: 'ddim', count: 1, spacing: 'even' as 'leading' } }),
    ).rejects.toThrow(/spacing: got "even"; expected one of leading, trailing, linspace/);
    await expect(run({ request: { ...base, sampler: 'ddim', count: 1, eta: 2 } })).rejects.toThrow(
      /eta: got 2; expected a number in \[0, 1\]/,
    );
    await expect(
      run({ request: { ...base, sampler: 'ddim', count: 1 }, prediction: 'x0' as 'sample' }),
    ).rejects.toThrow(/prediction.*epsilon, v, sample/);
    const short = async () => new Float32Array(3);
    await expect(
      run({ request: { ...base, sampler: 'ddim', count: 1 }, denoise: short }),
    ).rejects.toThrow(/denoise: returned 3/);
  });
});
