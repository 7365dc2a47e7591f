// Gaussian noise: Philox4x32-10 words -> Box–Muller with the kernel's own
// polynomial log and sin/cos, all in f32 with a fixed operation order, so the
// bits are the same on every engine. Mirrored op for op by src/core/gaussian.ts.
//
// Stream layout: key = (seedLo, seedHi); the block with counter
// (sample >> 2, stream, substream, 0) gives samples 4b .. 4b+3:
//   [r01 cos θ1, r01 sin θ1, r23 cos θ3, r23 sin θ3],
//   r = sqrt(-2 ln u), u = ((w0 >> 8) | 1) / 2^24, θ = 2π ((w1 >> 8) + 1/2) / 2^24.
import { philoxBlock, mulhiX4, out0, out1, out2, out3, PHILOX_M0, PHILOX_M1, PHILOX_W0, PHILOX_W1 } from './philox';

// logf coefficients (musl, after FreeBSD): ln(1+f) = f - f²/2 + s (f²/2 + R(s²)), s = f / (2 + f).
const LN2_HI: f32 = <f32>(<f64>0xb17180 / 16777216.0); // 0x3f317180
const LN2_LO: f32 = <f32>(<f64>0x97f7d1 / 1099511627776.0); // 0x3717f7d1
const LG1: f32 = <f32>(<f64>0xaaaaaa / 16777216.0);
const LG2: f32 = <f32>(<f64>0xccce13 / 33554432.0);
const LG3: f32 = <f32>(<f64>0x91e9ee / 33554432.0);
const LG4: f32 = <f32>(<f64>0xf89e26 / 67108864.0);
// Taylor coefficients of sin and cos on [-π/4, π/4].
const S1: f32 = <f32>(-1.0 / 6.0);
const S2: f32 = <f32>(1.0 / 120.0);
const S3: f32 = <f32>(-1.0 / 5040.0);
const S4: f32 = <f32>(1.0 / 362880.0);
const C1: f32 = <f32>-0.5;
const C2: f32 = <f32>(1.0 / 24.0);
const C3: f32 = <f32>(-1.0 / 720.0);
const C4: f32 = <f32>(1.0 / 40320.0);
const C5: f32 = <f32>(-1.0 / 3628800.0);
/** π / 2^24: the angle of one step of the 24-bit circle, times 2 (phi = (2r + 1) · PI_2_24). */
const PI_2_24: f32 = <f32>(Math.PI / 16777216.0);

let g0: f32 = 0;
let g1: f32 = 0;

/** ln(n / 2^24) for an odd n in [1, 2^24). */
// @ts-ignore: decorator
@inline function logUnit(n: u32): f32 {
  let ix = reinterpret<u32>(<f32>n) + (0x3f800000 - 0x3f3504f3);
  const dk = <f32>(<i32>(ix >> 23) - 0x7f - 24);
  ix = (ix & 0x007fffff) + 0x3f3504f3;
  const f = reinterpret<f32>(ix) - 1;
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const r = z * (LG1 + w * LG3) + w * (LG2 + w * LG4);
  const hfsq = <f32>0.5 * f * f;
  return s * (hfsq + r) + dk * LN2_LO - hfsq + f + dk * LN2_HI;
}

/** Box–Muller pair from words (a, b) into g0 = r cos θ, g1 = r sin θ. */
// @ts-ignore: decorator
@inline function boxMuller(a: u32, b: u32): void {
  const radius = Mathf.sqrt(<f32>-2 * logUnit((a >> 8) | 1));
  const jj = ((b >> 8) + 0x200000) & 0xffffff;
  const q = jj >> 22;
  const phi = <f32>(<i32>((jj & 0x3fffff) << 1) - 0x3fffff) * PI_2_24;
  const p2 = phi * phi;
  const sinPhi: f32 = phi + phi * p2 * (S1 + p2 * (S2 + p2 * (S3 + p2 * S4)));
  const cosPhi: f32 = <f32>1 + p2 * (C1 + p2 * (C2 + p2 * (C3 + p2 * (C4 + p2 * C5))));
  const odd = (q & 1) != 0;
  let c: f32 = odd ? sinPhi : cosPhi;
  let s: f32 = odd ? cosPhi : sinPhi;
  c = reinterpret<f32>(reinterpret<u32>(c) ^ (((q + 1) & 2) << 30));
  s = reinterpret<f32>(reinterpret<u32>(s) ^ ((q & 2) << 30));
  g0 = radius * c;
  g1 = radius * s;
}

