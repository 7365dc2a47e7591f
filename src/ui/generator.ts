/**
 * The UI's handle on the generator worker. The worker owns the model session;
 * this keeps track of which model and backend it holds, and reloads only when
 * either changes.
 */
import * as Comlink from 'comlink';
import type {
  BackendChoice,
  BackendReport,
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  GeneratorApi,
  LoadedModel,
  CheckedPackage,
  ModelSource,
  Speed,
  ZipContents,
} from '../../workers/protocol.ts';
import type { ModelEntry } from './catalog.ts';
import { abortError, errorCode } from './errors.ts';
import { WorkerSlot } from './worker-slot.ts';

const spawn = (): Worker =>
  new Worker(new URL('../../workers/generator.worker.ts', import.meta.url), {
    type: 'module',
    name: 'generator',
  });

/**
 * How long a run may take to stop after Cancel before its worker is ended
 * and replaced, at least. The worker checks between steps, so this waits
 * for a step that never ends (a hung backend); a model whose steps are
 * slower gets 5 of its steps.
 */
export const CANCEL_GRACE_MS = 10_000;

function transferable(source: ModelSource): ModelSource {
  return source.kind === 'files' ? Comlink.transfer(source, [source.onnx]) : source;
}

/** The backend a held model runs on, and its measured speed (the runtime's Speed) once known. */
export interface Engine {
  report: BackendReport;
  speed?: Speed;
}

export function describeBackend(b: BackendReport): string {
  if (b.backend === 'webgpu') return b.software ? 'WebGPU (software renderer)' : 'WebGPU';
  const simd = b.simd ? 'WASM SIMD' : 'WASM';
  return `${simd} × ${b.threads} thread${b.threads === 1 ? '' : 's'}`;
}

/**
 * What the worker holds, as a key: the model's origin and id, the version of
 * its weights (the .onnx file's SHA-256) and the backend. Re-importing other
 * weights under the same id changes the key, so the next run reloads.
 */
export function loadKey(
  model: Pick<ModelEntry, 'origin' | 'id' | 'version'>,
  backend: BackendChoice,
): string {
  return `${model.origin}:${model.id}:${model.version}:${backend}`;
}

export class Generator {
  /**
   * A worker that dies or hangs is replaced, and the model it held is gone.
   * A load still queued keeps its place (the dead worker's calls reject at
   * once, so the queue moves on) and runs on the new worker.
   */
  private slot = new WorkerSlot<GeneratorApi>(spawn, {
    onRestart: () => {
      if (!this.loading) this.loadedKey = undefined;
      this.info = undefined;
      this.engine = undefined;
    },
  });
  /** The generation in flight, and its last step's time, for Cancel's grace period. */
  private running: Promise<unknown> | undefined;
  private lastStepMs = 0;
  private loadedKey: string | undefined;
  /** The last load asked for; loads run one after another, so the last one asked for is the one held. */
  private loading: Promise<LoadedModel> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  info: LoadedModel | undefined;
  /** What runs the held model now (a run may have moved it to WASM), and how fast once measured. */
  engine: Engine | undefined;

  /** Whether the worker holds `model` on `backend` now. */
  holds(model: ModelEntry, backend: BackendChoice): boolean {
    return this.loadedKey === loadKey(model, backend) && this.info !== undefined;
  }

  /** Loads `model` on `backend` unless the worker already holds, or is loading, exactly that. */
  ensure(model: ModelEntry, backend: BackendChoice): Promise<LoadedModel> {
    const key = loadKey(model, backend);
    if (this.loadedKey === key && this.info) return Promise.resolve(this.info);
    if (this.loadedKey === key && this.loading) return this.loading;
    this.loadedKey = key;
    this.info = undefined;
    this.engine = undefined;
    const load = this.tail.then(async () => {
      const source = transferable(await model.source());
      const info = await this.slot.call((api) => api.loadModel(source, backend));
      // Only the last load asked for is what the worker holds once the queue drains:
      // after A, B, A again, the first A must not count as held while B is still to load.
      if (this.loading === load) {
        this.info = info;
        this.engine = { report: info.backend };
      }
      return info;
    });
    this.tail = load.catch(() => undefined);
    this.loading = load;
    load.then(
      () => this.loading === load && (this.loading = undefined),
      (e: unknown) => {
        // onnxruntime keeps a failed start for its worker's life: the next load, queued or not, gets a fresh worker.
        if (errorCode(e) === 'engine-failed') this.slot.restart(e as Error);
        if (this.loading !== load) return;
        this.loading = undefined;
        this.loadedKey = undefined;
      },
    );
    return load;
  }

