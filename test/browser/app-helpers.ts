/**
 * Helpers for the app's end-to-end tests: a static server for dist/ (no
 * COOP/COEP headers of its own, so the service worker has to provide them),
 * Debian's Chromium through playwright-core at a phone viewport, and
 * recorders for requests and long tasks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from './helpers.ts';

export const DIST = resolve(import.meta.dirname, '../../dist');
/** Test artifacts: a phone-size screenshot of each screen (docs/screenshots holds the README's). */
export const SCREENSHOTS = resolve(import.meta.dirname, '../../test-results/screenshots');
export const PHONE = { width: 390, height: 844 };

export interface AppServer {
  url: string;
  origin: string;
  /** Appended to sw.js, so the next update check finds a new service worker. */
  setServiceWorkerSuffix(text: string): void;
  close(): Promise<void>;
}

export async function serveApp(dir = DIST): Promise<AppServer> {
  if (!existsSync(join(dir, 'index.html')) || !existsSync(join(dir, 'sw.js'))) {
    throw new Error(`${dir} holds no built app: run \`npm run build\` first`);
  }
  const files = sirv(dir, { dev: false, etag: true, gzip: false, brotli: false });
  let swSuffix = '';
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.split('?')[0] === '/sw.js' && swSuffix) {
      void readFile(join(dir, 'sw.js'), 'utf8').then((body) => {
        res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-cache' });
        res.end(`${body}\n${swSuffix}\n`);
      });
      return;
    }
    files(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/`,
    origin,
    setServiceWorkerSuffix(text) {
      swSuffix = text;
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

export type AppBrowser = LaunchedBrowser & {
  /** Content-Security-Policy violations seen so far (useApp fails the test that caused any). */
  cspViolations: string[];
};

/**
 * Records every Content-Security-Policy violation: the page's
 * securitypolicyviolation events (reported through a binding, so they
 * survive reloads), and the workers' (a listener added to each worker as it
 * starts reports through the worker's console). A DevTools session of our
 * own would see more, but it breaks Playwright's offline emulation.
 */
async function recordCspViolations(browser: LaunchedBrowser): Promise<string[]> {
  const violations: string[] = [];
  await browser.context.exposeBinding(
    '__cspViolation',
    (_source, text: string) => void violations.push(text),
  );
  await browser.context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __cspViolation(t: string): void }).__cspViolation;
      report(
        `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`,
      );
    });
  });
  const watchWorkers = (page: Page) =>
    page.on('worker', (worker) => {
      worker.on('console', (m) => {
        if (m.text().startsWith('CSP violation in worker:')) violations.push(m.text());
      });
      void worker
        .evaluate(() =>
          self.addEventListener('securitypolicyviolation', (e) =>
            console.error(
              `CSP violation in worker: ${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'}`,
            ),
          ),
        )
        .catch(() => undefined);
    });
  browser.context.pages().forEach(watchWorkers);
  browser.context.on('page', watchWorkers);
  return violations;
}

export async function launchApp(opts: { webgpu: boolean }): Promise<AppBrowser> {
  const browser = await launchBrowser({
    webgpu: opts.webgpu,
    context: {
      viewport: PHONE,
      deviceScaleFactor: 1,
      isMobile: false,
      hasTouch: true,
      serviceWorkers: 'allow',
    },
  });
  await browser.context.addInitScript(() => {
    const w = window as unknown as {
      __longTasks: { start: number; duration: number }[];
      __shifts: { start: number; value: number }[];
    };
    w.__longTasks = [];
    w.__shifts = [];
    // longtask and layout-shift are Chromium's; these tests run on Chromium.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries())
        w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & {
        value: number;
        hadRecentInput: boolean;
      })[]) {
        if (!e.hadRecentInput) w.__shifts.push({ start: e.startTime, value: e.value });
      }
    }).observe({ type: 'layout-shift', buffered: true });
  });
  return Object.assign(browser, { cspViolations: await recordCspViolations(browser) });
}

export interface AppSession {
  readonly server: AppServer;
  readonly browser: AppBrowser;
  /** Opens the installed app in the session's page (see openInstalled) and returns the page. */
  open(): Promise<Page>;
}

/**
 * The built app on a fresh local server and a fresh phone-size Chromium, for
 * the tests of one describe block: started before them, closed after. A test
 * may close the server itself (to go offline); closing twice is harmless.
 */
export function useApp(opts: { webgpu: boolean }): AppSession {
  let server: AppServer | undefined;
  let browser: AppBrowser | undefined;
  beforeAll(async () => {
    server = await serveApp();
    browser = await launchApp(opts);
  });
  // The app's CSP (src/sw/csp.ts) must hold everywhere: any violation fails the test that caused it.
  afterEach(() => {
    const seen = browser?.cspViolations.splice(0) ?? [];
    expect(seen, 'Content-Security-Policy violations').toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close().catch(() => undefined);
  });
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined)
      throw new Error('useApp: the app is not started (beforeAll failed or has not run)');
    return v;
  };
  return {
    get server() {
      return ready(server);
    },
    get browser() {
      return ready(browser);
    },
    async open() {
      const { page } = ready(browser);
      await openInstalled(page, ready(server).url);
      return page;
    },
  };
}