// @ts-ignore: decorator
@inline function logUnitX4(n: v128): v128 {
  let ix = i32x4.add(f32x4.convert_i32x4_u(n), i32x4.splat(0x3f800000 - 0x3f3504f3));
  const dk = f32x4.convert_i32x4_s(i32x4.sub(i32x4.shr_u(ix, 23), i32x4.splat(0x7f + 24)));
  ix = i32x4.add(v128.and(ix, i32x4.splat(0x007fffff)), i32x4.splat(0x3f3504f3));
  const f = f32x4.sub(ix, f32x4.splat(1));
  const s = f32x4.div(f, f32x4.add(f32x4.splat(2), f));
  const z = f32x4.mul(s, s);
  const w = f32x4.mul(z, z);
  const r = f32x4.add(
    f32x4.mul(z, f32x4.add(f32x4.splat(LG1), f32x4.mul(w, f32x4.splat(LG3)))),
    f32x4.mul(w, f32x4.add(f32x4.splat(LG2), f32x4.mul(w, f32x4.splat(LG4)))),
  );
  const hfsq = f32x4.mul(f32x4.mul(f32x4.splat(0.5), f), f);
  let acc = f32x4.mul(s, f32x4.add(hfsq, r));
  acc = f32x4.add(acc, f32x4.mul(dk, f32x4.splat(LN2_LO)));
  acc = f32x4.sub(acc, hfsq);
  acc = f32x4.add(acc, f);
  return f32x4.add(acc, f32x4.mul(dk, f32x4.splat(LN2_HI)));
}

/** Box–Muller radius sqrt(-2 ln u) for words a, lane-wise. */
// @ts-ignore: decorator
@inline function radiusX4(a: v128): v128 {
  const n = v128.or(i32x4.shr_u(a, 8), i32x4.splat(1));
  return f32x4.sqrt(f32x4.mul(f32x4.splat(-2), logUnitX4(n)));
}

/**
 * 16 samples: blocks block .. block+3 (one per lane), transposed so that
 * dst holds them in sample order. dst 4-byte aligned.
 */
