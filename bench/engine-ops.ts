/**
 * What one engine under test does, as one self-contained function so the
 * same code runs in a Node child process (bench/engine-child.ts) and in a
 * Chromium page (passed through page.evaluate, hence no imports, no closures
 * and no named inner functions). The caller keeps `state` between calls.
 *
 * - load: a fresh InferenceSession for the model's bytes;
 * - calls: n timed session.run calls at batch b, milliseconds each;
 * - warm: untimed calls at batch b until `ms` have passed; answers the count;
 * - release: drops the session.
 */
export interface ModelSpec {
  id: string;
  channels: number;
  size: number;
  /** Label groups: 0 means y is int64 [B], n means int64 [B, n]. */
  groups: number;
}

export type EngineOp =
  | { op: 'load'; model: ModelSpec; executionProvider: 'cpu' | 'wasm' | 'webgpu'; threads: number }
  | { op: 'calls'; batch: number; n: number }
  | { op: 'warm'; batch: number; ms: number }
  | { op: 'release' };

export interface EngineState {
  session?: unknown;
  model?: ModelSpec;
  feeds?: Map<number, unknown>;
}

/** The slice of onnxruntime's API (node and web alike) the ops use. */
export interface OrtApi {
  InferenceSession: { create(model: Uint8Array, opts?: object): Promise<unknown> };
  Tensor: new (type: string, data: unknown, dims: number[]) => unknown;
}

interface RunnableSession {
  run(feeds: Record<string, unknown>): Promise<unknown>;
  release(): Promise<void>;
}

export async function engineOp(
  ort: OrtApi,
  state: EngineState,
  op: EngineOp,
  bytes?: Uint8Array,
): Promise<number[] | number | null> {
  if (op.op === 'load') {
    if (!bytes) throw new Error('engineOp load: no model bytes');
    state.model = op.model;
    state.feeds = new Map();
    state.session = await ort.InferenceSession.create(bytes, {
      executionProviders: [op.executionProvider],
      graphOptimizationLevel: 'all',
      ...(op.executionProvider === 'cpu'
        ? { intraOpNumThreads: op.threads, interOpNumThreads: 1 }
        : {}),
    });
    return null;
  }
  const session = state.session as RunnableSession | undefined;
  if (op.op === 'release') {
    await session?.release();
    state.session = undefined;
    return null;
  }
  const model = state.model;
  if (!session || !model || !state.feeds) throw new Error(`engineOp ${op.op}: no session loaded`);
  const b = op.batch;
  let feeds = state.feeds.get(b) as Record<string, unknown> | undefined;
  if (!feeds) {
    const pixels = model.channels * model.size * model.size;
    const x = new Float32Array(b * pixels);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i);
    const t = new BigInt64Array(b);
    for (let i = 0; i < b; i++) t[i] = BigInt((i * 97 + 500) % 1000);
    const g = Math.max(1, model.groups);
    const y = new BigInt64Array(b * g);
    for (let i = 0; i < y.length; i++) y[i] = BigInt(i % 3);
    feeds = {
      x: new ort.Tensor('float32', x, [b, model.channels, model.size, model.size]),
      t: new ort.Tensor('int64', t, [b]),
      y: new ort.Tensor('int64', y, model.groups === 0 ? [b] : [b, g]),
    };
    state.feeds.set(b, feeds);
  }
  if (op.op === 'warm') {
    const until = performance.now() + op.ms;
    let count = 0;
    while (performance.now() < until) {
      await session.run(feeds);
      count++;
    }
    return count;
  }
  const times: number[] = [];
  for (let i = 0; i < op.n; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  return times;
}
