/**
 * `npm run bench` (`-- --quick` for a shorter pass): the denoiser on every
 * engine (bench/denoiser.ts), cold and steady, with achieved Conv GFLOP/s
 * against the WASM SIMD peak; the AssemblyScript kernels (bench/kernels.ts);
 * and, without --quick, the end-to-end app benchmark (bench/e2e.ts) and the
 * memory soak (bench/soak.ts). Prints the tables and writes bench/RESULTS.md,
 * bench/denoiser.svg and bench/denoiser.json (--quick: the same files under
 * test-results/bench-quick/, and no WebGPU, kernels, e2e or soak).
 * Benchmarks, not tests: numbers depend on the machine, which the file names.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { denoiserChart } from './chart.ts';
import { benchDenoiser, type DenoiserRow } from './denoiser.ts';
import type { ModelSpec } from './engine-ops.ts';
import {
  browserEngine,
  CHECKPOINTS,
  closeServer,
  nodeEngine,
  torchEngine,
  type EngineKind,
} from './engines.ts';
import { measureSimdPeak } from './simd-peak.ts';
import { readModelSpec } from './model-spec.ts';

const quick = process.argv.includes('--quick');
/** --quick writes its results under test-results/ (ignored), so bench/RESULTS.md always holds a full run. */
const outDir = quick ? 'test-results/bench-quick' : 'bench';
mkdirSync(outDir, { recursive: true });
const started = performance.now();
const log = (line: string) => console.log(line);

function models(): ModelSpec[] {
  const index = JSON.parse(readFileSync('public/models/index.json', 'utf8')) as {
    models: string[];
  };
  return index.models.map((id) => readModelSpec(`public/models/${id}`, id));
}

function convFlops(id: string): number {
  const out = execFileSync(
    '/usr/bin/python3',
    ['bench/conv_flops.py', `public/models/${id}/model.onnx`],
    { encoding: 'utf8' },
  );
  return (JSON.parse(out) as { convFlops: number }).convFlops;
}

function versions(): string {
  const pkg = (name: string) =>
    (JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8')) as { version: string })
      .version;
  const chromium = execFileSync('/usr/bin/chromium', ['--version'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  }).trim();
  const torch = execFileSync('/usr/bin/python3', ['-c', 'import torch; print(torch.__version__)'], {
    encoding: 'utf8',
  }).trim();
  return `onnxruntime-web ${pkg('onnxruntime-web')}, onnxruntime-node ${pkg('onnxruntime-node')}, ${chromium}, PyTorch ${torch}, Node ${process.version}`;
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}/${process.arch}`;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');

const engines: EngineKind[] = [
  nodeEngine('node', 1),
  ...(quick ? [] : [nodeEngine('node', 2)]),
  nodeEngine('web', 1),
  nodeEngine('web', 2),
  browserEngine('wasm', 1),
  browserEngine('wasm', 2),
  torchEngine(1),
];
const missing = Object.entries(CHECKPOINTS).filter(([, p]) => !existsSync(p));
const all = models();
const noTorch = all
  .filter((m) => !CHECKPOINTS[m.id] || missing.some(([id]) => id === m.id))
  .map((m) => m.id);

const loadBefore = load();
const peak = await measureSimdPeak();
log(`WASM SIMD f32x4 mul+add peak, one core: ${peak.toFixed(1)} GFLOP/s`);
const flops = new Map(all.map((m) => [m.id, convFlops(m.id)]));
const rows = await benchDenoiser({
  models: all,
  batches: [1, 2, 8],
  engines: engines.filter((e) => !e.models || e.models.some((id) => !noTorch.includes(id))),
  slowEngines: quick ? [] : [browserEngine('webgpu', 1)],
  coldBatches: quick ? [1] : [1, 2, 8],
  coldCalls: 20,
  repeats: quick ? 3 : 7,
  blockMs: quick ? 100 : 300,
  warmFirstMs: quick ? 1500 : 2000,
  warmMs: quick ? 250 : 600,
  slowCalls: 3,
  log,
});
await closeServer();
const loadAfter = load();

const f = (v: number, d = 2) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(d));
const isWasm = (r: DenoiserRow) => r.engine.includes('WASM');

function table(model: string): string {
  const lines = [
    '| engine | threads | batch | cold ms (first 20) | steady ms, median [IQR] | × onnxruntime-node (1 thread) | Conv GFLOP/s (whole call) | of WASM SIMD peak |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows.filter((row) => row.model === model)) {
    const gflops = (flops.get(model)! * r.batch) / (r.steady.median * 1e6);
    const ofPeak = isWasm(r)
      ? `${((100 * gflops) / (peak * r.threads)).toFixed(0)} % of ${f(peak * r.threads, 1)}`
      : '–';
    const cold =
      r.cold === undefined ? '–' : `${f(r.cold)}${r.coldCalls === 1 ? ' (1st call)' : ''}`;
    const ratio = r.ratio
      ? `${r.ratio.median.toFixed(2)}× [${r.ratio.q1.toFixed(2)}–${r.ratio.q3.toFixed(2)}]`
      : '–';
    const engine = r.note ? `${r.engine} (${r.note})` : r.engine;
    lines.push(
      `| ${engine} | ${r.threads} | ${r.batch} | ${cold} | ${f(r.steady.median)} [${f(r.steady.q1)}–${f(r.steady.q3)}] | ${ratio} | ${gflops.toFixed(1)} | ${ofPeak} |`,
    );
  }
  return lines.join('\n');
}

const tables = all
  .map(
    (m) =>
      `### ${m.id} (${m.channels}×${m.size}×${m.size}, ${(flops.get(m.id)! / 1e6).toFixed(1)} MFLOP of Conv per image)\n\n${table(m.id)}`,
  )
  .join('\n\n');
