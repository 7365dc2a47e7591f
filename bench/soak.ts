/**
 * `npm run bench:soak` (and the soak section of `npm run bench`): 100
 * consecutive generations in the CLI's code path (Node) and in the built app
 * (headless Chromium), recording memory every 10 generations. The goal is no
 * growth beyond noise. Prints a Markdown table and writes bench/SOAK.md.
 *
 * - CLI: `run()` of src/cli/generate.ts, as `npm run generate` calls it,
 *   4 images × 10 steps, onnxruntime-web WASM (the default engine). JS heap
 *   after a forced GC (node --expose-gc), RSS, and the kernels' WASM memory.
 * - Browser: the Generate button, 2 images × 5 steps, WASM backend. The
 *   page's JS heap (performance.memory), the whole app's memory as Chromium
 *   measures it (performance.measureUserAgentSpecificMemory: page, workers
 *   and their WASM; "–" when it does not answer within 30 s), and the
 *   proportional set size (PSS) of the Chromium processes.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from '../src/cli/args.ts';
import { run } from '../src/cli/generate.ts';
import { loadSamplingKernels } from '../src/runtime/sampling.ts';
import type { KernelExports } from '../src/runtime/wasm-kernels.ts';
import {
  launchApp,
  openInstalled,
  serveApp,
  smallRun,
  waitForRunEnd,
} from '../test/browser/app-helpers.ts';

const GENERATIONS = 100;
const EVERY = 10;
const MiB = 2 ** 20;

interface Sample {
  gen: number;
  heap: number;
  rss: number;
  wasm?: number;
}

const quiet = { note: () => undefined, update: () => undefined, done: () => undefined };
const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);

async function soakCli(): Promise<Sample[]> {
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  const samples: Sample[] = [];
  try {
    for (let gen = 0; gen <= GENERATIONS; gen++) {
      // Generation 0 is the warm-up; samples start after it.
      await run(
        parseArgs([
          '--model',
          'fashion-28',
          '--n',
          '4',
          '--steps',
          '10',
          '--seed',
          String(gen),
          '--out',
          join(dir, 'x.png'),
        ]),
        quiet,
      );
      if (gen % EVERY === 0) {
        gc();
        const kernels = (await loadSamplingKernels()) as unknown as { exports?: KernelExports };
        samples.push({
          gen,
          heap: process.memoryUsage().heapUsed,
          rss: process.memoryUsage().rss,
          wasm: kernels.exports?.memory.buffer.byteLength,
        });
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

/**
 * Memory of every Chromium process of the soak (their command lines name the
 * temporary profile), as the sum of their proportional set sizes: plain RSS
 * counts the memory they share once per process.
 */
function chromiumPss(): number {
  const out = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' });
  let sum = 0;
  for (const line of out.split('\n')) {
    if (!line.includes('chromium') || !line.includes('diffuse-browser-')) continue;
    const pid = line.trim().split(/\s+/)[0];
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      sum += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // The process ended between ps and the read.
    }
  }
  return sum;
}

async function soakBrowser(): Promise<Sample[]> {
  const server = await serveApp();
  const browser = await launchApp({ webgpu: false });
  const samples: Sample[] = [];
  try {
    const { page } = browser;
    await openInstalled(page, server.url);
    await smallRun(page, 5, 2);
    for (let gen = 0; gen <= GENERATIONS; gen++) {
      // Clear the progress line first: the last run's "Done" would otherwise end the wait at once.
      await page.evaluate(() => {
        const p = document.querySelector('[data-testid="progress-text"]');
        if (p) p.textContent = '';
      });
      await page.getByTestId('generate').click();
      await waitForRunEnd(page, /^(Done|Failed)/, 120_000, 100);
      if (gen % EVERY !== 0) continue;
      const measured = await page.evaluate(async () => {
        const perf = performance as Performance & {
          memory?: { usedJSHeapSize: number };
          measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
        };
        const total = perf.measureUserAgentSpecificMemory
          ? await Promise.race([
              perf.measureUserAgentSpecificMemory().then((m) => m.bytes),
              new Promise<undefined>((ok) => setTimeout(() => ok(undefined), 30_000)),
            ])
          : undefined;
        return { heap: perf.memory?.usedJSHeapSize ?? 0, total };
      });
      samples.push({
        gen,
        heap: measured.heap,
        rss: chromiumPss(),
        ...(measured.total === undefined ? {} : { wasm: measured.total }),
      });
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return samples;
}

const mib = (b: number | undefined) => (b === undefined ? '–' : (b / MiB).toFixed(1));
const growth = (s: Sample[], key: 'heap' | 'rss' | 'wasm') => {
  const first = s[1]?.[key];
  const last = s[s.length - 1]?.[key];
  return first === undefined || last === undefined
    ? '–'
    : `${last >= first ? '+' : ''}${((last - first) / MiB).toFixed(1)}`;
};

function table(cli: Sample[], web: Sample[]): string {
  const rows = [
    '| generations | CLI JS heap (MiB) | CLI RSS (MiB) | CLI kernels WASM (MiB) | app page JS heap (MiB) | app total, UA-measured (MiB) | Chromium PSS (MiB) |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (let i = 0; i < Math.max(cli.length, web.length); i++) {
    const c = cli[i];
    const w = web[i];
    rows.push(
      `| ${c?.gen ?? w?.gen} | ${mib(c?.heap)} | ${mib(c?.rss)} | ${mib(c?.wasm)} | ${mib(w?.heap)} | ${mib(w?.wasm)} | ${mib(w?.rss)} |`,
    );
  }
  rows.push(
    `| growth 10 → ${GENERATIONS} | ${growth(cli, 'heap')} | ${growth(cli, 'rss')} | ${growth(cli, 'wasm')} | ${growth(web, 'heap')} | ${growth(web, 'wasm')} | ${growth(web, 'rss')} |`,
  );
  return rows.join('\n');
}

export async function soak(): Promise<string> {
  const cli = await soakCli();
  const web = await soakBrowser();
  return table(cli, web);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await soak();
  console.log(result);
  const date = new Date().toISOString().slice(0, 10);
  writeFileSync(
    'bench/SOAK.md',
    `# Soak: ${GENERATIONS} consecutive generations\n\nMeasured with \`npm run bench:soak\` on ${date} (see bench/soak.ts for what each column is).\nGrowth is from generation 10 (after warm-up) to ${GENERATIONS}.\n\n${result}\n`,
  );
  console.log('\nwrote bench/SOAK.md');
}
