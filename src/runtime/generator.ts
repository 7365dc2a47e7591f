/**
 * The generator: model loading and whole generations, independent of how it
 * is reached (workers/generator.worker.ts exposes it through comlink, the CLI
 * and the Node tests call it directly). One model at a time, one generation
 * at a time; cancel() stops the running one within one step.
 */
import type { Kernels } from '../core/kernels.ts';
import type { SampleProgress } from '../core/types.ts';
import { wasmThreads, type BackendChoice, type Capabilities } from './backends.ts';
import { BackgroundCalls } from './background-calls.ts';
import { Denoiser } from './denoiser.ts';
import type {
  CheckedPackage,
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  LoadedModel,
  Speed,
} from './generation.ts';
import { abortError, isAbortError, RuntimeError } from './errors.ts';
import {
  readModelPackage,
  sha256Hex,
  type Fetcher,
  type ModelPackage,
  type PackageSource,
} from './model-package.ts';
import type { EngineLoader } from './ort.ts';
import { checkRequest } from './request.ts';
import { RunClock } from './run-clock.ts';
import { runSampling } from './sampling.ts';
import { trialCall } from './trial.ts';

export interface GeneratorPlatform {
  capabilities(): Promise<Capabilities>;
  /** The onnxruntime engines to use, given the capabilities (WASM thread count). */
  engines(caps: Capabilities, threads: number): EngineLoader;
  kernels(): Promise<Kernels>;
  fetch?: Fetcher;
}

/**
 * How long a fresh CPU session is warmed up. V8 runs onnxruntime-web's WASM as
 * baseline code for its first tens of calls, about 2× slower than after it
 * tiers up (bench/RESULTS.md, cold vs steady), and compiles the optimised code
 * in the background meanwhile. In the built app (bench/E2E.md) 1.5 s was
 * enough for fashion-28 but left emoji-32's first generation 1.17× slower per
 * step; after 4 s it ran at the later ones' speed.
 */
export const WARM_UP_MS = 4000;

export class Generator {
  private readonly platform: GeneratorPlatform;
  private denoiser: Denoiser | undefined;
  private running: AbortController | undefined;
  private caps: Promise<Capabilities> | undefined;
  private readonly background = new BackgroundCalls();
  /** The loaded model's speed, once measured. */
  private measured: Speed | undefined;

  constructor(platform: GeneratorPlatform) {
    this.platform = platform;
  }

  /** A session for `pkg` on the backend `choice` allows here, with `threads(caps)` WASM threads. */
  private async open(
    pkg: ModelPackage,
    choice: BackendChoice,
    threads: (caps: Capabilities) => number,
  ): Promise<Denoiser> {
    this.caps ??= this.platform.capabilities();
    const caps = await this.caps;
    return Denoiser.create({
      manifest: pkg.manifest,
      onnx: pkg.onnx,
      choice,
      caps,
      loadEngine: this.platform.engines(caps, threads(caps)),
    });
  }

  async loadModel(source: PackageSource, choice: BackendChoice): Promise<LoadedModel> {
    if (this.running)
      throw new RuntimeError(
        'busy',
        'A generation is running; cancel it before loading another model.',
      );
    await this.background.stop();
    const pkg = await readModelPackage(source, this.platform.fetch);
    const next = await this.open(pkg, choice, (caps) => wasmThreads(caps).threads);
    const old = this.denoiser;
    this.denoiser = next;
    this.measured = undefined;
    // A measure() that came in while this loaded may have started calls on the old session.
    await this.background.stop();
    await old?.release();
    return { manifest: pkg.manifest, backend: next.backend };
  }

  /**
   * The whole check of a package a person wants to import, without touching
   * the loaded model: manifest, file size and hash, and a trial session on
   * the CPU that checks the model's inputs and outputs against the manifest
   * and runs it once with its null and last labels (trial.ts).
   */
  async checkPackage(source: PackageSource): Promise<CheckedPackage> {
    const pkg = await readModelPackage(source, this.platform.fetch);
    const trial = await this.open(pkg, 'wasm', () => 1);
    try {
      await trialCall(trial);
    } finally {
      await trial.release();
    }
    return {
      manifest: pkg.manifest,
      sha256: await sha256Hex(pkg.onnx),
      bytes: pkg.onnx.byteLength,
    };
  }

