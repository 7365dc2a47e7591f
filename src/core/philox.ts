/**
 * Philox4x32-10 (Salmon et al., SC 2011), the TypeScript reference of
 * assembly/philox.ts. A block maps (counter: 4 × u32, key: 2 × u32) to 4 × u32.
 */

export const PHILOX_M0 = 0xd2511f53;
export const PHILOX_M1 = 0xcd9e8d57;
export const PHILOX_W0 = 0x9e3779b9;
export const PHILOX_W1 = 0xbb67ae85;

/** High 32 bits of the 64-bit product of two u32, from 16-bit halves (exact in f64). */
export function mulhi32(a: number, b: number): number {
  const aLo = a & 0xffff;
  const aHi = a >>> 16;
  const bLo = b & 0xffff;
  const bHi = b >>> 16;
  const lolo = aLo * bLo;
  const lohi = aLo * bHi;
  const hilo = aHi * bLo;
  const mid = (lolo >>> 16) + (lohi & 0xffff) + (hilo & 0xffff);
  return (aHi * bHi + (lohi >>> 16) + (hilo >>> 16) + Math.floor(mid / 0x10000)) >>> 0;
}

/** One block into out[0..4). */
export function philoxBlock(
  out: Uint32Array,
  c0: number,
  c1: number,
  c2: number,
  c3: number,
  k0: number,
  k1: number,
): Uint32Array {
  for (let round = 0; round < 10; round++) {
    const hi0 = mulhi32(PHILOX_M0, c0);
    const lo0 = Math.imul(PHILOX_M0, c0) >>> 0;
    const hi1 = mulhi32(PHILOX_M1, c2);
    const lo1 = Math.imul(PHILOX_M1, c2) >>> 0;
    c0 = (hi1 ^ c1 ^ k0) >>> 0;
    c1 = lo1;
    c2 = (hi0 ^ c3 ^ k1) >>> 0;
    c3 = lo0;
    k0 = (k0 + PHILOX_W0) >>> 0;
    k1 = (k1 + PHILOX_W1) >>> 0;
  }
  out[0] = c0;
  out[1] = c1;
  out[2] = c2;
  out[3] = c3;
  return out;
}

/** Philox4x32-10 of counter (4 words) and key (2 words). */
export function philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array {
  if (counter.length !== 4 || key.length !== 2)
    throw new Error('philox4x32: counter has 4 words, key 2');
  const w = (i: number, a: ArrayLike<number>) => (a[i] ?? 0) >>> 0;
  return philoxBlock(
    new Uint32Array(4),
    w(0, counter),
    w(1, counter),
    w(2, counter),
    w(3, counter),
    w(0, key),
    w(1, key),
  );
}
