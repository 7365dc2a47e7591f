/**
 * The one owner of runs. AppState prepares the chosen model (once, through
 * the generator's own cache key), holds the single busy state, and runs
 * plans: each plan names its model and backend, and its progress carries
 * that run's own shape. A run stops only through its own signal, so one
 * screen can never cancel another screen's run.
 */
import type {
  BackendChoice,
  BackendReport,
  GenerationRequest,
  GenerationResult,
} from '../../workers/protocol.ts';
import type { RunPlan } from './plans.ts';
import { findModel, type ModelEntry } from './catalog.ts';
import { RuntimeError } from '../runtime/errors.ts';
import { abortError, errorKind } from './errors.ts';
import { Generator, type Engine } from './generator.ts';
import { interpolationNoise } from './kernels.ts';
import { settings } from './settings.ts';

export type { Engine, RunPlan };

export interface RunProgress {
  step: number;
  of: number;
  msPerStep: number;
  notice?: string;
  /** RGBA8 previews: count images of width×height, this run's own shape. */
  previews?: Uint8ClampedArray;
  width: number;
  height: number;
  count: number;
}

export interface Run {
  plan: RunPlan;
  request: GenerationRequest;
  result: GenerationResult;
  model: ModelEntry;
  caption: string;
}

export type LoadState =
  | { state: 'loading'; model: ModelEntry }
  | { state: 'ready'; model: ModelEntry }
  | { state: 'failed'; model: ModelEntry; message: string };

type Events = {
  run: Run;
  /** The plan now running, or undefined when idle. */
  busy: RunPlan | undefined;
  backend: { info: BackendReport; msPerStep?: number };
  load: LoadState;
  /** The engine for the chosen model and backend changed: loaded, measured, or moved by a run. */
  engine: Engine | undefined;
};
type Handler<K extends keyof Events> = (v: Events[K]) => void;

async function requestOf(plan: RunPlan): Promise<GenerationRequest> {
  const base: GenerationRequest = { ...plan.request, keepFrames: true };
  if (plan.kind === 'seed') return base;
  if (plan.kind === 'img2img')
    return { ...base, count: 1, init: { image: plan.image, strength: plan.strength } };
  const { channels, height, width } = plan.model.manifest.image;
  const noise = await interpolationNoise(
    plan.request.seed,
    plan.to,
    plan.request.count,
    channels * height * width,
  );
  return { ...base, noise };
}

export class AppState {
  private readonly generator = new Generator();
  /** The running plan; one at a time, since the generator worker holds one session. */
  active: RunPlan | undefined;
  private handlers: { [K in keyof Events]: Set<Handler<K>> } = {
    run: new Set(),
    busy: new Set(),
    backend: new Set(),
    load: new Set(),
    engine: new Set(),
  };

  get busy(): boolean {
    return this.active !== undefined;
  }

  on<K extends keyof Events>(event: K, h: Handler<K>): void {
    this.handlers[event].add(h);
  }

  private emit<K extends keyof Events>(event: K, v: Events[K]): void {
    for (const h of this.handlers[event]) h(v);
  }

  /** The chosen model (the default when the chosen one is gone). */
  model(): ModelEntry | undefined {
    return findModel(settings.get().modelId);
  }

  backend(): BackendChoice {
    return settings.get().backend;
  }

  /** The engine for the chosen model and backend, once the worker holds them. */
  engine(): Engine | undefined {
    const model = this.model();
    return model && this.generator.holds(model, this.backend()) ? this.generator.engine : undefined;
  }

  /**
   * Loads the chosen model on the chosen backend ahead of the first run.
   * While a run is going this waits: the run's end prepares again.
   */
  async prepare(): Promise<void> {
    const model = this.model();
    if (!model || this.busy || this.generator.holds(model, this.backend())) return;
    this.emit('load', { state: 'loading', model });
    try {
      const loaded = await this.generator.ensure(model, this.backend());
      if (this.model()?.id !== model.id) return;
      this.emit('load', { state: 'ready', model });
      if (!this.busy) this.emit('backend', { info: loaded.backend });
      this.emit('engine', this.engine());
      // A software renderer is slow enough that an estimate before a run is worth two timed calls.
      if (loaded.backend.software)
        void this.generator.measure().then(
          (speed) => speed && this.emit('engine', this.engine()),
          () => undefined,
        );
    } catch (e) {
      // A load Cancel found hung was ended (generator.ts): load it again, afresh.
      if (errorKind(e) === 'cancelled') return this.prepare();
      if (this.model()?.id === model.id)
        this.emit('load', {
          state: 'failed',
          model,
          message: e instanceof Error ? e.message : String(e),
        });
    }
  }

  /**
   * Runs one plan: loads its model if needed, then generates. Rejects with
   * an AbortError when `signal` stops it, and with code 'busy' when another
   * run is going (screens disable their buttons instead of asking).
   */
  async run(
    plan: RunPlan,
    signal?: AbortSignal,
    onProgress?: (p: RunProgress) => void,
  ): Promise<Run> {
    if (this.active) {
      const message = `The ${this.active.from} run is still going; wait for it to finish.`;
      throw new RuntimeError('busy', message);
    }
    if (signal?.aborted) throw abortError();
    this.active = plan;
    this.emit('busy', plan);
    const stop = () => this.generator.cancel();
    signal?.addEventListener('abort', stop);
    // Cancel while the model loads ends the run at once; the load goes on, for the next run.
    const aborted = new Promise<never>((_, reject) =>
      signal?.addEventListener('abort', () => reject(abortError()), { once: true }),
    );
    aborted.catch(() => undefined);
    try {
      const loaded = await Promise.race([this.generator.ensure(plan.model, plan.backend), aborted]);
      this.emit('backend', { info: loaded.backend });
      const request = await requestOf(plan);
      if (signal?.aborted) throw abortError();
      const { width, height } = plan.model.manifest.image;
      const result = await this.generator.generate(request, (p) => {
        if (p.backend) this.emit('backend', { info: p.backend, msPerStep: p.msPerStep });
        onProgress?.({
          step: p.step,
          of: p.of,
          msPerStep: p.msPerStep,
          notice: p.notice,
          previews: p.previews,
          width,
          height,
          count: request.count,
        });
      });
      this.emit('backend', { info: result.backend, msPerStep: result.msPerStep });
      this.emit('engine', this.engine());
      const run: Run = { plan, request, result, model: plan.model, caption: plan.caption };
      this.emit('run', run);
      return run;
    } finally {
      signal?.removeEventListener('abort', stop);
      this.active = undefined;
      this.emit('busy', undefined);
      void this.prepare();
    }
  }
}

export const app = new AppState();