console.log(`\n${tables}\n`);
writeFileSync(
  `${outDir}/denoiser.svg`,
  `${denoiserChart(rows, `One U-Net call, ms (log scale): ${machine()}`)}\n`,
);
writeFileSync(
  `${outDir}/denoiser.json`,
  `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), peak, rows }, null, 1)}\n`,
);

// --quick leaves the kernels out too (npm run bench:kernels), to stay under 3 minutes with the build.
const kernels = quick
  ? 'Not run with --quick.'
  : execFileSync(process.execPath, ['--import', 'tsx', 'bench/kernels.ts'], {
      encoding: 'utf8',
    }).trim();
console.log(kernels);

let e2e = 'Not run with `--quick`.';
let soak = e2e;
if (!quick) {
  if (existsSync('bench/e2e.ts')) {
    execFileSync(process.execPath, ['--import', 'tsx', 'bench/e2e.ts'], { stdio: 'inherit' });
    e2e = readFileSync('bench/E2E.md', 'utf8').split('\n').slice(2).join('\n').trim();
  }
  // The soak (100 generations in the CLI and the built app) writes bench/SOAK.md.
  try {
    execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/soak.ts'], {
      stdio: 'inherit',
    });
    soak = readFileSync('bench/SOAK.md', 'utf8').split('\n').slice(2).join('\n').trim();
  } catch (e) {
    // The other sections stand on their own: say the soak failed rather than lose them.
    const why = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    soak = `The soak failed this time (${why}); run \`npm run bench:soak\` on its own.`;
  }
}

const date = new Date().toISOString().slice(0, 10);
const minutes = ((performance.now() - started) / 60000).toFixed(1);
writeFileSync(
  `${outDir}/RESULTS.md`,
  `# Benchmark results

Measured with \`npm run bench${quick ? ' -- --quick' : ''}\` on ${date} (${minutes} min).
Machine: ${machine()}. Load average (1, 5, 15 min) ${loadBefore} before the denoiser runs and ${loadAfter} after: the
machine is shared with other jobs (a training run, other browser tests), so absolute times are noisy; the ratios,
taken within each repeat, much less so.
Versions: ${versions()}.

## Denoiser: one U-Net call

- **cold**: median of the first 20 calls of a fresh process (Node) or a fresh browser (Chromium), which is what the
  first generation after opening the app sees${quick ? ' (batch 1 only with --quick)' : ''};
- **steady**: after a time-based warm-up (${quick ? 1.5 : 2} s in each engine instance, then ≥ ${quick ? 0.25 : 0.6} s at each new batch size),
  the engines run interleaved in ${quick ? 3 : 7} repeats of ≥ ${quick ? 100 : 300} ms of calls each; median and interquartile range over the repeats;
- **× onnxruntime-node**: the ratio to onnxruntime-node with 1 thread within each repeat;
- **Conv GFLOP/s**: the model's Conv FLOPs (counted from the ONNX graph by bench/conv_flops.py) × batch / the whole call's
  time, a lower bound of the Conv kernels' own rate (the call also runs norms, SiLU and the embeddings);
- **WASM SIMD peak**: ${peak.toFixed(1)} GFLOP/s per core, the best of 40 short runs of a loop of independent f32x4 mul+add
  (bench/simd-peak.ts), × threads.
${quick ? '- WebGPU is skipped with --quick.\n' : '- WebGPU runs on SwiftShader, a software renderer (no GPU here): its cold figure is the first call, its steady one the median of the next 3.\n'}- PyTorch runs only where the model's training checkpoint is at hand (${Object.values(CHECKPOINTS).join(', ')}; runs/ is not committed);${noTorch.length ? ` none for ${noTorch.join(', ')}.` : ''}

![chart](denoiser.svg)

${tables}

## Kernels (AssemblyScript WASM vs TypeScript), 10^6 elements

\`\`\`
${kernels}
\`\`\`

## End to end in the built app

${e2e}

## Soak: 100 consecutive generations

${soak}
`,
);
console.log(`\nwrote ${outDir}/RESULTS.md and ${outDir}/denoiser.svg (${minutes} min)`);
