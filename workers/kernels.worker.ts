/**
 * The kernels worker: schedule tables, the forward process, seeded noise and
 * image conversion off the main thread, on the same WASM kernels the generator
 * uses (so seed S is the same noise everywhere). Exposed through comlink;
 * every Float32Array/Uint8ClampedArray result is transferred, not copied.
 *
 * Runs as a browser module worker, and under Node worker_threads through
 * comlink's node adapter (that is how the unit tests drive it).
 */
import * as Comlink from 'comlink';
import type { ImageShape, ScheduleSpec } from '../src/core/types.ts';
import type { Kernels } from '../src/core/kernels.ts';
import { buildSchedule, type Schedule } from '../src/core/schedule.ts';
import { forwardDiffuse, type ForwardMode } from '../src/core/forward.ts';
import { slerp } from '../src/core/slerp.ts';
import { loadKernels } from '../src/runtime/kernels.ts';

/** Schedule tables for plotting, float32, index = train timestep t (0-based). */
export interface ScheduleTablesMessage {
  betas: Float32Array;
  alphaBar: Float32Array;
  sqrtAlphaBar: Float32Array;
  sqrtOneMinusAlphaBar: Float32Array;
  betaTilde: Float32Array;
  snr: Float32Array;
  logSNR: Float32Array;
}

export interface KernelsWorkerApi {
  /** Which kernels answer: 'wasm-simd' or 'wasm-scalar'. */
  backend(): Promise<Kernels['backend']>;
  schedule(spec: ScheduleSpec): Promise<ScheduleTablesMessage>;
  /**
   * x_t of the forward process from x0 (C×H×W in [−1, 1]); t counts noising steps
   * (0 returns x0, T is fully noised). 'closed-form' draws ε from (seed, stream 0,
   * substream 0); 'markov' runs t steps with step s's ε from substream s.
   */
  forward(
    spec: ScheduleSpec,
    x0: Float32Array,
    t: number,
    seed: number,
    mode: ForwardMode,
  ): Promise<Float32Array>;
  /** `length` samples of Gaussian stream (seed, stream, substream) from sample `offset`. */
  noise(
    seed: number,
    length: number,
    stream?: number,
    substream?: number,
    offset?: number,
  ): Promise<Float32Array>;
  /** x_T of seeds a and b (stream 0), joined by slerp at n evenly spaced points (n×length; n = 1 gives a). */
  slerpNoise(seedA: number, seedB: number, n: number, length: number): Promise<Float32Array>;
  /** count images C×H×W in [−1, 1] → RGBA8. */
  toRGBA8(chw: Float32Array, shape: ImageShape, count: number): Promise<Uint8ClampedArray>;
}

let kernelsPromise: Promise<Kernels> | undefined;
const kernels = () => (kernelsPromise ??= loadKernels());

const schedules = new Map<string, Schedule>();
function scheduleOf(spec: ScheduleSpec): Schedule {
  const key = JSON.stringify([spec.kind, spec.betaStart, spec.betaEnd, spec.trainSteps]);
  let schedule = schedules.get(key);
  if (!schedule) schedules.set(key, (schedule = buildSchedule(spec)));
  return schedule;
}

const moved = <T extends Float32Array | Uint8ClampedArray>(a: T): T =>
  Comlink.transfer(a, [a.buffer]);

export const api: KernelsWorkerApi = {
  async backend() {
    return (await kernels()).backend;
  },
  async schedule(spec) {
    const s = scheduleOf(spec);
    const f32 = (a: Float64Array) => Float32Array.from(a);
    const tables: ScheduleTablesMessage = {
      betas: f32(s.betas),
      alphaBar: f32(s.alphaBar),
      sqrtAlphaBar: f32(s.sqrtAlphaBar),
      sqrtOneMinusAlphaBar: f32(s.sqrtOneMinusAlphaBar),
      betaTilde: f32(s.betaTilde),
      snr: f32(s.snr),
      logSNR: f32(s.logSNR),
    };
    return Comlink.transfer(
      tables,
      Object.values(tables).map((a) => a.buffer),
    );
  },
  async forward(spec, x0, t, seed, mode) {
    return moved(
      forwardDiffuse(await kernels(), scheduleOf(spec), x0, t, { seed, stream: 0 }, mode),
    );
  },
  async noise(seed, length, stream = 0, substream = 0, offset = 0) {
    return moved(
      (await kernels()).gaussian(new Float32Array(length), { seed, stream, substream }, offset),
    );
  },
  async slerpNoise(seedA, seedB, n, length) {
    const k = await kernels();
    const a = k.gaussian(new Float32Array(length), { seed: seedA, stream: 0, substream: 0 });
    const b = k.gaussian(new Float32Array(length), { seed: seedB, stream: 0, substream: 0 });
    const out = new Float32Array(n * length);
    for (let i = 0; i < n; i++)
      slerp(k, a, b, n === 1 ? 0 : i / (n - 1), out.subarray(i * length, (i + 1) * length));
    return moved(out);
  },
  async toRGBA8(chw, shape, count) {
    return moved((await kernels()).toRGBA8(chw, shape, count));
  },
};

/** The parts of node:worker_threads and comlink's node adapter used here (typed locally: core tsconfig has no Node types). */
interface NodeWorkerThreads {
  parentPort: object | null;
}
interface NodeAdapter {
  default(port: object): Comlink.Endpoint;
}

async function serve(): Promise<void> {
  const isBrowserWorker =
    typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined';
  if (isBrowserWorker) {
    Comlink.expose(api);
    return;
  }
  const threadsName = 'node:worker_threads';
  const adapterName = 'comlink/dist/esm/node-adapter.mjs';
  const { parentPort } = (await import(/* @vite-ignore */ threadsName)) as NodeWorkerThreads;
  if (!parentPort) return; // imported on the main thread (e.g. for its types or `api`): nothing to serve
  const nodeEndpoint = (await import(/* @vite-ignore */ adapterName)) as NodeAdapter;
  Comlink.expose(api, nodeEndpoint.default(parentPort));
}

void serve();
