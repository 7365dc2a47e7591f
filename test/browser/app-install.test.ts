/**
 * Installability: the web app manifest and its icons, the service worker
 * (active, controlling, precaching the app, the ORT files and the model),
 * Chromium's own installability check, and the update flow: a new service
 * worker waits, the page offers "Update available — Reload", and only then
 * switches.
 */
import { describe, expect, it } from 'vitest';
import { foreignRequests, openInstalled, runSize, screenshot, useApp } from './app-helpers.ts';

interface WebManifest {
  name: string;
  short_name: string;
  start_url: string;
  display: string;
  theme_color: string;
  background_color: string;
  icons: { src: string; sizes: string; type: string; purpose?: string }[];
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(buf: Buffer): { width: number; height: number } {
  expect(buf.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

describe('installable PWA', () => {
  const app = useApp({ webgpu: false });

  it('has a complete manifest, a precaching service worker, and passes Chromium’s installability check', async () => {
    const { page, context } = app.browser;
    await openInstalled(page, app.server.url);

    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const manifestUrl = new URL(href ?? '', app.server.url).href;
    const manifest = (await (await context.request.get(manifestUrl)).json()) as WebManifest;
    expect(manifest.name).toMatch(/Diffuse/);
    expect(manifest.short_name).toBe('Diffuse');
    expect(manifest.display).toBe('standalone');
    expect(manifest.start_url).toBe('./');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    for (const [size, purpose] of [[192, 'any'], [512, 'any'], [512, 'maskable']] as const) {
      const icon = manifest.icons.find((i) => i.sizes === `${size}x${size}` && (i.purpose ?? 'any') === purpose);
      expect(icon, `${size} ${purpose} icon`).toBeDefined();
      const res = await context.request.get(new URL(icon?.src ?? '', manifestUrl).href);
      expect(res.headers()['content-type']).toBe('image/png');
      expect(pngSize(await res.body())).toEqual({ width: size, height: size });
    }

    const sw = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.ready;
      const keys = (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys()).map((r) => r.url)))).flat();
      return { state: reg.active?.state, scope: reg.scope, controlled: Boolean(navigator.serviceWorker.controller), cached: keys };
    });
    expect(sw.state).toBe('activated');
    expect(sw.scope).toBe(app.server.url);
    expect(sw.controlled).toBe(true);
    const cached = sw.cached.map((u) => new URL(u).pathname);
    expect(cached).toContain('/index.html');
    expect(cached).toContain('/models/fashion-28/model.onnx');
    expect(cached).toContain('/models/fashion-28/model.json');
    expect(cached.some((p) => /\/ort-wasm-simd-threaded-[\w-]+\.wasm$/.test(p))).toBe(true);
    // onnxruntime's WebGPU build is neither precached nor fetched by a device that runs on the CPU.
    expect(cached.filter((p) => p.includes('asyncify'))).toEqual([]);
    expect(app.browser.requests.filter((u) => u.includes('asyncify') && u.endsWith('.wasm'))).toEqual([]);
    expect(cached).toContain('/samples/fashion-0.png');

    // Every response the service worker serves carries COOP/COEP.
    const headers = await page.evaluate(async () => {
      const r = await fetch('./index.html');
      return { coop: r.headers.get('cross-origin-opener-policy'), coep: r.headers.get('cross-origin-embedder-policy') };
    });
    expect(headers).toEqual({ coop: 'same-origin', coep: 'require-corp' });

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    expect(installabilityErrors.map((e) => e.errorId)).toEqual([]);
    const appManifest = (await cdp.send('Page.getAppManifest')) as { errors: { message: string }[] };
    expect(appManifest.errors).toEqual([]);

    expect(foreignRequests(app.browser.requests, app.server.origin)).toEqual([]);
  }, 300_000);

  it('offers an update and switches only when asked', async () => {
    const { page } = app.browser;
    const banner = page.getByTestId('update-banner');
    expect(await banner.isVisible()).toBe(false);
    const before = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);

    app.server.setServiceWorkerSuffix(`// version ${Date.now()}`);
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    await expect.poll(() => banner.isVisible(), { timeout: 120_000 }).toBe(true);
    expect(await banner.textContent()).toMatch(/Update available/);
    await screenshot(page, 'update-available');
    // Still the old worker in control while the banner waits.
    const waiting = await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting));
    expect(waiting).toBe(true);

    const reloaded = page.waitForEvent('load', { timeout: 120_000 });
    await banner.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await page.waitForSelector('html[data-sw="controlled"]', { state: 'attached' });
    const after = await page.evaluate(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      return { waiting: Boolean(reg?.waiting), url: reg?.active?.scriptURL, isolated: window.crossOriginIsolated };
    });
    expect(after).toEqual({ waiting: false, url: before, isolated: true });
    expect(await banner.isVisible()).toBe(false);
  }, 300_000);

  it('asks before a reload stops a run, and a second tab still switches after the first one did', async () => {
    const { page, context } = app.browser;
    const other = await context.newPage();
    await openInstalled(other, app.server.url);
    app.server.setServiceWorkerSuffix(`// version ${Date.now()}`);
    await page.evaluate(async () => (await navigator.serviceWorker.ready).update());
    for (const p of [page, other])
      await expect.poll(() => p.getByTestId('update-banner').isVisible(), { timeout: 120_000 }).toBe(true);

    // A run going: Reload asks, and "Cancel" keeps the page and its run.
    await runSize(page, 400, 4);
    await page.getByTestId('generate').click();
    await page.waitForFunction(() => /^Step \d/.test(document.querySelector('[data-testid="progress-text"]')?.textContent ?? ''), undefined, {
      timeout: 120_000,
    });
    await page.evaluate(() => ((window as unknown as { __kept: boolean }).__kept = true));
    const asked = page.waitForEvent('dialog').then(async (d) => {
      const message = d.message();
      await d.dismiss();
      return message;
    });
    await page.getByTestId('update-banner').getByRole('button', { name: 'Reload' }).click();
    expect(await asked).toBe('A generation is running, and reloading stops it. Reload now?');
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __kept?: boolean }).__kept)).toBe(true);
    expect(await page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting))).toBe(true);
    await page.getByTestId('generate').click();
    await expect.poll(() => page.getByTestId('progress-text').textContent()).toBe('Cancelled');

    // The other tab switches first; this tab's Reload then finds nothing waiting and reloads into it.
    const otherLoaded = other.waitForEvent('load', { timeout: 120_000 });
    await other.getByTestId('update-banner').getByRole('button', { name: 'Reload' }).click();
    await otherLoaded;
    await expect
      .poll(() => page.evaluate(async () => Boolean((await navigator.serviceWorker.getRegistration())?.waiting)), { timeout: 60_000 })
      .toBe(false);
    const reloaded = page.waitForEvent('load', { timeout: 120_000 });
    await page.getByTestId('update-banner').getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    await page.waitForSelector('html[data-sw="controlled"]', { state: 'attached' });
    expect(await page.evaluate(() => (window as unknown as { __kept?: boolean }).__kept)).toBeUndefined();
    await other.close();
  }, 300_000);
});
