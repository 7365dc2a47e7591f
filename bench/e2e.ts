/**
 * End-to-end benchmark of the built app (`npm run build` first) in headless
 * Chromium through playwright-core, on the CPU (WASM) path, with the app's
 * default model and its default labels.
 * Prints a Markdown table and writes bench/E2E.md.
 *
 * Each scenario runs in REPEATS fresh browsers, each with a fresh profile: a
 * first visit installs the service worker (and makes the page cross-origin
 * isolated), then the browser goes offline and the app is opened again, as a
 * person opening the installed app. Then:
 * - open → first image: from navigation to the first finished 20-step image
 *   (1 image), pressing Generate as soon as the model is ready ("at once")
 *   or 1 s after the worker's warm-up ends ("after N s"); the "later open"
 *   scenario first makes 5 generations on the first visit, so that whatever
 *   Chromium keeps of the compiled WASM code can serve the second open;
 * - first vs later generations: ms per step of that first generation (and
 *   its first step) against the median of the next 3;
 * - images/s at 16: a 16-image, 20-step generation (the second of two);
 * - outside the denoiser: 1 − (time in the denoiser ÷ the generation's time),
 *   from the worker's 'diffuse:generation' User Timing measure
 *   (src/runtime/run-clock.ts): sampler kernels, messaging, previews, drawing;
 * - longest main-thread task: Chromium's longtask entries (≥ 50 ms) from
 *   opening to the end, "< 50" when there were none.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { WARM_UP_MS } from '../src/runtime/generator.ts';
import { GENERATION_MEASURE } from '../src/runtime/run-clock.ts';
import {
  launchApp,
  longestTaskSince,
  openInstalled,
  serveApp,
  runSize,
  waitForRunEnd,
} from '../test/browser/app-helpers.ts';
import { DEFAULT_MODEL } from '../test/support/shipped.ts';
import { median, quantile } from './stats.ts';

const STEPS = 20;
/** Past the worker's warm-up, which starts when the model is ready. */
const WARM_WAIT_MS = WARM_UP_MS + 1000;
/** Fresh browsers per scenario: one run's first generation is a single noisy sample on a shared machine. */
const REPEATS = Number(process.env.E2E_REPEATS ?? 3);

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
  await waitForRunEnd(page, /^(Done|Failed|Cancelled)/, 300_000, 50);
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

interface Setup {
  name: string;
  /** ms between the model being ready and pressing Generate. */
  wait: number;
  /** Generations on the first visit, before the app is opened again (a returning user). */
  before: number;
}

async function scenario(url: string, { name, wait, before }: Setup): Promise<Scenario> {
  const browser = await launchApp({ webgpu: false });
  try {
    const { page, context } = browser;
    await openInstalled(page, url);
    if (before) {
      await runSize(page, STEPS, 4);
      for (let i = 0; i < before; i++) await run(page, 4);
      // V8 writes tiered-up WASM code to the cache in the background after it compiles it.
      await page.waitForTimeout(WARM_WAIT_MS);
    }
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
    await runSize(page, STEPS, 1);
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
const setups: Setup[] = [
  { name: 'First open: Generate at once', wait: 0, before: 0 },
  { name: `First open: Generate after ${WARM_WAIT_MS / 1000} s`, wait: WARM_WAIT_MS, before: 0 },
  { name: 'Later open (after 5 generations): Generate at once', wait: 0, before: 5 },
];
const names = setups.map((s) => s.name);
const runs: Scenario[][] = setups.map(() => []);
try {
  // Scenarios interleaved, so a burst of load elsewhere does not land on one of them only.
  for (let r = 0; r < REPEATS; r++)
    for (const [i, setup] of setups.entries()) runs[i]!.push(await scenario(server.url, setup));
} finally {
  await server.close();
}

const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));
/** Median with the range over the repeats, when there are several. */
const m = (xs: number[], fmt: (v: number) => string, unit = '') =>
  xs.length > 1
    ? `${fmt(median(xs))}${unit} [${fmt(quantile(xs, 0))}–${fmt(quantile(xs, 1))}]`
    : `${fmt(xs[0]!)}${unit}`;
const lines = [
  '| scenario | open → first image (s) | first generation, ms/step (its first step) | later generations, ms/step | first ÷ later | 16 images × 20 steps (images/s) | outside the denoiser (16 images) | longest main-thread task |',
  '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ...runs.map((rs, i) => {
    const col = (fn: (r: Scenario) => number) => rs.map(fn);
    const firstPerStep = (r: Scenario) => r.first.ms / STEPS;
    const longest = Math.max(...col((r) => r.longestTask));
    return `| ${names[i]} | ${m(
      col((r) => r.openToImage / 1000),
      (v) => v.toFixed(2),
    )} | ${m(col(firstPerStep), f)} (${m(
      col((r) => r.first.stepsMs[0] ?? 0),
      f,
    )}) | ${m(
      col((r) => r.later),
      f,
    )} | ${m(
      col((r) => firstPerStep(r) / r.later),
      (v) => v.toFixed(2),
      '×',
    )} | ${m(
      col((r) => (16 * 1000) / r.sixteen.ms),
      (v) => v.toFixed(1),
    )} | ${m(
      col((r) => 100 * (1 - r.sixteen.denoiseMs / r.sixteen.ms)),
      (v) => v.toFixed(1),
      ' %',
    )} | ${longest ? `${f(longest)} ms (worst)` : '< 50 ms'} |`;
  }),
];
const table = lines.join('\n');
const md = `# End to end in the built app

Default model (${DEFAULT_MODEL}, default labels), WASM backend (headless Chromium; threads per the app's rule, src/runtime/backends.ts), ${STEPS} steps; each scenario in ${REPEATS} fresh browsers, interleaved: median [min–max]; load average ${loadBefore} before, ${load()} after (shared machine). See bench/e2e.ts for what each column measures.

${table}
`;
console.log(`\n${table}\n`);
writeFileSync('bench/E2E.md', md);
console.log('wrote bench/E2E.md');