  cancel(): void {
    this.running?.abort();
  }

  /**
   * Runs batch-1 calls of the loaded model for up to `ms`, so the first real
   * generation runs at the steady speed. CPU (WASM) path only: WebGPU is not
   * warmed. A generate(), loadModel() or release() stops it after the call in
   * flight. Answers the number of calls made (0 when skipped).
   */
  async warmUp(ms = WARM_UP_MS): Promise<number> {
    const denoiser = this.denoiser;
    if (!denoiser || denoiser.backend.backend !== 'wasm' || this.running || this.background.busy)
      return 0;
    const until = performance.now() + ms;
    const kernels = () => this.platform.kernels();
    return (await this.background.start(denoiser, kernels, () => performance.now() < until)).length;
  }

  /**
   * The loaded model's speed, for an estimate before a run. Unless a
   * generation or an earlier call measured it, times two batch-1 calls and
   * keeps the second (the first runs WASM as baseline code, or compiles
   * WebGPU's shaders). Stopped like the warm-up; undefined when stopped early.
   */
  async measure(): Promise<Speed | undefined> {
    await this.background.settled();
    const denoiser = this.denoiser;
    if (this.measured || !denoiser || this.running || this.background.busy) return this.measured;
    const kernels = () => this.platform.kernels();
    const [, ms] = await this.background.start(denoiser, kernels, (calls) => calls < 2);
    if (ms !== undefined && this.denoiser === denoiser && !this.measured)
      this.measured = { msPerImage: ms, basis: 'trial' };
    return this.measured;
  }

  async generate(
    request: GenerationRequest,
    onProgress: (p: GenerationProgress) => void,
  ): Promise<GenerationResult> {
    const denoiser = this.denoiser;
    if (!denoiser)
      throw new RuntimeError('no-model', 'No model is loaded; load one before generating.');
    if (this.running)
      throw new RuntimeError('busy', 'A generation is already running; wait for it or cancel it.');
    const manifest = denoiser.manifest;
    checkRequest(request, manifest);
    const controller = new AbortController();
    this.running = controller;
    let notice: string | undefined;
    const clock = new RunClock();
    const denoise = clock.timed(
      denoiser.denoiseFor({ signal: controller.signal, onNotice: (n) => (notice = n) }),
    );
    let stepsRun = 0;
    try {
      await this.background.stop();
      const kernels = await this.platform.kernels();
      const frames: Uint8ClampedArray[] = [];
      const images = await runSampling({
        manifest,
        request,
        denoise,
        kernels,
        signal: controller.signal,
        keepFrames: request.keepFrames === true,
        onFrame: (rgba) => frames.push(rgba),
        onStep: (p: SampleProgress, previews: Uint8ClampedArray | undefined) => {
          stepsRun = p.step;
          const progress: GenerationProgress = {
            step: p.step,
            of: p.of,
            t: p.t,
            msPerStep: clock.step(),
          };
          if (previews) progress.previews = previews;
          if (notice !== undefined) {
            progress.notice = notice;
            progress.backend = denoiser.backend;
            notice = undefined;
          }
          onProgress(progress);
        },
      });
      if (controller.signal.aborted) throw abortError();
      const { width, height } = manifest.image;
      const result: GenerationResult = {
        width,
        height,
        count: request.count,
        images,
        backend: denoiser.backend,
        msPerStep: (performance.now() - clock.started) / Math.max(1, stepsRun),
      };
      if (request.keepFrames) result.frames = frames;
      const msPerImage = clock.msPerImage();
      if (msPerImage !== undefined) {
        this.measured = { msPerImage, basis: 'run' };
        result.speed = this.measured;
      }
      clock.measure(request.count);
      return result;
    } catch (e) {
      if (controller.signal.aborted || isAbortError(e)) throw abortError();
      throw e;
    } finally {
      this.running = undefined;
    }
  }

  async release(): Promise<void> {
    this.cancel();
    await this.background.stop();
    await this.denoiser?.release();
    this.denoiser = undefined;
  }
}
