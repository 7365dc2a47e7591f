/**
 * WebGPU chosen by hand on a software adapter (headless Chromium's
 * SwiftShader): before any run, Generate says the renderer is slow, with an
 * estimate for the run the form describes (from a timed call after loading)
 * and a way back to Automatic, which shows no such warning. One short run
 * (1 image × 2 steps: SwiftShader takes seconds per network call) checks
 * the estimate against the time it took.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { generate, screenshot, smallRun, useApp } from './app-helpers.ts';

/** The estimate in seconds from the notice's "about 40 s" / "about 3 min". */
function seconds(text: string): number {
  const m = /about (\d+(?:\.\d+)?)\s(s|min|h)\b/.exec(text);
  if (!m) throw new Error(`no estimate in: ${text}`);
  return Number(m[1]) * { s: 1, min: 60, h: 3600 }[m[2] as 's' | 'min' | 'h'];
}

const noticeText = (page: Page) => page.getByTestId('slow-notice-text').textContent();

describe('a software WebGPU renderer chosen by hand', () => {
  const app = useApp({ webgpu: true });

  it('says it is slow with an estimate before the run; Automatic does not', async () => {
    const page = await app.open();
    await smallRun(page, 2, 1);
    const notice = page.getByTestId('slow-notice');
    const barNote = page.getByTestId('generate-note');
    // Automatic skips the software adapter, so there is nothing to warn about.
    expect(await page.getByTestId('backend-status').getAttribute('data-backend')).toBe('wasm');
    expect(await notice.isVisible()).toBe(false);

    await page.getByTestId('tab-models').click();
    await page.getByLabel('Compute backend').selectOption('webgpu');
    await page.getByTestId('tab-generate').click();
    await expect.poll(() => notice.isVisible(), { timeout: 120_000 }).toBe(true);
    console.log(`before the timing: ${await noticeText(page)}`);
    await expect
      .poll(() => noticeText(page), { timeout: 180_000, interval: 500 })
      .toMatch(
        /software renderer.*1 image × 2 steps, will take about \d+\s(s|min|h): an estimate from a timed test call after loading/,
      );
    const one = seconds((await noticeText(page)) ?? '');
    expect(await barNote.textContent()).toMatch(
      /^Software renderer: about \d+\s(s|min|h) for this run$/,
    );
    expect(await page.getByTestId('generate').getAttribute('aria-describedby')).toBe(
      'generate-note',
    );
    // The user may still go ahead.
    expect(await page.getByTestId('generate').isEnabled()).toBe(true);
    await notice.scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-software-webgpu');

    // The run replaces the timed call's figure with its own (how close the two are is timing, not a test).
    const done = await generate(page);
    console.log(`estimated ${one} s, then: ${done}`);
    await expect.poll(() => noticeText(page)).toMatch(/an estimate from your last run on it/);
    const oneNow = seconds((await noticeText(page)) ?? '');

    // The estimate follows the form: on the same measured figure, four times the images is four times the time.
    await page.getByLabel('Images', { exact: true }).fill('4');
    await expect.poll(() => noticeText(page)).toMatch(/4 images × 2 steps/);
    const four = seconds((await noticeText(page)) ?? '');
    // Each is rounded to its unit (whole seconds, minutes, tenths of hours): allow half a unit on each.
    const half = (v: number) => (v < 59.5 ? 0.5 : v < 3570 ? 30 : 180);
    expect(four).toBeGreaterThanOrEqual(4 * (oneNow - half(oneNow)) - half(four));
    expect(four).toBeLessThanOrEqual(4 * (oneNow + half(oneNow)) + half(four));

    await notice.getByRole('button', { name: /Use Automatic/ }).click();
    expect(await notice.isVisible()).toBe(false);
    expect(await barNote.isVisible()).toBe(false);
    await page.getByTestId('tab-models').click();
    expect(await page.getByLabel('Compute backend').inputValue()).toBe('auto');
    await expect
      .poll(() => page.getByTestId('backend-status').getAttribute('data-backend'), {
        timeout: 120_000,
      })
      .toBe('wasm');
  }, 400_000);
});
