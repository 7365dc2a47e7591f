/**
 * The Diffusion explorer: at t = T the histogram of x_t matches N(0, 1)
 * (closed form and Markov chain), at t = 0 it is the data's; the schedule
 * plot is drawn; "denoise from here" runs img2img and fills the filmstrip.
 * On emoji-32 the same in colour: held-out emoji among the samples, R, G and
 * B pooled in the histogram, a larger picture from the device cropped and
 * scaled to 3×32×32, and denoised in colour.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { encodePng } from '../../src/cli/images.ts';
import { labelGroups } from '../../src/core/conditioning.ts';
import { rgbaToCHW } from '../../src/media/rgba.ts';
import { tileGrid } from '../../src/media/tile.ts';
import { isColour, meanAbsDiff, swapRedBlue } from '../support/colour.ts';
import {
  canvasPixels,
  foreignRequests,
  pickEmojiRun,
  screenshot,
  smallRun,
  useApp,
} from './app-helpers.ts';
import { shippedManifest } from '../support/shipped.ts';

async function statsAt(page: Page, t: number): Promise<{ mean: number; std: number }> {
  await page.getByTestId('t-slider').fill(String(t));
  await page.waitForSelector(`[data-testid="hist-stats"][data-t="${t}"]`, { state: 'attached' });
  return page.evaluate(() => {
    const el = document.querySelector<HTMLElement>('[data-testid="hist-stats"]');
    return { mean: Number(el?.dataset.mean), std: Number(el?.dataset.std) };
  });
}

/** How many pixels of a canvas differ from its top-left pixel: 0 for an empty plot. */
async function inkOf(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const c = document.querySelector<HTMLCanvasElement>(sel);
    const d = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data;
    if (!d) return 0;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] !== 0) n++;
    return n;
  }, selector);
}

