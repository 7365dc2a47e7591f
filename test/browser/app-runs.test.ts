/**
 * One run at a time, owned by the screen that started it: cancelling a
 * Generate run puts the previous result back as it was, and while Generate
 * runs, Explore's "Denoise from here" waits (disabled, with the reason)
 * instead of turning into a Cancel that would stop the other screen's run.
 * A double-click starts one run, and a worker stuck in a call, or in a model
 * load, is replaced on Cancel; one that crashes is replaced at once.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  foreignRequests,
  generate,
  pickEmojiRun,
  screenshot,
  smallRun,
  useApp,
  waitForRunEnd,
} from './app-helpers.ts';

/** Every result cell: its label, whether it can be opened, and a checksum of its pixels. */
function cells(page: Page): Promise<{ label: string; enabled: boolean; sum: number }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLButtonElement>('.cell')].map((b) => {
      const c = b.querySelector('canvas');
      const d =
        c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let sum = 0;
      for (let i = 0; i < d.length; i++) sum = (sum * 31 + (d[i] ?? 0)) % 1_000_000_007;
      return { label: b.getAttribute('aria-label') ?? '', enabled: !b.disabled, sum };
    }),
  );
}

const progressText = (page: Page) => page.getByTestId('progress-text').textContent();

/** Starts a long Generate run and waits until it has drawn a preview (step ≥ `step`). */
async function startLongRun(page: Page, step: number): Promise<void> {
  await page.getByTestId('generate').click();
  await page.waitForFunction(
    (n) =>
      Number(
        /^Step (\d+)/.exec(
          document.querySelector('[data-testid="progress-text"]')?.textContent ?? '',
        )?.[1] ?? 0,
      ) >= n,
    step,
    { timeout: 120_000, polling: 100 },
  );
}

