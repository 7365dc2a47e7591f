/**
 * The U-Net as the sampling loop sees it (a DenoiseFn), on onnxruntime.
 *
 * - Creation walks the backend plan (backends.ts): WebGPU first where chosen
 *   and available, else WASM; each failure becomes a recorded reason.
 * - The session's inputs and outputs are checked against the manifest before
 *   the first step (onnx-io.ts).
 * - A batch larger than `maxBatch` is split into several calls; every image
 *   is computed independently, so splitting does not change pictures.
 * - If a WebGPU run fails (device lost, run error), the WASM session is
 *   created and the same call is retried on it: the loop sees one slower step,
 *   not an error, and its state (x_t, sampler history) is untouched.
 * - Outputs come back to the CPU after every call (no io binding, no
 *   preferredOutputLocation 'gpu-buffer'): the sampler update, guidance and
 *   previews run in the AssemblyScript kernels on the CPU every step, so ε is
 *   needed there each step anyway, and at 28×28 a call moves ~3 KB per image
 *   each way, nothing next to the call itself.
 */
import { labelGroups } from '../core/conditioning.ts';
import type { AbortSignalLike } from '../core/abort.ts';
import { imagesPerCall } from '../core/limits.ts';
import type { ModelManifest } from '../core/manifest.ts';
import type { DenoiseFn } from '../core/types.ts';
import { planBackends, type Backend, type BackendChoice, type Capabilities } from './backends.ts';
import { abortError, messageOf, RuntimeError, shortReason } from './errors.ts';
import { feedsFor, openSession, type Live } from './onnx-io.ts';
import type { EngineLoader } from './ort.ts';

export interface BackendReport {
  backend: Backend;
  threads: number;
  simd: boolean;
  /** Why a preferred backend was not used, when one was not. */
  fallbackReason?: string;
  /** The onnxruntime package and build, e.g. "onnxruntime-web 1.30.0 WASM". */
  engine: string;
  /** WebGPU on a software adapter (Capabilities.webgpuSoftware): it runs, far slower than WASM. */
  software?: boolean;
}

export interface DenoiserOptions {
  manifest: ModelManifest;
  onnx: Uint8Array;
  choice: BackendChoice;
  caps: Capabilities;
  loadEngine: EngineLoader;
  /** Most images per network call; larger batches are split. Default: maxBatchFor(manifest). */
  maxBatch?: number;
}

/** Images per call: about 32 at 28×28, fewer for larger images (activation memory grows with batch·H·W). */
export function maxBatchFor(manifest: ModelManifest): number {
  return imagesPerCall(manifest.image.height, manifest.image.width);
}

function describeCreateFailure(backend: Backend, e: unknown): string {
  return `${backend === 'webgpu' ? 'WebGPU' : 'WASM'} session creation failed (${messageOf(e)})`;
}

/** What one generation hands the denoiser: its cancellation and where its notices go. */
export interface RunContext {
  /** Checked between network calls: an aborted signal stops a split batch early. */
  signal?: AbortSignalLike;
  /** Called once when a WebGPU failure moves the run to WASM, with a message for the user. */
  onNotice?: (notice: string) => void;
}

export class Denoiser {
  readonly manifest: ModelManifest;
  readonly maxBatch: number;
  private live: Live;
  private report: BackendReport;
  private readonly opts: DenoiserOptions;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(opts: DenoiserOptions, live: Live, report: BackendReport) {
    this.opts = opts;
    this.manifest = opts.manifest;
    this.live = live;
    this.report = report;
    this.maxBatch = live.io.batch === 1 ? 1 : (opts.maxBatch ?? maxBatchFor(opts.manifest));
  }

  /** Opens a session on the best backend the choice and capabilities allow. */
  static async create(opts: DenoiserOptions): Promise<Denoiser> {
    const plan = planBackends(opts.choice, opts.caps);
    const reasons = plan.skipped.map((s) => s.reason);
    for (const backend of plan.tryOrder) {
      let live: Live;
      try {
        live = await openSession(opts, backend);
      } catch (e) {
        const engineFailed = e instanceof RuntimeError && e.code === 'engine-failed';
        if (e instanceof RuntimeError && (backend === 'wasm' || !engineFailed)) throw e;
        if (backend === 'wasm') {
          throw new RuntimeError(
            'onnx-invalid',
            `onnxruntime could not load ${opts.manifest.file.path} (${messageOf(e)}). The file is damaged or not an ONNX model this runtime supports; export it again.`,
            { cause: e },
          );
        }
        reasons.push(describeCreateFailure(backend, engineFailed ? e.cause : e));
        continue;
      }
      const report: BackendReport = {
        backend,
        threads: live.engine.threads,
        simd: opts.caps.simd,
        engine: live.engine.name,
      };
      if (reasons.length > 0) report.fallbackReason = reasons.join('; ');
      if (backend === 'webgpu' && opts.caps.webgpuSoftware !== undefined) report.software = true;
      return new Denoiser(opts, live, report);
    }
    const hint =
      opts.choice === 'auto' ? '' : ` Choose "auto" or another backend than "${opts.choice}".`;
    throw new RuntimeError(
      'no-backend',
      `No backend can run the model here: ${reasons.join('; ')}.${hint}`,
    );
  }

