/**
 * The exact denoiser of Gaussian data x_0 ~ N(μ, s² I): with x_t = α x_0 + σ ε,
 * E[x_0 | x_t] = μ + α s² / (α² s² + σ²) · (x_t − α μ), and the model outputs
 * ε̂ = (x_t − α x̂0)/σ, v̂ = α ε̂ − σ x̂0, or x̂0 itself. No trained model needed.
 */
import type { DenoiseFn, Prediction, SamplerName, Spacing } from '../../src/core/types.ts';
import { timesteps, type Schedule } from '../../src/core/schedule.ts';
import { samplerSpec } from '../../src/core/samplers.ts';

export function exactDenoiser(
  schedule: Schedule,
  mu: number,
  s: number,
  prediction: Prediction,
): DenoiseFn {
  return async (x, t) => {
    const ab = schedule.alphaBar[t] ?? Number.NaN;
    const alpha = Math.sqrt(ab);
    const sigma = Math.sqrt(1 - ab);
    const gain = (alpha * s * s) / (ab * s * s + sigma * sigma);
    const out = new Float32Array(x.length);
    for (let i = 0; i < x.length; i++) {
      const xt = x[i] ?? 0;
      const x0 = mu + gain * (xt - alpha * mu);
      const eps = (xt - alpha * x0) / sigma;
      out[i] = prediction === 'epsilon' ? eps : prediction === 'v' ? alpha * eps - sigma * x0 : x0;
    }
    return out;
  };
}

/**
 * The exact output distribution of a sampler run with the exact denoiser (clip off).
 * Every quantity is affine in independent Gaussians (x_T, the step noises), and
 * x̂0 = μ (1 − g α) + g x_t is affine in x_t, so per element the pair
 * (x_t, previous x̂0) stays jointly Gaussian: propagate its means and covariance
 * through the same update coefficients the loop uses. Float64 throughout.
 */
export function samplerMoments(
  schedule: Schedule,
  sampler: SamplerName,
  steps: number,
  mu: number,
  s: number,
  eta = 0,
  spacing: Spacing = 'trailing',
): { mean: number; std: number } {
  const ts = timesteps(schedule.trainSteps, steps, spacing);
  let [mx, mp, vxx, vxp, vpp] = [0, 0, 1, 0, 0];
  let previousH: number | null = null;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i] ?? 0;
    const tPrev = i + 1 < ts.length ? (ts[i + 1] ?? 0) : -1;
    const ab = schedule.alphaBar[t] ?? Number.NaN;
    const alpha = Math.sqrt(ab);
    const gain = (alpha * s * s) / (ab * s * s + (1 - ab));
    const offset = mu * (1 - gain * alpha);
    const u = samplerSpec(sampler).update({
      alphaBarT: ab,
      alphaBarPrev: tPrev >= 0 ? (schedule.alphaBar[tPrev] ?? Number.NaN) : 1,
      last: tPrev < 0,
      eta,
      previousH,
    });
    previousH = u.h ?? previousH;
    const m0 = offset + gain * mx;
    const k = u.a + u.b * gain; // x' = k x + b·offset + c w
    let next: [number, number, number];
    if (u.w === 'previous-x0') {
      next = [
        k * mx + u.b * offset + u.c * mp,
        k * k * vxx + 2 * k * u.c * vxp + u.c * u.c * vpp,
        gain * (k * vxx + u.c * vxp),
      ];
    } else {
      const noiseVar = u.w === 'noise' ? u.c * u.c : 0;
      next = [k * mx + u.b * offset, k * k * vxx + noiseVar, gain * k * vxx];
    }
    [mp, vpp] = [m0, gain * gain * vxx];
    [mx, vxx, vxp] = next;
  }
  return { mean: mx, std: Math.sqrt(vxx) };
}
