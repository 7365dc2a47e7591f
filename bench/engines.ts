/**
 * The engines the denoiser benchmark compares, behind one interface:
 * onnxruntime-node and onnxruntime-web (WASM) in Node child processes,
 * onnxruntime-web (WASM or WebGPU) in headless Chromium, and PyTorch on the
 * CPU (bench/torch_engine.py). Each instance is one process (or one browser),
 * so a fresh instance is a cold start.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { resolve } from 'node:path';
import type { EngineOp, EngineState, ModelSpec, OrtApi } from './engine-ops.ts';
import { engineOp } from './engine-ops.ts';
import {
  launchBrowser,
  serveDir,
  type LaunchedBrowser,
  type Served,
} from '../test/browser/helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');

export interface Engine {
  load(model: ModelSpec): Promise<void>;
  calls(batch: number, n: number): Promise<number[]>;
  warm(batch: number, ms: number): Promise<number>;
  close(): Promise<void>;
}

export interface EngineKind {
  /** Row label, e.g. "onnxruntime-web WASM, Node". */
  name: string;
  threads: number;
  /** A note for the table (e.g. "software rendering"). */
  note?: string;
  /** Models it can run (PyTorch needs a checkpoint); all when absent. */
  models?: string[];
  start(): Promise<Engine>;
}

function modelPath(id: string): string {
  return resolve(ROOT, 'public/models', id, 'model.onnx');
}

/** A request/answer channel over a child's IPC, one op at a time. */
function ipcEngine(child: ChildProcess, provider: 'cpu' | 'wasm', threads: number): Engine {
  const ask = (msg: EngineOp & { path?: string }) =>
    new Promise<number[] | number | null>((ok, fail) => {
      const onExit = (code: number | null) => fail(new Error(`engine child exited (${code})`));
      child.once('exit', onExit);
      child.once('message', (m: { result?: number[] | number | null; error?: string }) => {
        child.off('exit', onExit);
        if (m.error !== undefined) fail(new Error(m.error));
        else ok(m.result ?? null);
      });
      child.send(msg);
    });
  return {
    load: async (model) =>
      void (await ask({
        op: 'load',
        model,
        executionProvider: provider,
        threads,
        path: modelPath(model.id),
      })),
    calls: async (batch, n) => (await ask({ op: 'calls', batch, n })) as number[],
    warm: async (batch, ms) => (await ask({ op: 'warm', batch, ms })) as number,
    close: async () => {
      child.kill();
    },
  };
}

export function nodeEngine(kind: 'node' | 'web', threads: number): EngineKind {
  return {
    name: kind === 'node' ? 'onnxruntime-node (native CPU)' : 'onnxruntime-web WASM, in Node',
    threads,
    async start() {
      const child = fork(resolve(import.meta.dirname, 'engine-child.ts'), [kind, String(threads)], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      });
      await new Promise<void>((ok, fail) => {
        child.once('message', () => ok());
        child.once('exit', (code) => fail(new Error(`engine child exited (${code})`)));
      });
      return ipcEngine(child, kind === 'node' ? 'cpu' : 'wasm', threads);
    },
  };
}

let server: Promise<Served> | undefined;
/** The repository root over HTTP, cross-origin isolated (SharedArrayBuffer for WASM threads). */
function rootServer(): Promise<Served> {
  server ??= serveDir(ROOT);
  return server;
}
export async function closeServer(): Promise<void> {
  if (server) await (await server).close();
  server = undefined;
}

type PageArgs = {
  op: EngineOp;
  bundle: string;
  dist: string;
  threads: number;
  modelUrl?: string;
  src: string;
};

