import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateManifest, type ModelManifest } from '../../src/core/manifest.ts';
import { Denoiser, type DenoiserOptions } from '../../src/runtime/denoiser.ts';
import { RuntimeError, shortReason } from '../../src/runtime/errors.ts';
import type { EngineLoader } from '../../src/runtime/ort.ts';
import { loseWebGpuAtCall } from '../support/lose-webgpu.ts';
import { cpuOnly, standInGpu, wasm, withGpu } from '../support/node-engines.ts';
import { rejection } from '../support/rejection.ts';

const DIR = 'public/models/fashion-28';
const manifest = validateManifest(JSON.parse(readFileSync(`${DIR}/model.json`, 'utf8')));
const onnx = new Uint8Array(readFileSync(`${DIR}/model.onnx`));
const SIZE = 28 * 28;

function options(over: Partial<DenoiserOptions> = {}): DenoiserOptions {
  return { manifest, onnx, choice: 'wasm', caps: cpuOnly, loadEngine: wasm, ...over };
}

function input(batch: number): { x: Float32Array; labels: Int32Array } {
  const x = Float32Array.from({ length: batch * SIZE }, (_, i) => Math.sin(i * 0.37) * 0.9);
  const labels = Int32Array.from({ length: batch }, (_, i) => (i * 3) % 11);
  return { x, labels };
}

describe('Denoiser on onnxruntime-web WASM (Node)', () => {
  it('reports the backend and runs a batch; split batches equal one call bit for bit', async () => {
    const whole = await Denoiser.create(options());
    const split = await Denoiser.create(options({ maxBatch: 2 }));
    expect(whole.backend).toMatchObject({ backend: 'wasm', threads: 1, simd: true });
    expect(whole.backend.fallbackReason).toBeUndefined();
    const { x, labels } = input(5);
    const a = await whole.denoiseFor({})(x, 500, labels, 5);
    const b = await split.denoiseFor({})(x, 500, labels, 5);
    expect(a.length).toBe(5 * SIZE);
    expect(a.some((v) => v !== 0)).toBe(true);
    expect(b).toEqual(a);
    const solo = await whole.denoiseFor({})(
      x.slice(3 * SIZE, 4 * SIZE),
      500,
      labels.slice(3, 4),
      1,
    );
    expect(solo).toEqual(a.slice(3 * SIZE, 4 * SIZE));
    await whole.release();
    await split.release();
  });

  it('no labels on a labelled model means the null label (unconditional)', async () => {
    const d = await Denoiser.create(options());
    const denoise = d.denoiseFor({});
    const { x } = input(2);
    const nullLabel =
      manifest.conditioning.kind === 'labels' ? manifest.conditioning.groups[0]!.nullLabel : -1;
    expect(nullLabel).toBe(10);
    expect(await denoise(x, 250, null, 2)).toEqual(
      await denoise(x, 250, new Int32Array([nullLabel, nullLabel]), 2),
    );
    expect(await denoise(x, 250, null, 2)).not.toEqual(
      await denoise(x, 250, new Int32Array([1, 1]), 2),
    );
    await d.release();
  });

  it('"auto" without WebGPU runs WASM and says why', async () => {
    const d = await Denoiser.create(options({ choice: 'auto' }));
    expect(d.backend.backend).toBe('wasm');
    expect(d.backend.fallbackReason).toBe('no navigator.gpu');
    await d.release();
  });

  it('"webgpu" where there is none is a clear error', async () => {
    const e = await rejection(Denoiser.create(options({ choice: 'webgpu' })), RuntimeError);
    expect(e.code).toBe('no-backend');
    expect(e.message).toMatch(/no navigator\.gpu.*Choose "auto" or another backend than "webgpu"/);
  });

  it('falls back to WASM when WebGPU session creation fails', async () => {
    const failing: EngineLoader = async (b) => {
      if (b === 'webgpu') throw new Error('adapter went away');
      return wasm(b);
    };
    const d = await Denoiser.create(
      options({ choice: 'auto', caps: withGpu, loadEngine: failing }),
    );
    expect(d.backend.backend).toBe('wasm');
    expect(d.backend.fallbackReason).toMatch(
      /WebGPU session creation failed \(adapter went away\)/,
    );
    await d.release();
  });

  it('a WebGPU failure mid-run retries the same call on WASM with one notice', async () => {
    const gpu = await Denoiser.create(
      options({ choice: 'auto', caps: withGpu, loadEngine: loseWebGpuAtCall(standInGpu, 2) }),
    );
    const cpu = await Denoiser.create(options());
    expect(gpu.backend.backend).toBe('webgpu');
    const notices: string[] = [];
    const denoise = gpu.denoiseFor({ onNotice: (n) => notices.push(n) });
    const { x, labels } = input(3);
    await denoise(x, 900, labels, 3);
    const after = await denoise(x, 400, labels, 3);
    await denoise(x, 300, labels, 3);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /WebGPU stopped working \(injected WebGPU device loss.*continuing on the CPU/,
    );
    expect(gpu.backend).toMatchObject({
      backend: 'wasm',
      fallbackReason: expect.stringMatching(/WebGPU failed during generation/),
    });
    expect(after).toEqual(await cpu.denoiseFor({})(x, 400, labels, 3));
    await gpu.release();
    await cpu.release();
  });

  it('a run that fails on WASM is an error, not a silent retry', async () => {
    const d = await Denoiser.create(options());
    const e = await rejection(
      d.denoiseFor({})(new Float32Array(SIZE), 10, new Int32Array([99]), 1),
      RuntimeError,
    );
    expect(e.code).toBe('run-failed');
    expect(e.message).toMatch(/The model failed to run on onnxruntime-web/);
    await d.release();
  });
});

