/** State shared between screens: the generator, whether it is busy, and the last run's frames. */
import type { BackendInfo, GenerateProgress, GenerateRequest, GenerateResult } from '../../workers/protocol.ts';
import { findModel, type ModelEntry } from './catalog.ts';
import { Generator } from './generator.ts';
import { settings } from './settings.ts';

/**
 * Label and guidance w for a request. "Any class" (label < 0) is label null,
 * which the sampling loop runs on the model's null label: the unconditional
 * prediction ε_u, with no guidance. A model without classes takes label null.
 */
export function conditioning(model: ModelEntry, label: number, guidance: number): { label: number | null; guidance: number } {
  if (model.manifest.conditioning.kind !== 'class') return { label: null, guidance: 0 };
  if (label < 0) return { label: null, guidance: 0 };
  return { label, guidance };
}

export interface Run {
  request: GenerateRequest;
  result: GenerateResult;
  model: ModelEntry;
  /** What the run was, for captions: "seed 42", "img2img from t = 500", ... */
  caption: string;
}

type Events = {
  run: Run;
  busy: boolean;
  backend: { info: BackendInfo; msPerStep?: number };
};
type Handler<K extends keyof Events> = (v: Events[K]) => void;

class AppState {
  readonly generator = new Generator();
  busy = false;
  lastRun: Run | undefined;
  private handlers: { [K in keyof Events]: Set<Handler<K>> } = { run: new Set(), busy: new Set(), backend: new Set() };

  on<K extends keyof Events>(event: K, h: Handler<K>): void {
    this.handlers[event].add(h);
  }

  emit<K extends keyof Events>(event: K, v: Events[K]): void {
    for (const h of this.handlers[event]) h(v);
  }

  model(): ModelEntry | undefined {
    return findModel(settings.get().modelId);
  }

  /**
   * Loads the current model on the chosen backend, then runs one request.
   * Only one run at a time: the generator worker holds a single session.
   */
  async run(
    request: GenerateRequest,
    caption: string,
    onProgress: (p: GenerateProgress) => void,
  ): Promise<Run> {
    const model = this.model();
    if (!model) throw new Error('No model is available. Open Models to import one.');
    if (this.busy) throw new Error('A generation is already running.');
    this.setBusy(true);
    try {
      const loaded = await this.generator.ensure(model, settings.get().backend);
      this.emit('backend', { info: loaded.backend });
      const result = await this.generator.generate(request, (p) => {
        if (p.backend) this.emit('backend', { info: p.backend, msPerStep: p.msPerStep });
        onProgress(p);
      });
      this.emit('backend', { info: result.backend, msPerStep: result.msPerStep });
      const run: Run = { request, result, model, caption };
      this.lastRun = run;
      this.emit('run', run);
      return run;
    } finally {
      this.setBusy(false);
    }
  }

  cancel(): void {
    if (this.busy) this.generator.cancel();
  }

  private setBusy(b: boolean): void {
    this.busy = b;
    this.emit('busy', b);
  }
}

export const app = new AppState();
