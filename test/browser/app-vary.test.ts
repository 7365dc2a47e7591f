/**
 * "Vary this image" in Generate's result viewer: img2img from a shown
 * result at the chosen strength, run like any other into the Generate grid,
 * its recipe (inside the downloaded PNG) recording the strength; at
 * strength 0 the image comes back pixel for pixel.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { readRecipe } from '../../src/media/png-text.ts';
import {
  canvasPixels,
  generate,
  screenshot,
  smallRun,
  useApp,
  waitForRunEnd,
} from './app-helpers.ts';

/** Varies the open viewer's image at `strength` and waits for the one-image run to finish. */
async function vary(page: Page, strength: string): Promise<void> {
  const viewer = page.getByTestId('viewer');
  await viewer.getByLabel('Strength', { exact: true }).fill(strength);
  await viewer.getByRole('button', { name: 'Vary this image' }).click();
  // The dialog closes, so the run's progress and Cancel are in view.
  expect(await viewer.isVisible()).toBe(false);
  await waitForRunEnd(page, /^Done: 1 image /);
}

describe('Vary this image in the result viewer', () => {
  const app = useApp({ webgpu: false });

  it('varies a result into the Generate grid with its strength in the recipe; 0 keeps it', async () => {
    const page = await app.open();
    await smallRun(page, 3, 2);
    await page.getByLabel('Seed', { exact: true }).fill('1234');
    expect(await generate(page)).toMatch(/^Done: 2 images/);
    const source = (await canvasPixels(page, '.cell canvas'))[1] ?? [];
    // The seed button says what it does, so it is not mistaken for varying an image.
    expect(await page.getByRole('button', { name: 'New seed' }).isEnabled()).toBe(true);

    await page.locator('.cell').nth(1).click();
    await screenshot(page, 'viewer-vary');
    await vary(page, '0.6');
    const cells = page.locator('.cell');
    expect(await cells.count()).toBe(1);
    expect(await cells.first().getAttribute('aria-label')).toMatch(
      /· seed 1234 · #1, varied at strength 0\.60\. Open larger$/,
    );
    const varied = (await canvasPixels(page, '.cell canvas'))[0] ?? [];
    expect(varied).toHaveLength(source.length);
    expect(varied).not.toEqual(source);

    await cells.first().click();
    const download = page.waitForEvent('download');
    await page.getByTestId('viewer').getByRole('button', { name: 'Download PNG' }).click();
    const recipe = readRecipe(readFileSync(await (await download).path()));
    expect(recipe).toMatchObject({ strength: 0.6, steps: 3, index: 0 });
    expect(recipe.seed).not.toBe(1234);

    await vary(page, '0');
    expect((await canvasPixels(page, '.cell canvas'))[0] ?? []).toEqual(varied);
  }, 300_000);
});
