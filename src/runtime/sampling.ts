/**
 * Runs core's sampling loop for a loaded model: maps the manifest onto the
 * loop's options, turns x̂0 previews into RGBA8 with the kernels, and keeps
 * the reverse-process frames when asked.
 */
import type { ModelManifest } from '../core/manifest.ts';
import type { Kernels } from '../core/kernels.ts';
import { sampleLoop } from '../core/loop.ts';
import type { DenoiseFn, SampleProgress, SampleRequest } from '../core/types.ts';
import { loadKernels } from './kernels.ts';
import { MAX_FRAMES } from './request.ts';

let kernels: Promise<Kernels> | undefined;

/**
 * Lets queued messages run. onnxruntime's WASM runs resolve through
 * microtasks only, so without this a worker would not see cancel() until
 * the whole generation had finished.
 */
function nextMacrotask(): Promise<void> {
  return new Promise((ok) => setTimeout(ok, 0));
}

/** The AssemblyScript kernels (SIMD where the engine has it), loaded once per worker or process. */
export function loadSamplingKernels(): Promise<Kernels> {
  kernels ??= loadKernels().catch((e: unknown) => {
    kernels = undefined;
    throw e;
  });
  return kernels;
}

export { MAX_FRAMES };

export interface SamplingJob {
  manifest: ModelManifest;
  request: SampleRequest;
  denoise: DenoiseFn;
  kernels: Kernels;
  signal: AbortSignal;
  /** Keep the reverse process x_t as RGBA8 frames (all images of the batch per frame), at most MAX_FRAMES. */
  keepFrames: boolean;
  onFrame(rgba: Uint8ClampedArray): void;
  /** After each step; `previews` (RGBA8 of x̂0) every previewEvery steps and on the last. */
  onStep(progress: SampleProgress, previews: Uint8ClampedArray | undefined): void;
}

/** Runs the loop to the end and returns the final images as RGBA8. */
export async function runSampling(job: SamplingJob): Promise<Uint8ClampedArray> {
  const { manifest, request, kernels } = job;
  const shape = manifest.image;
  const loop = sampleLoop({
    schedule: manifest.schedule,
    shape,
    prediction: manifest.prediction,
    denoise: job.denoise,
    kernels,
    conditioning: manifest.conditioning,
    signal: job.signal,
    // Frames need x_t every step; previews for the page are thinned out below.
    request: job.keepFrames ? { ...request, previewEvery: 1 } : request,
  });
  for (;;) {
    const next = await loop.next();
    if (next.done) return kernels.toRGBA8(next.value, shape, request.count);
    const p = next.value;
    const every = request.previewEvery ?? Math.max(1, Math.round(p.of / 10));
    const frameEvery = Math.ceil(p.of / MAX_FRAMES);
    if (job.keepFrames && p.x && (p.step % frameEvery === 0 || p.step === p.of)) {
      job.onFrame(kernels.toRGBA8(p.x, shape, request.count));
    }
    let previews: Uint8ClampedArray | undefined;
    if (p.x0 && (p.step === 1 || p.step % every === 0 || p.step === p.of)) {
      previews = kernels.toRGBA8(p.x0, shape, request.count);
    }
    job.onStep(p, previews);
    await nextMacrotask();
  }
}
