/**
 * Denoiser benchmark: milliseconds per U-Net call at batch 1 and 8 on
 * onnxruntime-node (native CPU) and onnxruntime-web's WASM backend (the
 * browser fallback, run here in Node), for the shipped model.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface DenoiserRow {
  engine: string;
  threads: number;
  batch: number;
  msPerCall: number;
  msPerImage: number;
}

interface OrtLike {
  InferenceSession: { create(model: Uint8Array, opts?: object): Promise<SessionLike> };
  Tensor: new (type: string, data: unknown, dims: number[]) => unknown;
  env: { wasm: { numThreads?: number } };
}
interface SessionLike {
  run(feeds: Record<string, unknown>): Promise<unknown>;
  release(): Promise<void>;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function timeCalls(ort: OrtLike, session: SessionLike, batch: number, reps: number): Promise<number> {
  const x = new Float32Array(batch * 28 * 28).map((_, i) => Math.sin(i));
  const feeds = {
    x: new ort.Tensor('float32', x, [batch, 1, 28, 28]),
    t: new ort.Tensor('int64', BigInt64Array.from({ length: batch }, (_, i) => BigInt((i * 97) % 1000)), [batch]),
    y: new ort.Tensor('int64', BigInt64Array.from({ length: batch }, (_, i) => BigInt(i % 11)), [batch]),
  };
  for (let i = 0; i < 3; i++) await session.run(feeds);
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await session.run(feeds);
    times.push(performance.now() - t0);
  }
  return median(times);
}

export async function benchDenoiser(modelDir: string, reps = 30): Promise<DenoiserRow[]> {
  const model = new Uint8Array(readFileSync(join(modelDir, 'model.onnx')));
  const rows: DenoiserRow[] = [];
  const engines: { name: string; load: () => Promise<OrtLike>; threads: number[] }[] = [
    { name: 'onnxruntime-node (CPU)', load: async () => (await import('onnxruntime-node')) as unknown as OrtLike, threads: [1, 2] },
    { name: 'onnxruntime-web (WASM SIMD)', load: async () => (await import('onnxruntime-web')) as unknown as OrtLike, threads: [1, 2] },
  ];
  for (const engine of engines) {
    const ort = await engine.load();
    for (const threads of engine.threads) {
      const isWeb = engine.name.includes('web');
      if (isWeb) ort.env.wasm.numThreads = threads;
      const session = await ort.InferenceSession.create(
        model,
        isWeb ? { executionProviders: ['wasm'] } : { intraOpNumThreads: threads, interOpNumThreads: 1 },
      );
      for (const batch of [1, 8]) {
        const ms = await timeCalls(ort, session, batch, reps);
        rows.push({ engine: engine.name, threads, batch, msPerCall: ms, msPerImage: ms / batch });
      }
      await session.release();
      // onnxruntime-web fixes its thread pool at first session creation in a process.
      if (isWeb) break;
    }
  }
  return rows;
}
