/**
 * The gallery: every finished image is kept with its recipe, survives a
 * reload and going offline, and can be deleted and brought back. A
 * downloaded PNG carries its recipe (read back here in Node with
 * readRecipe), opening it refills the Generate form, and "Use these
 * settings" makes the same pixels again on the CPU path.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { readRecipe } from '../../src/media/png-text.ts';
import { generate, openInstalled, screenshot, smallRun, useApp } from './app-helpers.ts';

/** The gallery's rows as stored: recipe fields, and a checksum of each PNG's decoded pixels. */
function stored(
  page: Page,
): Promise<{ seed: number; index: number; steps: number; strength?: number; sum: number }[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const r = indexedDB.open('diffuse-gallery');
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
    type Row = {
      recipe: { seed: number; index: number; steps: number; strength?: number };
      png: Blob;
      time: number;
    };
    const rows = await new Promise<Row[]>((ok, fail) => {
      const r = db.transaction('images').objectStore('images').getAll();
      r.onsuccess = () => ok(r.result as Row[]);
      r.onerror = () => fail(r.error);
    });
    db.close();
    rows.sort((a, b) => a.time - b.time || a.recipe.index - b.recipe.index);
    const out = [];
    for (const row of rows) {
      const bitmap = await createImageBitmap(row.png);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      let sum = 0;
      for (let i = 0; i < d.length; i++) sum = (sum * 31 + (d[i] ?? 0)) % 1_000_000_007;
      const { seed, index, steps, strength } = row.recipe;
      out.push({ seed, index, steps, strength, sum });
    }
    return out;
  });
}

const thumbs = (page: Page) => page.locator('.gallery-thumb');

