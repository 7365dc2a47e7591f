/**
 * Sampler updates. Notation (VP diffusion, one step from train timestep t to
 * t' < t; t' = −1 after the last step, with ᾱ_{−1} = 1):
 *
 *   α_t = sqrt(ᾱ_t), σ_t = sqrt(1 − ᾱ_t)      signal and noise scale of x_t
 *   x̂0                                          the model's (clipped) data prediction
 *   ε̂ = (x_t − α_t x̂0) / σ_t                   the noise implied by x_t and x̂0
 *   z                                           fresh N(0, I) noise
 *
 * Every sampler here is linear in (x_t, x̂0, w) with w = z or the previous x̂0:
 *   x_{t'} = a x_t + b x̂0 + c w,
 * so an update function only computes (a, b, c) in float64, and one fused
 * kernel (Kernels.samplerStep) applies it. Because ε̂ is recomputed from x̂0,
 * clipping x̂0 also corrects ε̂ (the "clip x0, recompute ε" rule).
 */
import type { SamplerName } from './types.ts';

export interface StepInput {
  alphaBarT: number;
  /** ᾱ of the next (smaller) timestep; 1 after the last step. */
  alphaBarPrev: number;
  /** True for the step that lands on x_0. */
  last: boolean;
  /** DDIM η in [0, 1]. */
  eta: number;
  /** DPM-Solver++(2M) history: h of the previous step, null on the first. */
  previousH: number | null;
}

export interface StepUpdate {
  a: number;
  b: number;
  c: number;
  /** What w is: nothing, fresh noise z, or the previous step's x̂0. */
  w: 'none' | 'noise' | 'previous-x0';
  /** DPM-Solver++(2M): this step's h, to pass as previousH next time. */
  h?: number;
}

/** x' = αp x̂0 + d ε̂ + s z written in (x, x̂0, z); d the direction coefficient, s the noise scale. */
function fromX0Eps(input: StepInput, d: number, s: number): StepUpdate {
  const alphaT = Math.sqrt(input.alphaBarT);
  const sigmaT = Math.sqrt(1 - input.alphaBarT);
  const alphaP = Math.sqrt(input.alphaBarPrev);
  const noisy = s > 0 && !input.last;
  return {
    a: d / sigmaT,
    b: alphaP - (d * alphaT) / sigmaT,
    c: noisy ? s : 0,
    w: noisy ? 'noise' : 'none',
  };
}

/**
 * DDIM (Song et al. 2021, eq. 12): x' = sqrt(ᾱ') x̂0 + sqrt(1 − ᾱ' − σ²) ε̂ + σ z,
 * σ = η sqrt((1 − ᾱ')/(1 − ᾱ) (1 − ᾱ/ᾱ')). η = 0 deterministic; η = 1 is DDPM's posterior.
 */
export function ddimUpdate(input: StepInput): StepUpdate {
  const { alphaBarT: ab, alphaBarPrev: abP } = input;
  const variance = ((1 - abP) / (1 - ab)) * (1 - ab / abP);
  const sigma = input.eta * Math.sqrt(Math.max(variance, 0));
  const direction = Math.sqrt(Math.max(1 - abP - sigma * sigma, 0));
  return fromX0Eps(input, direction, sigma);
}

/** DDPM ancestral with σ² = β̃ (Ho et al. 2020, eq. 7): DDIM at η = 1 (with strided steps, β_t = 1 − ᾱ/ᾱ'). */
export function ddpmUpdate(input: StepInput): StepUpdate {
  return ddimUpdate({ ...input, eta: 1 });
}

/**
 * DDPM ancestral with σ² = β_t: the posterior mean μ̃ = coefX0 x̂0 + coefXt x_t
 * (Ho et al. 2020, eq. 7) plus sqrt(β_t) z; β_t = 1 − ᾱ/ᾱ' for strided steps.
 */
export function ddpmBetaUpdate(input: StepInput): StepUpdate {
  const { alphaBarT: ab, alphaBarPrev: abP } = input;
  const alphaStep = ab / abP;
  const beta = 1 - alphaStep;
  const coefX0 = (Math.sqrt(abP) * beta) / (1 - ab);
  const coefXt = (Math.sqrt(alphaStep) * (1 - abP)) / (1 - ab);
  const noisy = !input.last;
  return { a: coefXt, b: coefX0, c: noisy ? Math.sqrt(beta) : 0, w: noisy ? 'noise' : 'none' };
}

