/**
 * The sampling loop, written once for every sampler and both kernel backends.
 * A generator: each step yields progress (and an x̂0 preview when due); the
 * return value is the final batch x_0 (count × C × H × W).
 *
 * Noise addressing: image k (stream firstIndex + k) draws x_T from substream 0
 * and the noise of step i (its index in the full timestep list) from substream
 * i + 1, so image k of a batch is bit-identical to the same image made alone.
 */
import type {
  DenoiseFn,
  ImageShape,
  Prediction,
  SampleProgress,
  SampleRequest,
  Spacing,
} from './types.ts';
import type { Kernels } from './kernels.ts';
import { guidanceMode, labelRows, type Conditioning } from './conditioning.ts';
import { checkRequest } from './request.ts';
import { buildSchedule, timesteps, type Schedule } from './schedule.ts';
import { samplerSpec } from './samplers.ts';
import { integerIn, oneOf } from './options.ts';
import { abortError, type AbortSignalLike } from './abort.ts';
import { checkFinite } from './finite.ts';
import type { ScheduleSpec } from './types.ts';

export const PREDICTIONS: readonly Prediction[] = ['epsilon', 'v', 'sample'];

export interface SampleLoopOptions {
  schedule: ScheduleSpec | Schedule;
  shape: ImageShape;
  prediction: Prediction;
  request: SampleRequest;
  denoise: DenoiseFn;
  kernels: Kernels;
  /** The model's label groups, whose null labels make the unconditional branch. */
  conditioning: Conditioning;
  signal?: AbortSignalLike;
}

/** How the model is called: once per step, with these labels; 'doubled' runs [x; x] with [picked; ∅]. */
type Guidance =
  | { kind: 'single'; labels: Int32Array | null }
  | { kind: 'doubled'; labels: Int32Array; w: number };

function planGuidance(request: SampleRequest, count: number, c: Conditioning): Guidance {
  const w = request.guidance;
  const mode = guidanceMode(c, request.labels, w);
  if (mode === 'unlabelled') return { kind: 'single', labels: null };
  const picked = labelRows(c, request.labels, count);
  // "Any" everywhere is the unconditional branch itself, so it runs as 'conditional'.
  if (mode === 'conditional') return { kind: 'single', labels: picked };
  const unconditional = labelRows(c, request.labels, count, true);
  if (mode === 'unconditional') return { kind: 'single', labels: unconditional };
  const both = new Int32Array(2 * picked.length);
  both.set(picked);
  both.set(unconditional, picked.length);
  return { kind: 'doubled', labels: both, w };
}

/** Where a step is, for the error that names it. */
interface StepAt {
  step: number;
  of: number;
  t: number;
}

/** The model output for x (ε, v or x0), with guidance applied; non-finite raw output is an error. */
async function modelOutput(
  plan: Guidance,
  x: Float32Array,
  at: StepAt,
  count: number,
  denoise: DenoiseFn,
  kernels: Kernels,
): Promise<Float32Array> {
  const n = x.length;
  const t = at.t;
  if (plan.kind === 'single') {
    // A copy: the denoiser may keep or transfer what it is given.
    const out = await denoise(x.slice(), t, plan.labels, count);
    if (out.length !== n) throw new Error(`denoise: returned ${out.length} values; expected ${n}`);
    checkFinite(out, at);
    return out;
  }
  const doubled = new Float32Array(2 * n);
  doubled.set(x);
  doubled.set(x, n);
  const out = await denoise(doubled, t, plan.labels, 2 * count);
  if (out.length !== 2 * n)
    throw new Error(`denoise: returned ${out.length} values; expected ${2 * n}`);
  checkFinite(out, at);
  const cond = out.subarray(0, n);
  kernels.guidance(cond, out.subarray(n), cond, plan.w);
  return cond;
}

/** Index of the timestep nearest strength·T (the first of equals). */
function startIndex(ts: Int32Array, strength: number, trainSteps: number): number {
  const target = strength * trainSteps;
  let best = 0;
  for (let i = 1; i < ts.length; i++) {
    if (Math.abs((ts[i] ?? 0) - target) < Math.abs((ts[best] ?? 0) - target)) best = i;
  }
  return best;
}

/** x_T for every image: the override, or each image's substream 0. */
function initialNoise(opts: SampleLoopOptions, count: number, perImage: number): Float32Array {
  const x = new Float32Array(count * perImage);
  const noise = opts.request.noise;
  if (noise) {
    x.set(noise);
    return x;
  }
  const first = opts.request.firstIndex ?? 0;
  for (let k = 0; k < count; k++) {
    const image = x.subarray(k * perImage, (k + 1) * perImage);
    opts.kernels.gaussian(image, { seed: opts.request.seed, stream: first + k, substream: 0 });
  }
  return x;
}

