// Philox4x32-10 (Salmon, Moraes, Dror & Shaw, "Parallel random numbers: as easy
// as 1, 2, 3", SC 2011): a counter-based PRNG. Block (counter, key) -> 4 × u32.
// Mirrored by src/core/philox.ts; checked against the Random123 known answers.

export const PHILOX_M0: u32 = 0xd2511f53;
export const PHILOX_M1: u32 = 0xcd9e8d57;
export const PHILOX_W0: u32 = 0x9e3779b9;
export const PHILOX_W1: u32 = 0xbb67ae85;

/** The 4 words of the last block, read by the scalar paths. */
export let out0: u32 = 0;
export let out1: u32 = 0;
export let out2: u32 = 0;
export let out3: u32 = 0;

// @ts-ignore: decorator
@inline function mulhi(a: u32, b: u32): u32 {
  return <u32>((<u64>a * <u64>b) >> 32);
}

/** One Philox4x32-10 block; the result lands in out0..out3. */
export function philoxBlock(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi(PHILOX_M0, c0);
    const lo0 = PHILOX_M0 * c0;
    const hi1 = mulhi(PHILOX_M1, c2);
    const lo1 = PHILOX_M1 * c2;
    c0 = hi1 ^ c1 ^ k0;
    c1 = lo1;
    c2 = hi0 ^ c3 ^ k1;
    c3 = lo0;
    k0 += PHILOX_W0;
    k1 += PHILOX_W1;
  }
  out0 = c0;
  out1 = c1;
  out2 = c2;
  out3 = c3;
}

/** Known-answer entry point: writes the 4 words of block (counter, key) at `dst` (4-byte aligned). */
export function philox4x32(dst: usize, c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  philoxBlock(c0, c1, c2, c3, k0, k1);
  store<u32>(dst, out0);
  store<u32>(dst, out1, 4);
  store<u32>(dst, out2, 8);
  store<u32>(dst, out3, 12);
}

// @ts-ignore: decorator
@inline export function mulhiX4(m: v128, c: v128): v128 {
  const lo = i64x2.extmul_low_i32x4_u(m, c);
  const hi = i64x2.extmul_high_i32x4_u(m, c);
  return i32x4.shuffle(lo, hi, 1, 3, 5, 7);
}
