/**
 * Test-only: capabilities and engine loaders for runtime tests in Node. The
 * engines are onnxruntime's WASM build (one thread); the stand-in WebGPU
 * engine is that same build labelled 'webgpu', so WebGPU paths (choice,
 * fallback) run without a GPU.
 */
import type { Capabilities } from '../../src/runtime/backends.ts';
import { nodeEngineLoader } from '../../src/runtime/ort-node.ts';
import type { EngineLoader } from '../../src/runtime/ort.ts';

/** A device without WebGPU. */
export const cpuOnly: Capabilities = {
  simd: true,
  crossOriginIsolated: false,
  cores: 2,
  webgpuUnavailable: 'no navigator.gpu',
};

/** A device that reports WebGPU. */
export const withGpu: Capabilities = { simd: true, crossOriginIsolated: false, cores: 2 };

export const wasm: EngineLoader = nodeEngineLoader('web', 1);

export const standInGpu: EngineLoader = async (backend) => {
  const engine = await wasm('wasm');
  return backend === 'webgpu' ? { ...engine, backend: 'webgpu', name: 'stand-in WebGPU' } : engine;
};
