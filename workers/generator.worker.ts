/**
 * The generator worker: the whole sampling loop (onnxruntime session and
 * AssemblyScript kernels) runs here, reached from the page through comlink.
 * Previews, images and frames are transferred, not copied.
 */
import * as Comlink from 'comlink';
import { detectCapabilities } from '../src/runtime/backends.ts';
import { Generator, type GenerationProgress } from '../src/runtime/generator.ts';
import { loadSamplingKernels } from '../src/runtime/sampling.ts';
import { webEngineLoader } from '../src/runtime/ort-web.ts';
import type {
  GenerateProgress,
  GenerateRequest,
  GenerateResult,
  GeneratorApi,
  LoadedModelInfo,
} from './protocol.ts';

const generator = new Generator({
  capabilities: () => detectCapabilities(),
  engines: (_caps, threads) => webEngineLoader(threads),
  kernels: loadSamplingKernels,
});

function transferProgress(p: GenerationProgress): GenerateProgress {
  return p.previews ? Comlink.transfer(p, [p.previews.buffer]) : p;
}

const api: GeneratorApi = {
  async loadModel(source, backend): Promise<LoadedModelInfo> {
    return generator.loadModel(source, backend);
  },
  async generate(request: GenerateRequest, onProgress): Promise<GenerateResult> {
    const result = await generator.generate(request, (p) => void onProgress(transferProgress(p)));
    const buffers = [result.images.buffer, ...(result.frames ?? []).map((f) => f.buffer)];
    return Comlink.transfer(result, buffers);
  },
  cancel(): void {
    generator.cancel();
  },
};

Comlink.expose(api);