describe('the gallery', () => {
  const app = useApp({ webgpu: false });
  let pngPath = '';

  it('keeps every finished image with its recipe, across a reload and offline; delete and undo', async () => {
    const { page, context } = app.browser;
    await openInstalled(page, app.server.url);
    await page.getByTestId('tab-models').click();
    await page.getByLabel('Compute backend').selectOption('wasm');
    await smallRun(page, 3, 2);
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Trouser' });
    await page.getByTestId('seed').fill('1234');
    expect(await generate(page)).toMatch(/^Done: 2 images/);
    // The viewer shows image k's own recipe.
    await page.locator('.cell').nth(1).click();
    expect(await page.getByRole('dialog').getByRole('heading').textContent()).toBe(
      'Trouser · seed 1234 · #1',
    );
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    // Save all: one zip (this browser shares no files), each PNG with its own recipe.
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Save all' }).click(),
    ]);
    expect(zip.suggestedFilename()).toBe('fashion-28-trouser-seed1234-2-images.zip');
    const entries = unzipSync(new Uint8Array(readFileSync(await zip.path())));
    expect(Object.keys(entries).sort()).toEqual([
      'fashion-28-trouser-seed1234-0.png',
      'fashion-28-trouser-seed1234-1.png',
    ]);
    expect(readRecipe(entries['fashion-28-trouser-seed1234-1.png']!).index).toBe(1);
    // The context menu (a long press on a phone) on a result saves it.
    const [one] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('.cell').nth(1).click({ button: 'right' }),
    ]);
    expect(one.suggestedFilename()).toBe('fashion-28-trouser-seed1234-1.png');

    await page.getByTestId('tab-gallery').click();
    await expect.poll(() => thumbs(page).count()).toBe(2);
    expect(await page.getByTestId('gallery-summary').textContent()).toMatch(
      /^2 of 2 images · [\d.]+ KB/,
    );

    // Offline, with the server gone: the gallery is still there.
    await context.setOffline(true);
    await app.server.close();
    await page.reload();
    await page.waitForSelector('[data-testid="backend-status"][data-backend]', {
      timeout: 120_000,
    });
    await page.getByTestId('tab-gallery').click();
    await expect.poll(() => thumbs(page).count()).toBe(2);

    // Newest first, and a run in its own order: #0 then #1.
    await thumbs(page).first().click();
    const dialog = page.getByTestId('gallery-detail');
    expect(await dialog.getByRole('heading').textContent()).toBe('Trouser · seed 1234 · #0');
    expect(await page.getByTestId('gallery-recipe').textContent()).toMatch(
      /dpmpp-2m, 3 steps, guidance [\d.]+, WASM/,
    );
    await screenshot(page, 'gallery-detail');

    // Its PNG carries the recipe, under a name with model, label and seed.
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Download PNG' }).click(),
    ]);
    expect(file.suggestedFilename()).toBe('fashion-28-trouser-seed1234-0.png');
    pngPath = await file.path();
    const recipe = readRecipe(new Uint8Array(readFileSync(pngPath)));
    expect(recipe).toMatchObject({
      model: { id: 'fashion-28' },
      labels: { class: 'trouser' },
      sampler: 'dpmpp-2m',
      steps: 3,
      seed: 1234,
      index: 0,
    });

    // Delete, then undo: both images are back.
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => thumbs(page).count()).toBe(1);
    await page.getByTestId('gallery-toast').getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => thumbs(page).count()).toBe(2);
    await page.getByTestId('gallery-toast').evaluate((e) => ((e as HTMLElement).hidden = true));
    await screenshot(page, 'gallery', { top: true });
  }, 400_000);

  it('"Use these settings" refills the form and makes the same pixels', async () => {
    const { page } = app.browser;
    await thumbs(page).nth(1).click();
    const dialog = page.getByTestId('gallery-detail');
    expect(await dialog.getByRole('heading').textContent()).toBe('Trouser · seed 1234 · #1');
    await dialog.getByRole('button', { name: 'Use these settings' }).click();
    await expect
      .poll(() => page.getByTestId('tab-generate').getAttribute('aria-selected'))
      .toBe('true');
    expect(await page.getByTestId('seed').inputValue()).toBe('1234');
    expect(await page.getByLabel('Images', { exact: true }).inputValue()).toBe('1');
    expect(await page.getByTestId('first-index').textContent()).toMatch(/image #1 of seed 1234/);
    expect(await generate(page)).toMatch(/^Done: 1 image/);

    await expect.poll(async () => (await stored(page)).length).toBe(3);
    const [first, second, again] = await stored(page);
    expect(again).toMatchObject({ seed: 1234, index: 1, steps: 3 });
    expect(again!.sum).toBe(second!.sum);
    expect(again!.sum).not.toBe(first!.sum);
  }, 300_000);

  it('opening a PNG restores its recipe; one without a recipe says so', async () => {
    const { page } = app.browser;
    await page.getByTestId('seed').fill('7');
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Bag' });
    await page.getByLabel('Images', { exact: true }).fill('4');
    await page.getByTestId('tab-gallery').click();
    await page.getByTestId('open-png-input').setInputFiles(pngPath);
    await expect
      .poll(() => page.getByTestId('tab-generate').getAttribute('aria-selected'))
      .toBe('true');
    expect(await page.getByTestId('seed').inputValue()).toBe('1234');
    expect(await page.getByLabel('Class', { exact: true }).inputValue()).toBe('trouser');
    expect(await page.getByLabel('Steps', { exact: true }).inputValue()).toBe('3');
    expect(await page.getByLabel('Images', { exact: true }).inputValue()).toBe('1');
    await page.getByTestId('gallery-toast').evaluate((e) => ((e as HTMLElement).hidden = true));
    await page.locator('form.controls').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'recipe-restored');

    // Dropped anywhere in the app: a PNG without a recipe gets readRecipe's message.
    const plain = readFileSync(
      resolve(import.meta.dirname, '../../public/samples/fashion-0.png'),
    ).toString('base64');
    await page.evaluate((b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bytes], 'plain.png', { type: 'image/png' }));
      document
        .querySelector('main')!
        .dispatchEvent(
          new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }),
        );
    }, plain);
    await expect
      .poll(() => page.getByTestId('gallery-toast').textContent())
      .toMatch(/This PNG carries no Diffuse recipe/);
  }, 120_000);

  it('a full device says what to delete, loses nothing already kept, and a failed undo offers the download', async () => {
    const { page } = app.browser;
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      const w = window as unknown as { __put: typeof put };
      w.__put = put;
      IDBObjectStore.prototype.put = function (
        this: IDBObjectStore,
        ...args: Parameters<typeof put>
      ) {
        if (this.name === 'images')
          throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
        return put.apply(this, args);
      };
    });
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    await expect
      .poll(() => page.getByTestId('gallery-toast').textContent())
      .toMatch(
        /storage is full, so the last 1 image was not kept.*holds 3 images .*all still there.*Delete images/,
      );
    expect(await page.getByTestId('gallery-toast').getAttribute('role')).toBe('alert');
    expect(await stored(page)).toHaveLength(3);

    // An undo that cannot write the image back offers it for download instead.
    await page.getByTestId('tab-gallery').click();
    await thumbs(page).first().click();
    await page.getByTestId('gallery-detail').getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => thumbs(page).count()).toBe(2);
    const toast = page.getByTestId('gallery-toast');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect
      .poll(() => toast.textContent())
      .toMatch(
        /^The deleted image could not be put back: the device's storage is full\. Download it now; it is gone when this message closes\./,
      );
    expect(await toast.getAttribute('role')).toBe('alert');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      toast.getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/^fashion-28-.*\.png$/);
    expect(readRecipe(new Uint8Array(readFileSync(await file.path()))).model.id).toBe('fashion-28');

    await page.evaluate(() => {
      IDBObjectStore.prototype.put = (
        window as unknown as { __put: typeof IDBObjectStore.prototype.put }
      ).__put;
    });
    expect(await stored(page)).toHaveLength(2);
  }, 120_000);
});

