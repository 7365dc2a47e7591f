/**
 * `npm run bench:kernels`: Gaussian noise (samples/s) and one fused sampler step
 * (elements/s) on a 10^6-element buffer — AssemblyScript SIMD vs AssemblyScript
 * scalar vs TypeScript (the bit-identical reference, an idiomatic float loop,
 * and a Math.random Box–Muller baseline). Median of repeated runs after warm-up.
 * A benchmark, not a test: the numbers depend on the machine.
 */
import { referenceKernels } from '../src/core/reference.ts';
import type { StepCoefficients } from '../src/core/kernels.ts';
import { loadKernels } from '../src/runtime/kernels.ts';
import type { KernelExports, WasmKernels } from '../src/runtime/wasm-kernels.ts';

const N = 1_000_000;
const MIN_RUNS = 5;
const MIN_SECONDS = 0.4;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Median seconds per call of fn, after one warm-up call. */
function time(fn: () => void): number {
  fn();
  const runs: number[] = [];
  const start = performance.now();
  while (runs.length < MIN_RUNS || performance.now() - start < MIN_SECONDS * 1000) {
    const t0 = performance.now();
    fn();
    runs.push((performance.now() - t0) / 1000);
  }
  return median(runs);
}

/** Places three N-float buffers in the module's memory and returns their byte offsets. */
function wasmBuffers(e: KernelExports): [number, number, number, number] {
  const base = (e.heapBase() + 15) & ~15;
  const bytes = 4 * N;
  const need = base + 4 * bytes - e.memory.buffer.byteLength;
  if (need > 0) e.memory.grow(Math.ceil(need / 65536));
  return [base, base + bytes, base + 2 * bytes, base + 3 * bytes];
}

/** Box–Muller on Math.random and Math.log/cos/sin: the usual, non-reproducible way. */
function mathRandomGaussian(out: Float32Array): void {
  for (let i = 0; i < out.length; i += 2) {
    const u = 1 - Math.random();
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * Math.random();
    out[i] = r * Math.cos(theta);
    out[i + 1] = r * Math.sin(theta);
  }
}

/** The fused ε-prediction step as one would write it in plain TypeScript (no f32 emulation). */
function plainStep(
  x: Float32Array,
  eps: Float32Array,
  z: Float32Array,
  x0: Float32Array,
  k: StepCoefficients,
): void {
  for (let i = 0; i < x.length; i++) {
    const xv = x[i] as number;
    const p = Math.min(Math.max((xv - k.sigma * (eps[i] as number)) / k.alpha, -1), 1);
    x0[i] = p;
    x[i] = k.a * xv + k.b * p + k.c * (z[i] as number);
  }
}

const simd = (await loadKernels({ variant: 'simd' })) as WasmKernels;
const scalar = (await loadKernels({ variant: 'scalar' })) as WasmKernels;
const coefficients: StepCoefficients = {
  prediction: 'epsilon',
  alpha: 0.8,
  sigma: 0.6,
  clip: true,
  a: 0.9,
  b: 0.1,
  c: 0.05,
};
const address = { seed: 1, stream: 0, substream: 0 };

const host = {
  x: referenceKernels.gaussian(new Float32Array(N), address),
  eps: referenceKernels.gaussian(new Float32Array(N), { ...address, substream: 1 }),
  z: referenceKernels.gaussian(new Float32Array(N), { ...address, substream: 2 }),
  x0: new Float32Array(N),
  out: new Float32Array(N),
};

function wasmRows(
  label: string,
  kernels: WasmKernels,
): { noise: [string, number][]; step: [string, number][] } {
  const e = kernels.exports;
  const [px, pe, pz, p0] = wasmBuffers(e);
  new Float32Array(e.memory.buffer, px, N).set(host.x);
  new Float32Array(e.memory.buffer, pe, N).set(host.eps);
  new Float32Array(e.memory.buffer, pz, N).set(host.z);
  const k = coefficients;
  return {
    noise: [
      [`${label}, in WASM memory`, time(() => e.gaussian(px, N, 1, 0, 0, 0, 0))],
      [`${label}, via Kernels (copy out)`, time(() => kernels.gaussian(host.out, address))],
    ],
    step: [
      [
        `${label}, in WASM memory`,
        time(() => e.samplerStep(px, pe, pz, p0, N, 0, k.alpha, k.sigma, 1, k.a, k.b, k.c, 1)),
      ],
      [
        `${label}, via Kernels (copies)`,
        time(() => kernels.samplerStep(host.x, host.eps, host.z, host.x0, k)),
      ],
    ],
  };
}

const wasmSimd = wasmRows('AssemblyScript SIMD', simd);
const wasmScalar = wasmRows('AssemblyScript scalar', scalar);
const noiseRows: [string, number][] = [
  ...wasmSimd.noise,
  ...wasmScalar.noise,
  [
    'TypeScript reference (bit-identical)',
    time(() => referenceKernels.gaussian(host.out, address)),
  ],
  ['TypeScript Math.random Box–Muller', time(() => mathRandomGaussian(host.out))],
];
const stepRows: [string, number][] = [
  ...wasmSimd.step,
  ...wasmScalar.step,
  [
    'TypeScript reference (bit-identical)',
    time(() => referenceKernels.samplerStep(host.x, host.eps, host.z, host.x0, coefficients)),
  ],
  [
    'TypeScript plain float loop',
    time(() => plainStep(host.x, host.eps, host.z, host.x0, coefficients)),
  ],
];

function table(title: string, unit: string, rows: [string, number][], baseline: string): string {
  const base = rows.find(([name]) => name === baseline)?.[1] ?? Number.NaN;
  const width = Math.max(...rows.map(([name]) => name.length));
  const lines = [
    `${title} (${N.toExponential(0)} elements; ratio = speed vs "${baseline}")`,
    `${'implementation'.padEnd(width)}  ${'ms'.padStart(8)}  ${`M ${unit}/s`.padStart(14)}  ${'ratio'.padStart(7)}`,
  ];
  for (const [name, seconds] of rows) {
    lines.push(
      `${name.padEnd(width)}  ${(seconds * 1000).toFixed(2).padStart(8)}  ${(N / seconds / 1e6).toFixed(1).padStart(14)}  ${(base / seconds).toFixed(2).padStart(6)}×`,
    );
  }
  return lines.join('\n');
}

console.log(table('Gaussian noise', 'samples', noiseRows, 'TypeScript Math.random Box–Muller'));
console.log();
console.log(
  table(
    'Sampler step (fused ε→x̂0, clip, a·x + b·x̂0 + c·z)',
    'elements',
    stepRows,
    'TypeScript plain float loop',
  ),
);
