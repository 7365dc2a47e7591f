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

function spawn(): { worker: Worker; api: Comlink.Remote<GeneratorApi> } {
  const worker = new Worker(new URL('../../workers/generator.worker.ts', import.meta.url), {
    type: 'module',
    name: 'generator',
  });
  return { worker, api: Comlink.wrap<GeneratorApi>(worker) };
}

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
  private handle = spawn();
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
      const info = await this.handle.api.loadModel(transferable(await model.source()), backend);
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
      () => {
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
    const result = await this.handle.api.generate(req, Comlink.proxy(onProgress));
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
    const speed = await this.handle.api.measure();
    if (this.engine && speed && this.loadedKey === key) this.engine = { ...this.engine, speed };
    return speed;
  }

  cancel(): void {
    void this.handle.api.cancel();
  }
}

/**
 * The worker's own import check (package, file, trial CPU session) in a
 * throwaway worker, so checking a large import never waits for or slows the
 * generator the user is working with.
 */
export async function checkPackage(source: ModelSource): Promise<CheckedPackage> {
  const { worker, api } = spawn();
  try {
    return await api.checkPackage(source);
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

/** Reads a .zip model package in a throwaway worker (see runtime/model-zip.ts); the page never inflates it. */
export async function readZip(data: ArrayBuffer, name: string): Promise<ZipContents> {
  const { worker, api } = spawn();
  try {
    return await api.readZip(Comlink.transfer(data, [data]), name);
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
