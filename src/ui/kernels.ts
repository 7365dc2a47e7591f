/**
 * The UI's handle on the kernels worker: schedule tables, the forward process
 * and seeded Gaussian noise, computed off the main thread by the same kernels
 * the generator uses (so seed S is the same noise everywhere).
 */
import * as Comlink from 'comlink';
import type { ScheduleSpec } from '../core/types.ts';
import type { KernelsWorkerApi } from '../../workers/kernels.worker.ts';

let remote: Comlink.Remote<KernelsWorkerApi> | undefined;

function kernels(): Comlink.Remote<KernelsWorkerApi> {
  remote ??= Comlink.wrap<KernelsWorkerApi>(
    new Worker(new URL('../../workers/kernels.worker.ts', import.meta.url), { type: 'module', name: 'kernels' }),
  );
  return remote;
}

/** ᾱ and SNR after t noising steps, at index t − 1 (t = 1..T). */
export interface ScheduleCurves {
  alphaBar: Float32Array;
  snr: Float32Array;
}

export async function scheduleCurves(spec: ScheduleSpec): Promise<ScheduleCurves> {
  const { alphaBar, snr } = await kernels().schedule(spec);
  return { alphaBar, snr };
}

export type ForwardMode = 'closed-form' | 'markov';

/** x_t of the forward process from x0 (C×H×W in [-1, 1]); t = 0 returns x0. */
export function forwardSample(
  spec: ScheduleSpec,
  x0: Float32Array,
  t: number,
  seed: number,
  mode: ForwardMode,
): Promise<Float32Array> {
  return kernels().forward(spec, x0, t, seed, mode);
}

/**
 * Initial noise for an interpolation: x_T of seed a and of seed b (the
 * generator's stream 0 of each), joined by spherical interpolation at n
 * evenly spaced points. Returns n×len floats.
 */
export function interpolationNoise(a: number, b: number, n: number, len: number): Promise<Float32Array> {
  return kernels().slerpNoise(a, b, n, len);
}