  async generate(
    request: GenerationRequest,
    onProgress: (p: GenerationProgress) => void,
  ): Promise<GenerationResult> {
    const req = request.noise ? Comlink.transfer(request, [request.noise.buffer]) : request;
    // Until the first step reports, the measured speed says how long one may take (a guided step is 2 passes).
    this.lastStepMs = (this.engine?.speed?.msPerImage ?? 0) * 2 * request.count;
    // A dead or replaced worker's last reports can still be queued when its run has already
    // failed or been cancelled: they must not draw a step over the screen's final status.
    let open = true;
    const progress = (p: GenerationProgress) => {
      if (!open) return;
      this.lastStepMs = p.msPerStep;
      onProgress(p);
    };
    const run = this.slot.call((api) => api.generate(req, Comlink.proxy(progress)));
    this.running = run;
    const result = await run.finally(() => {
      open = false;
      if (this.running === run) this.running = undefined;
    });
    if (this.engine) {
      // A run that moved to another backend (a WebGPU fallback) keeps no speed from the old one.
      const same = result.backend.backend === this.engine.report.backend;
      const speed = result.speed ?? (same ? this.engine.speed : undefined);
      this.engine = speed ? { report: result.backend, speed } : { report: result.backend };
    }
    return result;
  }

  /** Asks the worker to time the held model (see Generator.measure in the runtime). */
  async measure(): Promise<Speed | undefined> {
    const key = this.loadedKey;
    const speed = await this.slot.call((api) => api.measure());
    if (this.engine && speed && this.loadedKey === key) this.engine = { ...this.engine, speed };
    return speed;
  }

  /**
   * Stops the run within a step. A run still going after the grace period
   * (CANCEL_GRACE_MS, or 5 of its steps when they are slower) is stopped by
   * replacing its worker. Cancel while the model loads leaves the load
   * going, for the next run; one still going after CANCEL_GRACE_MS is taken
   * as hung, and its worker is replaced too, so the next load starts afresh
   * instead of joining it. (No load is timed out unless a person cancelled:
   * a large model on a slow device can take minutes.)
   */
  cancel(): void {
    void this.slot.call((api) => api.cancel()).catch(() => undefined);
    const pending = this.running ?? this.loading;
    if (!pending) return;
    const grace = this.running ? Math.max(CANCEL_GRACE_MS, 5 * this.lastStepMs) : CANCEL_GRACE_MS;
    const timer = setTimeout(() => {
      if (this.running === pending || this.loading === pending) this.slot.restart(abortError());
    }, grace);
    void pending.catch(() => undefined).finally(() => clearTimeout(timer));
  }
}

/**
 * The worker's own import check (package, file, trial CPU session) in a
 * throwaway worker, so checking a large import never waits for or slows the
 * generator the user is working with.
 */
export async function checkPackage(source: ModelSource): Promise<CheckedPackage> {
  const slot = new WorkerSlot<GeneratorApi>(spawn, { task: 'The import check' });
  try {
    return await slot.call((api) => api.checkPackage(source));
  } finally {
    slot.close();
  }
}

/** Reads a .zip model package in a throwaway worker (see runtime/model-zip.ts); the page never inflates it. */
export async function readZip(data: ArrayBuffer, name: string): Promise<ZipContents> {
  const slot = new WorkerSlot<GeneratorApi>(spawn, { task: 'Reading the .zip' });
  try {
    return await slot.call((api) => api.readZip(Comlink.transfer(data, [data]), name));
  } finally {
    slot.close();
  }
}
