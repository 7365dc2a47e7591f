import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { RuntimeError } from '../../src/runtime/errors.ts';
import type { GenerationProgress, GenerationRequest } from '../../src/runtime/generation.ts';
import { Generator } from '../../src/runtime/generator.ts';
import type { PackageSource } from '../../src/runtime/model-package.ts';
import type { EngineLoader } from '../../src/runtime/ort.ts';
import { loseWebGpuAtCall } from '../support/lose-webgpu.ts';
import { cpuOnly, standInGpu, wasm } from '../support/node-engines.ts';
import { rejection } from '../support/rejection.ts';
import { loadSamplingKernels, MAX_FRAMES } from '../../src/runtime/sampling.ts';

const DIR = 'public/models/fashion-28';
const source: PackageSource = {
  kind: 'files',
  manifestText: readFileSync(`${DIR}/model.json`, 'utf8'),
  onnx: new Uint8Array(readFileSync(`${DIR}/model.onnx`)),
};
const PIXELS = 28 * 28;

function generator(caps = cpuOnly, engines: EngineLoader = wasm): Generator {
  return new Generator({
    capabilities: async () => caps,
    engines: () => engines,
    kernels: loadSamplingKernels,
  });
}

const base: GenerationRequest = {
  seed: 42,
  count: 3,
  steps: 6,
  sampler: 'dpmpp-2m',
  guidance: 3,
  labels: [7],
};

const cpu = generator();
await cpu.loadModel(source, 'wasm');
afterAll(() => cpu.release());

async function run(g: Generator, request: GenerationRequest) {
  const progress: GenerationProgress[] = [];
  const result = await g.generate(request, (p) => progress.push(p));
  return { result, progress };
}

/** RGBA8 gray image k → C×H×W floats in [-1, 1]. */
function toFloats(rgba: Uint8ClampedArray, k: number): Float32Array {
  return Float32Array.from(
    { length: PIXELS },
    (_, p) => (rgba[(k * PIXELS + p) * 4]! / 255) * 2 - 1,
  );
}

function meanAbs(a: Float32Array, b: Float32Array): number {
  return a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
}