describe('runs belong to the screen that started them', () => {
  const app = useApp({ webgpu: false });

  it('a cancelled run keeps the previous result on screen', async () => {
    const page = await app.open();
    await smallRun(page, 3, 2);
    expect(await generate(page)).toMatch(/^Done: 2 images/);
    const before = await cells(page);
    expect(before).toHaveLength(2);
    expect(before.every((c) => c.enabled)).toBe(true);

    // A bigger, longer run: its previews replace the grid while it goes...
    await page.getByLabel('Images', { exact: true }).fill('4');
    await page.getByLabel('Steps', { exact: true }).fill('400');
    await startLongRun(page, 45);
    expect(await page.locator('.cell').count()).toBe(4);
    expect(await page.getByTestId('generate').textContent()).toBe('Cancel');

    // ...and cancelling it puts the finished result back, pixels, captions and all.
    await page.getByTestId('generate').click();
    await expect.poll(() => progressText(page)).toBe('Cancelled');
    expect(await cells(page)).toEqual(before);
    expect(await page.getByTestId('result-caption').textContent()).toMatch(/· made with Fashion/);
    expect(await page.getByRole('button', { name: 'New seed' }).isEnabled()).toBe(true);
    await page.locator('.cell').first().click();
    expect(await page.getByRole('dialog').getByRole('heading').textContent()).toBe(
      before[0]!.label.replace(/\. Open larger$/, ''),
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    // A double-click on Generate starts one run; its second click does not cancel it.
    await page.getByTestId('generate').dblclick();
    await page.waitForFunction(
      () =>
        /^(Step \d|Cancelled)/.test(
          document.querySelector('[data-testid="progress-text"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 120_000, polling: 100 },
    );
    expect(await progressText(page)).toMatch(/^Step \d/);
    expect(await page.getByTestId('generate').textContent()).toBe('Cancel');
    await page.getByTestId('generate').click();
    await expect.poll(() => progressText(page)).toBe('Cancelled');
  }, 300_000);

  it('Explore waits for a Generate run instead of cancelling it', async () => {
    const { page } = app.browser;
    await page.getByLabel('Steps', { exact: true }).fill('400');
    await startLongRun(page, 2);

    await page.getByTestId('tab-explore').click();
    const denoise = page.getByTestId('denoise');
    expect(await denoise.textContent()).toBe('Denoise from here');
    expect(await denoise.isDisabled()).toBe(true);
    expect(await page.getByTestId('denoise-reason').textContent()).toBe(
      'Waiting for the Generate run to finish.',
    );
    await page.getByRole('heading', { name: 'Reverse process' }).scrollIntoViewIfNeeded();
    await screenshot(page, 'explore-waiting');

    // The Generate run is still going, and only Generate's own button cancels it.
    await page.getByTestId('tab-generate').click();
    expect(await progressText(page)).toMatch(/^Step \d+ of 400/);
    await page.getByTestId('generate').click();
    await expect.poll(() => progressText(page)).toBe('Cancelled');
    await page.getByLabel('Steps', { exact: true }).fill('20');

    // Free again: Explore can denoise.
    await page.getByTestId('tab-explore').click();
    await expect.poll(() => denoise.isEnabled()).toBe(true);
    expect(await page.getByTestId('denoise-reason').isVisible()).toBe(false);

    // And the other way round: while Explore denoises, Generate waits.
    await page.getByTestId('t-slider').fill('1000');
    await denoise.click();
    await page.getByTestId('tab-generate').click();
    const waiting = page.getByTestId('generate-waiting');
    if (await page.getByTestId('generate').isDisabled())
      expect(await waiting.textContent()).toBe('Waiting for the Explore run to finish.');
    await page.getByTestId('tab-explore').click();
    await page.waitForFunction(
      () =>
        /^(Denoised|Cancelled)/.test(
          document.querySelector('[data-testid="denoise-status"]')?.textContent ?? '',
        ),
      undefined,
      {
        timeout: 240_000,
      },
    );
    expect(await page.getByTestId('denoise-status').textContent()).toMatch(
      /^Denoised from t = 1000/,
    );
  }, 300_000);

  it('Explore’s own Cancel stops its run and keeps its last result', async () => {
    const { page } = app.browser;
    const denoised = () =>
      page.evaluate(() => {
        const c = document.querySelector<HTMLCanvasElement>('[data-testid="denoised"]');
        const d = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
        return Array.from(d).join(',');
      });
    const before = await denoised();
    expect(before).not.toBe('');
    await page.getByTestId('tab-generate').click();
    await page.getByLabel('Steps', { exact: true }).fill('400');
    await page.getByTestId('tab-explore').click();
    const denoise = page.getByTestId('denoise');
    await denoise.click();
    await page.waitForFunction(
      () =>
        Number(
          /step (\d+)/.exec(
            document.querySelector('[data-testid="denoise-status"]')?.textContent ?? '',
          )?.[1] ?? 0,
        ) >= 45,
      undefined,
      { timeout: 120_000, polling: 100 },
    );
    expect(await denoise.textContent()).toBe('Cancel');
    await denoise.click();
    await expect
      .poll(() => page.getByTestId('denoise-status').textContent())
      .toBe('Cancelled; the last result is shown.');
    expect(await denoised()).toBe(before);
    expect(await denoise.textContent()).toBe('Denoise from here');

    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 300_000);

  it('a generator worker stuck in one call: Cancel still ends the run, by replacing the worker', async () => {
    const { page } = app.browser;
    await smallRun(page, 400, 4);
    await startLongRun(page, 5);
    const worker = page.workers().find((w) => w.url().includes('generator.worker'));
    await worker!.evaluate(() => {
      setTimeout(() => {
        const end = Date.now() + 60_000;
        while (Date.now() < end);
      });
    });
    await page.getByTestId('generate').click();
    await expect.poll(() => progressText(page), { timeout: 30_000 }).toBe('Cancelled');
    await page.getByLabel('Steps', { exact: true }).fill('3');
    expect(await generate(page)).toMatch(/^Done: 4 images/);
  }, 300_000);

  it('a model load that hangs: Cancel ends the run at once, and the model loads again on a fresh worker', async () => {
    const { page } = app.browser;
    const status = page.getByTestId('backend-status');
    const worker = page
      .workers()
      .filter((w) => w.url().includes('generator.worker'))
      .at(-1);
    // Stuck for longer than this test may run: only a fresh worker gets past it.
    await worker!.evaluate(() => {
      setTimeout(() => {
        const end = Date.now() + 600_000;
        while (Date.now() < end);
      });
    });
    await page.getByLabel('Model', { exact: true }).selectOption('emoji-32');
    await expect.poll(() => status.textContent()).toMatch(/^Loading Emoji/);
    const button = page.getByTestId('generate');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Cancel');
    await button.click();
    await expect.poll(() => progressText(page), { timeout: 5_000 }).toBe('Cancelled');
    // After Cancel's grace period the stuck worker is replaced and the load starts again.
    await expect.poll(() => status.textContent(), { timeout: 120_000 }).toMatch(/^Backend: /);
    await pickEmojiRun(page, 'emoji-32', 3, 1);
    expect(await generate(page)).toMatch(/^Done: 1 image/);
  }, 300_000);

  it('a generator worker that crashes mid-run: the run fails and says so, and the next run works on a fresh worker', async () => {
    const { page } = app.browser;
    await pickEmojiRun(page, 'emoji-32', 400, 1);
    await startLongRun(page, 5);
    const worker = page
      .workers()
      .filter((w) => w.url().includes('generator.worker'))
      .at(-1);
    const ended = new Promise((done) => worker!.once('close', done));
    // An uncaught error reaches the page as the Worker's error event, as a crash inside onnxruntime would.
    await worker!.evaluate(() => {
      setTimeout(() => {
        throw new Error('crashed on purpose');
      });
    });
    await waitForRunEnd(page, /^(Done|Failed|Cancelled)/);
    expect(await progressText(page)).toMatch(/^Failed/);
    expect(await page.getByTestId('generate-error').textContent()).toMatch(
      /^Generation failed: The generator stopped \(its worker failed\) and was restarted\. Try again/,
    );
    await page.getByLabel('Steps', { exact: true }).fill('3');
    await ended; // the crashed worker was terminated, not left running beside the new one
    expect(await generate(page)).toMatch(/^Done: 1 image/);
  }, 300_000);
});
