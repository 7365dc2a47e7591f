/**
 * emoji-32's colour through the app's own paths: two images, their PNG (with
 * its recipe) and the same file shared, Save all shared as files, the
 * reverse-process GIF, Vary this image, New seed and an interpolation (the Explorer's colour
 * is app-explorer.test.ts's). Headless Chromium has no Web Share, so a
 * stand-in navigator.share records the files the app hands it.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readRecipe } from '../../src/media/png-text.ts';
import {
  colourShare,
  isColour,
  meanAbsDiff,
  meanChroma,
  pngColourType,
} from '../support/colour.ts';
import { decodeGif, tiledRGB } from '../support/gif-decode.ts';
import { canvasPixels, generate, pickEmojiRun, useApp, waitForRunEnd } from './app-helpers.ts';
import { shippedManifest } from '../support/shipped.ts';

const manifest = shippedManifest('emoji-32');
const { width: W, height: H } = manifest.image;

interface SharedFile {
  name: string;
  type: string;
  bytes: number[];
}

/** A stand-in Web Share that takes files and keeps each call's files in window.__shared. */
async function recordShares(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __shared: SharedFile[][] };
    w.__shared = [];
    const files = async (d: ShareData) =>
      Promise.all(
        (d.files ?? []).map(async (f) => ({
          name: f.name,
          type: f.type,
          bytes: Array.from(new Uint8Array(await f.arrayBuffer())),
        })),
      );
    Object.defineProperty(navigator, 'canShare', {
      configurable: true,
      value: (d?: ShareData) => Boolean(d?.files?.length),
    });
    Object.defineProperty(navigator, 'share', {
      configurable: true,
      value: async (d: ShareData) => void w.__shared.push(await files(d)),
    });
  });
}

async function shares(page: Page, n: number): Promise<SharedFile[][]> {
  await page.waitForFunction(
    (k) => (window as unknown as { __shared: unknown[] }).__shared.length >= k,
    n,
  );
  return page.evaluate(() => (window as unknown as { __shared: SharedFile[][] }).__shared);
}

/** The PNG's pixels at 32×32 (every `scale`-th pixel of the app's enlarged PNG), and its recipe. */
function readPng(bytes: Uint8Array, scale: number) {
  const png = PNG.sync.read(Buffer.from(bytes));
  expect([png.width, png.height]).toEqual([W * scale, H * scale]);
  const small = Array.from({ length: W * H * 4 }, (_, i) => {
    const [p, c] = [Math.floor(i / 4), i % 4];
    const [y, x] = [Math.floor(p / W) * scale, (p % W) * scale];
    return png.data[(y * png.width + x) * 4 + c]!;
  });
  return { colourType: pngColourType(bytes), small, recipe: readRecipe(bytes) };
}