describe('Generator on WASM (Node)', () => {
  let first: Uint8ClampedArray;

  it('generates with progress every step, previews, and a bit-identical rerun', async () => {
    const a = await run(cpu, { ...base, previewEvery: 2 });
    first = a.result.images;
    expect(a.result).toMatchObject({
      width: 28,
      height: 28,
      count: 3,
      backend: { backend: 'wasm', threads: 1 },
    });
    expect(a.result.images.length).toBe(3 * PIXELS * 4);
    expect(a.progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(a.progress.filter((p) => p.previews).map((p) => p.step)).toEqual([1, 2, 4, 6]);
    expect(a.progress[5]!.previews).toEqual(a.result.images);
    expect(a.progress.every((p) => p.msPerStep > 0 && p.notice === undefined)).toBe(true);
    const b = await run(cpu, base);
    expect(b.result.images).toEqual(first);
  });

  it('image k of a batch equals (seed, index k) generated alone, bit for bit', async () => {
    for (const k of [0, 2]) {
      const solo = await run(cpu, { ...base, count: 1, firstIndex: k });
      expect(solo.result.images).toEqual(first.slice(k * PIXELS * 4, (k + 1) * PIXELS * 4));
    }
  });

  it('another label and another seed give different pictures', async () => {
    const other = await run(cpu, { ...base, seed: 43 });
    expect(other.result.images).not.toEqual(first);
    const relabelled = await run(cpu, { ...base, labels: [1] });
    expect(relabelled.result.images).not.toEqual(first);
  });

  it('keeps the reverse process x_t as RGBA frames when asked, ending at the image', async () => {
    const r = await run(cpu, { ...base, count: 2, keepFrames: true, previewEvery: 3 });
    expect(r.result.frames).toHaveLength(6);
    expect(r.result.frames!.every((f) => f.length === 2 * PIXELS * 4)).toBe(true);
    expect(r.result.frames![5]).toEqual(r.result.images);
    expect(r.progress.filter((p) => p.previews).map((p) => p.step)).toEqual([1, 3, 6]);
    // The frames approach the final image: the first is further from it than a late one.
    const distance = (a: Uint8ClampedArray, b: Uint8ClampedArray) =>
      a.reduce((s, v, i) => s + Math.abs(v - b[i]!), 0) / a.length;
    expect(distance(r.result.frames![0]!, r.result.images)).toBeGreaterThan(
      distance(r.result.frames![4]!, r.result.images),
    );
  });

  it('bounds the kept frames of a long run', async () => {
    const r = await run(cpu, { ...base, count: 1, steps: 100, sampler: 'ddim', keepFrames: true });
    expect(r.result.frames!.length).toBeLessThanOrEqual(MAX_FRAMES + 1);
    expect(r.result.frames!.at(-1)).toEqual(r.result.images);
  });

  it('cancel stops before the next step with an AbortError; the next generation is unaffected', async () => {
    const steps: number[] = [];
    const e = await rejection(
      cpu.generate({ ...base, steps: 30 }, (p) => {
        steps.push(p.step);
        if (p.step === 1) cpu.cancel();
      }),
    );
    expect(e.name).toBe('AbortError');
    expect(steps).toEqual([1]);
    expect((await run(cpu, base)).result.images).toEqual(first);
  });

  it('refuses a second generation while one runs', async () => {
    const running = run(cpu, base);
    const e = await rejection(run(cpu, base), RuntimeError);
    expect(e.code).toBe('busy');
    await running;
  });

  it('img2img: the further from the init image, the higher the strength; same request, same bits', async () => {
    const init = toFloats(first, 0);
    const img2img = (strength: number) =>
      run(cpu, { ...base, seed: 5, count: 1, steps: 10, init: { image: init, strength } });
    const runs = [await img2img(0.2), await img2img(0.6), await img2img(1)];
    const [low, mid, full] = runs.map((r) => meanAbs(toFloats(r.result.images, 0), init)) as [
      number,
      number,
      number,
    ];
    expect(runs.map((r) => r.progress[0]!.of)).toEqual([2, 6, 10]);
    expect(low).toBeLessThan(mid);
    expect(mid).toBeLessThan(full);
    expect(low).toBeLessThan(0.5 * full);
    expect((await img2img(0.2)).result.images).toEqual(runs[0]!.result.images);
  });

  it.each<[string, Partial<GenerationRequest>, RegExp]>([
    [
      'an unknown class',
      { labels: [12] },
      /labels\[0\]: got 12; expected null \(any class\) or one of 0 \(t-shirt-top\), 1 \(trouser\).*9 \(ankle-boot\)/,
    ],
    [
      'labels for groups the model does not have',
      { labels: [1, 2] },
      /labels: got \[1,2\]; expected 1 entries, one per label group \(class\)/,
    ],
    [
      'an unknown sampler',
      { sampler: 'heun' as 'ddim' },
      /sampler: got "heun"; expected one of dpmpp-2m, ddim, ddpm, ddpm-beta, euler-a/,
    ],
    ['zero steps', { steps: 0 }, /steps: got 0; expected an integer in 1\.\.1000/],
    [
      'more images than the spec allows',
      { count: 65 },
      /count: got 65; expected an integer in 1\.\.64/,
    ],
    ['a negative guidance', { guidance: -1 }, /guidance: got -1; expected a number in \[0, 10\]/],
    [
      'a wrong-sized init image',
      { init: { image: new Float32Array(10), strength: 0.5 } },
      /init\.image: got 10 values; expected a Float32Array of 784 values/,
    ],
    [
      'a strength above 1',
      { init: { image: new Float32Array(PIXELS), strength: 1.5 } },
      /init\.strength: got 1\.5; expected a number in \[0, 1\]/,
    ],
    [
      'a wrong-sized noise',
      { noise: new Float32Array(5) },
      /noise: got 5 values; expected a Float32Array of count×784 = 2352 values/,
    ],
  ])('%s is a bad-request error naming the field', async (_what, change, message) => {
    const e = await rejection(run(cpu, { ...base, ...change }), RuntimeError);
    expect(e.code).toBe('bad-request');
    expect(e.message).toMatch(message);
  });

  it('an import check runs the model once: labels past its label input are refused, with what to fix', async () => {
    const manifest = JSON.parse(source.manifestText) as { conditioning: Record<string, unknown> };
    const withNull = (nullLabel: number): PackageSource => ({
      ...source,
      manifestText: JSON.stringify({
        ...manifest,
        conditioning: { ...manifest.conditioning, nullLabel },
      }),
    });
    await expect(cpu.checkPackage(withNull(10))).resolves.toMatchObject({
      manifest: { id: 'fashion-28' },
    });
    const e = await rejection(cpu.checkPackage(withNull(11)), RuntimeError);
    expect(e.code).toBe('io-mismatch');
    expect(e.message).toMatch(
      /^The model does not run with what model\.json says \(.+\)\. Check each label group's labels and nullLabel/,
    );
    // The loaded model is untouched.
    expect((await run(cpu, base)).result.images).toEqual(first);
  });

  it('generating before loading a model says to load one', async () => {
    const e = await rejection(run(generator(), base), RuntimeError);
    expect(e.code).toBe('no-model');
  });
});

describe('Generator: WebGPU failure mid-run (stand-in WebGPU engine)', () => {
  it('continues on WASM from the same step, with one notice, to the same image', async () => {
    const g = generator(
      { simd: true, crossOriginIsolated: false, cores: 2 },
      loseWebGpuAtCall(standInGpu, 3),
    );
    const loaded = await g.loadModel(source, 'auto');
    expect(loaded.backend.backend).toBe('webgpu');
    const r = await run(g, base);
    expect(r.progress.map((p) => p.step)).toEqual([1, 2, 3, 4, 5, 6]);
    const noticed = r.progress.filter((p) => p.notice);
    expect(noticed.map((p) => p.step)).toEqual([3]);
    expect(noticed[0]!.notice).toMatch(
      /WebGPU stopped working .*continuing on the CPU \(WASM\)\. This run goes on from the same step\./,
    );
    expect(noticed[0]!.backend).toMatchObject({ backend: 'wasm' });
    expect(r.result.backend).toMatchObject({
      backend: 'wasm',
      fallbackReason: expect.stringMatching(/WebGPU failed during generation/),
    });
    const reference = await run(cpu, base);
    expect(r.result.images).toEqual(reference.result.images);
    await g.release();
  });
});
