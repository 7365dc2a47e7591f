/**
 * onnxruntime that cannot start (here: its .wasm is not where it looks) is an
 * 'engine-failed' error that does not blame the model, not 'onnx-invalid'.
 * Its own file: onnxruntime keeps a failed start for the life of the process.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/core/manifest.ts';
import { Denoiser } from '../../src/runtime/denoiser.ts';
import { RuntimeError } from '../../src/runtime/errors.ts';
import type { EngineLoader, Ort } from '../../src/runtime/ort.ts';
import { cpuOnly } from '../support/node-engines.ts';
import { rejection } from '../support/rejection.ts';

const DIR = 'public/models/fashion-28';

describe('an onnxruntime that cannot start', () => {
  it('is engine-failed, says it is not the model, and says what to do', async () => {
    const ort = (await import('onnxruntime-web')) as unknown as Ort & {
      env: { wasm: { wasmPaths?: string } };
    };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.wasmPaths = '/nonexistent/';
    const loader: EngineLoader = async () => ({
      backend: 'wasm',
      ort,
      threads: 1,
      sessionOptions: { executionProviders: ['wasm'] },
      name: 'onnxruntime-web WASM',
    });
    const e = await rejection(
      Denoiser.create({
        manifest: validateManifest(JSON.parse(readFileSync(`${DIR}/model.json`, 'utf8'))),
        onnx: new Uint8Array(readFileSync(`${DIR}/model.onnx`)),
        choice: 'wasm',
        caps: cpuOnly,
        loadEngine: loader,
      }),
      RuntimeError,
    );
    expect(e.code).toBe('engine-failed');
    expect(e.message).toMatch(
      /^onnxruntime's WASM runtime could not start here \(.+\)\. This is not the model: reload the page; if it persists, close other tabs to free memory, or update the browser\.$/,
    );
  });
});
