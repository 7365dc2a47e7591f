/**
 * The generator worker in headless Chromium, driven through the harness page
 * (test/browser/harness) exactly as the app drives it: WASM where WebGPU has
 * no adapter, WebGPU on SwiftShader with --enable-unsafe-webgpu, the two
 * compared, and the WebGPU device lost mid-run (GPUDevice.destroy()).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, HarnessRun } from './harness/main.ts';
import { launchBrowser, serveDir, type LaunchedBrowser, type Served } from './helpers.ts';
import type { GenerationRequest } from '../../workers/protocol.ts';
import { wasmThreads } from '../../src/runtime/backends.ts';
import { Generator } from '../../src/runtime/generator.ts';
import { nodeEngineLoader } from '../../src/runtime/ort-node.ts';
import { loadSamplingKernels } from '../../src/runtime/sampling.ts';

const HARNESS = resolve(import.meta.dirname, 'harness');
const OUT = resolve(import.meta.dirname, '../../test-results/runtime-harness');
/** Largest allowed 8-bit pixel difference WebGPU vs WASM; measured 0–1 on SwiftShader. */
const GPU_TOLERANCE = 4;

let served: Served;

beforeAll(async () => {
  await build({ configFile: resolve(HARNESS, 'vite.config.ts'), logLevel: 'warn' });
  served = await serveDir(OUT);
});

afterAll(async () => {
  await served?.close();
});

async function openHarness(browser: LaunchedBrowser): Promise<void> {
  await browser.page.goto(served.url);
  await browser.page.waitForSelector('body[data-ready="true"]', { state: 'attached' });
}

function call<T>(
  browser: LaunchedBrowser,
  fn: (h: Harness, arg: unknown) => Promise<T> | T,
  arg?: unknown,
): Promise<T> {
  return browser.page.evaluate(
    ([source, a]) => {
      const h = (window as unknown as { harness: Harness }).harness;
      return (
        new Function('h', 'a', `return (${source})(h, a);`) as (
          h: Harness,
          a: unknown,
        ) => Promise<T>
      )(h, a);
    },
    [fn.toString(), arg] as const,
  );
}

const generate = (b: LaunchedBrowser, request: GenerationRequest) =>
  call(b, (h, r) => h.generate(r as GenerationRequest), request);

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}

function foreign(requests: string[]): string[] {
  return requests.filter(
    (u) => !u.startsWith(served.url) && !u.startsWith('data:') && !u.startsWith('blob:'),
  );
}

/** The same request on the CLI's default engine (onnxruntime-web's WASM build in Node). */
async function inNode(request: GenerationRequest): Promise<number[]> {
  const caps = { simd: true, crossOriginIsolated: false, cores: 1, webgpuUnavailable: 'Node' };
  const g = new Generator({
    capabilities: async () => caps,
    engines: () => nodeEngineLoader('web', 1),
    kernels: loadSamplingKernels,
  });
  const dir = resolve(import.meta.dirname, '../../public/models/fashion-28');
  await g.loadModel(
    {
      kind: 'files',
      manifestText: readFileSync(`${dir}/model.json`, 'utf8'),
      onnx: readFileSync(`${dir}/model.onnx`),
    },
    'wasm',
  );
  const result = await g.generate(request, () => undefined);
  await g.release();
  return Array.from(result.images);
}

const request: GenerationRequest = {
  seed: 7,
  count: 2,
  steps: 4,
  sampler: 'dpmpp-2m',
  guidance: 3,
  labels: [7],
  previewEvery: 2,
};

