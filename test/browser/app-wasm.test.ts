/**
 * A browser without WebGPU generates through the WASM fallback and says so;
 * threads are available because the service worker made the page
 * cross-origin isolated. Also covers vary, enlarging a result and the
 * reverse-process data behind the GIF.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  foreignRequests,
  generate,
  layoutShiftSince,
  longestTaskSince,
  screenshot,
  smallRun,
  useApp,
  waitForRunEnd,
} from './app-helpers.ts';

describe('WASM fallback on a device without WebGPU', () => {
  const app = useApp({ webgpu: false });

  it('generates on the CPU and the status line says WASM', async () => {
    const page = await app.open();
    await expect.poll(() => page.getByTestId('backend-status').getAttribute('data-backend')).toBe('wasm');
    expect(await page.getByTestId('backend-status').textContent()).toMatch(/Backend: WASM( SIMD)? × \d+ threads?/);

    await smallRun(page, 4, 4);
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Trouser' });
    await page.getByLabel('Seed', { exact: true }).fill('1234');
    await page.getByLabel('Seed', { exact: true }).press('Enter');
    const t0 = await page.evaluate(() => performance.now());
    expect(await generate(page)).toMatch(/^Done: 4 images/);
    // Results arrive into a grid laid out before the run: nothing moves.
    expect(await layoutShiftSince(page, t0)).toBe(0);
    console.log(`longest main-thread task during a WASM generation: ${(await longestTaskSince(page, t0)).toFixed(0)} ms (0 = none over 50 ms)`);
    expect(await page.getByTestId('backend-status').textContent()).toMatch(/ms\/step/);
    expect(await page.locator('.cell').count()).toBe(4);
    await screenshot(page, 'generate-result', { top: true });

    // Enlarge the first result.
    await page.locator('.cell').first().click();
    const dialog = page.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.getByRole('heading').textContent()).toContain('seed 1234');
    expect(await dialog.getByRole('button', { name: 'Download PNG' }).isVisible()).toBe(true);
    expect(await dialog.getByRole('button', { name: 'Reverse-process GIF' }).isVisible()).toBe(true);
    await screenshot(page, 'generate-enlarged');
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download PNG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.png$/);
    expect(readFileSync(await file.path()).subarray(1, 4).toString('latin1')).toBe('PNG');
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The reverse process of the whole batch as an animated GIF.
    const gifDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'GIF', exact: true }).click();
    const gif = await gifDownload;
    expect(gif.suggestedFilename()).toMatch(/reverse-process\.gif$/);
    const gifBytes = readFileSync(await gif.path());
    expect(gifBytes.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    // Animated: one graphic control extension (21 F9 04) per frame, so more than one.
    expect(gifBytes.toString('latin1').split('\x21\xf9\x04').length - 1).toBeGreaterThan(1);
    // A GIF that cannot be made says so on screen, and the run's status stays.
    await page.evaluate(() => {
      const w = window as unknown as { Worker: unknown; __Worker: unknown };
      w.__Worker = w.Worker;
      w.Worker = class {
        constructor() {
          throw new Error('workers are off');
        }
      };
    });
    await page.getByRole('button', { name: 'GIF', exact: true }).click();
    await expect.poll(() => page.getByTestId('generate-error').textContent()).toBe('Could not save the GIF: workers are off');
    expect(await page.getByTestId('progress-text').textContent()).toMatch(/^Done/);
    await page.evaluate(() => {
      const w = window as unknown as { Worker: unknown; __Worker: unknown };
      w.Worker = w.__Worker;
    });

    // New seed: same settings, a new seed.
    await page.getByRole('button', { name: 'New seed' }).click();
    await waitForRunEnd(page, /^Done/);
    expect(await page.getByLabel('Seed', { exact: true }).inputValue()).not.toBe('1234');

    // Interpolate: a row of images between two seeds' initial noise.
    const seedA = await page.getByLabel('Seed', { exact: true }).inputValue();
    await page.getByLabel('Interpolate to seed', { exact: true }).fill('777');
    await page.getByRole('button', { name: 'Interpolate', exact: true }).click();
    await waitForRunEnd(page, /^Done: 8 /);
    expect(await page.locator('.cell').count()).toBe(8);
    expect(await page.locator('.cell').first().getAttribute('aria-label')).toContain(`seed ${seedA} → 777 at 0.00`);
    await screenshot(page, 'generate-interpolation', { top: true });

    // Cancel stops a long run.
    await page.getByLabel('Steps', { exact: true }).fill('100');
    await page.getByTestId('generate').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="progress-text"]')?.textContent?.startsWith('Step'), undefined, {
      timeout: 120_000,
    });
    expect(await page.getByTestId('generate').textContent()).toBe('Cancel');
    await page.getByTestId('generate').click();
    await waitForRunEnd(page, /^Cancelled$/, 120_000);
    expect(await page.getByTestId('generate').textContent()).toBe('Generate');
    await page.getByLabel('Steps', { exact: true }).fill('4');

    // Settings persist across launches.
    await page.reload();
    await page.waitForSelector('[data-testid="backend-status"][data-backend]');
    expect(await page.getByLabel('Steps', { exact: true }).inputValue()).toBe('4');
    expect(await page.getByLabel('Images', { exact: true }).inputValue()).toBe('4');

    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 600_000);
});
