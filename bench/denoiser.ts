/**
 * Denoiser benchmark: milliseconds per U-Net call, cold and steady, on every
 * engine of bench/engines.ts, for every built-in model at batch 1, 2 and 8.
 *
 * - Cold: a fresh process (or a fresh browser) per engine, model and batch;
 *   the median of its first COLD_CALLS calls. This is what the first
 *   generation after opening the app sees while V8 still runs baseline
 *   (Liftoff) WASM code.
 * - Steady: one long-lived instance per engine. Each warms up by time (until
 *   WARM_FIRST_MS have passed in that instance, then at least WARM_MS at each
 *   new batch size), then the engines run interleaved: repeat r runs a block
 *   of calls on every engine in turn (the order rotates), so load from other
 *   jobs hits all engines alike. A block's median is one sample; the table
 *   gives the median and IQR over the repeats, and the ratio to
 *   onnxruntime-node taken within each repeat.
 * - WebGPU on SwiftShader takes seconds per call: its "cold" is the very first
 *   call and its steady figure the median of a few later ones, not interleaved.
 */
import type { Engine, EngineKind } from './engines.ts';
import type { ModelSpec } from './engine-ops.ts';
import { median, spread, type Spread } from './stats.ts';

export interface DenoiserOptions {
  models: ModelSpec[];
  batches: number[];
  /** Interleaved competitors; the first is the reference for ratios (onnxruntime-node). */
  engines: EngineKind[];
  /** Measured alone, few calls (WebGPU on a software adapter). */
  slowEngines: EngineKind[];
  coldBatches: number[];
  coldCalls: number;
  repeats: number;
  /** Minimum milliseconds of calls in one block of a repeat. */
  blockMs: number;
  warmFirstMs: number;
  warmMs: number;
  slowCalls: number;
  log: (line: string) => void;
}

export interface DenoiserRow {
  engine: string;
  threads: number;
  note?: string;
  model: string;
  batch: number;
  /** Median of the first calls of a fresh instance. */
  cold?: number;
  coldCalls?: number;
  steady: Spread;
  /** steady / onnxruntime-node steady, per repeat: median and IQR. */
  ratio?: Spread;
}

function label(k: EngineKind): string {
  return `${k.name} ×${k.threads}`;
}

async function coldRun(
  kind: EngineKind,
  model: ModelSpec,
  batch: number,
  calls: number,
): Promise<number> {
  const engine = await kind.start();
  try {
    await engine.load(model);
    return median(await engine.calls(batch, calls));
  } finally {
    await engine.close();
  }
}

async function steadyRuns(opts: DenoiserOptions, rows: DenoiserRow[]): Promise<void> {
  const live: { kind: EngineKind; engine: Engine; born: number }[] = [];
  try {
    for (const kind of opts.engines)
      live.push({ kind, engine: await kind.start(), born: performance.now() });
    for (const model of opts.models) {
      const here = live.filter((l) => !l.kind.models || l.kind.models.includes(model.id));
      for (const l of here) await l.engine.load(model);
      for (const batch of opts.batches) {
        const perCall = new Map<EngineKind, number>();
        for (const l of here) {
          const ms = Math.max(opts.warmMs, opts.warmFirstMs - (performance.now() - l.born));
          const count = await l.engine.warm(batch, ms);
          perCall.set(l.kind, ms / Math.max(1, count));
        }
        const samples = new Map<EngineKind, number[]>(here.map((l) => [l.kind, []]));
        for (let r = 0; r < opts.repeats; r++) {
          const order = here.map((_, i) => here[(i + r) % here.length]!);
          for (const l of order) {
            const n = Math.min(30, Math.max(2, Math.ceil(opts.blockMs / perCall.get(l.kind)!)));
            samples.get(l.kind)!.push(median(await l.engine.calls(batch, n)));
          }
        }
        const ref = samples.get(opts.engines[0]!);
        for (const l of here) {
          const s = samples.get(l.kind)!;
          const row: DenoiserRow = {
            engine: l.kind.name,
            threads: l.kind.threads,
            model: model.id,
            batch,
            steady: spread(s),
          };
          if (l.kind.note) row.note = l.kind.note;
          if (ref) row.ratio = spread(s.map((v, i) => v / ref[i]!));
          rows.push(row);
          opts.log(
            `  steady ${model.id} B=${batch} ${label(l.kind)}: ${row.steady.median.toFixed(2)} ms`,
          );
        }
      }
    }
  } finally {
    for (const l of live) await l.engine.close();
  }
}

async function slowRuns(opts: DenoiserOptions, rows: DenoiserRow[]): Promise<void> {
  for (const kind of opts.slowEngines) {
    const engine = await kind.start();
    try {
      for (const model of opts.models) {
        await engine.load(model);
        for (const batch of opts.batches) {
          const [first, ...rest] = await engine.calls(batch, 1 + opts.slowCalls);
          const row: DenoiserRow = {
            engine: kind.name,
            threads: kind.threads,
            model: model.id,
            batch,
            cold: first!,
            coldCalls: 1,
            steady: spread(rest),
          };
          if (kind.note) row.note = kind.note;
          rows.push(row);
          opts.log(
            `  ${model.id} B=${batch} ${label(kind)}: first ${first!.toFixed(0)} ms, then ${row.steady.median.toFixed(0)} ms`,
          );
        }
      }
    } finally {
      await engine.close();
    }
  }
}

export async function benchDenoiser(opts: DenoiserOptions): Promise<DenoiserRow[]> {
  const rows: DenoiserRow[] = [];
  opts.log('steady state, interleaved:');
  await steadyRuns(opts, rows);
  opts.log('cold (fresh process or browser each):');
  for (const kind of opts.engines) {
    for (const model of opts.models) {
      if (kind.models && !kind.models.includes(model.id)) continue;
      for (const batch of opts.coldBatches) {
        const cold = await coldRun(kind, model, batch, opts.coldCalls);
        const row = rows.find(
          (r) =>
            r.engine === kind.name &&
            r.threads === kind.threads &&
            r.model === model.id &&
            r.batch === batch,
        );
        if (row) {
          row.cold = cold;
          row.coldCalls = opts.coldCalls;
        }
        opts.log(`  cold ${model.id} B=${batch} ${label(kind)}: ${cold.toFixed(2)} ms`);
      }
    }
  }
  if (opts.slowEngines.length) opts.log('slow engines, alone:');
  await slowRuns(opts, rows);
  return rows;
}
