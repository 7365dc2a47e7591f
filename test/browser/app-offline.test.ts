/**
 * First visit → generate on WebGPU (SwiftShader) → offline → reload → the app
 * loads from the service worker, is still cross-origin isolated, and
 * generates again. No request leaves the origin; the main thread's longest
 * task during generation is measured and reported.
 */
import { describe, expect, it } from 'vitest';
import {
  foreignRequests,
  generate,
  longestTaskSince,
  openInstalled,
  screenshot,
  smallRun,
  useApp,
} from './app-helpers.ts';

describe('installed app on WebGPU, then offline', () => {
  const app = useApp({ webgpu: true });

  it('generates on WebGPU, then again after going offline and reloading', async () => {
    const { page, context } = app.browser;
    await openInstalled(page, app.server.url);
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    await screenshot(page, 'generate-empty');
    // This machine's adapter is SwiftShader, which "auto" passes over; ask for WebGPU.
    await page.getByTestId('tab-models').click();
    await page.getByLabel('Compute backend').selectOption('webgpu');

    await smallRun(page, 2, 1);
    const t0 = await page.evaluate(() => performance.now());
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    const longest = await longestTaskSince(page, t0);
    console.log(`longest main-thread task during a WebGPU generation: ${longest.toFixed(0)} ms (0 = none over 50 ms)`);
    await expect.poll(() => page.getByTestId('backend-status').textContent()).toMatch(/Backend: WebGPU/);
    const cell = page.locator('.cell').first();
    expect(await cell.isEnabled()).toBe(true);
    // The result is a picture, not a blank: its pixels vary.
    const spread = await page.evaluate(() => {
      const c = document.querySelector<HTMLCanvasElement>('.cell canvas');
      const d = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
      if (!d) return 0;
      let lo = 255;
      let hi = 0;
      for (let i = 0; i < d.length; i += 4) {
        lo = Math.min(lo, d[i] ?? 0);
        hi = Math.max(hi, d[i] ?? 0);
      }
      return hi - lo;
    });
    expect(spread).toBeGreaterThan(40);

    // Using WebGPU cached onnxruntime's WebGPU build (it is not precached).
    const webgpuRuntime = await page.evaluate(async () =>
      (await (await caches.open('diffuse-webgpu-runtime')).keys()).map((r) => new URL(r.url).pathname),
    );
    expect(webgpuRuntime).toEqual([expect.stringMatching(/\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/)]);

    // Offline: the network is cut and the server is gone.
    await context.setOffline(true);
    await app.server.close();
    await page.reload();
    await page.waitForSelector('[data-testid="backend-status"][data-backend="webgpu"]', { timeout: 120_000 });
    expect(await page.evaluate(() => window.crossOriginIsolated)).toBe(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);

    await smallRun(page, 2, 1);
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    await screenshot(page, 'generate-offline-result', { top: true });

    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 600_000);
});