/** Requests that went anywhere but the app's own origin (data: and blob: stay on the device). */
export function foreignRequests(requests: string[], origin: string): string[] {
  return requests.filter(
    (u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'),
  );
}

/** Opens the app and waits until the service worker controls it and the page is cross-origin isolated. */
export async function openInstalled(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('html[data-sw="controlled"][data-isolated="true"]', {
    state: 'attached',
    timeout: 120_000,
  });
  await page.waitForSelector('[data-testid="backend-status"][data-backend]', { timeout: 120_000 });
}

/** Sets `steps` steps and `count` images for the model the app has chosen, leaving its labels as they are. */
export async function runSize(page: Page, steps: number, count: number): Promise<void> {
  await page.getByTestId('tab-generate').click();
  await page.getByLabel('Steps', { exact: true }).fill(String(steps));
  await page.getByLabel('Images', { exact: true }).fill(String(count));
}

/** Sets the controls for a small, fast fashion-28 run: `steps` steps, `count` images, any class. */
export async function smallRun(page: Page, steps: number, count: number): Promise<void> {
  await page.getByTestId('tab-generate').click();
  await page.getByLabel('Model', { exact: true }).selectOption('fashion-28');
  await page.getByLabel('Class', { exact: true }).selectOption({ index: 0 });
  await runSize(page, steps, count);
}

/** Sets the controls for a small emoji run on `model` (emoji-32 or a copy): Animals & Nature in Noto, `steps` steps, `count` images. */
export async function pickEmojiRun(
  page: Page,
  model = 'emoji-32',
  steps = 3,
  count = 1,
): Promise<void> {
  await page.getByTestId('tab-generate').click();
  await page.getByLabel('Model', { exact: true }).selectOption(model);
  await page.getByLabel('Category', { exact: true }).selectOption({ label: 'Animals & Nature' });
  await page.getByLabel('Style', { exact: true }).selectOption({ label: 'Noto' });
  await page.getByLabel('Steps', { exact: true }).fill(String(steps));
  await page.getByLabel('Images', { exact: true }).fill(String(count));
}

/** The RGBA8 pixels of every canvas `selector` matches, in document order. */
export function canvasPixels(page: Page, selector: string): Promise<number[][]> {
  return page.evaluate(
    (sel) =>
      [...document.querySelectorAll<HTMLCanvasElement>(sel)].map((c) =>
        Array.from(c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? []),
      ),
    selector,
  );
}

/**
 * Where the Generate screen stands: the progress text, the bar, the button
 * ("Cancel" while the page still waits for its run), the stage caption, the
 * title and the error line. It tells a run that never ended from one whose
 * end was not shown.
 */
export function generateScreenState(page: Page): Promise<string> {
  // No named functions inside: tsx (bench scripts) would wrap them in a helper the page lacks.
  return page.evaluate(() => {
    const [text, bar, button, caption, error] = [
      'progress-text',
      'progress',
      'generate',
      'result-caption',
      'generate-error',
    ].map((id) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`));
    const { value, max } = (bar ?? {}) as Partial<HTMLProgressElement>;
    return [
      `progress text "${text?.textContent ?? ''}"`,
      `bar ${value ?? '?'}/${max ?? '?'}`,
      `button "${button?.textContent ?? ''}"`,
      `caption "${caption?.textContent ?? ''}"`,
      `title "${document.title}"`,
      error && !error.hidden ? `error "${error.textContent ?? ''}"` : 'no error',
    ].join(', ');
  });
}

/**
 * Waits until the progress text matches `end`; a timeout fails with where the
 * screen stopped. Benchmarks that time the run poll more often than tests.
 */
export async function waitForRunEnd(
  page: Page,
  end: RegExp,
  timeout = 240_000,
  polling = 250,
): Promise<void> {
  try {
    await page.waitForFunction(
      (source) =>
        new RegExp(source).test(
          document.querySelector('[data-testid="progress-text"]')?.textContent ?? '',
        ),
      end.source,
      { timeout, polling },
    );
  } catch (e) {
    const state = await generateScreenState(page).catch(
      (why: unknown) => `unreadable (${String(why)})`,
    );
    throw new Error(`The run did not reach ${end} within ${timeout / 1000} s: ${state}`, {
      cause: e,
    });
  }
}

/** Presses Generate and waits for the run to finish; returns the progress text (and the error, if it failed). */
export async function generate(page: Page): Promise<string> {
  await page.getByTestId('generate').click();
  await waitForRunEnd(page, /^(Done|Failed)/);
  const progress = (await page.getByTestId('progress-text').textContent()) ?? '';
  const error = page.getByTestId('generate-error');
  return (await error.isVisible()) ? `${progress}: ${await error.textContent()}` : progress;
}

/** Longest long task (ms) the page recorded since `since` (performance.now() time), 0 if none. */
export async function longestTaskSince(page: Page, since: number): Promise<number> {
  return page.evaluate((t0) => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    return w.__longTasks.filter((e) => e.start >= t0).reduce((m, e) => Math.max(m, e.duration), 0);
  }, since);
}

/** Cumulative layout shift (not caused by input) since `since`. */
export async function layoutShiftSince(page: Page, since: number): Promise<number> {
  return page.evaluate((t0) => {
    const w = window as unknown as { __shifts: { start: number; value: number }[] };
    return w.__shifts.filter((e) => e.start >= t0).reduce((s, e) => s + e.value, 0);
  }, since);
}

export async function screenshot(
  page: Page,
  name: string,
  opts: { top?: boolean } = {},
): Promise<void> {
  if (opts.top) await page.evaluate(() => window.scrollTo(0, 0));
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
