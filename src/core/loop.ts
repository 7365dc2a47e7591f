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
import { buildSchedule, SPACINGS, timesteps, type Schedule } from './schedule.ts';
import { SAMPLER_NAMES, SAMPLER_UPDATES } from './samplers.ts';
import { integerIn, numberIn, oneOf } from './options.ts';
import type { ScheduleSpec } from './types.ts';

export const PREDICTIONS: readonly Prediction[] = ['epsilon', 'v', 'sample'];

/** What `signal` needs to be: an AbortSignal, or anything with `aborted`. */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

export interface SampleLoopOptions {
  schedule: ScheduleSpec | Schedule;
  shape: ImageShape;
  prediction: Prediction;
  request: SampleRequest;
  denoise: DenoiseFn;
  kernels: Kernels;
  /** The label of the unconditional branch (classifier-free guidance); null for a model without classes. */
  nullLabel: number | null;
  signal?: AbortSignalLike;
  /** Attach x̂0 to progress every this many steps, and on the last step (default: about 10 previews). */
  previewEvery?: number;
  /** img2img (SDEdit): C×H×W (shared) or count×C×H×W in [−1, 1], noised to the timestep nearest strength·T. */
  init?: { image: Float32Array; strength: number };
  /** x_T override, count×C×H×W. */
  noise?: Float32Array;
}

export function abortError(): Error {
  const error = new Error('sampling aborted');
  error.name = 'AbortError';
  return error;
}

/** How the model is called: once per step, with these labels; 'doubled' runs [x; x] with [labels; null]. */
type Guidance =
  | { kind: 'single'; labels: Int32Array | null }
  | { kind: 'doubled'; labels: Int32Array; w: number };

function labelsFor(request: SampleRequest, count: number): Int32Array | null {
  if (request.label === null) return null;
  const labels = Array.isArray(request.label)
    ? request.label
    : new Array<number>(count).fill(request.label);
  if (labels.length !== count)
    throw new Error(`request.label: ${labels.length} labels; expected 1 or count = ${count}`);
  return Int32Array.from(labels, (l, k) => integerIn(`request.label[${k}]`, l, 0, 2 ** 31 - 1));
}

function planGuidance(request: SampleRequest, count: number, nullLabel: number | null): Guidance {
  const w = numberIn('request.guidance', request.guidance, 0, 1000);
  const labels = labelsFor(request, count);
  // No label on a class model is the unconditional branch: the model is fed its null label.
  if (labels === null) {
    return {
      kind: 'single',
      labels: nullLabel === null ? null : new Int32Array(count).fill(nullLabel),
    };
  }
  if (w === 1) return { kind: 'single', labels };
  if (nullLabel === null)
    throw new Error(
      'nullLabel: a guided or unconditional request on a class model needs the null label',
    );
  const unconditional = new Int32Array(count).fill(nullLabel);
  if (w === 0) return { kind: 'single', labels: unconditional };
  const both = new Int32Array(2 * count);
  both.set(labels);
  both.set(unconditional, count);
  return { kind: 'doubled', labels: both, w };
}

/** The model output for x (ε, v or x0), with guidance applied. */
async function modelOutput(
  plan: Guidance,
  x: Float32Array,
  t: number,
  count: number,
  denoise: DenoiseFn,
  kernels: Kernels,
): Promise<Float32Array> {
  const n = x.length;
  if (plan.kind === 'single') {
    // A copy: the denoiser may keep or transfer what it is given.
    const out = await denoise(x.slice(), t, plan.labels, count);
    if (out.length !== n) throw new Error(`denoise: returned ${out.length} values; expected ${n}`);
    return out;
  }
  const doubled = new Float32Array(2 * n);
  doubled.set(x);
  doubled.set(x, n);
  const out = await denoise(doubled, t, plan.labels, 2 * count);
  if (out.length !== 2 * n)
    throw new Error(`denoise: returned ${out.length} values; expected ${2 * n}`);
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
  if (opts.noise) {
    if (opts.noise.length !== x.length) {
      throw new Error(`noise: length ${opts.noise.length}; expected count×C×H×W = ${x.length}`);
    }
    x.set(opts.noise);
    return x;
  }
  const first = opts.request.firstIndex ?? 0;
  for (let k = 0; k < count; k++) {
    const image = x.subarray(k * perImage, (k + 1) * perImage);
    opts.kernels.gaussian(image, { seed: opts.request.seed, stream: first + k, substream: 0 });
  }
  return x;
}

