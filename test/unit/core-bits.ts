/** Bit-exact comparison of float arrays, fast on 10^6 elements, with the first mismatch in the message. */
import { expect } from 'vitest';

export function expectSameBits(actual: Float32Array, expected: Float32Array, label = ''): void {
  expect(actual.length, `${label} length`).toBe(expected.length);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(expected.buffer, expected.byteOffset, expected.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) expect.fail(`${label} differs at ${i}: ${actual[i]} vs ${expected[i]}`);
  }
}
