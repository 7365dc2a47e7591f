/**
 * What a generation takes and gives back, and what loading and checking a
 * model answer: the Generator's messages, the same in the CLI, the tests and
 * across the worker boundary (workers/protocol.ts).
 */
import type { ModelManifest } from '../core/manifest.ts';
import type { SampleRequest } from '../core/types.ts';
import type { BackendReport } from './denoiser.ts';

/** One generation: core's request, plus whether to keep the reverse-process frames (filmstrip, GIF). */
export interface GenerationRequest extends SampleRequest {
  keepFrames?: boolean;
}

export interface GenerationProgress {
  step: number;
  of: number;
  t: number;
  msPerStep: number;
  /** RGBA8 previews of the x0 prediction, count images of width×height, one after another. */
  previews?: Uint8ClampedArray;
  /** A one-time notice for the user, e.g. "WebGPU failed; continuing on the CPU". */
  notice?: string;
  backend?: BackendReport;
}

export interface GenerationResult {
  width: number;
  height: number;
  count: number;
  /** RGBA8 images, count of them, one after another. */
  images: Uint8ClampedArray;
  /** Reverse-process frames, x_T → x_0 (each holds all count images as RGBA8), when keepFrames. */
  frames?: Uint8ClampedArray[];
  backend: BackendReport;
  msPerStep: number;
  /** This run's denoiser speed; absent when it made no network call (img2img at strength 0). */
  speed?: Speed;
}

/**
 * How fast the loaded model runs: denoiser milliseconds per image per network
 * pass (a guided step makes two passes per image). 'trial': the second of two
 * batch-1 calls (measure()); 'run': a whole generation's denoiser time over
 * the images it passed, at that run's batch size.
 */
export interface Speed {
  msPerImage: number;
  basis: 'trial' | 'run';
}

export interface CheckedPackage {
  manifest: ModelManifest;
  /** SHA-256 of the .onnx file, whether or not the manifest gave one. */
  sha256: string;
  bytes: number;
}

export interface LoadedModel {
  manifest: ModelManifest;
  backend: BackendReport;
}
