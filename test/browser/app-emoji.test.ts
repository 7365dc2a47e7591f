/**
 * emoji-32, the colour model with two label groups, in the installed app:
 * it generates on WASM and on WebGPU (SwiftShader) with the same picture
 * within tolerance, again offline after a reload, and a copy imported as a
 * .zip (the several-group manifest) generates too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { isColour } from '../support/colour.ts';
import {
  canvasPixels,
  DIST,
  foreignRequests,
  generate,
  openInstalled,
  pickEmojiRun,
  screenshot,
  useApp,
} from './app-helpers.ts';

/** WebGPU and WASM differ in float rounding; per channel, out of 255. */
const GPU_TOLERANCE = 4;

/** The first result's RGBA pixels. */
async function useBackend(page: Page, backend: 'wasm' | 'webgpu'): Promise<void> {
  await page.getByTestId('tab-models').click();
  await page.getByLabel('Compute backend').selectOption(backend);
}

describe('emoji-32 in the app', () => {
  const app = useApp({ webgpu: true });

  it('generates in colour on WASM and on WebGPU alike, and again offline', async () => {
    const { page, context } = app.browser;
    await openInstalled(page, app.server.url);

    await useBackend(page, 'wasm');
    await pickEmojiRun(page, 'emoji-32');
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    await expect
      .poll(() => page.getByTestId('backend-status').textContent())
      .toMatch(/Backend: WASM/);
    const wasm = (await canvasPixels(page, '.cell canvas'))[0] ?? [];
    expect(isColour(wasm)).toBe(true);
    await screenshot(page, 'emoji-wasm', { top: true });

    await useBackend(page, 'webgpu');
    await page.getByTestId('tab-generate').click();
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    await expect
      .poll(() => page.getByTestId('backend-status').textContent())
      .toMatch(/Backend: WebGPU/);
    const gpu = (await canvasPixels(page, '.cell canvas'))[0] ?? [];
    expect(gpu.length).toBe(wasm.length);
    const diff = gpu.reduce((m, v, i) => Math.max(m, Math.abs(v - wasm[i]!)), 0);
    console.log(`emoji-32 WebGPU vs WASM: max abs pixel difference ${diff}/255`);
    expect(diff).toBeLessThanOrEqual(GPU_TOLERANCE);

    await useBackend(page, 'wasm');
    await context.setOffline(true);
    await app.server.close();
    await page.reload();
    await page.waitForSelector('[data-testid="backend-status"][data-backend="wasm"]', {
      timeout: 120_000,
    });
    await pickEmojiRun(page, 'emoji-32');
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    expect((await canvasPixels(page, '.cell canvas'))[0] ?? []).toEqual(wasm);
    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 600_000);
});

describe('emoji-32 imported as a .zip', () => {
  const app = useApp({ webgpu: false });

  it('the two-group manifest imports and generates', async () => {
    const page = await app.open();
    const manifest = JSON.parse(
      readFileSync(join(DIST, 'models/emoji-32/model.json'), 'utf8'),
    ) as Record<string, unknown>;
    const zip = zipSync({
      'emoji-copy/model.json': new TextEncoder().encode(
        JSON.stringify({ ...manifest, id: 'emoji-copy', name: 'Emoji copy' }),
      ),
      'emoji-copy/model.onnx': new Uint8Array(
        readFileSync(join(DIST, 'models/emoji-32/model.onnx')),
      ),
    });
    await page.getByTestId('tab-models').click();
    await page
      .getByTestId('import-input')
      .setInputFiles([
        { name: 'emoji-copy.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) },
      ]);
    await expect
      .poll(() => page.getByTestId('import-status').textContent(), { timeout: 120_000 })
      .toMatch(/^Imported “Emoji copy”/);
    await pickEmojiRun(page, 'emoji-copy');
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    expect(isColour((await canvasPixels(page, '.cell canvas'))[0] ?? [])).toBe(true);
  }, 600_000);
});
