/**
 * `npm run bench`: measures the denoiser (per-call latency on each engine),
 * the AssemblyScript kernels and memory over 100 generations (bench/soak.ts),
 * prints the tables and writes bench/RESULTS.md.
 * Benchmarks, not tests: numbers depend on the machine, which the file names.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { benchDenoiser, type DenoiserRow } from './denoiser.ts';

const modelDir = process.argv[2] ?? 'public/models/fashion-28';

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`;
}

function denoiserTable(rows: DenoiserRow[]): string {
  const lines = ['| engine | threads | batch | ms per call | ms per image |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    lines.push(`| ${r.engine} | ${r.threads} | ${r.batch} | ${r.msPerCall.toFixed(2)} | ${r.msPerImage.toFixed(2)} |`);
  }
  return lines.join('\n');
}

const rows = await benchDenoiser(modelDir);
const denoiser = denoiserTable(rows);
console.log(`Denoiser (${modelDir})\n${denoiser}\n`);

const kernels = execFileSync(process.execPath, ['--import', 'tsx', 'bench/kernels.ts'], { encoding: 'utf8' }).trim();
console.log(kernels);

// The soak (100 generations in the CLI and the built app) writes bench/SOAK.md; it needs `npm run build` first.
execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/soak.ts'], { stdio: 'inherit' });
const soak = readFileSync('bench/SOAK.md', 'utf8').split('\n').slice(2).join('\n').trim();

const date = new Date().toISOString().slice(0, 10);
writeFileSync(
  'bench/RESULTS.md',
  `# Benchmark results

Measured with \`npm run bench\` on ${date}.
Machine: ${machine()}.

## Denoiser: one U-Net call (${modelDir})

Median of 30 calls after 3 warm-up calls, 28×28 images.

${denoiser}

## Kernels (AssemblyScript WASM vs TypeScript), 10^6 elements

\`\`\`
${kernels}
\`\`\`

## Soak: 100 consecutive generations

${soak}
`,
);
console.log('\nwrote bench/RESULTS.md');
