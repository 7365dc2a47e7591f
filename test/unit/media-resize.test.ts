/** src/media/resize.ts: area averaging in model space. */
import { describe, expect, it } from 'vitest';
import { resizeArea } from '../../src/media/resize.ts';

describe('resizeArea', () => {
  it('2:1 averages each 2×2 block, per channel', () => {
    // 2 channels of 4×2: channel 0 is x − 1.5 (so blocks average to ±1); channel 1 is constant.
    const x = Float32Array.from({ length: 16 }, (_, i) => (i < 8 ? (i % 4) - 1.5 : 0.25));
    const out = resizeArea(x, { channels: 2, height: 2, width: 4 }, 1, 2);
    expect(Array.from(out)).toEqual([-1, 1, 0.25, 0.25]);
  });

  it('3:2 weights the shared middle pixel by its overlap', () => {
    const out = resizeArea(
      Float32Array.of(0, 0.3, 0.9),
      { channels: 1, height: 1, width: 3 },
      1,
      2,
    );
    // Output pixel 0 covers source [0, 1.5): (1·0 + 0.5·0.3) / 1.5.
    expect(out[0]).toBeCloseTo(0.1, 6);
    expect(out[1]).toBeCloseTo(0.7, 6);
  });

  it('the same size is a copy, and a wrong length is an error', () => {
    const x = Float32Array.of(0.5, -0.5);
    const out = resizeArea(x, { channels: 1, height: 1, width: 2 }, 1, 2);
    expect(out).toEqual(x);
    expect(out).not.toBe(x);
    expect(() => resizeArea(x, { channels: 1, height: 2, width: 2 }, 1, 1)).toThrow(
      'x: got 2 floats; expected 1×2×2 = 4',
    );
  });
});