/** Runs engineOp in the page: imports onnxruntime-web's bundle once, keeps the state on window. */
async function pageOp(args: PageArgs): Promise<number[] | number | null> {
  const g = globalThis as unknown as { __bench?: { ort: OrtApi; state: EngineState } };
  if (!g.__bench) {
    const ort = (await import(args.bundle)) as OrtApi & {
      env: { wasm: { numThreads: number; wasmPaths: string; proxy: boolean } };
    };
    ort.env.wasm.wasmPaths = args.dist;
    ort.env.wasm.numThreads = args.threads;
    ort.env.wasm.proxy = false;
    g.__bench = { ort, state: {} };
  }
  const bytes = args.modelUrl
    ? new Uint8Array(await (await fetch(args.modelUrl)).arrayBuffer())
    : undefined;
  const run = new Function(`return (${args.src})`)() as typeof engineOp;
  return run(g.__bench.ort, g.__bench.state, args.op, bytes);
}

export function browserEngine(provider: 'wasm' | 'webgpu', threads: number): EngineKind {
  const webgpu = provider === 'webgpu';
  return {
    name: webgpu
      ? 'onnxruntime-web WebGPU, Chromium (SwiftShader)'
      : 'onnxruntime-web WASM, Chromium',
    threads,
    ...(webgpu ? { note: 'software rendering' } : {}),
    async start() {
      const served = await rootServer();
      const browser: LaunchedBrowser = await launchBrowser({ webgpu });
      await browser.page.goto(`${served.url}bench/blank.html`);
      const isolated = await browser.page.evaluate(() => globalThis.crossOriginIsolated);
      if (threads > 1 && !isolated)
        throw new Error('bench page is not cross-origin isolated; no WASM threads');
      const base: Omit<PageArgs, 'op'> = {
        bundle: `${served.url}node_modules/onnxruntime-web/dist/${webgpu ? 'ort.webgpu.min.mjs' : 'ort.wasm.min.mjs'}`,
        dist: `${served.url}node_modules/onnxruntime-web/dist/`,
        threads,
        src: engineOp.toString(),
      };
      const ask = (op: EngineOp, modelUrl?: string) =>
        browser.page.evaluate(pageOp, { ...base, op, ...(modelUrl ? { modelUrl } : {}) });
      return {
        load: async (model) =>
          void (await ask(
            { op: 'load', model, executionProvider: provider, threads },
            `${served.url}public/models/${model.id}/model.onnx`,
          )),
        calls: async (batch, n) => (await ask({ op: 'calls', batch, n })) as number[],
        warm: async (batch, ms) => (await ask({ op: 'warm', batch, ms })) as number,
        close: () => browser.close(),
      };
    },
  };
}

/** Checkpoints of the built-in models' exact weights, where one is in the tree (runs/ is not committed). */
export const CHECKPOINTS: Record<string, string> = {
  // The shipped emoji-32 (1×1-merge shape, 20,000 steps) matches test/fixtures/emoji-32-parity.json exactly from this checkpoint.
  'emoji-32': 'runs/emoji-1x1/checkpoint.pt',
};

export function torchEngine(threads: number): EngineKind {
  return {
    name: 'PyTorch CPU (same weights)',
    threads,
    models: Object.keys(CHECKPOINTS),
    async start() {
      const child = spawn(
        '/usr/bin/python3',
        [resolve(import.meta.dirname, 'torch_engine.py'), String(threads)],
        {
          cwd: ROOT,
          stdio: ['pipe', 'pipe', 'inherit'],
        },
      );
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const ask = async (msg: object) => {
        child.stdin!.write(`${JSON.stringify(msg)}\n`);
        const line = await lines.next();
        if (line.done) throw new Error('torch engine exited');
        const m = JSON.parse(line.value) as { result?: number[] | number | null; error?: string };
        if (m.error !== undefined) throw new Error(m.error);
        return m.result ?? null;
      };
      return {
        load: async (model) => void (await ask({ op: 'load', model, ckpt: CHECKPOINTS[model.id] })),
        calls: async (batch, n) => (await ask({ op: 'calls', batch, n })) as number[],
        warm: async (batch, ms) => (await ask({ op: 'warm', batch, ms })) as number,
        close: async () => {
          child.stdin!.end();
          child.kill();
        },
      };
    },
  };
}
