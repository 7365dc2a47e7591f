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
import { CSP_HEADER, CSP_META } from '../../src/sw/csp.ts';
import { DIST, foreignRequests, generate, runSize, screenshot, smallRun, useApp } from './app-helpers.ts';
import { DEFAULT_MODEL } from '../support/shipped.ts';

const manifestText = readFileSync(join(DIST, 'models/fashion-28/model.json'), 'utf8');
const onnx = readFileSync(join(DIST, 'models/fashion-28/model.onnx'));
/** The models the app ships (models/index.json); imports come on top of them. */
const builtIns = (JSON.parse(readFileSync(join(DIST, 'models/index.json'), 'utf8')) as { models: string[] }).models.length;
/** A foreign image the page asks for, to see the CSP block it. */
const PROBE = 'http://127.0.0.2:9/x.png';
const json = (m: unknown) => Buffer.from(JSON.stringify(m, null, 2));

type Upload = { name: string; mimeType: string; buffer: Buffer };
const file = (name: string, buffer: Buffer): Upload => ({
  name,
  mimeType: name.endsWith('.json') ? 'application/json' : name.endsWith('.zip') ? 'application/zip' : 'application/octet-stream',
  buffer,
});

/** Checksum of the first result cell's pixels. */
function firstCellSum(page: Page): Promise<number> {
  return page.evaluate(() => {
    const c = document.querySelector<HTMLCanvasElement>('.cell canvas');
    const d = c?.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
    let sum = 0;
    for (let i = 0; i < d.length; i++) sum = (sum * 31 + (d[i] ?? 0)) % 1_000_000_007;
    return sum;
  });
}

/** The same ONNX with a 64 KiB block in the middle of its weights zeroed: other weights, same graph. */
function otherWeights(bytes: Buffer): Buffer {
  const out = Buffer.from(bytes);
  out.fill(0, (out.length >> 1) & ~3, ((out.length >> 1) & ~3) + 65536);
  return out;
}

