/**
 * Accessibility basics on every screen: each control has an accessible name,
 * keyboard focus is visible, the tabs work with arrow keys, reduced motion
 * turns transitions off, and the theme toggle switches light and dark.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { foreignRequests, screenshot, useApp } from './app-helpers.ts';

/** Visible controls that have no accessible name (label, aria-label(ledby), or text). */
function unnamedControls(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('button, input, select, textarea, [role="tab"], [role="radio"]')) {
      if (el.closest('[hidden]') || (el as HTMLInputElement).hidden || el.getClientRects().length === 0) continue;
      const labelled = el.getAttribute('aria-labelledby')?.split(' ').some((id) => document.getElementById(id)?.textContent?.trim());
      const labels = (el as HTMLInputElement).labels;
      const named =
        Boolean(el.getAttribute('aria-label')?.trim()) ||
        Boolean(labelled) ||
        Boolean(labels && [...labels].some((l) => l.textContent?.trim())) ||
        (el.tagName === 'BUTTON' && Boolean(el.textContent?.trim()));
      if (!named) out.push(el.outerHTML.slice(0, 120));
    }
    return out;
  });
}

describe('accessibility', () => {
  const app = useApp({ webgpu: false });

  it('names every control, shows focus, works by keyboard, and honours theme and reduced motion', async () => {
    const page = await app.open();
    for (const tab of ['generate', 'explore', 'gallery', 'models']) {
      await page.getByTestId(`tab-${tab}`).click();
      await page.waitForSelector(`#panel-${tab}:not([hidden])`);
      expect(await unnamedControls(page), `unnamed controls on ${tab}`).toEqual([]);
    }

    // Arrow keys move between tabs; the selected tab is the one in the tab order.
    await page.getByTestId('tab-models').focus();
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByTestId('tab-gallery').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByTestId('tab-explore').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-explore');
    await page.keyboard.press('ArrowLeft');
    expect(await page.getByTestId('tab-generate').getAttribute('aria-selected')).toBe('true');

    // Keyboard focus is drawn.
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el !== document.body ? getComputedStyle(el).outlineStyle : 'none';
    });
    expect(outline).not.toBe('none');

    // Theme: the toggle cycles system → light → dark, and the choice persists.
    await page.emulateMedia({ colorScheme: 'light' });
    const toggle = page.getByRole('button', { name: /^Theme:/ });
    while ((await toggle.getAttribute('aria-label')) !== 'Theme: dark') await toggle.click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    await page.waitForSelector('[data-testid="backend-status"][data-backend]');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await screenshot(page, 'generate-dark', { top: true });
    await page.getByRole('button', { name: 'Theme: dark' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');

    // Reduced motion: no transitions.
    const transition = () => page.evaluate(() => getComputedStyle(document.querySelector('.button') as Element).transitionDuration);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    expect(await transition()).not.toBe('0s');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await transition()).toBe('0s');

    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 300_000);
});