describe('model I/O is checked against the manifest before the first step', () => {
  const variant = (change: (m: ModelManifest) => void): ModelManifest => {
    const m = structuredClone(manifest);
    change(m);
    return m;
  };

  it.each<[string, (m: ModelManifest) => void, RegExp]>([
    [
      'a wrong input name',
      (m) => (m.io.sample = 'image'),
      /io\.sample names input "image", but the model's inputs are "x", "t", "y"/,
    ],
    [
      'a wrong output name',
      (m) => (m.io.output = 'noise'),
      /io\.output names output "noise", but the model's outputs are "eps"/,
    ],
    [
      'a wrong channel count',
      (m) => (m.image.channels = 3),
      /tensor "x" has channels 1, but image\.channels is 3/,
    ],
    [
      'a wrong height',
      (m) => (m.image.height = 32),
      /tensor "x" has height 28, but image\.height is 32/,
    ],
    [
      'a wrong timestep type',
      (m) => (m.io.timestepType = 'float32'),
      /tensor "t" has element type int64, expected float32/,
    ],
    [
      'an unmapped input',
      (m) => (m.conditioning = { kind: 'none' }),
      /the model also needs input "y", which model\.json does not map/,
    ],
  ])('%s is an io-mismatch error', async (_what, change, message) => {
    const e = await rejection(
      Denoiser.create(options({ manifest: variant(change) })),
      RuntimeError,
    );
    expect(e.code).toBe('io-mismatch');
    expect(e.message).toMatch(message);
    expect(e.message).toMatch(/Fix "io"\/"image" in model\.json or export the model again/);
  });

  it('a WASM runtime whose build does not load is engine-failed, not the model', async () => {
    const broken: EngineLoader = async () => {
      throw new Error('Failed to fetch dynamically imported module');
    };
    const e = await rejection(Denoiser.create(options({ loadEngine: broken })), RuntimeError);
    expect(e.code).toBe('engine-failed');
    expect(e.message).toMatch(/^onnxruntime's WASM runtime could not start here \(Failed to fetch dynamically imported module\)\. This is not the model/);
  });

  it('a truncated .onnx is an onnx-invalid error', async () => {
    const e = await rejection(
      Denoiser.create(options({ onnx: onnx.slice(0, onnx.length >> 1) })),
      RuntimeError,
    );
    expect(e.code).toBe('onnx-invalid');
    expect(e.message).toMatch(/onnxruntime could not load model\.onnx .*export it again/);
  });
});

describe('shortReason', () => {
  it("keeps the last 'message:' part of an onnxruntime error, on one line", () => {
    const ort = new Error(
      "failed to call OrtRun(). ERROR_CODE: 1, ERROR_MESSAGE: /build/buffer_manager.cc:643 Download failed. wgpu::MapAsyncStatus value: 4, message: Failed to execute 'mapAsync' on 'GPUBuffer': The Device was lost before mapping was resolved.\n",
    );
    expect(shortReason(ort)).toBe(
      "Failed to execute 'mapAsync' on 'GPUBuffer': The Device was lost before mapping was resolved.",
    );
    expect(shortReason('x'.repeat(300))).toHaveLength(160);
    expect(shortReason(new Error('plain'))).toBe('plain');
  });
});
