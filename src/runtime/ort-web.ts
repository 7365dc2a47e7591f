/**
 * onnxruntime-web for the browser, loaded with dynamic import() so each build
 * sits in its own chunk: the WASM-only entry for the CPU path (far less
 * per-call overhead than the combined entry), the WebGPU entry only when
 * WebGPU is used. The .wasm binaries are emitted by Vite and served from the
 * app's own origin; nothing is fetched from a CDN.
 */
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import webgpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { Backend } from './backends.ts';
import type { EngineLoader, Ort, OrtEngine } from './ort.ts';

async function loadWasm(threads: number): Promise<OrtEngine> {
  const ort: Ort = await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = { wasm: new URL(wasmUrl, self.location.href).href };
  ort.env.wasm.numThreads = threads;
  ort.env.wasm.proxy = false;
  return {
    backend: 'wasm',
    ort,
    threads,
    sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
    name: `onnxruntime-web ${ort.env.versions.web ?? ''} WASM`.replace('  ', ' '),
  };
}

async function loadWebGpu(): Promise<OrtEngine> {
  const ort: Ort = await import('onnxruntime-web/webgpu');
  ort.env.wasm.wasmPaths = { wasm: new URL(webgpuWasmUrl, self.location.href).href };
  // Ops the WebGPU EP lacks run on this build's CPU EP; one thread is plenty for them.
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  return {
    backend: 'webgpu',
    ort,
    threads: 1,
    sessionOptions: { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' },
    name: `onnxruntime-web ${ort.env.versions.web ?? ''} WebGPU`.replace('  ', ' '),
  };
}

/** A loader that imports each build at most once per worker; `threads` applies to the WASM build. */
export function webEngineLoader(threads: number): EngineLoader {
  const cache = new Map<Backend, Promise<OrtEngine>>();
  return (backend) => {
    let engine = cache.get(backend);
    if (!engine) {
      engine = backend === 'webgpu' ? loadWebGpu() : loadWasm(threads);
      cache.set(backend, engine);
      // A failed start (a file that did not load) is tried again by the next load, not remembered.
      engine.catch(() => cache.delete(backend));
    }
    return engine;
  };
}
