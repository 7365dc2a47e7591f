/**
 * The kernels contract: every elementwise operation of sampling, implemented
 * by the TypeScript reference (reference.ts) and by the WASM kernels
 * (src/runtime/kernels.ts) with the same bits. All buffers are float32;
 * lengths must match (errors name the argument).
 */
import type { ImageShape, Prediction } from './types.ts';

export type KernelBackend = 'typescript' | 'wasm-simd' | 'wasm-scalar';

/** A Gaussian noise stream: image `stream` of seed `seed`; substream 0 is x_T, s + 1 the noise of step s. */
export interface NoiseAddress {
  seed: number;
  stream: number;
  substream: number;
}

/**
 * One fused sampler step (see samplers.ts for a, b, c):
 *   x̂0 = predX0(model output; prediction, α = sqrt(ᾱ_t), σ = sqrt(1 − ᾱ_t)),
 *   x̂0 ← clamp(x̂0, −1, 1) when clip,
 *   x  ← a x + b x̂0 + c w.
 */
export interface StepCoefficients {
  prediction: Prediction;
  alpha: number;
  sigma: number;
  clip: boolean;
  a: number;
  b: number;
  c: number;
}

export interface Kernels {
  readonly backend: KernelBackend;
  /** Philox4x32-10 block (counter: 4 words, key: 2 words). */
  philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array;
  /** out[i] = sample (offset + i) of the stream at `address`; returns out. */
  gaussian(out: Float32Array, address: NoiseAddress, offset?: number): Float32Array;
  /** The fused step: updates x in place, writes x̂0 to x0Out; w null means c is ignored. */
  samplerStep(
    x: Float32Array,
    model: Float32Array,
    w: Float32Array | null,
    x0Out: Float32Array,
    coefficients: StepCoefficients,
  ): void;
  /** Classifier-free guidance out = u + w (c − u); out may alias u or c. */
  guidance(out: Float32Array, uncond: Float32Array, cond: Float32Array, w: number): void;
  /** out = a x + b y; out may alias x or y. */
  axpby(out: Float32Array, a: number, x: Float32Array, b: number, y: Float32Array): void;
  /** count images C×H×W in [−1, 1] (C = 1 gray, 3 RGB) → count × H×W RGBA8. */
  toRGBA8(chw: Float32Array, shape: ImageShape, count?: number): Uint8ClampedArray;
}

export const PREDICTION_CODE: Record<Prediction, number> = { epsilon: 0, v: 1, sample: 2 };

/** The kernels' code for a prediction kind; an unknown kind is an error naming `field`. */
export function predictionCode(field: string, prediction: Prediction): number {
  const code = (PREDICTION_CODE as Record<string, number | undefined>)[prediction];
  if (code === undefined) {
    throw new Error(
      `${field}: got ${JSON.stringify(prediction)}; expected one of epsilon, v, sample`,
    );
  }
  return code;
}

export function checkLength(name: string, array: ArrayLike<unknown>, n: number): void {
  if (array.length !== n) throw new Error(`${name}: length ${array.length}; expected ${n}`);
}

/** Checks samplerStep's arrays against x and returns the prediction code. */
export function checkSamplerStep(
  x: Float32Array,
  model: Float32Array,
  w: Float32Array | null,
  x0Out: Float32Array,
  k: StepCoefficients,
): number {
  checkLength('model', model, x.length);
  checkLength('x0Out', x0Out, x.length);
  if (w) checkLength('w', w, x.length);
  return predictionCode('prediction', k.prediction);
}

/** Checks the shape for toRGBA8 and returns the pixel count of one image. */
export function rgbaPixels(chw: ArrayLike<unknown>, shape: ImageShape, count: number): number {
  if (shape.channels !== 1 && shape.channels !== 3) {
    throw new Error(`shape.channels: got ${shape.channels}; expected one of 1 (gray), 3 (RGB)`);
  }
  const pixels = shape.height * shape.width;
  checkLength('chw', chw, count * shape.channels * pixels);
  return pixels;
}
