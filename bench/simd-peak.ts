/**
 * The f32 peak of 128-bit WebAssembly SIMD on one core of this machine: a
 * loop of independent f32x4 multiply-adds (mul then add, 8 FLOPs per f32x4
 * pair, as onnxruntime-web's MLAS kernels do without relaxed SIMD) on
 * independent accumulators. Compiled from AssemblyScript
 * at run time, timed after a time-based warm-up (V8 tiers WASM up after a
 * while). Prints GFLOP/s when run directly.
 */
import asc from 'assemblyscript/asc';

/** Independent accumulators: enough to hide the mul→add latency, few enough for 16 xmm registers. */
const ACC = 12;
const lanes = Array.from({ length: ACC }, (_, i) => i);
const SOURCE = `
export function fma(n: i32, s: f32): f32 {
  const m = f32x4.splat(s);
  const k = f32x4.splat(0.999);
  ${lanes.map((i) => `let a${i} = f32x4.splat(${i + 1});`).join('\n  ')}
  for (let i = 0; i < n; i++) {
    ${lanes.map((i) => `a${i} = f32x4.add(f32x4.mul(a${i}, k), m);`).join('\n    ')}
  }
  let sum = a0;
  ${lanes
    .slice(1)
    .map((i) => `sum = f32x4.add(sum, a${i});`)
    .join('\n  ')}
  return f32x4.extract_lane(sum, 0);
}
`;
/** FLOPs per loop iteration: ACC accumulators × 4 lanes × (1 mul + 1 add). */
const FLOPS_PER_ITER = ACC * 4 * 2;

export async function simdPeakWasm(): Promise<Uint8Array> {
  const { binary, error, stderr } = await asc.compileString(SOURCE, {
    optimizeLevel: 3,
    runtime: 'stub',
    enable: ['simd'],
  });
  if (error || !binary)
    throw new Error(`simd-peak: AssemblyScript failed: ${String(error)}\n${stderr.toString()}`);
  return binary;
}

/**
 * The best GFLOP/s of `reps` short timed runs after `warmMs` of warm-up, on the
 * thread that calls it: the maximum, not the median, because on a shared
 * machine the least disturbed run is the one closest to the core's peak.
 */
export async function measureSimdPeak(warmMs = 1500, reps = 40): Promise<number> {
  const module = await WebAssembly.compile(new Uint8Array(await simdPeakWasm()));
  const instance = await WebAssembly.instantiate(module, { env: { abort: () => undefined } });
  const fma = instance.exports.fma as (n: number, s: number) => number;
  const n = 500_000;
  const until = performance.now() + warmMs;
  while (performance.now() < until) fma(n, 0.5);
  const rates: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fma(n, 0.5);
    rates.push((n * FLOPS_PER_ITER) / ((performance.now() - t0) * 1e6));
  }
  return Math.max(...rates);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(
    `WASM SIMD f32x4 mul+add peak, one core: ${(await measureSimdPeak()).toFixed(1)} GFLOP/s`,
  );
}
