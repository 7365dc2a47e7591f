/**
 * Loads the AssemblyScript kernels (src/generated/kernels.wasm, built by
 * `npm run asbuild`) and wraps them in the Kernels interface of src/core
 * (wasm-kernels.ts). Works in the browser, in workers and in Node. In the
 * browser the .wasm comes from the app's own origin (Vite turns the URL below
 * into an asset).
 */
import type { Kernels } from '../core/kernels.ts';
import { hasWasmSimd } from './backends.ts';
import { WasmKernels, type KernelExports } from './wasm-kernels.ts';

export type KernelVariant = 'auto' | 'simd' | 'scalar';
const VARIANTS: readonly KernelVariant[] = ['auto', 'simd', 'scalar'];

export interface LoadKernelsOptions {
  /** The module or its bytes; by default the app's own kernels.wasm (or kernels-scalar.wasm). */
  wasm?: BufferSource | WebAssembly.Module;
  /** 'auto' picks SIMD when the engine validates a SIMD module. */
  variant?: KernelVariant;
}

const SIMD_URL = new URL('../generated/kernels.wasm', import.meta.url);
const SCALAR_URL = new URL('../generated/kernels-scalar.wasm', import.meta.url);

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return (
    typeof p?.versions?.node === 'string' &&
    typeof (globalThis as { window?: unknown }).window === 'undefined'
  );
}

async function fetchBytes(url: URL): Promise<ArrayBuffer> {
  if (url.protocol === 'file:') {
    const fsName = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ fsName)) as {
      readFile(u: URL): Promise<Uint8Array>;
    };
    const bytes = await fs.readFile(url);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }
  const response = await fetch(url);
  if (!response.ok)
    throw new Error(`kernels: fetching ${url.href} failed with HTTP ${response.status}`);
  return response.arrayBuffer();
}

export async function loadKernels(
  options: LoadKernelsOptions = {},
): Promise<Kernels & { exports: KernelExports }> {
  const variant = options.variant ?? 'auto';
  if (!VARIANTS.includes(variant)) {
    throw new Error(
      `variant: got ${JSON.stringify(variant)}; expected one of ${VARIANTS.join(', ')}`,
    );
  }
  const useSimd = variant === 'simd' || (variant === 'auto' && hasWasmSimd());
  let module: WebAssembly.Module;
  if (options.wasm instanceof WebAssembly.Module) module = options.wasm;
  else if (options.wasm) module = await WebAssembly.compile(options.wasm);
  else {
    const url = useSimd ? SIMD_URL : SCALAR_URL;
    if (!isNode() && url.protocol === 'file:')
      throw new Error(`kernels: cannot load ${url.href} outside Node`);
    module = await WebAssembly.compile(await fetchBytes(url));
  }
  const instance = await WebAssembly.instantiate(module, {
    env: {
      abort() {
        throw new Error('kernels: abort');
      },
    },
  });
  return new WasmKernels(instance.exports as unknown as KernelExports);
}
