/**
 * Bring your own model: corrupt imports are refused with a message that says
 * what is wrong and what to do, and change nothing; a good .zip import is
 * stored on the device, generates, and can be removed.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { DIST, foreignRequests, generate, openInstalled, screenshot, smallRun, useApp } from './app-helpers.ts';

const manifestText = readFileSync(join(DIST, 'models/fashion-28/model.json'), 'utf8');
const onnx = readFileSync(join(DIST, 'models/fashion-28/model.onnx'));
const json = (m: unknown) => Buffer.from(JSON.stringify(m, null, 2));

type Upload = { name: string; mimeType: string; buffer: Buffer };
const file = (name: string, buffer: Buffer): Upload => ({
  name,
  mimeType: name.endsWith('.json') ? 'application/json' : name.endsWith('.zip') ? 'application/zip' : 'application/octet-stream',
  buffer,
});

async function importFiles(page: Page, files: Upload[]): Promise<{ error: string; status: string }> {
  await page.getByTestId('import-input').setInputFiles(files);
  await page.waitForFunction(
    () => {
      const err = document.querySelector<HTMLElement>('[data-testid="import-error"]');
      const status = document.querySelector('[data-testid="import-status"]')?.textContent ?? '';
      return (err && !err.hidden) || status.startsWith('Imported');
    },
    undefined,
    { timeout: 120_000 },
  );
  const errEl = page.getByTestId('import-error');
  return {
    error: (await errEl.isVisible()) ? ((await errEl.textContent()) ?? '') : '',
    status: (await page.getByTestId('import-status').textContent()) ?? '',
  };
}

describe('importing a model', () => {
  const app = useApp({ webgpu: false });

  it('refuses corrupt models clearly, keeps generating, and imports a good .zip', async () => {
    const { page } = app.browser;
    await openInstalled(page, app.server.url);
    await page.getByTestId('tab-models').click();
    const models = page.getByTestId('model-list').locator('li');
    expect(await models.count()).toBe(1);

    const base = JSON.parse(manifestText) as Record<string, unknown> & { file: Record<string, unknown> };
    const garbage = Buffer.alloc(4096, 7);

    // 1. A truncated/foreign .onnx next to the real model.json.
    let r = await importFiles(page, [file('model.json', json({ ...base, id: 'truncated' })), file('model.onnx', garbage)]);
    expect(r.error).toContain('file.bytes');
    expect(r.error).toMatch(/^This model cannot be imported: .*Use the model\.onnx that came with this model\.json/);
    await screenshot(page, 'models-import-error');

    // 2. A model.json without its "image" field.
    const { image: _image, ...noImage } = base;
    r = await importFiles(page, [file('model.json', json({ ...noImage, id: 'no-image' })), file('model.onnx', onnx)]);
    expect(r.error).toMatch(/This model cannot be imported: model\.json: "image" must be an object.*Fix that field/);

    // 3. A model.json that matches the bytes, but the bytes are not an ONNX model.
    const sha = createHash('sha256').update(garbage).digest('hex');
    r = await importFiles(page, [
      file('model.json', json({ ...base, id: 'broken', file: { ...base.file, bytes: garbage.length, sha256: sha } })),
      file('model.onnx', garbage),
    ]);
    expect(r.error).toMatch(/This model cannot be imported: onnxruntime could not load model\.onnx .*export it again/);

    // 4. An id that a built-in model uses; not a zip at all; a wrong pair of files.
    r = await importFiles(page, [file('model.json', Buffer.from(manifestText)), file('model.onnx', onnx)]);
    expect(r.error).toMatch(/A built-in model already uses the id “fashion-28”. Change "id"/);
    r = await importFiles(page, [file('model.zip', Buffer.from('this is not a zip'))]);
    expect(r.error).toMatch(/is not a readable \.zip/);
    r = await importFiles(page, [file('model.onnx', onnx)]);
    expect(r.error).toMatch(/Choose two files/);

    // Nothing changed: one model, and generation still works.
    expect(await models.count()).toBe(1);
    await smallRun(page, 3, 1);
    expect(await generate(page)).toMatch(/^Done: 1 image/);

    // A good .zip import, under a new id.
    const zip = Buffer.from(
      zipSync({ 'my-model/model.json': strToU8(JSON.stringify({ ...base, id: 'fashion-copy', name: 'Fashion copy' })), 'my-model/model.onnx': new Uint8Array(onnx) }),
    );
    await page.getByTestId('tab-models').click();
    r = await importFiles(page, [file('my-model.zip', zip)]);
    expect(r.error).toBe('');
    expect(r.status).toContain('Imported “Fashion copy”');
    expect(await models.count()).toBe(2);
    expect(await page.getByTestId('model-list').textContent()).toMatch(/Imported · 2\.5 MB/);
    expect(await page.getByTestId('storage').textContent()).toMatch(/^Using .* of .* available/);
    await screenshot(page, 'models');

    // It survives a reload (stored on the device) and generates.
    await page.reload();
    await page.waitForSelector('[data-testid="backend-status"][data-backend]');
    await page.getByTestId('tab-generate').click();
    await page.getByLabel('Model', { exact: true }).selectOption('fashion-copy');
    await page.waitForSelector('[data-testid="backend-status"][data-backend]');
    await smallRun(page, 3, 1);
    expect(await generate(page)).toMatch(/^Done: 1 image/);

    // Remove it.
    await page.getByTestId('tab-models').click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove Fashion copy' }).click();
    await expect.poll(() => models.count()).toBe(1);
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe('fashion-28');

    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 600_000);
});
