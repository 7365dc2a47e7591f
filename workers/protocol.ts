/**
 * The generator worker's comlink API, shared by workers/generator.worker.ts and the UI.
 * Buffers in results and progress are transferred, not copied.
 */
import type { BackendChoice } from '../src/runtime/backends.ts';
import type { BackendReport } from '../src/runtime/denoiser.ts';
import type {
  CheckedPackage,
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  LoadedModel,
  Speed,
} from '../src/runtime/generation.ts';

// The messages are the runtime's own types (documented there); only the
// model source differs, since files cross the worker boundary as a transferable ArrayBuffer.
// Errors keep their code across the boundary (workers/errors.ts).
export type {
  BackendChoice,
  BackendReport,
  CheckedPackage,
  GenerationProgress,
  GenerationRequest,
  GenerationResult,
  LoadedModel,
  Speed,
};

/** Where a model package comes from: the app's own origin, or files the user imported. */
export type ModelSource =
  | {
      kind: 'url';
      /** folder holding model.json and the file it names, e.g. 'models/fashion-28/' */ baseUrl: string;
    }
  | { kind: 'files'; manifestText: string; onnx: ArrayBuffer };

/** A .zip model package read in a worker (runtime/model-zip.ts): its manifest text and .onnx bytes. */
export interface ZipContents {
  manifestText: string;
  onnx: ArrayBuffer;
  /** Entries present but never read. */
  skipped: string[];
}

export interface GeneratorApi {
  /** Reads a .zip model package off the main thread, checking declared sizes before inflating anything. */
  readZip(data: ArrayBuffer, name: string): Promise<ZipContents>;
  loadModel(source: ModelSource, backend: BackendChoice): Promise<LoadedModel>;
  /** The import check: package, file and a trial CPU session, leaving the loaded model alone. */
  checkPackage(source: ModelSource): Promise<CheckedPackage>;
  /** Answers (with the result or the error) only after the page has handled every progress call. */
  generate(
    request: GenerationRequest,
    onProgress: (p: GenerationProgress) => void,
  ): Promise<GenerationResult>;
  /** The loaded model's speed, timed by two batch-1 calls unless a run measured it (Generator.measure). */
  measure(): Promise<Speed | undefined>;
  /** Stops the running generation within one step; generate() then rejects with name 'AbortError'. */
  cancel(): void;
}
