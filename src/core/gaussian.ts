/**
 * Gaussian noise, the TypeScript reference of assembly/gaussian.ts: the same
 * f32 operations in the same order (Math.fround after each), so both give
 * the same bits. No Math.random, Math.log, Math.sin or Math.cos here: engines
 * differ in those; sqrt, + − × ÷ are correctly rounded everywhere.
 *
 * Stream (seed, stream, substream): key = (seed mod 2^32, ⌊seed / 2^32⌋); block b
 * has counter (b, stream, substream, 0) and gives samples 4b .. 4b+3 by
 * Box–Muller on its word pairs (w0, w1) and (w2, w3):
 *   u = ((w0 >> 8) | 1) / 2^24 ∈ (0, 1),  θ = 2π ((w1 >> 8) + ½) / 2^24,
 *   samples r cos θ, r sin θ with r = sqrt(−2 ln u).
 * |sample| ≤ sqrt(2 · 24 ln 2) ≈ 5.77.
 */
import { philoxBlock } from './philox.ts';

const fr = Math.fround;

// logf coefficients (musl, after FreeBSD): ln(1+f) = f − f²/2 + s (f²/2 + R(s²)), s = f / (2 + f).
const LN2_HI = fr(0xb17180 / 16777216);
const LN2_LO = fr(0x97f7d1 / 1099511627776);
const LG1 = fr(0xaaaaaa / 16777216);
const LG2 = fr(0xccce13 / 33554432);
const LG3 = fr(0x91e9ee / 33554432);
const LG4 = fr(0xf89e26 / 67108864);
// Taylor coefficients of sin and cos on [−π/4, π/4].
const S1 = fr(-1 / 6);
const S2 = fr(1 / 120);
const S3 = fr(-1 / 5040);
const S4 = fr(1 / 362880);
const C1 = fr(-0.5);
const C2 = fr(1 / 24);
const C3 = fr(-1 / 720);
const C4 = fr(1 / 40320);
const C5 = fr(-1 / 3628800);
const PI_2_24 = fr(Math.PI / 16777216);

/** f32 value of bits ix whose exponent field is 126 or 127 (a number in [0.5, 2)). */
function unitFromBits(ix: number): number {
  return (1 + (ix & 0x7fffff) / 8388608) * 2 ** ((ix >>> 23) - 127);
}

/** ln(n / 2^24) in f32 for an odd integer n in [1, 2^24). */
export function logUnit(n: number): number {
  const e = 31 - Math.clz32(n);
  let ix = ((((e + 127) << 23) | ((n << (23 - e)) & 0x7fffff)) + (0x3f800000 - 0x3f3504f3)) >>> 0;
  const dk = (ix >>> 23) - 0x7f - 24;
  ix = (ix & 0x007fffff) + 0x3f3504f3;
  const f = fr(unitFromBits(ix) - 1);
  const s = fr(f / fr(2 + f));
  const z = fr(s * s);
  const w = fr(z * z);
  const r = fr(fr(z * fr(LG1 + fr(w * LG3))) + fr(w * fr(LG2 + fr(w * LG4))));
  const hfsq = fr(fr(0.5 * f) * f);
  let acc = fr(s * fr(hfsq + r));
  acc = fr(acc + fr(dk * LN2_LO));
  acc = fr(acc - hfsq);
  acc = fr(acc + f);
  return fr(acc + fr(dk * LN2_HI));
}

/** [cos θ, sin θ] in f32 for θ = 2π (j + ½) / 2^24, j an integer in [0, 2^24). */
export function cosSinTurn(j: number): [number, number] {
  const jj = (j + 0x200000) & 0xffffff;
  const q = jj >>> 22;
  const phi = fr((((jj & 0x3fffff) << 1) - 0x3fffff) * PI_2_24);
  const p2 = fr(phi * phi);
  const sinPhi = fr(
    phi + fr(fr(phi * p2) * fr(S1 + fr(p2 * fr(S2 + fr(p2 * fr(S3 + fr(p2 * S4))))))),
  );
  const cosPhi = fr(
    1 + fr(p2 * fr(C1 + fr(p2 * fr(C2 + fr(p2 * fr(C3 + fr(p2 * fr(C4 + fr(p2 * C5))))))))),
  );
  // θ = q·π/2 + φ: rotate (cos φ, sin φ) by q quarter turns.
  const c = q & 1 ? sinPhi : cosPhi;
  const s = q & 1 ? cosPhi : sinPhi;
  return [(q + 1) & 2 ? -c : c, q & 2 ? -s : s];
}

/** Box–Muller pair from two Philox words into out[at], out[at + 1]. */
function boxMuller(out: Float32Array | number[], at: number, a: number, b: number): void {
  const radius = fr(Math.sqrt(fr(-2 * logUnit((a >>> 8) | 1))));
  const [c, s] = cosSinTurn(b >>> 8);
  out[at] = fr(radius * c);
  out[at + 1] = fr(radius * s);
}

/** Splits a seed (integer in [0, 2^53)) into the two Philox key words. */
export function seedKey(seed: number): [number, number] {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`seed: got ${seed}; expected an integer in [0, ${Number.MAX_SAFE_INTEGER}]`);
  }
  return [seed >>> 0, Math.floor(seed / 4294967296) >>> 0];
}

/**
 * out[i] = sample (offset + i) of stream (seed, stream, substream).
 * Any split of a range gives the same values.
 */
export function gaussianReference(
  out: Float32Array,
  seed: number,
  stream: number,
  substream: number,
  offset = 0,
): Float32Array {
  const [k0, k1] = seedKey(seed);
  const words = new Uint32Array(4);
  const block = new Float32Array(4);
  let cached = -1;
  for (let i = 0; i < out.length; i++) {
    const sample = offset + i;
    const b = Math.floor(sample / 4);
    if (b !== cached) {
      philoxBlock(words, b >>> 0, stream >>> 0, substream >>> 0, 0, k0, k1);
      boxMuller(block, 0, words[0] ?? 0, words[1] ?? 0);
      boxMuller(block, 2, words[2] ?? 0, words[3] ?? 0);
      cached = b;
    }
    out[i] = block[sample & 3] ?? 0;
  }
  return out;
}
