/**
 * onnxruntime's WebGPU build (the 27 MB asyncify .wasm) goes into the offline
 * cache right after the first visit on a device with a hardware WebGPU
 * adapter, and is never downloaded on a CPU-only device or one whose only
 * adapter is a software renderer (SwiftShader). Headless Chromium has no
 * hardware GPU, so the "hardware" case replaces navigator.gpu in the page
 * (only the page: the generator worker still sees no usable GPU) with an
 * adapter that reports itself as not a fallback.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openInstalled, useApp, type AppSession } from './app-helpers.ts';

const CACHE = 'diffuse-webgpu-runtime';
const isWebGpuBuild = (u: string) => /\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/.test(new URL(u).pathname);

function cachedUrls(page: Page): Promise<string[]> {
  return page.evaluate(async (name) => {
    if (!(await caches.has(name))) return [];
    return (await (await caches.open(name)).keys()).map((r) => r.url);
  }, CACHE);
}

/** Opens the installed app, then gives the page's GPU probe and any download time to happen. */
async function openAndSettle(app: AppSession): Promise<void> {
  const page = await app.open();
  await page.waitForTimeout(3000);
}

describe('WebGPU build prefetch on a device with a hardware GPU', () => {
  const app = useApp({ webgpu: false });

  it('caches the WebGPU build after the first visit, before any GPU run', async () => {
    const { page, context, requests } = app.browser;
    await context.addInitScript(() => {
      const adapter = {
        info: { isFallbackAdapter: false, vendor: 'test-hardware-gpu', architecture: 'test' },
        isFallbackAdapter: false,
        requestDevice: async () => ({ destroy: () => undefined }),
      };
      Object.defineProperty(Navigator.prototype, 'gpu', {
        configurable: true,
        get: () => ({ requestAdapter: async () => adapter }),
      });
    });
    await openInstalled(page, app.server.url);
    await expect.poll(() => cachedUrls(page), { timeout: 120_000, interval: 500 }).toHaveLength(1);
    const [cached] = await cachedUrls(page);
    expect(isWebGpuBuild(cached!)).toBe(true);
    expect(requests.filter(isWebGpuBuild).length).toBeGreaterThanOrEqual(1);
    // The generator itself stayed on the CPU: only the page was told about a GPU.
    expect(await page.getByTestId('backend-status').getAttribute('data-backend')).toBe('wasm');
  });
});

describe('no WebGPU build download without a hardware GPU', () => {
  const devices = [
    { device: 'CPU only (no WebGPU adapter)', webgpu: false },
    { device: 'software WebGPU adapter (SwiftShader)', webgpu: true },
  ];
  for (const { device, webgpu } of devices) {
    describe(device, () => {
      const app = useApp({ webgpu });
      it('never requests or caches the WebGPU build', async () => {
        await openAndSettle(app);
        expect(app.browser.requests.filter(isWebGpuBuild)).toEqual([]);
        expect(await cachedUrls(app.browser.page)).toEqual([]);
      });
    });
  }
});