describe('emoji-32 in colour through the app', () => {
  const app = useApp({ webgpu: false });

  it('generates, exports, shares, animates, varies and interpolates in colour', async () => {
    await recordShares(app.browser.context);
    const page = await app.open();
    await pickEmojiRun(page, 'emoji-32', 3, 2);
    await page.getByLabel('Seed', { exact: true }).fill('1234');
    await page.getByLabel('Seed', { exact: true }).press('Enter');
    expect(await generate(page)).toMatch(/^Done: 2 images/);
    const first = await canvasPixels(page, '.cell canvas');
    expect(first).toHaveLength(2);
    expect(first.every((rgba) => isColour(rgba))).toBe(true);

    // The viewer's PNG: RGB(A), the image enlarged 8×, its recipe inside.
    await page.locator('.cell').first().click();
    const dialog = page.getByRole('dialog');
    const download = page.waitForEvent('download');
    await dialog.getByRole('button', { name: 'Download PNG' }).click();
    const file = await download;
    expect(file.suggestedFilename()).toBe('emoji-32-animals-noto-seed1234-0.png');
    const png = readPng(readFileSync(await file.path()), 8);
    expect([2, 6]).toContain(png.colourType);
    expect(png.small).toEqual(first[0]);
    expect(png.recipe).toMatchObject({
      model: { id: 'emoji-32' },
      labels: { category: 'animals', style: 'noto' },
      seed: 1234,
      index: 0,
      steps: 3,
    });

    // Share hands over the same file: same name, pixels and recipe (only its time differs).
    await dialog.getByRole('button', { name: 'Share' }).click();
    const [one] = await shares(page, 1);
    expect(one!.map((f) => [f.name, f.type])).toEqual([[file.suggestedFilename(), 'image/png']]);
    const sharedPng = readPng(Uint8Array.from(one![0]!.bytes), 8);
    expect(sharedPng.small).toEqual(png.small);
    expect({ ...sharedPng.recipe, createdAt: '' }).toEqual({ ...png.recipe, createdAt: '' });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // Save all shares both images, each with its own recipe.
    await page.getByRole('button', { name: 'Save all' }).click();
    const all = (await shares(page, 2))[1]!;
    expect(all.map((f) => f.name)).toEqual([
      'emoji-32-animals-noto-seed1234-0.png',
      'emoji-32-animals-noto-seed1234-1.png',
    ]);
    all.forEach((f, k) => {
      const p = readPng(Uint8Array.from(f.bytes), 8);
      expect(p.small).toEqual(first[k]);
      expect(p.recipe.index).toBe(k);
    });

    // The batch's reverse process: one colour frame per step, both images side by side, scaled 4×.
    const gifDownload = page.waitForEvent('download');
    await page.getByRole('button', { name: 'GIF', exact: true }).click();
    const gif = decodeGif(readFileSync(await (await gifDownload).path()));
    expect([gif.width, gif.height, gif.frames.length]).toEqual([2 * W * 4 + 4, H * 4, 3]);
    for (const f of gif.frames) {
      expect(colourShare(f.palette, 3)).toBeGreaterThan(0.1);
      expect(isColour(f.rgb, 3)).toBe(true);
    }
    const batch = Uint8ClampedArray.from([...first[0]!, ...first[1]!]);
    expect(meanAbsDiff(gif.frames.at(-1)!.rgb, tiledRGB(batch, 2, W, H, 2, 4))).toBeLessThan(3);

    // Vary this image (img2img from the colour result, a random seed) at 0.15: one image, colour, near its source.
    await page.locator('.cell').nth(1).click();
    await dialog.getByLabel('Strength', { exact: true }).fill('0.15');
    await dialog.getByRole('button', { name: 'Vary this image' }).click();
    await waitForRunEnd(page, /^Done: 1 image /);
    const [fromImage] = await canvasPixels(page, '.cell canvas');
    expect(isColour(fromImage!)).toBe(true);
    const apart = meanAbsDiff(first[0]!, first[1]!);
    expect(meanAbsDiff(fromImage!, first[1]!)).toBeLessThan(0.8 * apart);

    // New seed (Vary): a random seed, so whatever its pictures show, they must not be grey; other pictures.
    await page.getByRole('button', { name: 'New seed' }).click();
    await waitForRunEnd(page, /^Done: 2 /);
    expect(await page.getByLabel('Seed', { exact: true }).inputValue()).not.toBe('1234');
    const varied = await canvasPixels(page, '.cell canvas');
    varied.forEach((rgba, k) => {
      expect(meanChroma(rgba)).toBeGreaterThan(2);
      expect(meanAbsDiff(rgba, first[k]!)).toBeGreaterThan(3);
    });

    // Interpolate from seed 1234 to 777: it starts at seed 1234's first image, colour throughout.
    await page.getByLabel('Seed', { exact: true }).fill('1234');
    await page.getByLabel('Seed', { exact: true }).press('Enter');
    await page.getByLabel('Interpolate to seed', { exact: true }).fill('777');
    await page.getByRole('button', { name: 'Interpolate', exact: true }).click();
    await waitForRunEnd(page, /^Done: 8 /);
    const row = await canvasPixels(page, '.cell canvas');
    expect(row).toHaveLength(8);
    expect(await page.locator('.cell').first().getAttribute('aria-label')).toContain(
      'seed 1234 → 777 at 0.00',
    );
    expect(row[0]).toEqual(first[0]);
    expect(row.every((rgba) => isColour(rgba))).toBe(true);
    expect(meanAbsDiff(row[4]!, row[0]!)).toBeGreaterThan(3);
  }, 300_000);
});
