/**
 * Noise schedules and timestep selection. Math in float64; `scheduleTables`
 * casts to float32 once, at the edge.
 *
 *   β_t           noise added at train step t (t = 0 .. T−1, 0-based)
 *   α_t = 1 − β_t,  ᾱ_t = Π_{s≤t} α_s,  ᾱ_{−1} = 1
 *   β̃_t = β_t (1 − ᾱ_{t−1}) / (1 − ᾱ_t)                      posterior variance
 *   μ̃_t = coefX0_t x_0 + coefXt_t x_t,  coefX0 = sqrt(ᾱ_{t−1}) β_t / (1 − ᾱ_t),
 *                                       coefXt = sqrt(α_t) (1 − ᾱ_{t−1}) / (1 − ᾱ_t)
 *   SNR_t = ᾱ_t / (1 − ᾱ_t),  logSNR_t = ln SNR_t
 */
import type { ScheduleKind, ScheduleSpec, Spacing } from './types.ts';
import { integerIn, numberIn, oneOf } from './options.ts';

export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['linear', 'scaled-linear', 'cosine'];
export const SPACINGS: readonly Spacing[] = ['leading', 'trailing', 'linspace'];

export interface Schedule {
  readonly spec: ScheduleSpec;
  readonly trainSteps: number;
  readonly betas: Float64Array;
  readonly alphas: Float64Array;
  readonly alphaBar: Float64Array;
  readonly alphaBarPrev: Float64Array;
  readonly sqrtAlphaBar: Float64Array;
  readonly sqrtOneMinusAlphaBar: Float64Array;
  readonly betaTilde: Float64Array;
  readonly posteriorMeanCoefX0: Float64Array;
  readonly posteriorMeanCoefXt: Float64Array;
  readonly snr: Float64Array;
  readonly logSNR: Float64Array;
}

/** numpy.linspace(start, stop, n) as numpy computes it. */
function linspace(start: number, stop: number, n: number): Float64Array {
  const out = new Float64Array(n);
  const step = n > 1 ? (stop - start) / (n - 1) : 0;
  for (let i = 0; i < n; i++) out[i] = start + i * step;
  if (n > 1) out[n - 1] = stop;
  return out;
}

/** Linear β (Ho et al. 2020). */
function linearBetas(betaStart: number, betaEnd: number, T: number): Float64Array {
  return linspace(betaStart, betaEnd, T);
}

/** Scaled-linear β: linear in sqrt(β) (Rombach et al. 2022, latent diffusion). */
function scaledLinearBetas(betaStart: number, betaEnd: number, T: number): Float64Array {
  return linspace(Math.sqrt(betaStart), Math.sqrt(betaEnd), T).map((r) => r * r);
}

/** Cosine ᾱ(t) = f(t)/f(0), f(t) = cos²((t/T + s)/(1 + s) · π/2), s = 0.008; β clipped at 0.999 (Nichol & Dhariwal 2021). */
function cosineBetas(T: number): Float64Array {
  const s = 0.008;
  const f = (t: number) => Math.cos((((t / T + s) / (1 + s)) * Math.PI) / 2) ** 2;
  const betas = new Float64Array(T);
  for (let i = 0; i < T; i++) betas[i] = Math.min(1 - f(i + 1) / f(i), 0.999);
  return betas;
}

export function validateScheduleSpec(spec: ScheduleSpec): ScheduleSpec {
  const kind = oneOf('schedule.kind', spec.kind, SCHEDULE_KINDS);
  const trainSteps = integerIn('schedule.trainSteps', spec.trainSteps, 2, 100_000);
  if (kind !== 'cosine') {
    numberIn('schedule.betaStart', spec.betaStart, Number.MIN_VALUE, 0.999);
    numberIn('schedule.betaEnd', spec.betaEnd, spec.betaStart, 0.999);
  }
  return { kind, betaStart: spec.betaStart, betaEnd: spec.betaEnd, trainSteps };
}

/** β_t, t = 0 .. T−1, in float64. */
export function makeBetas(spec: ScheduleSpec): Float64Array {
  const { kind, betaStart, betaEnd, trainSteps: T } = validateScheduleSpec(spec);
  if (kind === 'linear') return linearBetas(betaStart, betaEnd, T);
  if (kind === 'scaled-linear') return scaledLinearBetas(betaStart, betaEnd, T);
  return cosineBetas(T);
}