/** Closed-form forward process of the init image to train timestep t, in place on x (which holds ε). */
function noiseInit(
  opts: SampleLoopOptions,
  x: Float32Array,
  schedule: Schedule,
  t: number,
  perImage: number,
): void {
  const init = opts.init;
  if (!init) return;
  const count = x.length / perImage;
  const image = init.image;
  if (image.length !== perImage && image.length !== x.length) {
    throw new Error(
      `init.image: length ${image.length}; expected C×H×W = ${perImage} or count×C×H×W = ${x.length}`,
    );
  }
  const x0 = image.length === x.length ? image : new Float32Array(x.length);
  if (x0 !== image) for (let k = 0; k < count; k++) x0.set(image, k * perImage);
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
  const sampler = oneOf('request.sampler', request.sampler, SAMPLER_NAMES);
  const spacing: Spacing = oneOf('request.spacing', request.spacing ?? 'trailing', SPACINGS);
  const count = integerIn('request.count', request.count, 1, 4096);
  integerIn('request.seed', request.seed, 0, Number.MAX_SAFE_INTEGER);
  integerIn('request.firstIndex', request.firstIndex ?? 0, 0, 2 ** 32 - count);
  const eta = numberIn('request.eta', request.eta ?? 0, 0, 1);
  const clip = request.clip ?? true;
  const ts = timesteps(T, integerIn('request.steps', request.steps, 1, T), spacing);
  const plan = planGuidance(request, count, opts.nullLabel);
  const first = opts.init
    ? startIndex(ts, numberIn('init.strength', opts.init.strength, 0, 1), T)
    : 0;
  const of = ts.length - first;
  const previewEvery = integerIn(
    'previewEvery',
    opts.previewEvery ?? Math.max(1, Math.round(of / 10)),
    1,
    1e9,
  );
  if (opts.signal?.aborted) throw abortError();

  const x = initialNoise(opts, count, perImage);
  if (opts.init) noiseInit(opts, x, schedule, ts[first] ?? 0, perImage);
  let x0 = new Float32Array(x.length);
  let previousX0 = new Float32Array(x.length);
  const noise = new Float32Array(x.length);
  let previousH: number | null = null;

  for (let i = first; i < ts.length; i++) {
    if (opts.signal?.aborted) throw abortError();
    const t = ts[i] ?? 0;
    const tPrev = i + 1 < ts.length ? (ts[i + 1] ?? 0) : -1;
    const alphaBarT = schedule.alphaBar[t] ?? Number.NaN;
    const update = SAMPLER_UPDATES[sampler]({
      alphaBarT,
      alphaBarPrev: tPrev >= 0 ? (schedule.alphaBar[tPrev] ?? Number.NaN) : 1,
      last: tPrev < 0,
      eta,
      previousH,
    });
    const model = await modelOutput(plan, x, t, count, opts.denoise, kernels);
    if (opts.signal?.aborted) throw abortError();
    let w: Float32Array | null = null;
    if (update.w === 'noise') {
      for (let k = 0; k < count; k++) {
        const image = noise.subarray(k * perImage, (k + 1) * perImage);
        kernels.gaussian(image, {
          seed: request.seed,
          stream: (request.firstIndex ?? 0) + k,
          substream: i + 1,
        });
      }
      w = noise;
    } else if (update.w === 'previous-x0') {
      w = previousX0;
    }
    kernels.samplerStep(x, model, w, x0, {
      prediction,
      alpha: Math.sqrt(alphaBarT),
      sigma: Math.sqrt(1 - alphaBarT),
      clip,
      a: update.a,
      b: update.b,
      c: update.c,
    });
    previousH = update.h ?? previousH;
    [x0, previousX0] = [previousX0, x0];
    const step = i - first + 1;
    const preview = step % previewEvery === 0 || step === of;
    yield { step, of, t, ...(preview ? { x0: previousX0.slice(), x: x.slice() } : {}) };
  }
  return x;
}
