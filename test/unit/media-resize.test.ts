/** src/media/resize.ts: area averaging in model space. */
import { describe, expect, it } from 'vitest';
import { centreCrop, fitImage, resizeArea } from '../../src/media/resize.ts';

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

describe('fitImage', () => {
  /** A w×h opaque RGBA picture whose pixel (x, y) is [r, g, b] = fn(x, y). */
  const picture = (w: number, h: number, fn: (x: number, y: number) => number[]) => {
    const rgba = new Uint8ClampedArray(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) rgba.set([...fn(x, y), 255], (y * w + x) * 4);
    return rgba;
  };
  /** The float32 a byte level becomes. */
  const level = (v: number) => Math.fround((v / 255) * 2 - 1);

  it('centre-crops a wide picture to a square, then area-averages each channel', () => {
    // 6×2: a red column band on each side (cropped away), 2×2 blocks in the middle.
    const rgba = picture(6, 2, (x) => (x === 0 || x === 5 ? [255, 0, 0] : [x * 50, 100, 0]));
    const out = fitImage(rgba, 6, 2, { channels: 3, height: 1, width: 1 });
    // The crop is columns 2..3 (the centred 2×2): red averages 100 and 150.
    expect(out[0]).toBeCloseTo(level(125), 6);
    expect(out[1]).toBeCloseTo(level(100), 6);
    expect(out[2]).toBeCloseTo(level(0), 6);
  });

  it('crops a tall picture the same way and keeps exact pixels at a whole factor', () => {
    const rgba = picture(2, 4, (x, y) => [y * 60, x * 200, 7]);
    const out = fitImage(rgba, 2, 4, { channels: 3, height: 2, width: 2 });
    // Rows 1..2 survive; no resampling at 2×2 → 2×2.
    expect(Array.from(out.subarray(0, 4))).toEqual([60, 60, 120, 120].map(level));
    expect(Array.from(out.subarray(4, 8))).toEqual([0, 200, 0, 200].map(level));
  });

  it('gives one channel of luma for a grey model, and grows a small picture', () => {
    const rgba = picture(1, 1, () => [90, 90, 90]);
    const out = fitImage(rgba, 1, 1, { channels: 1, height: 2, width: 2 });
    expect(Array.from(out)).toEqual(Array(4).fill(level(90)));
  });
});

describe('centreCrop', () => {
  it('is the largest centred box of the target aspect, and never empty', () => {
    expect(centreCrop(6, 2, { channels: 3, height: 1, width: 1 })).toEqual({
      left: 2,
      top: 0,
      width: 2,
      height: 2,
    });
    expect(centreCrop(4, 4, { channels: 1, height: 1, width: 2 })).toEqual({
      left: 0,
      top: 1,
      width: 4,
      height: 2,
    });
    expect(centreCrop(1, 5, { channels: 1, height: 1, width: 4 })).toEqual({
      left: 0,
      top: 2,
      width: 1,
      height: 1,
    });
  });
});
