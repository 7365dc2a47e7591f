/**
 * onnxruntime for Node (the CLI and the unit tests). Two engines:
 * - 'web': onnxruntime-web's WASM build, the very engine the app falls back
 *   to in the browser, so a seed gives the app's image;
 * - 'native': onnxruntime-node, native CPU code (several times faster, images
 *   within float tolerance of the WASM ones rather than bit-identical).
 * Both fill the 'wasm' (CPU) slot of the backend table; Node has no WebGPU.
 */
import type { EngineLoader, Ort, OrtEngine } from './ort.ts';

export type NodeEngine = 'web' | 'native';
export const NODE_ENGINES: readonly NodeEngine[] = ['web', 'native'];

async function load(engine: NodeEngine, threads: number): Promise<OrtEngine> {
  if (engine === 'native') {
    const ort = (await import('onnxruntime-node')) as unknown as Ort;
    return {
      backend: 'wasm',
      ort,
      threads,
      sessionOptions: {
        executionProviders: ['cpu'],
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      },
      name: `onnxruntime-node ${ort.env.versions.node ?? ''} CPU`.replace('  ', ' '),
    };
  }
  const ort: Ort = await import('onnxruntime-web');
  // onnxruntime-web fixes its thread pool when the first session is created in a process.
  ort.env.wasm.numThreads = threads;
  return {
    backend: 'wasm',
    ort,
    threads,
    sessionOptions: { executionProviders: ['wasm'], graphOptimizationLevel: 'all' },
    name: `onnxruntime-web ${ort.env.versions.web ?? ''} WASM`.replace('  ', ' '),
  };
}

export function nodeEngineLoader(engine: NodeEngine = 'web', threads = 1): EngineLoader {
  let cached: Promise<OrtEngine> | undefined;
  return async (backend) => {
    if (backend !== 'wasm') throw new Error(`Node has no ${backend} backend; use wasm.`);
    cached ??= load(engine, threads);
    return cached;
  };
}