function blocksX4(dst: usize, block: u32, stream: u32, substream: u32, key0: u32, key1: u32): void {
  // Philox4x32-10, lane j = block + j (same rounds as philoxBlock).
  let c0 = i32x4.add(i32x4.splat(block), i32x4(0, 1, 2, 3));
  let c1 = i32x4.splat(stream);
  let c2 = i32x4.splat(substream);
  let c3 = i32x4.splat(0);
  const m0 = i32x4.splat(PHILOX_M0);
  const m1 = i32x4.splat(PHILOX_M1);
  let k0 = key0;
  let k1 = key1;
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhiX4(m0, c0);
    const lo0 = i32x4.mul(m0, c0);
    const hi1 = mulhiX4(m1, c2);
    const lo1 = i32x4.mul(m1, c2);
    c0 = v128.xor(v128.xor(hi1, c1), i32x4.splat(k0));
    c1 = lo1;
    c2 = v128.xor(v128.xor(hi0, c3), i32x4.splat(k1));
    c3 = lo0;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  // Box–Muller on (c0, c1) and (c2, c3): radius from the first word, angle from the second.
  const r01 = radiusX4(c0);
  const r23 = radiusX4(c2);
  const out = memory.data(64, 16);
  for (let pair = 0; pair < 2; pair++) {
    const b = pair == 0 ? c1 : c3;
    const jj = v128.and(i32x4.add(i32x4.shr_u(b, 8), i32x4.splat(0x200000)), i32x4.splat(0xffffff));
    const q = i32x4.shr_u(jj, 22);
    const twice = i32x4.sub(i32x4.shl(v128.and(jj, i32x4.splat(0x3fffff)), 1), i32x4.splat(0x3fffff));
    const phi = f32x4.mul(f32x4.convert_i32x4_s(twice), f32x4.splat(PI_2_24));
    const p2 = f32x4.mul(phi, phi);
    let sp = f32x4.add(f32x4.splat(S3), f32x4.mul(p2, f32x4.splat(S4)));
    sp = f32x4.add(f32x4.splat(S2), f32x4.mul(p2, sp));
    sp = f32x4.add(f32x4.splat(S1), f32x4.mul(p2, sp));
    const sinPhi = f32x4.add(phi, f32x4.mul(f32x4.mul(phi, p2), sp));
    let cp = f32x4.add(f32x4.splat(C4), f32x4.mul(p2, f32x4.splat(C5)));
    cp = f32x4.add(f32x4.splat(C3), f32x4.mul(p2, cp));
    cp = f32x4.add(f32x4.splat(C2), f32x4.mul(p2, cp));
    cp = f32x4.add(f32x4.splat(C1), f32x4.mul(p2, cp));
    const cosPhi = f32x4.add(f32x4.splat(1), f32x4.mul(p2, cp));
    const odd = i32x4.eq(v128.and(q, i32x4.splat(1)), i32x4.splat(1));
    let c = v128.bitselect(sinPhi, cosPhi, odd);
    let s = v128.bitselect(cosPhi, sinPhi, odd);
    c = v128.xor(c, i32x4.shl(v128.and(i32x4.add(q, i32x4.splat(1)), i32x4.splat(2)), 30));
    s = v128.xor(s, i32x4.shl(v128.and(q, i32x4.splat(2)), 30));
    const radius = pair == 0 ? r01 : r23;
    v128.store(out + (<usize>pair << 5), f32x4.mul(radius, c));
    v128.store(out + (<usize>pair << 5), f32x4.mul(radius, s), 16);
  }
  // Transpose: lane j of (a, b, c, d) is block j's 4 samples.
  const a = v128.load(out);
  const b = v128.load(out, 16);
  const c = v128.load(out, 32);
  const d = v128.load(out, 48);
  const t0 = i32x4.shuffle(a, b, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(a, b, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(c, d, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(c, d, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 16);
  v128.store(dst, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 32);
  v128.store(dst, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 48);
}

/** Writes the 4 samples of block `block` at `dst`. */
function blockScalar(dst: usize, block: u32, stream: u32, substream: u32, k0: u32, k1: u32): void {
  philoxBlock(block, stream, substream, 0, k0, k1);
  const w2 = out2;
  const w3 = out3;
  boxMuller(out0, out1);
  store<f32>(dst, g0);
  store<f32>(dst, g1, 4);
  boxMuller(w2, w3);
  store<f32>(dst, g0, 8);
  store<f32>(dst, g1, 12);
}

/** Scratch for partial blocks at the ends of a range. */
const partial = memory.data(16, 16);

/**
 * Fills dst[0 .. n) with samples offset .. offset+n of stream (seed, stream, substream).
 * dst: 4-byte aligned. offset + n ≤ 2^32. Any split of a range gives the same bits.
 */
export function gaussian(dst: usize, n: u32, seedLo: u32, seedHi: u32, stream: u32, substream: u32, offset: u32): void {
  let i: u32 = 0;
  let sample = offset;
  while (i < n && (sample & 3) != 0) {
    blockScalar(partial, sample >> 2, stream, substream, seedLo, seedHi);
    store<f32>(dst + (<usize>i << 2), load<f32>(partial + (<usize>(sample & 3) << 2)));
    i++;
    sample++;
  }
  if (ASC_FEATURE_SIMD) {
    while (n - i >= 16) {
      blocksX4(dst + (<usize>i << 2), sample >> 2, stream, substream, seedLo, seedHi);
      i += 16;
      sample += 16;
    }
  }
  while (n - i >= 4) {
    blockScalar(dst + (<usize>i << 2), sample >> 2, stream, substream, seedLo, seedHi);
    i += 4;
    sample += 4;
  }
  if (i < n) {
    blockScalar(partial, sample >> 2, stream, substream, seedLo, seedHi);
    for (let j: u32 = 0; i < n; i++, j++) {
      store<f32>(dst + (<usize>i << 2), load<f32>(partial + (<usize>j << 2)));
    }
  }
}
