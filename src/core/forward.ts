/**
 * The forward process q, both ways the math gives it. Here t counts noising
 * steps: x_t for t = 0 .. T, x_0 the data; x_t uses the schedule's 0-based
 * tables at index t − 1 (ᾱ_{t−1} there is ᾱ_t in the papers' 1-based notation).
 */
import type { Kernels, NoiseAddress } from './kernels.ts';
import type { Schedule } from './schedule.ts';
import { integerIn } from './options.ts';

export type ForwardMode = 'closed-form' | 'markov';
export const FORWARD_MODES: readonly ForwardMode[] = ['closed-form', 'markov'];

/** Closed form q(x_t | x_0): out = sqrt(ᾱ) x0 + sqrt(1 − ᾱ) ε. */
export function qSample(
  kernels: Kernels,
  out: Float32Array,
  x0: Float32Array,
  eps: Float32Array,
  alphaBar: number,
): void {
  kernels.axpby(out, Math.sqrt(alphaBar), x0, Math.sqrt(1 - alphaBar), eps);
}

/** One Markov step q(x_t | x_{t−1}): x ← sqrt(1 − β) x + sqrt(β) ε, in place. */
export function markovStep(
  kernels: Kernels,
  x: Float32Array,
  eps: Float32Array,
  beta: number,
): void {
  kernels.axpby(x, Math.sqrt(1 - beta), x, Math.sqrt(beta), eps);
}

/**
 * x_t from x0 with noise from (seed, stream): the closed form draws ε from
 * substream 0; the Markov chain draws step s's ε (s = 1 .. t) from substream s.
 */
export function forwardDiffuse(
  kernels: Kernels,
  schedule: Schedule,
  x0: Float32Array,
  t: number,
  noise: Omit<NoiseAddress, 'substream'>,
  mode: ForwardMode,
): Float32Array {
  integerIn('t', t, 0, schedule.trainSteps);
  const x = Float32Array.from(x0);
  if (t === 0) return x;
  const eps = new Float32Array(x0.length);
  if (mode === 'closed-form') {
    kernels.gaussian(eps, { ...noise, substream: 0 });
    qSample(kernels, x, x0, eps, schedule.alphaBar[t - 1] ?? Number.NaN);
    return x;
  }
  if (mode !== 'markov')
    throw new Error(
      `mode: got ${JSON.stringify(mode)}; expected one of ${FORWARD_MODES.join(', ')}`,
    );
  for (let s = 1; s <= t; s++) {
    kernels.gaussian(eps, { ...noise, substream: s });
    markovStep(kernels, x, eps, schedule.betas[s - 1] ?? Number.NaN);
  }
  return x;
}
