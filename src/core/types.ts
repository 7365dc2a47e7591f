/**
 * Shared types of the diffusion core. These are the contracts between core,
 * runtime, workers and ui; change them only together with every user.
 */

export type ScheduleKind = 'linear' | 'scaled-linear' | 'cosine';
export type Prediction = 'epsilon' | 'v' | 'sample';
/** Timestep spacing for N-step sampling, as diffusers defines them. */
export type Spacing = 'leading' | 'trailing' | 'linspace';
/**
 * ddpm: ancestral DDPM with σ² = β̃_t (posterior variance);
 * ddpm-beta: ancestral DDPM with σ² = β_t;
 * ddim: DDIM with `eta` in [0, 1];
 * dpmpp-2m: DPM-Solver++(2M);
 * euler-a: Euler ancestral.
 */
export type SamplerName = 'ddpm' | 'ddpm-beta' | 'ddim' | 'dpmpp-2m' | 'euler-a';

export interface ScheduleSpec {
  kind: ScheduleKind;
  betaStart: number;
  betaEnd: number;
  trainSteps: number;
}

/** Shape of one image, channels-first. */
export interface ImageShape {
  channels: number;
  height: number;
  width: number;
}

/**
 * One generation, as every layer sees it (ranges and defaults: request-spec.ts).
 * Image k draws its noise from stream (seed, firstIndex + k).
 */
export interface SampleRequest {
  seed: number;
  count: number;
  /** Index of the first image's noise stream; lets a batch be split without changing pictures. */
  firstIndex?: number;
  steps: number;
  sampler: SamplerName;
  /** DDIM η; ignored by other samplers. */
  eta?: number;
  spacing?: Spacing;
  /** Classifier-free guidance w: ε = ε(∅) + w (ε(labels) − ε(∅)). 0 unconditional, 1 conditional. */
  guidance: number;
  /** One label index per label group of the model, or null for "any"; [] for a model without labels. */
  labels: readonly (number | null)[];
  /** Clip the x0 prediction to the data range [-1, 1]. Default true. */
  clip?: boolean;
  /** img2img (SDEdit): C×H×W in [−1, 1], noised to the timestep nearest strength·T, then denoised. */
  init?: { image: Float32Array; strength: number };
  /** x_T override, count×C×H×W (e.g. spherical interpolation between two seeds' noise). */
  noise?: Float32Array;
  /** Attach x̂0 to progress every this many steps, and on the last (default: about 10 previews). */
  previewEvery?: number;
}

/**
 * The network as the loop sees it: x is `batch` images (batch×C×H×W floats),
 * t the integer train timestep, labels the label tensor's values
 * (batch × groups, see conditioning.ts) or null for a model without labels. Returns the raw
 * model output (ε, v or x0 per the manifest's `prediction`), same length as x.
 */
export type DenoiseFn = (
  x: Float32Array,
  t: number,
  labels: Int32Array | null,
  batch: number,
) => Promise<Float32Array>;

export interface SampleProgress {
  /** 1-based index of the step just finished, and the number of steps. */
  step: number;
  of: number;
  /** Train timestep the step started from. */
  t: number;
  /** The current x0 prediction for all images (count×C×H×W), when a preview is due. */
  x0?: Float32Array;
  /** The sample x_{t_prev} after this step (count×C×H×W), when a preview is due: the reverse process. */
  x?: Float32Array;
}
