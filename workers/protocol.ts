/**
 * The generator worker's comlink API, shared by workers/generator.worker.ts and the UI.
 * Buffers in results and progress are transferred, not copied.
 */
import type { SampleRequest } from '../src/core/types.ts';

export type BackendChoice = 'auto' | 'webgpu' | 'wasm';

/** Where a model package comes from: the app's own origin, or files the user imported. */
export type ModelSource =
  | { kind: 'url'; /** folder holding model.json and the file it names, e.g. 'models/fashion-28/' */ baseUrl: string }
  | { kind: 'files'; manifestText: string; onnx: ArrayBuffer };

export interface BackendInfo {
  backend: 'webgpu' | 'wasm';
  threads: number;
  simd: boolean;
  /** Why the preferred backend was not used (no navigator.gpu, no adapter, session failed, ...). */
  fallbackReason?: string;
  /** The onnxruntime package and build that runs the model, e.g. "onnxruntime-web 1.30.0 WASM". */
  engine?: string;
}

export interface LoadedModelInfo {
  /** The validated model.json. */
  manifest: import('../src/core/manifest.ts').ModelManifest;
  backend: BackendInfo;
}

export interface GenerateRequest extends SampleRequest {
  /** img2img (SDEdit): a C×H×W image in [-1, 1], noised to strength·T, then denoised. */
  init?: { image: Float32Array; strength: number };
  /** Override of x_T (count×C×H×W), e.g. spherical interpolation between two seeds' noise. */
  noise?: Float32Array;
  /** Post an x0 preview every this many steps (default: about 10 previews per run). */
  previewEvery?: number;
  /** Keep the reverse-process frames (for the filmstrip and the GIF). */
  keepFrames?: boolean;
  /** Test hook: the WebGPU device is lost (GPUDevice.destroy()) before the network call of this 1-based step. */
  debug?: { failWebGpuAtStep?: number };
}

export interface GenerateProgress {
  step: number;
  of: number;
  t: number;
  msPerStep: number;
  /** RGBA8 previews of the x0 prediction, count images of width×height, one after another. */
  previews?: Uint8ClampedArray;
  /** A one-time notice for the user, e.g. "WebGPU failed; continuing on the CPU". */
  notice?: string;
  backend?: BackendInfo;
}

export interface GenerateResult {
  width: number;
  height: number;
  count: number;
  /** RGBA8 images, count of them, one after another. */
  images: Uint8ClampedArray;
  /** Reverse-process frames, x_T → x_0 (each holds all count images as RGBA8), when keepFrames. */
  frames?: Uint8ClampedArray[];
  backend: BackendInfo;
  msPerStep: number;
}

export interface GeneratorApi {
  loadModel(source: ModelSource, backend: BackendChoice): Promise<LoadedModelInfo>;
  generate(request: GenerateRequest, onProgress: (p: GenerateProgress) => void): Promise<GenerateResult>;
  /** Stops the running generation within one step; generate() then rejects with name 'AbortError'. */
  cancel(): void;
}