/** Every derived quantity of a schedule, float64. */
export function buildSchedule(spec: ScheduleSpec): Schedule {
  const betas = makeBetas(spec);
  const T = betas.length;
  const alphas = betas.map((b) => 1 - b);
  const alphaBar = new Float64Array(T);
  let product = 1;
  for (let t = 0; t < T; t++) alphaBar[t] = product *= alphas[t] ?? 1;
  const alphaBarPrev = new Float64Array(T);
  for (let t = 0; t < T; t++) alphaBarPrev[t] = t === 0 ? 1 : (alphaBar[t - 1] ?? 1);
  const at = (a: Float64Array, t: number) => a[t] ?? Number.NaN;
  const table = (f: (t: number) => number) => Float64Array.from({ length: T }, (_, t) => f(t));
  return {
    spec: validateScheduleSpec(spec),
    trainSteps: T,
    betas,
    alphas,
    alphaBar,
    alphaBarPrev,
    sqrtAlphaBar: alphaBar.map(Math.sqrt),
    sqrtOneMinusAlphaBar: alphaBar.map((a) => Math.sqrt(1 - a)),
    betaTilde: table((t) => (at(betas, t) * (1 - at(alphaBarPrev, t))) / (1 - at(alphaBar, t))),
    posteriorMeanCoefX0: table(
      (t) => (Math.sqrt(at(alphaBarPrev, t)) * at(betas, t)) / (1 - at(alphaBar, t)),
    ),
    posteriorMeanCoefXt: table(
      (t) => (Math.sqrt(at(alphas, t)) * (1 - at(alphaBarPrev, t))) / (1 - at(alphaBar, t)),
    ),
    snr: alphaBar.map((a) => a / (1 - a)),
    logSNR: alphaBar.map((a) => Math.log(a / (1 - a))),
  };
}

export type ScheduleTables = {
  [K in Exclude<keyof Schedule, 'spec' | 'trainSteps'>]: Float32Array;
};

/** The schedule's tables cast to float32 (for plotting, or for a kernel that reads them). */
export function scheduleTables(schedule: Schedule): ScheduleTables {
  const f32 = (a: Float64Array) => Float32Array.from(a);
  return {
    betas: f32(schedule.betas),
    alphas: f32(schedule.alphas),
    alphaBar: f32(schedule.alphaBar),
    alphaBarPrev: f32(schedule.alphaBarPrev),
    sqrtAlphaBar: f32(schedule.sqrtAlphaBar),
    sqrtOneMinusAlphaBar: f32(schedule.sqrtOneMinusAlphaBar),
    betaTilde: f32(schedule.betaTilde),
    posteriorMeanCoefX0: f32(schedule.posteriorMeanCoefX0),
    posteriorMeanCoefXt: f32(schedule.posteriorMeanCoefXt),
    snr: f32(schedule.snr),
    logSNR: f32(schedule.logSNR),
  };
}

/** numpy.round: halves to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Descending train timesteps for n-step sampling, as diffusers defines the spacings
 * (DDIMScheduler.set_timesteps, steps_offset 0):
 *   linspace: round(linspace(0, T−1, n)) reversed
 *   leading:  (0 .. n−1) · ⌊T/n⌋ reversed
 *   trailing: round(arange(T, 0, −T/n)) − 1   (always includes T−1)
 */
export function timesteps(trainSteps: number, n: number, spacing: Spacing): Int32Array {
  const T = integerIn('trainSteps', trainSteps, 2, 100_000);
  integerIn('steps', n, 1, T);
  const kind = oneOf('spacing', spacing, SPACINGS);
  if (kind === 'linspace') return Int32Array.from(linspace(0, T - 1, n), roundHalfEven).reverse();
  if (kind === 'leading') {
    const ratio = Math.floor(T / n);
    return Int32Array.from({ length: n }, (_, i) => (n - 1 - i) * ratio);
  }
  // numpy.arange(T, 0, −T/n) fills start + i·delta with delta = (start + step) − start.
  const step = -T / n;
  const delta = T + step - T;
  const length = Math.ceil(-T / step);
  return Int32Array.from({ length }, (_, i) => roundHalfEven(T + i * delta) - 1);
}