/** Picks files; when `clash` is given, answers the "already on this device" dialog with it. */
async function importFiles(
  page: Page,
  files: Upload[],
  clash?: 'replace' | 'keep-both' | 'cancel',
): Promise<{ error: string; status: string }> {
  await page.getByTestId('import-input').setInputFiles(files);
  if (clash) {
    await page.getByTestId('import-clash').waitFor({ timeout: 120_000 });
    await page.getByTestId(`clash-${clash}`).click();
  }
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
    const page = await app.open();
    await page.getByTestId('tab-models').click();
    const models = page.getByTestId('model-list').locator('li');
    expect(await models.count()).toBe(builtIns);

    // The CSP holds: the page carries it as a <meta>, the service worker as a header, and eval is refused.
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(CSP_META);
    expect(await page.evaluate(async () => (await fetch('./')).headers.get('content-security-policy'))).toBe(CSP_HEADER);
    // Code the page runs cannot add a script, evaluate a string or load a foreign image.
    expect(
      await page.evaluate(async (probe) => {
        const w = window as unknown as Record<string, unknown>;
        const s = document.createElement('script');
        s.src = 'data:text/javascript,window.__injected=1';
        document.head.append(s);
        setTimeout('window.__evaluated = 1', 0);
        document.body.append(Object.assign(new Image(), { src: probe }));
        await new Promise((ok) => setTimeout(ok, 300));
        return [w.__injected ?? 'blocked', w.__evaluated ?? 'blocked'];
      }, PROBE),
    ).toEqual(['blocked', 'blocked']);
    await expect.poll(() => app.browser.cspViolations.length).toBeGreaterThanOrEqual(3);
    const seen = app.browser.cspViolations.splice(0).join('\n');
    expect(seen).toMatch(/script-src.*data/);
    expect(seen).toMatch(/img-src.*127\.0\.0\.2/);

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

    // 4. An id that a built-in model uses (asked first; cancelled); not a zip at all; a wrong pair of files.
    r = await importFiles(page, [file('model.json', Buffer.from(manifestText)), file('model.onnx', onnx)], 'cancel');
    expect(r.error).toBe('Import cancelled: “fashion-28” is already on this device. Nothing was changed.');
    r = await importFiles(page, [file('model.zip', Buffer.from('this is not a zip'))]);
    expect(r.error).toMatch(/is not a readable \.zip/);
    r = await importFiles(page, [file('model.onnx', onnx)]);
    expect(r.error).toMatch(/Choose two files/);

    // Nothing changed: one model, and generation still works.
    expect(await models.count()).toBe(builtIns);
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
    expect(await models.count()).toBe(builtIns + 1);
    expect(await page.getByTestId('model-list').textContent()).toMatch(/Imported · 2\.5 MB/);
    expect(await page.getByTestId('storage').textContent()).toMatch(/^Using .* of .* available/);
    await screenshot(page, 'models');

    // It survives a reload (stored on the device) and generates.
    await page.reload();
    await page.waitForSelector('[data-testid="backend-status"][data-backend]');
    await page.getByTestId('tab-generate').click();
    await page.getByLabel('Model', { exact: true }).selectOption('fashion-copy');
    await page.waitForSelector('[data-testid="backend-status"][data-backend]');
    await runSize(page, 3, 1);
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    const before = await firstCellSum(page);

    // Re-importing other weights under the same id asks first; "Replace" makes the open tab run the new weights.
    const other = otherWeights(onnx);
    const replaced = { ...base, id: 'fashion-copy', name: 'Fashion copy', file: { ...base.file, sha256: createHash('sha256').update(other).digest('hex') } };
    await page.getByTestId('tab-models').click();
    r = await importFiles(page, [file('model.json', json(replaced)), file('model.onnx', other)], 'replace');
    expect(r.error).toBe('');
    expect(await models.count()).toBe(builtIns + 1);
    await page.getByTestId('tab-generate').click();
    await page.waitForSelector('[data-testid="backend-status"][data-backend]');
    await runSize(page, 3, 1);
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    // (The progress line may still read "Done" from the last run: wait for the new picture.)
    await expect.poll(() => firstCellSum(page), { timeout: 120_000 }).not.toBe(before);

    // "Keep both" imports it beside, as fashion-copy-2.
    await page.getByTestId('tab-models').click();
    r = await importFiles(page, [file('model.json', json(replaced)), file('model.onnx', other)], 'keep-both');
    expect(r.status).toContain('Imported “Fashion copy (2)”');
    expect(await models.count()).toBe(builtIns + 2);
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove Fashion copy (2)' }).click();
    await expect.poll(() => models.count()).toBe(builtIns + 1);

    // Remove it.
    await page.getByTestId('tab-models').click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove Fashion copy' }).click();
    await expect.poll(() => models.count()).toBe(builtIns);
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe(DEFAULT_MODEL);

    // The probe image above is the one foreign URL asked for (and the CSP blocked it).
    expect(foreignRequests(app.browser.requests.filter((u) => u !== PROBE), app.server.origin)).toEqual([]);
  }, 600_000);

  it('lists a stored import that this version no longer accepts, says why, and removes it', async () => {
    const page = await app.open();
    // An import kept by an earlier version whose checks were looser: two labels that are one to a flag.
    const base = JSON.parse(manifestText) as { conditioning: { labels: string[] } };
    const labels = ['T-shirt', 'T shirt', ...base.conditioning.labels.slice(2)];
    const legacy = JSON.stringify({ ...base, id: 'legacy', name: 'Legacy', conditioning: { ...base.conditioning, labels } });
    await page.evaluate(async (manifest) => {
      const models = await (await navigator.storage.getDirectory()).getDirectoryHandle('models', { create: true });
      const folder = await models.getDirectoryHandle('legacy', { create: true });
      for (const [name, text] of [
        ['model.onnx', 'x'.repeat(1000)],
        ['meta.json', JSON.stringify({ id: 'legacy', manifestText: manifest, bytes: 1000, importedAt: 1 })],
      ] as const) {
        const w = await (await folder.getFileHandle(name, { create: true })).createWritable();
        await w.write(text);
        await w.close();
      }
    }, legacy);
    await page.reload();
    await page.waitForSelector('[data-testid="backend-status"][data-backend]');
    await page.getByTestId('tab-models').click();
    const row = page.getByTestId('model-list').locator('li[data-id="legacy"]');
    expect(await row.textContent()).toMatch(
      /^legacyImported · 1000 B · cannot be used by this version of the app: model\.json: "conditioning\.labels" must be labels that differ in more than case and punctuation .*\(got "T shirt"\)\. Remove it, then import it again with a corrected model\.json\./,
    );
    expect(await page.getByLabel('Model', { exact: true }).locator('option[value="legacy"]').count()).toBe(0);

    // A remove that fails says so, and the row stays for another try.
    await page.evaluate(() => {
      const proto = FileSystemDirectoryHandle.prototype;
      const real = proto.removeEntry;
      proto.removeEntry = function () {
        proto.removeEntry = real;
        return Promise.reject(new DOMException('The file is in use.', 'NoModificationAllowedError'));
      };
    });
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Remove legacy' }).click();
    const error = page.getByTestId('import-error');
    await expect.poll(() => error.isVisible()).toBe(true);
    expect(await error.textContent()).toBe('Could not remove legacy: The file is in use. Try again; if it keeps failing, reload the page.');
    expect(await row.count()).toBe(1);

    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: 'Remove legacy' }).click();
    await expect.poll(() => row.count()).toBe(0);
    expect(await error.isVisible()).toBe(false);
    expect(
      await page.evaluate(async () => {
        const models = await (await navigator.storage.getDirectory()).getDirectoryHandle('models');
        const names: string[] = [];
        for await (const name of (models as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
        return names;
      }),
    ).toEqual([]);
  }, 120_000);
});