/** `count` copies of one C×H×W image, one after another. */
function tiled(image: Float32Array, count: number): Float32Array {
  const out = new Float32Array(count * image.length);
  for (let k = 0; k < count; k++) out.set(image, k * image.length);
  return out;
}

/** Closed-form forward process of the init image to train timestep t, in place on x (which holds ε). */
function noiseInit(
  opts: SampleLoopOptions,
  x: Float32Array,
  schedule: Schedule,
  t: number,
  perImage: number,
): void {
  const init = opts.request.init;
  if (!init) return;
  const x0 = tiled(init.image, x.length / perImage);
  const ab = schedule.alphaBar[t] ?? Number.NaN;
  opts.kernels.axpby(x, Math.sqrt(ab), x0, Math.sqrt(1 - ab), x);
}

function validateShape(shape: ImageShape): number {
  const c = integerIn('shape.channels', shape.channels, 1, 64);
  const h = integerIn('shape.height', shape.height, 1, 4096);
  const w = integerIn('shape.width', shape.width, 1, 4096);
  return c * h * w;
}

export async function* sampleLoop(
  opts: SampleLoopOptions,
): AsyncGenerator<SampleProgress, Float32Array> {
  const { request, kernels } = opts;
  const schedule = 'alphaBar' in opts.schedule ? opts.schedule : buildSchedule(opts.schedule);
  const T = schedule.trainSteps;
  const perImage = validateShape(opts.shape);
  const prediction = oneOf('prediction', opts.prediction, PREDICTIONS);
  checkRequest(request, { shape: opts.shape, trainSteps: T, conditioning: opts.conditioning });
  const { count, steps, init } = request;
  const update = samplerSpec(request.sampler).update;
  const spacing: Spacing = request.spacing ?? 'trailing';
  const eta = request.eta ?? 0;
  const clip = request.clip ?? true;
  const ts = timesteps(T, steps, spacing);
  const plan = planGuidance(request, count, opts.conditioning);
  const first = init ? startIndex(ts, init.strength, T) : 0;
  const of = ts.length - first;
  const previewEvery = request.previewEvery ?? Math.max(1, Math.round(of / 10));
  if (opts.signal?.aborted) throw abortError();
  // Strength 0 keeps the image: no noise is added, so there is nothing to remove.
  if (init && init.strength === 0) return tiled(init.image, count);

  const x = initialNoise(opts, count, perImage);
  if (init) noiseInit(opts, x, schedule, ts[first] ?? 0, perImage);
  let x0 = new Float32Array(x.length);
  let previousX0 = new Float32Array(x.length);
  const noise = new Float32Array(x.length);
  let previousH: number | null = null;

  for (let i = first; i < ts.length; i++) {
    if (opts.signal?.aborted) throw abortError();
    const t = ts[i] ?? 0;
    const tPrev = i + 1 < ts.length ? (ts[i + 1] ?? 0) : -1;
    const alphaBarT = schedule.alphaBar[t] ?? Number.NaN;
    const step = update({
      alphaBarT,
      alphaBarPrev: tPrev >= 0 ? (schedule.alphaBar[tPrev] ?? Number.NaN) : 1,
      last: tPrev < 0,
      eta,
      previousH,
    });
    const at = { step: i - first + 1, of, t };
    const model = await modelOutput(plan, x, at, count, opts.denoise, kernels);
    if (opts.signal?.aborted) throw abortError();
    let w: Float32Array | null = null;
    if (step.w === 'noise') {
      for (let k = 0; k < count; k++) {
        const image = noise.subarray(k * perImage, (k + 1) * perImage);
        kernels.gaussian(image, {
          seed: request.seed,
          stream: (request.firstIndex ?? 0) + k,
          substream: i + 1,
        });
      }
      w = noise;
    } else if (step.w === 'previous-x0') {
      w = previousX0;
    }
    kernels.samplerStep(x, model, w, x0, {
      prediction,
      alpha: Math.sqrt(alphaBarT),
      sigma: Math.sqrt(1 - alphaBarT),
      clip,
      a: step.a,
      b: step.b,
      c: step.c,
    });
    previousH = step.h ?? previousH;
    [x0, previousX0] = [previousX0, x0];
    const done = i - first + 1;
    // The first step too, so a slow run shows a picture at once.
    const preview = done === 1 || done % previewEvery === 0 || done === of;
    yield { step: done, of, t, ...(preview ? { x0: previousX0.slice(), x: x.slice() } : {}) };
  }
  return x;
}
