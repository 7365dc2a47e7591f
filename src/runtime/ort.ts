/**
 * The seam between the denoiser and onnxruntime. The browser loads
 * onnxruntime-web (ort-web.ts), the CLI onnxruntime-web or onnxruntime-node
 * (ort-node.ts); both expose onnxruntime-common's API, typed here by
 * onnxruntime-web's declarations.
 */
import type * as OrtWeb from 'onnxruntime-web';
import type { Backend } from './backends.ts';

export type Ort = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor' | 'env'>;
export type OrtSession = OrtWeb.InferenceSession;
export type OrtTensor = OrtWeb.Tensor;
export type SessionOptions = OrtWeb.InferenceSession.SessionOptions;

/** One onnxruntime module ready to create sessions on one backend. */
export interface OrtEngine {
  backend: Backend;
  ort: Ort;
  sessionOptions: SessionOptions;
  threads: number;
  /** Human-readable name, e.g. "onnxruntime-web 1.30 WASM". */
  name: string;
}

/** Loads (once) and configures the onnxruntime module for a backend. */
export type EngineLoader = (backend: Backend) => Promise<OrtEngine>;
