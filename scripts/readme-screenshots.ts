/**
 * The README's pictures of the app, at phone size, from real runs of the
 * default model, emoji-32 (20 DPM-Solver++ steps at the model's own
 * guidance, on the WASM backend): Generate with 9 Animals & Nature, the
 * explorer, the gallery after a second run of Food & Drink, one gallery
 * image opened, its PNG's recipe restored into the form, and Models.
 * Run after `npm run build`: node --import tsx scripts/readme-screenshots.ts
 */
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { generate, launchApp, openInstalled, serveApp } from '../test/browser/app-helpers.ts';

const OUT = resolve(import.meta.dirname, '../docs/screenshots');
const shot = (page: Page, name: string) => page.screenshot({ path: join(OUT, `${name}.png`) });

async function run(page: Page, category: string, seed: number): Promise<void> {
  await page.getByTestId('tab-generate').click();
  await page.getByLabel('Category', { exact: true }).selectOption({ label: category });
  await page.getByTestId('seed').fill(String(seed));
  await page.getByLabel('Steps', { exact: true }).fill('20');
  await page.getByLabel('Images', { exact: true }).fill('9');
  const done = await generate(page);
  if (!done.startsWith('Done')) throw new Error(`generation did not finish: ${done}`);
}

const server = await serveApp();
const browser = await launchApp({ webgpu: false });
try {
  const { page } = browser;
  await openInstalled(page, server.url);
  await run(page, 'Animals & Nature', 42);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'generate-result');

  await page.getByTestId('tab-explore').click();
  await page.getByLabel('Timestep t', { exact: false }).first().fill('350');
  await page.waitForTimeout(500);
  await shot(page, 'explore');

  await run(page, 'Food & Drink', 7);
  await page.getByTestId('tab-gallery').click();
  await page.locator('.gallery-thumb').nth(17).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'gallery');

  // One image opened, its PNG downloaded; the form changed; the PNG opened again.
  await page.locator('.gallery-thumb').nth(2).click();
  const detail = page.getByTestId('gallery-detail');
  await shot(page, 'gallery-detail');
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    detail.getByRole('button', { name: 'Download PNG' }).click(),
  ]);
  const png = await file.path();
  await detail.getByRole('button', { name: 'Close' }).click();
  await page.getByTestId('tab-generate').click();
  await page.getByTestId('seed').fill('1');
  await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Symbols' });
  await page.getByTestId('tab-gallery').click();
  await page.getByTestId('open-png-input').setInputFiles(png);
  await page.getByTestId('gallery-toast').waitFor();
  await page.locator('form.controls').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(page, 'recipe-restored');

  await page.getByTestId('gallery-toast').evaluate((e) => ((e as HTMLElement).hidden = true));
  await page.getByTestId('tab-models').click();
  await page
    .getByTestId('storage')
    .filter({ hasText: /^Using/ })
    .waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, 'models');
  console.log(
    `wrote generate-result, explore, gallery, gallery-detail, recipe-restored and models in ${OUT}`,
  );
} finally {
  await browser.close();
  await server.close();
}
