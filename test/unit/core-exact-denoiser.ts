/**
 * The exact denoiser of Gaussian data x_0 ~ N(μ, s² I): with x_t = α x_0 + σ ε,
 * E[x_0 | x_t] = μ + α s² / (α² s² + σ²) · (x_t − α μ), and the model outputs
 * ε̂ = (x_t − α x̂0)/σ, v̂ = α ε̂ − σ x̂0, or x̂0 itself. No trained model needed.
 */
import type { DenoiseFn, Prediction } from '../../src/core/types.ts';
import type { Schedule } from '../../src/core/schedule.ts';

export function exactDenoiser(schedule: Schedule, mu: number, s: number, prediction: Prediction): DenoiseFn {
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
