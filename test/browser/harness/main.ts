/**
 * Harness page for the runtime browser tests: drives workers/generator.worker.ts
 * through comlink exactly as the app does and exposes the results to the test
 * as plain arrays on `window.harness`.
 */
import * as Comlink from 'comlink';
import type {
  BackendChoice,
  BackendReport,
  GenerationProgress,
  GenerationRequest,
  GeneratorApi,
  LoadedModel,
} from '../../../workers/protocol.ts';
import { installErrorTransfer } from '../../../workers/errors.ts';

export interface HarnessRun {
  images: number[];
  backend: BackendReport;
  steps: number[];
  notices: string[];
  previewSteps: number[];
  msPerStep: number;
}

export interface Harness {
  isolated: boolean;
  load(backend: BackendChoice): Promise<LoadedModel>;
  generate(request: GenerationRequest): Promise<HarnessRun>;
  /** On a worker whose WebGPU device is lost before the second network call. */
  generateLosingGpu(request: GenerationRequest): Promise<{ loaded: LoadedModel; run: HarnessRun }>;
  /** Starts a run, cancels it after its first progress, then reports how it ended and whether a next run works. */
  cancelThenGenerate(
    long: GenerationRequest,
    next: GenerationRequest,
  ): Promise<{ error: string; stepsBeforeStop: number; next: HarnessRun }>;
}

const worker = new Worker(new URL('../../../workers/generator.worker.ts', import.meta.url), {
  type: 'module',
  name: 'generator',
});
const api = Comlink.wrap<GeneratorApi>(worker);
installErrorTransfer();
const modelUrl = new URL('models/fashion-28/', document.baseURI).href;

async function generate(
  request: GenerationRequest,
  onStep?: (p: GenerationProgress) => void,
  on: Comlink.Remote<GeneratorApi> = api,
): Promise<HarnessRun> {
  const steps: number[] = [];
  const notices: string[] = [];
  const previewSteps: number[] = [];
  const result = await on.generate(
    request,
    Comlink.proxy((p: GenerationProgress) => {
      steps.push(p.step);
      if (p.notice) notices.push(p.notice);
      if (p.previews) previewSteps.push(p.step);
      onStep?.(p);
    }),
  );
  return {
    images: Array.from(result.images),
    backend: result.backend,
    steps,
    notices,
    previewSteps,
    msPerStep: result.msPerStep,
  };
}

const harness: Harness = {
  isolated: self.crossOriginIsolated,
  load: (backend) => api.loadModel({ kind: 'url', baseUrl: modelUrl }, backend),
  generate: (request) => generate(request),
  async generateLosingGpu(request) {
    const lossy = new Worker(new URL('./lossy.worker.ts', import.meta.url), { type: 'module' });
    const remote = Comlink.wrap<GeneratorApi>(lossy);
    try {
      const loaded = await remote.loadModel({ kind: 'url', baseUrl: modelUrl }, 'webgpu');
      return { loaded, run: await generate(request, undefined, remote) };
    } finally {
      lossy.terminate();
    }
  },
  async cancelThenGenerate(long, next) {
    let steps = 0;
    let error = 'finished without error';
    await generate(long, () => {
      steps++;
      if (steps === 1) void api.cancel();
    }).catch((e: unknown) => (error = e instanceof Error ? `${e.name}: ${e.message}` : String(e)));
    return { error, stepsBeforeStop: steps, next: await generate(next) };
  },
};

(window as unknown as { harness: Harness }).harness = harness;
document.body.dataset.ready = 'true';
