/** Schedules, derived tables and timestep spacings: golden values and agreement with the training code. */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { buildSchedule, makeBetas, scheduleTables, timesteps } from '../../src/core/schedule.ts';
import type { ScheduleKind, Spacing } from '../../src/core/types.ts';

interface NumpyVectors {
  timesteps: { trainSteps: number; steps: number; spacing: Spacing; timesteps: number[] }[];
  schedules: Record<
    ScheduleKind,
    { betaStart: number; betaEnd: number; trainSteps: number; alphaBarAt: Record<string, number> }
  >;
}
const numpy = JSON.parse(
  readFileSync(new URL('../vectors/schedule-numpy.json', import.meta.url), 'utf8'),
) as NumpyVectors;

const linear = { kind: 'linear', betaStart: 1e-4, betaEnd: 0.02, trainSteps: 1000 } as const;

describe('schedules', () => {
  it('linear (DDPM): β from 1e-4 to 0.02, ᾱ_999 ≈ 4.036e-5', () => {
    const s = buildSchedule(linear);
    expect(s.betas[0]).toBe(1e-4);
    expect(s.betas[999]).toBe(0.02);
    expect(s.alphaBar[999]).toBeCloseTo(4.0358e-5, 8);
    expect(s.alphaBar[0]).toBeCloseTo(0.9999, 15);
  });

  it('scaled-linear: sqrt β is linear; Stable Diffusion’s ᾱ_999 ≈ 0.00466', () => {
    const s = buildSchedule({
      kind: 'scaled-linear',
      betaStart: 0.00085,
      betaEnd: 0.012,
      trainSteps: 1000,
    });
    const root = Array.from(s.betas, Math.sqrt);
    expect((root[500] ?? 0) - (root[499] ?? 0)).toBeCloseTo((root[1] ?? 0) - (root[0] ?? 0), 12);
    expect(s.alphaBar[999]).toBeCloseTo(0.00466, 5);
  });

  it('cosine: ᾱ_t = f(t+1)/f(0) until β reaches its 0.999 cap at the end', () => {
    const s = buildSchedule({ kind: 'cosine', betaStart: 0, betaEnd: 0, trainSteps: 1000 });
    const f = (t: number) => Math.cos((((t / 1000 + 0.008) / 1.008) * Math.PI) / 2) ** 2;
    for (const t of [0, 100, 500, 900])
      expect((s.alphaBar[t] ?? 0) / (f(t + 1) / f(0))).toBeCloseTo(1, 12);
    expect(Math.max(...s.betas)).toBe(0.999);
    expect(s.betas[999]).toBe(0.999);
  });

  it('agrees with the training code’s ᾱ_t (numpy) for every kind', () => {
    for (const [kind, v] of Object.entries(numpy.schedules) as [
      ScheduleKind,
      NumpyVectors['schedules'][ScheduleKind],
    ][]) {
      const s = buildSchedule({
        kind,
        betaStart: v.betaStart,
        betaEnd: v.betaEnd,
        trainSteps: v.trainSteps,
      });
      for (const [t, value] of Object.entries(v.alphaBarAt)) {
        expect(Math.abs((s.alphaBar[Number(t)] ?? 0) / value - 1), `${kind} ᾱ_${t}`).toBeLessThan(
          1e-12,
        );
      }
    }
  });

  it('derives β̃, posterior mean coefficients and log-SNR consistently', () => {
    const s = buildSchedule(linear);
    for (const t of [1, 10, 500, 999]) {
      const [ab, abPrev, beta] = [s.alphaBar[t] ?? 0, s.alphaBar[t - 1] ?? 0, s.betas[t] ?? 0];
      expect(s.betaTilde[t]).toBeCloseTo((beta * (1 - abPrev)) / (1 - ab), 15);
      // Without noise (x_t = sqrt(ᾱ_t) x0) the posterior mean is the noiseless x_{t−1} = sqrt(ᾱ_{t−1}) x0.
      const x0 = 0.7;
      const xt = Math.sqrt(ab) * x0;
      expect(
        (s.posteriorMeanCoefX0[t] ?? 0) * x0 + (s.posteriorMeanCoefXt[t] ?? 0) * xt,
      ).toBeCloseTo(Math.sqrt(abPrev) * x0, 13);
      expect(s.logSNR[t]).toBeCloseTo(Math.log(ab / (1 - ab)), 12);
    }
    expect(s.betaTilde[0]).toBe(0);
    for (let t = 1; t < 1000; t++) expect(s.logSNR[t] ?? 0).toBeLessThan(s.logSNR[t - 1] ?? 0);
    const tables = scheduleTables(s);
    expect(tables.alphaBar).toBeInstanceOf(Float32Array);
    expect(tables.alphaBar[999]).toBe(Math.fround(s.alphaBar[999] ?? 0));
  });

  it('rejects bad specs with the field and the valid values', () => {
    expect(() => makeBetas({ ...linear, kind: 'quadratic' as ScheduleKind })).toThrow(
      /schedule.kind.*"quadratic".*linear, scaled-linear, cosine/,
    );
    expect(() => makeBetas({ ...linear, trainSteps: 10.5 })).toThrow(/schedule.trainSteps/);
    expect(() => makeBetas({ ...linear, betaEnd: 1e-5 })).toThrow(/schedule.betaEnd/);
  });
});

describe('timesteps', () => {
  it('matches diffusers’ spacings on the documented example (T = 1000, 10 steps)', () => {
    expect(Array.from(timesteps(1000, 10, 'leading'))).toEqual([
      900, 800, 700, 600, 500, 400, 300, 200, 100, 0,
    ]);
    expect(Array.from(timesteps(1000, 10, 'trailing'))).toEqual([
      999, 899, 799, 699, 599, 499, 399, 299, 199, 99,
    ]);
    expect(Array.from(timesteps(1000, 10, 'linspace'))).toEqual([
      999, 888, 777, 666, 555, 444, 333, 222, 111, 0,
    ]);
  });

  it(`agrees with the training code on ${numpy.timesteps.length} (T, n, spacing) cases`, () => {
    for (const c of numpy.timesteps) {
      expect(Array.from(timesteps(c.trainSteps, c.steps, c.spacing)), JSON.stringify(c)).toEqual(
        c.timesteps,
      );
    }
  });

  it('rejects bad input with the field and the valid values', () => {
    expect(() => timesteps(1000, 10, 'even' as Spacing)).toThrow(
      /spacing.*leading, trailing, linspace/,
    );
    expect(() => timesteps(1000, 0, 'trailing')).toThrow(/steps.*\[1, 1000\]/);
    expect(() => timesteps(1000, 1001, 'trailing')).toThrow(/steps/);
  });
});
