/**
 * Backend choice as data. Capabilities are probed once into a frozen object;
 * `planBackends` turns (choice, capabilities) into an ordered list of
 * backends to try plus the reason each skipped one was skipped. Session
 * creation then walks that list (see denoiser.ts), adding its own reasons.
 */
import { messageOf } from './errors.ts';

export type Backend = 'webgpu' | 'wasm';
export type BackendChoice = 'auto' | Backend;

export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm'];

/** Which backends each choice may use, most preferred first. */
export const PREFERENCE: Readonly<Record<BackendChoice, readonly Backend[]>> = Object.freeze({
  auto: ['webgpu', 'wasm'],
  webgpu: ['webgpu'],
  wasm: ['wasm'],
});

export interface Capabilities {
  /** Why WebGPU cannot be used, or undefined when an adapter and device were obtained. */
  webgpuUnavailable?: string;
  /**
   * Set when the only WebGPU adapter is a software fallback (for example
   * SwiftShader on a machine without a usable GPU): it works, but about 50×
   * slower than the WASM path here, so "auto" skips it; choosing WebGPU still uses it.
   */
  webgpuSoftware?: string;
  /** WebAssembly SIMD validates (onnxruntime-web ships SIMD builds only). */
  simd: boolean;
  /** SharedArrayBuffer is usable, so WASM can run several threads. */
  crossOriginIsolated: boolean;
  /** Logical cores reported by the platform. */
  cores: number;
}

/** The rows of the plan: what to try, and what was skipped and why. */
export interface BackendPlan {
  tryOrder: Backend[];
  skipped: { backend: Backend; reason: string }[];
}

/** Which capability rules out a backend for a choice, as a table of checks. */
const REQUIREMENTS: Readonly<
  Record<Backend, (c: Capabilities, choice: BackendChoice) => string | undefined>
> = Object.freeze({
  webgpu: (c, choice) => c.webgpuUnavailable ?? (choice === 'auto' ? c.webgpuSoftware : undefined),
  wasm: (c) =>
    c.simd
      ? undefined
      : 'this browser lacks WebAssembly SIMD, which onnxruntime-web needs; update the browser',
});

export function planBackends(choice: BackendChoice, caps: Capabilities): BackendPlan {
  const plan: BackendPlan = { tryOrder: [], skipped: [] };
  for (const backend of PREFERENCE[choice]) {
    const reason = REQUIREMENTS[backend](caps, choice);
    if (reason === undefined) plan.tryOrder.push(backend);
    else plan.skipped.push({ backend, reason });
  }
  return plan;
}

/**
 * WASM threads: one unless cross-origin isolated (SharedArrayBuffer); then
 * both cores of a 2-core device, and half the cores from 4 up, at most 4:
 * 1 core → 1, 2 → 2, 4 → 2, 6 → 3, 8 → 4. On the quiet 2-core machine of
 * bench/RESULTS.md two threads beat one at every batch but one (headless
 * Chromium, steady: fashion-28 at batch 2 10.8 vs 16.0 ms per call, emoji-32
 * 24.3 vs 42.6 ms; fashion-28 at batch 1, an unguided single image, was
 * slower, 9.4 vs 8.5 ms), and the images are the same to the pixel. Under heavy load from
 * other processes (load 7–12) two threads were slower, since the second one
 * waits for a core; a phone running the app in the foreground is rarely that
 * busy. From 4 cores, half of them leaves the rest for the page and the
 * browser and, on big.LITTLE phones, keeps roughly to the fast cores; more
 * than 2 threads could not be measured here (oversubscribing 2 cores
 * measures contention, not scaling).
 */
export function wasmThreads(caps: Capabilities): { threads: number; reason: string } {
  if (!caps.crossOriginIsolated)
    return { threads: 1, reason: 'not cross-origin isolated, so no shared memory for threads' };
  const threads = Math.max(Math.min(caps.cores, 2), Math.min(4, Math.floor(caps.cores / 2)));
  return { threads, reason: `${caps.cores} cores` };
}

/**
 * onnxruntime-web's SIMD probe (wasm-factory.ts), for WebAssembly.validate:
 * (module (func (drop (i32x4.dot_i16x8_s (i8x16.splat (i32.const 0)) (v128.const i32x4 0 0 0 0))))).
 * The kernels (src/runtime/kernels.ts) choose their SIMD build with it too.
 */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 30, 1, 28, 0, 65, 0, 253, 15, 253,
  12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 253, 186, 1, 26, 11,
]);

export function hasWasmSimd(): boolean {
  try {
    return WebAssembly.validate(SIMD_PROBE);
  } catch {
    return false;
  }
}

/** The slice of WebGPU's API the probe uses (kept local so Node builds need no WebGPU types). */
interface AdapterLike {
  requestDevice(): Promise<{ destroy(): void }>;
  /** GPUAdapterInfo; isFallbackAdapter moved here from the adapter in newer browsers. */
  info?: { isFallbackAdapter?: boolean; architecture?: string; vendor?: string };
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(): Promise<AdapterLike | null>;
}

export interface WebGpuProbe {
  /** Why WebGPU cannot be used; absent when an adapter and a device were obtained. */
  unavailable?: string;
  /** Why the adapter is a software one, when it is. */
  software?: string;
}

/** Whether WebGPU can be used here, and whether its adapter is a software fallback. */
export async function probeWebGpu(nav: { gpu?: unknown } | undefined): Promise<WebGpuProbe> {
  const gpu = nav?.gpu as GpuLike | undefined;
  if (!gpu) return { unavailable: 'this browser has no WebGPU' };
  let adapter;
  try {
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { unavailable: `requesting a WebGPU adapter failed (${messageOf(e)})` };
  }
  if (!adapter) return { unavailable: 'no WebGPU adapter (the GPU is unsupported or blocklisted)' };
  try {
    (await adapter.requestDevice()).destroy();
  } catch (e) {
    return { unavailable: `creating a WebGPU device failed (${messageOf(e)})` };
  }
  if (adapter.info?.isFallbackAdapter === true || adapter.isFallbackAdapter === true) {
    const name = adapter.info?.architecture || adapter.info?.vendor || 'no GPU';
    return {
      software: `the WebGPU adapter is a software renderer (${name}), slower than the CPU path; choose the WebGPU backend to use it anyway`,
    };
  }
  return {};
}

/** Probes the current global scope (window, worker or Node). */
export async function detectCapabilities(
  scope: {
    navigator?: { gpu?: unknown; hardwareConcurrency?: number };
    crossOriginIsolated?: boolean;
  } = globalThis as never,
): Promise<Capabilities> {
  const webgpu = await probeWebGpu(scope.navigator);
  const caps: Capabilities = {
    simd: hasWasmSimd(),
    crossOriginIsolated: scope.crossOriginIsolated === true,
    cores: scope.navigator?.hardwareConcurrency ?? 1,
  };
  if (webgpu.unavailable !== undefined) caps.webgpuUnavailable = webgpu.unavailable;
  if (webgpu.software !== undefined) caps.webgpuSoftware = webgpu.software;
  return Object.freeze(caps);
}
