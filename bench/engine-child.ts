/**
 * A Node child process hosting one engine under test, so each onnxruntime-web
 * thread count gets its own process (the WASM thread pool is fixed at the
 * first session of a process) and a cold measurement gets a fresh process.
 * Usage (by bench/engines.ts, over IPC): engine-child.ts node|web THREADS.
 * Messages in: EngineOp plus `path` (the .onnx) for load; out: { result } or { error }.
 */
import { readFileSync } from 'node:fs';
import { engineOp, type EngineOp, type EngineState, type OrtApi } from './engine-ops.ts';

const [kind, threadsArg] = process.argv.slice(2);
const threads = Number(threadsArg ?? 1);

async function loadOrt(): Promise<OrtApi> {
  if (kind === 'node') return (await import('onnxruntime-node')) as unknown as OrtApi;
  if (kind !== 'web') throw new Error(`engine-child: kind must be node or web, got ${kind}`);
  const ort = await import('onnxruntime-web');
  ort.env.wasm.numThreads = threads;
  return ort as unknown as OrtApi;
}

const ort = await loadOrt();
const state: EngineState = {};
process.on('message', (msg: EngineOp & { path?: string }) => {
  const bytes = msg.path ? new Uint8Array(readFileSync(msg.path)) : undefined;
  engineOp(ort, state, msg, bytes).then(
    (result) => process.send?.({ result }),
    (e: unknown) => process.send?.({ error: e instanceof Error ? e.message : String(e) }),
  );
});
process.send?.({ ready: true });
