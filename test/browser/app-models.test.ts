/**
 * Switching models: a chosen label carries over by name (not by index) when
 * the new model has it and is reset to "Any" with a visible note when it does
 * not; the new model's default guidance becomes the guidance; the results of
 * a removed model leave the screen.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  DIST,
  foreignRequests,
  generate,
  runSize,
  screenshot,
  useApp,
} from './app-helpers.ts';
import { DEFAULT_MODEL } from '../support/shipped.ts';

type Json = Record<string, unknown>;

/** A copy of the built-in model under another id whose classes are reordered (and one renamed), tuned for guidance 1. */
function variantZip(): Buffer {
  const base = JSON.parse(
    readFileSync(join(DIST, 'models/fashion-28/model.json'), 'utf8'),
  ) as Json & { conditioning: Json };
  const onnx = readFileSync(join(DIST, 'models/fashion-28/model.onnx'));
  // Same network, so the class count stays; "Trouser" moves from index 1 to 3, "Sneaker" becomes "Trainer".
  const rename = (titles: string[]) => {
    const t = titles.map((x) => (x === 'Sneaker' ? 'Trainer' : x));
    [t[1], t[3]] = [t[3]!, t[1]!];
    return t;
  };
  const c = base.conditioning;
  const conditioning = Array.isArray(c.labels)
    ? { ...c, labels: rename(c.labels as string[]), defaultGuidance: 1 }
    : {
        ...c,
        defaultGuidance: 1,
        groups: (c.groups as Json[]).map((g) => {
          const titles = rename(g.titles as string[]);
          return {
            ...g,
            titles,
            ids: titles.map((x) =>
              x
                .toLowerCase()
                .replace(/[^a-z0-9]+/g, '-')
                .replace(/^-|-$/g, ''),
            ),
          };
        }),
      };
  const manifest = { ...base, id: 'fashion-reordered', name: 'Fashion reordered', conditioning };
  return Buffer.from(
    zipSync({
      'model.json': strToU8(JSON.stringify(manifest)),
      'model.onnx': new Uint8Array(onnx),
    }),
  );
}

const selectedText = (page: Page, label: string) =>
  page
    .getByLabel(label, { exact: true })
    .evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '');
const guidance = (page: Page) => page.getByLabel('Guidance', { exact: true }).inputValue();
const note = (page: Page) => page.getByTestId('label-note');

describe('switching models', () => {
  const app = useApp({ webgpu: false });

  it('runs an imported model at its own default guidance, not the previous model’s', async () => {
    const page = await app.open();
    await page.getByTestId('tab-models').click();
    await page
      .getByTestId('import-input')
      .setInputFiles([{ name: 'variant.zip', mimeType: 'application/zip', buffer: variantZip() }]);
    await expect
      .poll(() => page.getByTestId('import-status').textContent(), { timeout: 120_000 })
      .toContain('Imported “Fashion reordered”');

    await page.getByTestId('tab-generate').click();
    await page.getByLabel('Model', { exact: true }).selectOption('fashion-28');
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Bag' });
    expect(await guidance(page)).toBe('1.5');
    // The imported model asks for guidance 1; it must not run at the previous model's 1.5.
    await page.getByLabel('Model', { exact: true }).selectOption('fashion-reordered');
    expect(await guidance(page)).toBe('1');
    await page.getByLabel('Model', { exact: true }).selectOption('fashion-28');
    expect(await guidance(page)).toBe('1.5');
  }, 300_000);

  it('keeps the class by name or resets it visibly', async () => {
    const { page } = app.browser;
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Trouser' });

    // Trouser is index 1 here and index 3 there: the choice follows the name.
    await page.getByLabel('Model', { exact: true }).selectOption('fashion-reordered');
    expect(await selectedText(page, 'Class')).toBe('Trouser');
    expect(await note(page).isVisible()).toBe(false);
    await runSize(page, 3, 1);
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Trouser' });
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    expect(await page.getByTestId('result-caption').textContent()).toMatch(
      /^seed \d+, Trouser · made with Fashion reordered$/,
    );

    // Back on the built-in model: Trouser again, guidance 1.5. Sneaker is not in the variant: reset, and said so.
    await page.getByLabel('Model', { exact: true }).selectOption('fashion-28');
    expect(await selectedText(page, 'Class')).toBe('Trouser');
    expect(await guidance(page)).toBe('1.5');
    await page.getByLabel('Class', { exact: true }).selectOption({ label: 'Sneaker' });
    await page.getByLabel('Model', { exact: true }).selectOption('fashion-reordered');
    expect(await selectedText(page, 'Class')).toBe('Any class');
    expect(await note(page).textContent()).toMatch(
      /Fashion reordered has no class “Sneaker”: reset to Any\./,
    );
    // With every label on Any, guidance is off and says why.
    expect(await page.getByLabel('Guidance', { exact: true }).isDisabled()).toBe(true);
    expect(await page.getByText(/Off while every label is “Any”/).isVisible()).toBe(true);
    await page.getByLabel('Model', { exact: true }).scrollIntoViewIfNeeded();
    await screenshot(page, 'generate-model-switch');

    // Removing the model whose images are shown takes them off the screen.
    await page.getByTestId('tab-models').click();
    page.once('dialog', (d) => void d.accept());
    await page.getByRole('button', { name: 'Remove Fashion reordered' }).click();
    await expect
      .poll(() => page.getByTestId('model-list').locator('li[data-id="fashion-reordered"]').count())
      .toBe(0);
    await page.getByTestId('tab-generate').click();
    // The removed model's place goes to the app's default.
    expect(await page.getByLabel('Model', { exact: true }).inputValue()).toBe(DEFAULT_MODEL);
    expect(await page.locator('.cell').count()).toBe(0);
    expect(await page.getByText('Your images appear here.', { exact: false }).isVisible()).toBe(
      true,
    );

    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 300_000);
});
