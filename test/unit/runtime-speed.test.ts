/**
 * The speed behind Generate's estimate on a software renderer: measure()
 * times the loaded model without a run, a generation replaces that with its
 * own figure, and the report says when WebGPU runs on a software adapter.
 * The CPU warm-up after a load gives way to a generation or a load.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { Generator } from '../../src/runtime/generator.ts';
import type { PackageSource } from '../../src/runtime/model-package.ts';
import { loadSamplingKernels } from '../../src/runtime/sampling.ts';
import { cpuOnly, standInGpu, wasm, withGpu } from '../support/node-engines.ts';

const DIR = 'public/models/fashion-28';
const source: PackageSource = {
  kind: 'files',
  manifestText: readFileSync(`${DIR}/model.json`, 'utf8'),
  onnx: new Uint8Array(readFileSync(`${DIR}/model.onnx`)),
};

const cpu = new Generator({
  capabilities: async () => cpuOnly,
  engines: () => wasm,
  kernels: loadSamplingKernels,
});
await cpu.loadModel(source, 'wasm');
afterAll(() => cpu.release());

const request = { seed: 1, count: 2, steps: 2, sampler: 'ddim' as const, guidance: 3, labels: [1] };

describe('Generator speed', () => {
  it('measure() times a call after loading, and a run replaces it with its own figure', async () => {
    const trial = await cpu.measure();
    expect(trial?.basis).toBe('trial');
    expect(trial!.msPerImage).toBeGreaterThan(0);
    // Measured once: asking again makes no call and answers the same.
    expect(await cpu.measure()).toEqual(trial);

    const result = await cpu.generate(request, () => undefined);
    expect(result.speed?.basis).toBe('run');
    expect(result.speed!.msPerImage).toBeGreaterThan(0);
    expect(await cpu.measure()).toEqual(result.speed);
  });

  it('a run that makes no network call (strength 0) has no speed', async () => {
    const image = new Float32Array(28 * 28);
    const result = await cpu.generate(
      { ...request, count: 1, init: { image, strength: 0 } },
      () => undefined,
    );
    expect(result.speed).toBeUndefined();
  });

  it('a new model is measured afresh', async () => {
    const g = new Generator({
      capabilities: async () => ({ ...withGpu, webgpuSoftware: 'software adapter' }),
      engines: () => standInGpu,
      kernels: loadSamplingKernels,
    });
    try {
      const loaded = await g.loadModel(source, 'webgpu');
      expect(loaded.backend).toMatchObject({ backend: 'webgpu', software: true });
      const first = await g.measure();
      await g.loadModel(source, 'webgpu');
      const again = await g.measure();
      expect(again?.basis).toBe('trial');
      expect(again).not.toBe(first);
    } finally {
      await g.release();
    }
  });
});

describe('Warm-up after a load', () => {
  /** Long enough for the warm-up to have made calls (each a few ms) even on a loaded machine. */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('runs batch-1 calls on the CPU path for the time given', async () => {
    expect(await cpu.warmUp(150)).toBeGreaterThan(0);
  });

  it('a generation stops it after the call in flight instead of waiting for its end', async () => {
    let ended = false;
    // Far longer than the test's time limit: only the stop lets this test end.
    const warming = cpu.warmUp(600_000).then((calls) => {
      ended = true;
      return calls;
    });
    await settle();
    const result = await cpu.generate({ ...request, count: 1 }, () => undefined);
    expect(ended).toBe(true);
    expect(await warming).toBeGreaterThan(0);
    expect(result.images).toHaveLength(28 * 28 * 4);
  });

  it('loading a model stops it too', async () => {
    const warming = cpu.warmUp(600_000);
    await settle();
    await cpu.loadModel(source, 'wasm');
    expect(await warming).toBeGreaterThan(0);
  });

  it('is skipped on WebGPU', async () => {
    const g = new Generator({
      capabilities: async () => withGpu,
      engines: () => standInGpu,
      kernels: loadSamplingKernels,
    });
    try {
      await g.loadModel(source, 'webgpu');
      expect(await g.warmUp(150)).toBe(0);
    } finally {
      await g.release();
    }
  });
});
