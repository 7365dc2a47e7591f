/** src/media/npy.ts: the .npy header and payload (numpy.load itself is run by cli-generate). */
import { describe, expect, it } from 'vitest';
import { encodeNpy } from '../../src/media/npy.ts';

describe('encodeNpy', () => {
  it('writes a 64-byte-aligned v1.0 header and the first channels of each pixel', () => {
    const rgba = Uint8ClampedArray.from({ length: 2 * 1 * 2 * 4 }, (_, i) => i);
    const npy = encodeNpy(rgba, 2, 1, 2, 3);
    expect(Array.from(npy.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const headerLength = npy[8]! | (npy[9]! << 8);
    expect((10 + headerLength) % 64).toBe(0);
    const header = String.fromCharCode(...npy.subarray(10, 10 + headerLength));
    expect(header).toMatch(
      /^\{'descr': '\|u1', 'fortran_order': False, 'shape': \(2, 1, 2, 3\), \} *\n$/,
    );
    expect(Array.from(npy.subarray(10 + headerLength))).toEqual([
      0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14,
    ]);
  });

  it('bad input is an error naming the field', () => {
    expect(() => encodeNpy(new Uint8Array(15), 1, 2, 2, 1)).toThrow(/^rgba: got 15 bytes/);
    expect(() => encodeNpy(new Uint8Array(16), 1, 2, 2, 5)).toThrow(
      'channels: got 5; expected 1, 2, 3 or 4',
    );
  });
});