describe('Diffusion explorer', () => {
  const app = useApp({ webgpu: false });

  it('shows the forward process reaching N(0, 1) and denoises from t', async () => {
    const page = await app.open();
    await smallRun(page, 6, 1);
    await page.getByTestId('tab-explore').click();
    await page.getByRole('radio', { name: 'Trouser' }).click();
    expect(await page.getByRole('radio', { name: 'Trouser' }).getAttribute('aria-checked')).toBe(
      'true',
    );

    const T = Number(await page.getByTestId('t-slider').getAttribute('max'));
    expect(T).toBe(1000);

    // t = 0: the data itself, mostly black background (−1), far from N(0, 1).
    const data = await statsAt(page, 0);
    expect(data.mean).toBeLessThan(-0.3);

    // t = T, closed form: x_T ~ N(0, I). 784 pixels: standard error of the mean ≈ 0.036.
    const closed = await statsAt(page, T);
    expect(Math.abs(closed.mean)).toBeLessThan(0.15);
    expect(Math.abs(closed.std - 1)).toBeLessThan(0.1);
    expect(await page.getByTestId('t-readout').textContent()).toMatch(
      /t = 1000 of 1000 · ᾱt = 4\.\d+e-5/,
    );
    // Math, not TeX: the subscript is a <sub>, and no underscore is shown.
    expect(await page.getByTestId('t-readout').locator('sub').first().textContent()).toBe('t');
    expect(await page.locator('#panel-explore').innerText()).not.toMatch(/_/);

    // The same through the step-by-step Markov chain.
    await page.getByTestId('t-slider').fill('999');
    await page.getByLabel(/Markov chain/).check();
    const markov = await statsAt(page, T);
    expect(Math.abs(markov.mean)).toBeLessThan(0.15);
    expect(Math.abs(markov.std - 1)).toBeLessThan(0.1);
    await page.getByLabel(/Markov chain/).uncheck();

    expect(await inkOf(page, 'canvas[aria-label^="ᾱ t and the signal"]')).toBeGreaterThan(500);
    expect(await inkOf(page, 'canvas[aria-label^="Histogram"]')).toBeGreaterThan(500);

    // Denoise from the middle of the chain.
    await statsAt(page, 500);
    await page.getByTestId('denoise').click();
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="denoise-status"]')
          ?.textContent?.startsWith('Denoised from t = 500'),
      undefined,
      {
        timeout: 240_000,
      },
    );
    expect(Number(await page.getByTestId('filmstrip').getAttribute('data-frames'))).toBeGreaterThan(
      1,
    );
    expect(await inkOf(page, '[data-testid="denoised"]')).toBeGreaterThan(0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('t-slider').fill('350');
    await page.waitForSelector('[data-testid="hist-stats"][data-t="350"]', { state: 'attached' });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'explore', { top: true });
    await page.getByRole('heading', { name: 'Reverse process' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'explore-reverse');

    // A picture whose header claims 20000×20000 is refused before it is decoded, and says why.
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(20000, 0);
    ihdr.writeUInt32BE(20000, 4);
    ihdr[8] = 8;
    const huge = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
      Buffer.from('IHDR', 'latin1'),
      ihdr,
      Buffer.alloc(4),
    ]);
    await page
      .getByLabel('Image from this device')
      .setInputFiles({ name: 'huge.png', mimeType: 'image/png', buffer: huge });
    await expect
      .poll(() => page.getByTestId('denoise-status').textContent())
      .toMatch(/^huge\.png is 20000×20000 .* Scale it down first\.$/);

    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 600_000);

  it('on emoji-32: held-out emoji, R, G and B pooled, a device picture scaled to 3×32×32 and denoised in colour', async () => {
    const page = app.browser.page;
    const manifest = shippedManifest('emoji-32');
    await pickEmojiRun(page, 'emoji-32', 3, 1);
    await page.getByTestId('tab-explore').click();
    // One held-out emoji per category among the samples.
    const radios = page.getByRole('radiogroup', { name: 'Sample image' }).getByRole('radio');
    const names = await Promise.all((await radios.all()).map((r) => r.getAttribute('aria-label')));
    const categories = labelGroups(manifest.conditioning)[0]!.titles;
    expect(categories).toHaveLength(8);
    expect(names).toEqual(expect.arrayContaining(categories));
    await page.getByRole('radio', { name: 'Animals & Nature' }).click();

    // The sample as the model sees it, 3×32×32; its red plane's mean is not the pooled one, so one channel alone would show.
    const held = (i: number) => PNG.sync.read(readFileSync(`public/samples/emoji-${i}.png`)).data;
    const sample = held(2);
    const x = rgbaToCHW(sample, 32, 32, 3);
    const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(Math.abs(mean(x.subarray(0, 1024)) - mean(x))).toBeGreaterThan(0.02);
    await statsAt(page, 0);
    await expect
      .poll(async () => Number(await page.getByTestId('hist-stats').getAttribute('data-mean')))
      .toBeCloseTo(mean(x), 4);
    const x0 = async () => (await canvasPixels(page, '[aria-label="x₀, the chosen image"]'))[0]!;
    expect(await x0()).toEqual(Array.from(sample));
    // 3072 values at t = T: the mean's standard error is about 0.018.
    const noised = await statsAt(page, 1000);
    expect(Math.abs(noised.mean)).toBeLessThan(0.1);
    expect(Math.abs(noised.std - 1)).toBeLessThan(0.1);

    // A person's picture (another held-out emoji), 3× larger with transparent margins: centre-cropped and scaled back to its pixels.
    const picture = Array.from(held(7));
    const big = tileGrid(held(7), 1, 32, 32, 1, 3);
    const wide = new Uint8ClampedArray(128 * 96 * 4);
    for (let y = 0; y < 96; y++)
      wide.set(big.rgba.subarray(y * 96 * 4, (y + 1) * 96 * 4), (y * 128 + 16) * 4);
    const file = Buffer.from(encodePng({ rgba: wide, width: 128, height: 96 }));
    await page
      .getByLabel('Image from this device')
      .setInputFiles({ name: 'emoji.png', mimeType: 'image/png', buffer: file });
    await statsAt(page, 0);
    await expect.poll(x0).toEqual(picture);

    await statsAt(page, 300);
    await page.getByTestId('denoise').click();
    await page.waitForFunction(
      () =>
        document
          .querySelector('[data-testid="denoise-status"]')
          ?.textContent?.startsWith('Denoised from t = 300'),
      undefined,
      {
        timeout: 240_000,
      },
    );
    const [denoised] = await canvasPixels(page, '[data-testid="denoised"]');
    expect(isColour(denoised!)).toBe(true);
    // Near the picture it started from, channel by channel: nearer than to the same picture with R and B swapped.
    expect(meanAbsDiff(denoised!, picture)).toBeLessThan(
      0.6 * meanAbsDiff(denoised!, swapRedBlue(picture)),
    );
    expect(isColour((await canvasPixels(page, '[data-testid="filmstrip"] canvas')).at(-1)!)).toBe(
      true,
    );
  }, 300_000);
});