describe('the gallery across a cancel and an update', () => {
  const app = useApp({ webgpu: false });

  it('keeps no cancelled run or Vary, and survives an update of the app', async () => {
    const { page } = app.browser;
    await openInstalled(page, app.server.url);
    await smallRun(page, 3, 2);
    expect(await generate(page)).toMatch(/^Done: 2 images/);
    await expect.poll(async () => (await stored(page)).length).toBe(2);

    // A long run, cancelled once it is going: nothing of it is kept.
    await page.getByLabel('Steps', { exact: true }).fill('400');
    await page.getByLabel('Images', { exact: true }).fill('4');
    await page.getByTestId('generate').click();
    await page.waitForFunction(
      () =>
        /^Step ([5-9]|\d\d)/.test(
          document.querySelector('[data-testid="progress-text"]')?.textContent ?? '',
        ),
      undefined,
      { timeout: 120_000, polling: 100 },
    );
    await page.getByTestId('generate').click();
    await expect.poll(() => page.getByTestId('progress-text').textContent()).toBe('Cancelled');
    await page.waitForTimeout(500);
    expect(await stored(page)).toHaveLength(2);

    // Vary this image: img2img from it at the chosen strength, kept first.
    await page.getByTestId('tab-gallery').click();
    await thumbs(page).first().click();
    const dialog = page.getByTestId('gallery-detail');
    await dialog.getByLabel('Strength').fill('0.5');
    await dialog.getByRole('button', { name: 'Vary this image' }).click();
    await expect
      .poll(() => page.getByTestId('gallery-note').textContent(), { timeout: 120_000 })
      .toBe('Done: the variation is first in the gallery.');
    await expect.poll(async () => (await stored(page)).length).toBe(3);
    expect((await stored(page))[2]).toMatchObject({ steps: 3, strength: 0.5 });
    await dialog.getByRole('button', { name: 'Close' }).click();

    // A new version of the app: after its reload the gallery is all there.
    const banner = page.getByTestId('update-banner');
    app.server.setServiceWorkerSuffix(`// version ${Date.now()}`);
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    await expect.poll(() => banner.isVisible(), { timeout: 120_000 }).toBe(true);
    const reloaded = page.waitForEvent('load', { timeout: 120_000 });
    await banner.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await page.waitForSelector('[data-testid="backend-status"][data-backend]', {
      timeout: 120_000,
    });
    await page.getByTestId('tab-gallery').click();
    await expect.poll(() => thumbs(page).count()).toBe(3);

    // A Vary can be cancelled from its own button, and keeps nothing.
    await smallRun(page, 300, 1);
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    await expect.poll(async () => (await stored(page)).length).toBe(4);
    await page.getByTestId('tab-gallery').click();
    await thumbs(page).first().click();
    await dialog.getByLabel('Strength').fill('1');
    await dialog.getByRole('button', { name: 'Vary this image' }).click();
    await expect
      .poll(() => dialog.getByTestId('gallery-note').textContent(), { timeout: 60_000 })
      .toMatch(/^Varying: step \d+ of 300$/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect
      .poll(() => dialog.getByTestId('gallery-note').textContent())
      .toBe('Cancelled: nothing was kept.');
    expect(await dialog.getByRole('button', { name: 'Vary this image' }).isEnabled()).toBe(true);
    await page.waitForTimeout(500);
    expect(await stored(page)).toHaveLength(4);
  }, 300_000);
});