  /** Which backend runs now (it changes after a WebGPU fallback). */
  get backend(): BackendReport {
    return { ...this.report };
  }

  /** The DenoiseFn for one generation's sampling loop; calls are serialised across runs. */
  denoiseFor(ctx: RunContext): DenoiseFn {
    return (x, t, labels, batch) => {
      const run = this.queue.then(() => this.denoiseNow(x, t, labels, batch, ctx));
      this.queue = run.catch(() => undefined);
      return run;
    };
  }

  async release(): Promise<void> {
    await this.queue;
    await this.live.session.release().catch(() => undefined);
  }

  private async denoiseNow(
    x: Float32Array,
    t: number,
    labels: Int32Array | null,
    batch: number,
    ctx: RunContext,
  ): Promise<Float32Array> {
    const { channels, height, width } = this.manifest.image;
    const size = channels * height * width;
    if (x.length !== batch * size)
      throw new RuntimeError(
        'bad-request',
        `denoise: x has ${x.length} values, expected ${batch}×${size}`,
      );
    const groups = labelGroups(this.manifest.conditioning).length;
    if (labels && labels.length !== batch * groups)
      throw new RuntimeError(
        'bad-request',
        `denoise: ${labels.length} label values for a batch of ${batch} × ${groups} label groups`,
      );
    const out = new Float32Array(x.length);
    for (let start = 0; start < batch; start += this.maxBatch) {
      if (ctx.signal?.aborted) throw abortError();
      const n = Math.min(this.maxBatch, batch - start);
      const xs = x.slice(start * size, (start + n) * size);
      const ls = labels ? labels.slice(start * groups, (start + n) * groups) : null;
      out.set(await this.runWithFallback(xs, t, ls, n, ctx), start * size);
    }
    return out;
  }

  private async runWithFallback(
    x: Float32Array,
    t: number,
    labels: Int32Array | null,
    n: number,
    ctx: RunContext,
  ): Promise<Float32Array> {
    try {
      return await this.runOnce(x, t, labels, n);
    } catch (e) {
      if (this.report.backend !== 'webgpu') {
        throw new RuntimeError(
          'run-failed',
          `The model failed to run on ${this.report.engine} (${messageOf(e)}). Reload the page; if it persists, report the model.`,
          { cause: e },
        );
      }
      await this.fallBackToWasm(shortReason(e), ctx);
      return this.runOnce(x, t, labels, n);
    }
  }

  private async fallBackToWasm(why: string, ctx: RunContext): Promise<void> {
    const old = this.live;
    let live: Live;
    try {
      live = await openSession(this.opts, 'wasm');
    } catch (e) {
      throw new RuntimeError(
        'run-failed',
        `WebGPU failed (${why}) and the CPU fallback could not start (${messageOf(e)}). Reload the page.`,
        { cause: e },
      );
    }
    this.live = live;
    this.report = {
      backend: 'wasm',
      threads: live.engine.threads,
      simd: this.opts.caps.simd,
      engine: live.engine.name,
      fallbackReason: `WebGPU failed during generation (${why})`,
    };
    void old.session.release().catch(() => undefined);
    ctx.onNotice?.(
      `WebGPU stopped working (${why}); continuing on the CPU (WASM). This run goes on from the same step.`,
    );
  }

  private async runOnce(
    x: Float32Array,
    t: number,
    labels: Int32Array | null,
    n: number,
  ): Promise<Float32Array> {
    const { session, io } = this.live;
    const result = await session.run(
      feedsFor(this.live.engine.ort, this.live.io, this.manifest, { x, t, labels, n }),
    );
    const tensor = result[io.output];
    if (!tensor) throw new Error(`the model returned no "${io.output}" output`);
    try {
      const data = (await tensor.getData()) as Float32Array;
      if (data.length !== x.length)
        throw new Error(`output "${io.output}" has ${data.length} values, expected ${x.length}`);
      return data.slice();
    } finally {
      for (const v of Object.values(result)) v.dispose();
    }
  }
}
