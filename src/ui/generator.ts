/**
 * The UI's handle on the generator worker. The worker owns the model session;
 * this keeps track of which model and backend it holds, and reloads only when
 * either changes.
 */
import * as Comlink from 'comlink';
import type {
  BackendChoice,
  BackendInfo,
  GenerateProgress,
  GenerateRequest,
  GenerateResult,
  GeneratorApi,
  LoadedModelInfo,
  ModelSource,
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

export function describeBackend(b: BackendInfo): string {
  if (b.backend === 'webgpu') return 'WebGPU';
  const simd = b.simd ? 'WASM SIMD' : 'WASM';
  return `${simd} × ${b.threads} thread${b.threads === 1 ? '' : 's'}`;
}

export class Generator {
  private handle = spawn();
  private loadedKey: string | undefined;
  private loading: Promise<LoadedModelInfo> | undefined;
  info: LoadedModelInfo | undefined;

  /** Loads `model` on `backend` unless the worker already holds exactly that. */
  async ensure(model: ModelEntry, backend: BackendChoice): Promise<LoadedModelInfo> {
    const key = `${model.origin}:${model.id}:${backend}`;
    if (this.loadedKey === key && this.info) return this.info;
    if (this.loading && this.loadedKey === key) return this.loading;
    this.loadedKey = key;
    this.info = undefined;
    this.loading = (async () => {
      try {
        const info = await this.handle.api.loadModel(transferable(await model.source()), backend);
        this.info = info;
        return info;
      } catch (e) {
        this.loadedKey = undefined;
        throw e;
      } finally {
        this.loading = undefined;
      }
    })();
    return this.loading;
  }

  generate(request: GenerateRequest, onProgress: (p: GenerateProgress) => void): Promise<GenerateResult> {
    const req = request.noise ? Comlink.transfer(request, [request.noise.buffer]) : request;
    return this.handle.api.generate(req, Comlink.proxy(onProgress));
  }

  cancel(): void {
    void this.handle.api.cancel();
  }
}

/**
 * Opens `source` in a throwaway worker on the CPU backend, so a model that
 * onnxruntime cannot run is refused at import time without touching the
 * generator the user is working with.
 */
export async function trialLoad(source: ModelSource): Promise<LoadedModelInfo> {
  const { worker, api } = spawn();
  try {
    return await api.loadModel(source, 'wasm');
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}

export function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || /abort|cancel/i.test(e.message));
}
