/** A model that returns NaN or ±Inf stops the run at that step with an error naming it, never a black "Done". */
import { describe, expect, it } from 'vitest';
import { sampleLoop } from '../../src/core/loop.ts';
import { firstNonFinite, ModelOutputError } from '../../src/core/finite.ts';
import { referenceKernels } from '../../src/core/reference.ts';
import type { Conditioning } from '../../src/core/conditioning.ts';
import type { DenoiseFn, SampleRequest } from '../../src/core/types.ts';

const conditioning: Conditioning = {
  kind: 'labels',
  groups: [{ name: 'class', title: 'Class', ids: ['a', 'b'], titles: ['A', 'B'], nullLabel: 2, default: null }],
  defaultGuidance: 3,
  tensorRank: 1,
};

/** ε = 0.1·x until call `badCall` (1-based), which returns `bad` in one value. */
function breaksAt(badCall: number, bad: number): DenoiseFn {
  let calls = 0;
  return (x) => {
    calls++;
    const out = x.map((v) => 0.1 * v);
    if (calls === badCall) out[out.length - 1] = bad;
    return Promise.resolve(out);
  };
}

async function drain(denoise: DenoiseFn, request: Partial<SampleRequest> = {}): Promise<Float32Array> {
  const loop = sampleLoop({
    schedule: { kind: 'linear', betaStart: 1e-4, betaEnd: 0.02, trainSteps: 1000 },
    shape: { channels: 1, height: 4, width: 4 },
    prediction: 'epsilon',
    denoise,
    kernels: referenceKernels,
    conditioning,
    request: { seed: 1, count: 2, steps: 20, sampler: 'ddim', guidance: 0, labels: [null], ...request },
  });
  for (;;) {
    const next = await loop.next();
    if (next.done) return next.value;
  }
}

describe('non-finite model output', () => {
  it('finds the first NaN or ±Inf', () => {
    expect(firstNonFinite(new Float32Array([0, -3, 1e38]))).toBe(-1);
    expect(firstNonFinite(new Float32Array([0, Number.NaN, Infinity]))).toBe(1);
    expect(firstNonFinite(new Float32Array([-Infinity]))).toBe(0);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Infinity],
    ['−Infinity', -Infinity],
  ])('stops at the step that returned %s and names it', async (word, bad) => {
    const run = drain(breaksAt(3, bad));
    await expect(run).rejects.toBeInstanceOf(ModelOutputError);
    await expect(drain(breaksAt(3, bad))).rejects.toThrow(
      new RegExp(`^The model returned ${word} at step 3 of 20 .*broken or not trained for this schedule`),
    );
  });

  it('checks the guided (doubled) batch before guidance mixes the halves', async () => {
    await expect(drain(breaksAt(1, Infinity), { guidance: 3, labels: [1] })).rejects.toThrow(
      /returned Infinity at step 1 of 20/,
    );
  });

  it('keeps a finite run unchanged', async () => {
    const x = await drain(breaksAt(0, Number.NaN));
    expect(firstNonFinite(x)).toBe(-1);
  });
});
