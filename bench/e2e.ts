/**
 * End-to-end benchmark of the built app (`npm run build` first) in headless
 * Chromium through playwright-core, on the CPU (WASM) path, default model.
 * Prints a Markdown table and writes bench/E2E.md.
 *
 * Each scenario is a fresh browser with a fresh profile: a first visit
 * installs the service worker (and makes the page cross-origin isolated),
 * then the browser goes offline and the app is opened again, as a person
 * opening the installed app. Then:
 * - open → first image: from navigation to the first finished 20-step image
 *   (1 image), pressing Generate as soon as the model is ready ("at once")
 *   or 2 s later, after the worker's warm-up ("after 2 s");
 * - first vs later generations: ms per step of that first generation (and
 *   its first step) against the median of the next 3;
 * - images/s at 16: a 16-image, 20-step generation (the second of two);
 * - outside the denoiser: 1 − (time in the denoiser ÷ the generation's time),
 *   from the worker's 'diffuse:generation' User Timing measure
 *   (src/runtime/generator.ts): sampler kernels, messaging, previews, drawing;
 * - longest main-thread task: Chromium's longtask entries (≥ 50 ms) from
 *   opening to the end, "< 50" when there were none.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { GENERATION_MEASURE } from '../src/runtime/generator.ts';
import {
  launchApp,
  longestTaskSince,
  openInstalled,
  serveApp,
  smallRun,
} from '../test/browser/app-helpers.ts';
import { median } from './stats.ts';

const STEPS = 20;
const WARM_WAIT_MS = 2000;

interface Generation {
  ms: number;
  denoiseMs: number;
  stepsMs: number[];
  count: number;
}

/** The latest generation's measure, from whichever worker holds it. */
async function lastGeneration(page: Page): Promise<Generation> {
  for (const worker of page.workers()) {
    const found = await worker
      .evaluate((name) => {
        const m = performance.getEntriesByName(name).at(-1) as PerformanceMeasure | undefined;
        return m
          ? {
              ms: m.duration,
              ...(m.detail as { denoiseMs: number; stepsMs: number[]; count: number }),
            }
          : null;
      }, GENERATION_MEASURE)
      .catch(() => null);
    if (found) return found;
  }
  throw new Error(`e2e: no ${GENERATION_MEASURE} measure in any worker`);
}

/** One generation of `count` images; the progress text is cleared first, so a previous "Done" is not taken for this one. */
async function run(page: Page, count: number): Promise<Generation> {
  await page.getByLabel('Images', { exact: true }).fill(String(count));
  await page.getByTestId('progress-text').evaluate((e) => (e.textContent = ''));
  await page.getByTestId('generate').click();
  await page.waitForFunction(
    () =>
      /^(Done|Failed|Cancelled)/.test(
        document.querySelector('[data-testid="progress-text"]')?.textContent ?? '',
      ),
    undefined,
    { timeout: 300_000, polling: 50 },
  );
  const text = (await page.getByTestId('progress-text').textContent()) ?? '';
  if (!text.startsWith('Done')) throw new Error(`e2e: generation did not finish: ${text}`);
  return lastGeneration(page);
}

interface Scenario {
  name: string;
  openToImage: number;
  first: Generation;
  later: number;
  sixteen: Generation;
  longestTask: number;
}

async function scenario(url: string, wait: number, name: string): Promise<Scenario> {
  const browser = await launchApp({ webgpu: false });
  try {
    const { page, context } = browser;
    await openInstalled(page, url);
    await context.setOffline(true);
    const t0 = Date.now();
    await page.reload();
    await page.waitForSelector('html[data-sw="controlled"][data-isolated="true"]', {
      state: 'attached',
    });
    await page.waitForSelector('[data-testid="backend-status"][data-backend="wasm"]', {
      timeout: 120_000,
    });
    const since = await page.evaluate(() => performance.now() - 0);
    await smallRun(page, STEPS, 1);
    if (wait) await page.waitForTimeout(wait);
    const first = await run(page, 1);
    const openToImage = Date.now() - t0;
    console.log(
      name,
      'first generation steps, ms:',
      first.stepsMs.map((v) => Math.round(v)).join(' '),
    );
    const later: number[] = [];
    for (let i = 0; i < 3; i++) later.push((await run(page, 1)).ms / STEPS);
    await run(page, 16);
    const sixteen = await run(page, 16);
    const longestTask = Math.max(
      await longestTaskSince(page, 0),
      await longestTaskSince(page, since),
    );
    return { name, openToImage, first, later: median(later), sixteen, longestTask };
  } finally {
    await browser.close();
  }
}

const server = await serveApp();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const loadBefore = load();
const results: Scenario[] = [];
try {
  results.push(await scenario(server.url, 0, 'Generate at once'));
  results.push(await scenario(server.url, WARM_WAIT_MS, `Generate after ${WARM_WAIT_MS / 1000} s`));
} finally {
  await server.close();
}

const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
const lines = [
  '| scenario | open → first image | first generation, ms/step (its first step) | later generations, ms/step | first ÷ later | 16 images × 20 steps | outside the denoiser (16 images) | longest main-thread task |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...results.map((r) => {
    const firstPerStep = r.first.ms / STEPS;
    const outside = 1 - r.sixteen.denoiseMs / r.sixteen.ms;
    return `| ${r.name} | ${(r.openToImage / 1000).toFixed(2)} s | ${f(firstPerStep)} (${f(r.first.stepsMs[0] ?? 0)}) | ${f(r.later)} | ${(firstPerStep / r.later).toFixed(2)}× | ${(r.sixteen.ms / 1000).toFixed(2)} s, ${((16 * 1000) / r.sixteen.ms).toFixed(1)} images/s | ${(100 * outside).toFixed(1)} % | ${r.longestTask ? `${f(r.longestTask)} ms` : '< 50 ms'} |`;
  }),
];
const table = lines.join('\n');
const md = `# End to end in the built app

Default model, WASM backend (headless Chromium; threads per the app's rule, src/runtime/backends.ts), ${STEPS} steps; load average ${loadBefore} before, ${load()} after (shared machine). See bench/e2e.ts for what each column measures.

${table}
`;
console.log(`\n${table}\n`);
writeFileSync('bench/E2E.md', md);
console.log('wrote bench/E2E.md');