describe('generator worker on WASM (Chromium without a WebGPU adapter)', () => {
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: false });
    await openHarness(browser);
  });
  afterAll(async () => browser?.close());

  it('"auto" falls back to WASM, multi-threading only when isolated, and says why', async () => {
    expect(await call(browser, (h) => h.isolated)).toBe(true);
    const info = await call(browser, (h) => h.load('auto'));
    expect(info.manifest.id).toBe('fashion-28');
    const cores = await browser.page.evaluate(() => navigator.hardwareConcurrency);
    const { threads } = wasmThreads({ simd: true, crossOriginIsolated: true, cores });
    expect(info.backend).toMatchObject({ backend: 'wasm', simd: true, threads });
    expect(info.backend.fallbackReason).toMatch(/no WebGPU adapter|this browser has no WebGPU/);
    expect(info.backend.engine).toMatch(/onnxruntime-web .*WASM/);
  });

  let first: HarnessRun;
  it('generates with progress every step and previews every previewEvery steps; a rerun is bit-identical', async () => {
    first = await generate(browser, request);
    expect(first.steps).toEqual([1, 2, 3, 4]);
    expect(first.previewSteps).toEqual([1, 2, 4]);
    expect(first.notices).toEqual([]);
    expect(first.images.length).toBe(2 * 28 * 28 * 4);
    expect(new Set(first.images).size).toBeGreaterThan(10);
    const again = await generate(browser, request);
    expect(again.images).toEqual(first.images);
  });

  it('image k of a batch is the image of (seed, index k) made alone', async () => {
    const solo = await generate(browser, { ...request, count: 1, firstIndex: 1 });
    expect(solo.images).toEqual(first.images.slice(28 * 28 * 4));
  });

  it('matches the Node CLI engine (onnxruntime-web WASM in Node) bit for bit', async () => {
    expect(await inNode(request)).toEqual(first.images);
  });

  it('cancel stops within a step with an AbortError, and the next generation works', async () => {
    const long = { ...request, steps: 50, count: 1 };
    const r = await call(
      browser,
      (h, a) =>
        h.cancelThenGenerate(a as GenerationRequest, { ...(a as GenerationRequest), steps: 2 }),
      long,
    );
    expect(r.error).toMatch(/^AbortError: /);
    expect(r.stepsBeforeStop).toBeLessThanOrEqual(2);
    expect(r.next.steps).toEqual([1, 2]);
  });

  it('requested nothing outside its own origin', () => {
    expect(foreign(browser.requests)).toEqual([]);
  });
});

describe('generator worker on WebGPU (SwiftShader)', () => {
  let browser: LaunchedBrowser;
  // Few steps and a batch of 1 (2 with guidance): SwiftShader takes seconds per call.
  const small: GenerationRequest = {
    seed: 11,
    count: 1,
    steps: 3,
    sampler: 'ddim',
    guidance: 3,
    labels: [0],
  };
  let wasm: HarnessRun;

  beforeAll(async () => {
    browser = await launchBrowser({ webgpu: true });
    await openHarness(browser);
    await call(browser, (h) => h.load('wasm'));
    wasm = await generate(browser, small);
  });
  afterAll(async () => browser?.close());

  it('"auto" skips the software (SwiftShader) adapter for WASM and says why', async () => {
    const info = await call(browser, (h) => h.load('auto'));
    expect(info.backend.backend).toBe('wasm');
    expect(info.backend.fallbackReason).toMatch(
      /the WebGPU adapter is a software renderer \(swiftshader\), slower than the CPU path/,
    );
  });

  it('runs on WebGPU and matches the WASM image within the stated tolerance', async () => {
    const info = await call(browser, (h) => h.load('webgpu'));
    expect(info.backend.backend).toBe('webgpu');
    expect(info.backend.fallbackReason).toBeUndefined();
    const gpu = await generate(browser, small);
    expect(gpu.backend.backend).toBe('webgpu');
    const diff = maxAbsDiff(gpu.images, wasm.images);
    console.log(
      `WebGPU vs WASM: max abs pixel difference ${diff}/255, ms per step ${gpu.msPerStep.toFixed(0)} vs ${wasm.msPerStep.toFixed(0)}`,
    );
    expect(diff).toBeLessThanOrEqual(GPU_TOLERANCE);
  }, 300_000);

  it('losing the WebGPU device mid-run continues on WASM from the same step with one notice', async () => {
    // The function runs in the page: the request goes in as its argument, not by closure.
    const { loaded, run } = await call(
      browser,
      (h, req) => h.generateLosingGpu(req as GenerationRequest),
      small,
    );
    expect(loaded.backend.backend).toBe('webgpu');
    expect(run.steps).toEqual([1, 2, 3]);
    expect(run.notices).toHaveLength(1);
    expect(run.notices[0]).toMatch(
      /^WebGPU stopped working \(.*Device was lost.*\); continuing on the CPU \(WASM\)\. This run goes on from the same step\.$/,
    );
    expect(run.backend).toMatchObject({
      backend: 'wasm',
      fallbackReason: expect.stringMatching(/WebGPU failed during generation/),
    });
    expect(maxAbsDiff(run.images, wasm.images)).toBeLessThanOrEqual(GPU_TOLERANCE);
  }, 300_000);

  it('requested nothing outside its own origin', () => {
    expect(foreign(browser.requests)).toEqual([]);
  });
});