/**
 * DPM-Solver++(2M) (Lu et al. 2022, alg. 2), data prediction, λ = ½ ln(ᾱ/(1 − ᾱ)):
 *   h = λ' − λ,  r = h_prev / h,  D = (1 + 1/(2r)) x̂0 − (1/(2r)) x̂0_prev  (first step: D = x̂0),
 *   x' = (σ'/σ) x − α' expm1(−h) D;  the last step returns x̂0 (lower order at the end).
 */
export function dpmpp2mUpdate(input: StepInput): StepUpdate {
  if (input.last) return { a: 0, b: 1, c: 0, w: 'none' };
  const lambda = (ab: number) => 0.5 * Math.log(ab / (1 - ab));
  const h = lambda(input.alphaBarPrev) - lambda(input.alphaBarT);
  const ratio = Math.sqrt(1 - input.alphaBarPrev) / Math.sqrt(1 - input.alphaBarT);
  const scale = -Math.sqrt(input.alphaBarPrev) * Math.expm1(-h);
  if (input.previousH === null) return { a: ratio, b: scale, c: 0, w: 'none', h };
  const half = 1 / (2 * (input.previousH / h));
  return { a: ratio, b: scale * (1 + half), c: -scale * half, w: 'previous-x0', h };
}

/**
 * Euler ancestral (Karras et al. 2022 / k-diffusion) in VP form. With the VE variable
 * x̃ = x/α and s = σ/α: s_up = sqrt(s'² (s² − s'²) / s²), s_down = sqrt(s'² − s_up²),
 * x̃' = x̃ + (s_down − s) (x̃ − x̂0)/s + s_up z, and x' = α' x̃'.
 */
export function eulerAncestralUpdate(input: StepInput): StepUpdate {
  const alphaT = Math.sqrt(input.alphaBarT);
  const alphaP = Math.sqrt(input.alphaBarPrev);
  const s = Math.sqrt(1 - input.alphaBarT) / alphaT;
  const sPrev = Math.sqrt(1 - input.alphaBarPrev) / alphaP;
  const sUp = Math.min(sPrev, Math.sqrt((sPrev * sPrev * (s * s - sPrev * sPrev)) / (s * s)));
  const sDown = Math.sqrt(Math.max(sPrev * sPrev - sUp * sUp, 0));
  const noisy = sUp > 0 && !input.last;
  return {
    a: (alphaP * sDown) / (s * alphaT),
    b: alphaP * (1 - sDown / s),
    c: noisy ? alphaP * sUp : 0,
    w: noisy ? 'noise' : 'none',
  };
}

export interface SamplerSpec {
  name: SamplerName;
  /** What a person reads in a picker or in `--help`. */
  label: string;
  update: (input: StepInput) => StepUpdate;
  /** Whether the request's η changes this sampler's output. */
  usesEta: boolean;
  /** Steps where the quality gate (training/RESULTS.md) puts this sampler. */
  recommendedSteps: number;
  /** Another row whose update this one equals here; pickers list only that row. */
  sameAs?: SamplerName;
}

/**
 * Every sampler, in the order pickers list them. Euler ancestral is kept for
 * k-diffusion users, but with discrete VP timesteps its update is DDPM's
 * (σ_up and σ_down reduce to the posterior's β̃), so it is listed once.
 */
export const SAMPLERS: readonly SamplerSpec[] = Object.freeze([
  { name: 'dpmpp-2m', label: 'DPM-Solver++(2M)', update: dpmpp2mUpdate, usesEta: false, recommendedSteps: 20 },
  { name: 'ddim', label: 'DDIM', update: ddimUpdate, usesEta: true, recommendedSteps: 50 },
  { name: 'ddpm', label: 'DDPM (ancestral; = Euler ancestral)', update: ddpmUpdate, usesEta: false, recommendedSteps: 1000 },
  { name: 'ddpm-beta', label: 'DDPM (σ² = β)', update: ddpmBetaUpdate, usesEta: false, recommendedSteps: 1000 },
  { name: 'euler-a', label: 'Euler ancestral (= DDPM here)', update: eulerAncestralUpdate, usesEta: false, recommendedSteps: 1000, sameAs: 'ddpm' },
]);

export const SAMPLER_NAMES: readonly SamplerName[] = SAMPLERS.map((s) => s.name);

/** The row of `name`; names are checked by the request spec before this is called. */
export function samplerSpec(name: SamplerName): SamplerSpec {
  const row = SAMPLERS.find((s) => s.name === name);
  if (!row) throw new Error(`sampler: got ${JSON.stringify(name)}; expected one of ${SAMPLER_NAMES.join(', ')}`);
  return row;
}
