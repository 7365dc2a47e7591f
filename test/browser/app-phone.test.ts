/**
 * The app on a 390 px phone: keyboard focus never sits under the fixed bars,
 * no screen scrolls sideways at 200 % text, the progress line fits, and a run
 * that ends in a background tab says so in the title.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { generate, smallRun, useApp } from './app-helpers.ts';

/** Where focus is now: hidden under a bar (or off screen), or fine. */
function focusCovered(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || el.closest('.tabbar, .action-bar, dialog')) return null;
    const r = el.getBoundingClientRect();
    if (r.height === 0) return null;
    let free = window.innerHeight;
    for (const bar of document.querySelectorAll<HTMLElement>('.tabbar, .action-bar')) {
      if (bar.closest('[hidden]')) continue;
      const b = bar.getBoundingClientRect();
      if (b.height > 0) free = Math.min(free, b.top);
    }
    return r.bottom > free + 1 || r.top < -1
      ? `${el.tagName} "${el.getAttribute('aria-label') ?? el.textContent?.slice(0, 30)}" at ${Math.round(r.top)}..${Math.round(r.bottom)}, free up to ${Math.round(free)}`
      : null;
  });
}

/** The focused element's name, as a person hears it: its label, aria-label or text. */
function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement | null;
    return el?.labels?.[0]?.textContent ?? el?.getAttribute('aria-label') ?? el?.textContent ?? '';
  });
}

/** From the top of the page with nothing focused, presses Tab `presses` times and reads the page after each. */
async function tabThrough<T>(page: Page, presses: number, read: (page: Page) => Promise<T>): Promise<T[]> {
  await page.evaluate(() => {
    (document.activeElement as HTMLElement | null)?.blur();
    window.scrollTo(0, 0);
  });
  const seen: T[] = [];
  for (let i = 0; i < presses; i++) {
    await page.keyboard.press('Tab');
    seen.push(await read(page));
  }
  return seen;
}

const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('on a phone', () => {
  const app = useApp({ webgpu: false });

  it('keeps keyboard focus out from under the tab bar and the Generate bar', async () => {
    const page = await app.open();
    for (const tab of ['generate', 'explore', 'gallery', 'models']) {
      await page.getByTestId(`tab-${tab}`).click();
      const covered = (await tabThrough(page, 30, focusCovered)).filter((c) => c !== null);
      expect(covered, `focus hidden on ${tab}`).toEqual([]);
    }
  }, 120_000);

  it('tabs to Model, the labels and Seed before the secondary actions', async () => {
    const { page } = app.browser;
    await smallRun(page, 3, 1);
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    const order = await tabThrough(page, 25, focusedName);
    const at = (name: string) => order.findIndex((n) => n.startsWith(name));
    expect(at('Model')).toBeGreaterThanOrEqual(0);
    expect(at('Model')).toBeLessThan(at('Class'));
    expect(at('Class')).toBeLessThan(at('Seed'));
    for (const secondary of ['New seed', 'GIF', 'Save all', 'Interpolate'])
      expect(at('Seed'), `Seed before ${secondary} in ${order.join(' | ')}`).toBeLessThan(
        at(secondary) < 0 ? Infinity : at(secondary),
      );
  }, 120_000);

  it('no screen scrolls sideways at 200 % text', async () => {
    const { page } = app.browser;
    await page.evaluate(() => (document.documentElement.style.fontSize = '200%'));
    for (const tab of ['generate', 'explore', 'gallery', 'models']) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.waitForTimeout(200);
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('body *')]
          .filter(
            (e) =>
              e.getClientRects().length &&
              e.getBoundingClientRect().right > document.documentElement.clientWidth + 1,
          )
          .slice(0, 8)
          .map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`),
      );
      expect(
        await overflow(page),
        `sideways overflow on ${tab}: ${wide.join(', ')}`,
      ).toBeLessThanOrEqual(0);
    }
    await page.evaluate(() => (document.documentElement.style.fontSize = ''));
  }, 120_000);

  it('the progress line fits, and a run that ends in a background tab says so in the title', async () => {
    const { page } = app.browser;
    await smallRun(page, 30, 1);
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
      const text = document.querySelector<HTMLElement>('[data-testid="progress-text"]')!;
      const w = window as unknown as { __cut: string[] };
      w.__cut = [];
      new MutationObserver(() => {
        if (text.textContent?.startsWith('Step') && text.scrollWidth > text.clientWidth + 1)
          w.__cut.push(text.textContent);
      }).observe(text, { childList: true, characterData: true, subtree: true });
    });
    expect(await generate(page)).toMatch(/^Done: 1 image/);
    expect(await page.evaluate(() => (window as unknown as { __cut: string[] }).__cut)).toEqual([]);
    expect(await page.title()).toBe('✓ Done: 1 image · Generate · Diffuse');
    await page.evaluate(() => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => false });
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(await page.title()).toBe('Generate · Diffuse');
  }, 120_000);
});
