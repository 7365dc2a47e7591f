/**
 * The README's two pictures: a real generation with the default model, emoji-32
 * (9 Animals & Nature in any style, 20 DPM-Solver++ steps at the model's own
 * guidance, on the WASM backend), and the explorer, at phone size.
 * Run after `npm run build`: node --import tsx scripts/readme-screenshots.ts
 */
import { join, resolve } from 'node:path';
import { generate, launchApp, openInstalled, serveApp } from '../test/browser/app-helpers.ts';

const OUT = resolve(import.meta.dirname, '../docs/screenshots');
const server = await serveApp();
const browser = await launchApp({ webgpu: false });
try {
  const { page } = browser;
  await openInstalled(page, server.url);
  await page.getByTestId('tab-generate').click();
  await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Animals & Nature' });
  await page.getByLabel('Steps', { exact: true }).fill('20');
  await page.getByLabel('Images', { exact: true }).fill('9');
  const done = await generate(page);
  if (!done.startsWith('Done')) throw new Error(`generation did not finish: ${done}`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(OUT, 'generate-result.png') });
  await page.getByTestId('tab-explore').click();
  await page.getByLabel('Timestep t', { exact: false }).first().fill('350');
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(OUT, 'explore.png') });
  console.log(`wrote ${OUT}/generate-result.png and explore.png`);
} finally {
  await browser.close();
  await server.close();
}
