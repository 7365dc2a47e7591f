/**
 * Exposes a Generator over comlink in a worker. The app's worker serves the
 * real engines; a test worker can serve a wrapped engine loader (for
 * example one that loses the WebGPU device) through the same code.
 */
import * as Comlink from 'comlink';
import { detectCapabilities } from '../src/runtime/backends.ts';
import type { GenerationProgress } from '../src/runtime/generation.ts';
import { Generator } from '../src/runtime/generator.ts';
import { readModelZip } from '../src/runtime/model-zip.ts';
import type { EngineLoader } from '../src/runtime/ort.ts';
import { loadSamplingKernels } from '../src/runtime/sampling.ts';
import { installErrorTransfer } from './errors.ts';
import type { GeneratorApi } from './protocol.ts';

function transferProgress(p: GenerationProgress): GenerationProgress {
  return p.previews ? Comlink.transfer(p, [p.previews.buffer]) : p;
}

/** Serves on `endpoint`: by default the worker's own scope; a test passes one end of a MessageChannel. */
export function serveGenerator(
  engines: (threads: number) => EngineLoader,
  endpoint?: Comlink.Endpoint,
): void {
  installErrorTransfer();
  const generator = new Generator({
    capabilities: () => detectCapabilities(),
    engines: (_caps, threads) => engines(threads),
    kernels: loadSamplingKernels,
  });
  const api: GeneratorApi = {
    async readZip(data, name) {
      const pkg = await readModelZip(new Uint8Array(data), name);
      // A copy of exactly the .onnx bytes, handed over (transferred), not the whole inflate buffer.
      const whole = pkg.onnx.byteOffset === 0 && pkg.onnx.byteLength === pkg.onnx.buffer.byteLength;
      const onnx = (whole ? pkg.onnx.buffer : pkg.onnx.slice().buffer) as ArrayBuffer;
      return Comlink.transfer({ manifestText: pkg.manifestText, onnx, skipped: pkg.skipped }, [
        onnx,
      ]);
    },
    async loadModel(source, backend) {
      const loaded = await generator.loadModel(source, backend);
      // Warms a CPU session while the person picks labels; a Generate stops it at once.
      void generator.warmUp();
      return loaded;
    },
    checkPackage: (source) => generator.checkPackage(source),
    async generate(request, onProgress: Comlink.Remote<(p: GenerationProgress) => void>) {
      // Progress goes out on the callback's own MessagePort, the answer on the
      // worker's, and two ports keep no order between them: in Chromium the
      // last step's progress sometimes reached the page after the result and
      // overwrote its "Done" (a "Cancelled" or "Failed" can go the same way).
      // Calls on one port arrive in order, so once the last progress call has
      // answered, the page has handled every one of them.
      let handled: Promise<void> = Promise.resolve();
      try {
        const result = await generator.generate(request, (p) => {
          // A page that failed to handle one progress call is no reason to fail the run.
          handled = onProgress(transferProgress(p)).catch(() => undefined);
        });
        const buffers = [result.images.buffer, ...(result.frames ?? []).map((f) => f.buffer)];
        return Comlink.transfer(result, buffers);
      } finally {
        await handled;
      }
    },
    measure: () => generator.measure(),
    cancel: () => generator.cancel(),
  };
  Comlink.expose(api, endpoint);
}
