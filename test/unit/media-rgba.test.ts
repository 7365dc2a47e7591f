/** src/media/rgba.ts: the model's C×H×W floats in [-1, 1] ↔ RGBA8, one image at a time. */
import { describe, expect, it } from 'vitest';
import { referenceKernels } from '../../src/core/reference.ts';
import { chwToRGBA, imageAt, rgbaToCHW } from '../../src/media/rgba.ts';

/** A seeded stream of bytes (LCG), so failures reproduce. */
function bytes(n: number, seed = 1): Uint8ClampedArray {
  let s = seed;
  return Uint8ClampedArray.from({ length: n }, () => (s = (s * 1103515245 + 12345) >>> 0) >>> 24);
}

function opaque(rgba: Uint8ClampedArray): Uint8ClampedArray {
  for (let i = 3; i < rgba.length; i += 4) rgba[i] = 255;
  return rgba;
}

describe('RGBA8 ↔ CHW', () => {
  it('1 channel: every grey level survives RGBA → CHW → RGBA, and maps to its own value', () => {
    const levels = opaque(Uint8ClampedArray.from({ length: 16 * 16 * 4 }, (_, i) => i >> 2));
    const x = rgbaToCHW(levels, 16, 16, 1);
    expect(x.length).toBe(256);
    expect(Array.from(x)).toEqual(
      Array.from({ length: 256 }, (_, v) => Math.fround((v / 255) * 2 - 1)),
    );
    expect(chwToRGBA(x, { channels: 1, height: 16, width: 16 })).toEqual(levels);
  });

  it('3 channels: colour pixels survive RGBA → CHW → RGBA exactly, planes in R, G, B order', () => {
    const rgba = opaque(bytes(5 * 7 * 4));
    const x = rgbaToCHW(rgba, 7, 5, 3);
    expect(x[0]).toBeCloseTo((rgba[0]! / 255) * 2 - 1, 6);
    expect(x[35]).toBeCloseTo((rgba[1]! / 255) * 2 - 1, 6);
    expect(x[70]).toBeCloseTo((rgba[2]! / 255) * 2 - 1, 6);
    expect(chwToRGBA(x, { channels: 3, height: 5, width: 7 })).toEqual(rgba);
  });

  it.each([1, 3])('%i channel(s): CHW → RGBA → CHW is within half a level', (channels) => {
    const shape = { channels, height: 6, width: 9 };
    const x = Float32Array.from(bytes(channels * 54, 7), (b) => (b / 255) * 2.2 - 1.1);
    const back = rgbaToCHW(chwToRGBA(x, shape), 9, 6, channels);
    x.forEach((v, i) => {
      const clamped = Math.min(1, Math.max(-1, v));
      expect(Math.abs(back[i]! - clamped)).toBeLessThanOrEqual(1 / 255 + 1e-6);
    });
  });

  it('chwToRGBA is the kernels reference toRGBA8 for one image (grey fills R, G and B)', () => {
    const shape = { channels: 1, height: 3, width: 4 };
    const x = Float32Array.from({ length: 12 }, (_, i) => i / 6 - 1);
    const rgba = chwToRGBA(x, shape);
    expect(rgba).toEqual(referenceKernels.toRGBA8(x, shape, 1));
    expect([rgba[8], rgba[9], rgba[10], rgba[11]]).toEqual([rgba[8], rgba[8], rgba[8], 255]);
  });

  it('grey from colour is BT.601 luma', () => {
    const red = Uint8ClampedArray.of(255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255);
    const luma = Array.from(rgbaToCHW(red, 3, 1, 1), (v) => ((v + 1) / 2) * 255);
    [0.299, 0.587, 0.114].forEach((w, i) => expect(luma[i]).toBeCloseTo(w * 255, 3));
  });

  it('transparent pixels are composited onto white; half alpha lands halfway', () => {
    const rgba = Uint8ClampedArray.of(0, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 51, 200, 10, 10, 0);
    const grey = rgbaToCHW(rgba, 4, 1, 1);
    expect(Array.from(grey)).toEqual([1, -1, Math.fround(0.6), 1]);
    const rgb = rgbaToCHW(rgba, 4, 1, 3);
    expect([rgb[3], rgb[7], rgb[11]]).toEqual([1, 1, 1]);
  });

  it('bad input is an error naming the field and what is valid', () => {
    expect(() => rgbaToCHW(new Uint8ClampedArray(16), 2, 2, 2)).toThrow(
      'channels: got 2; expected one of 1 (grey), 3 (RGB)',
    );
    expect(() => rgbaToCHW(new Uint8ClampedArray(12), 2, 2, 1)).toThrow(
      'rgba: got 12 bytes; expected 2×2×4 = 16',
    );
    expect(() => chwToRGBA(new Float32Array(8), { channels: 2, height: 2, width: 2 })).toThrow(
      /shape\.channels: got 2/,
    );
  });
});

describe('imageAt', () => {
  it('is a view of the k-th image of a batch, of the batch’s own type', () => {
    const batch = Uint8ClampedArray.from({ length: 3 * 2 * 2 * 4 }, (_, i) => i);
    const second = imageAt(batch, 1, 2, 2);
    expect(second).toBeInstanceOf(Uint8ClampedArray);
    expect(Array.from(second)).toEqual(Array.from({ length: 16 }, (_, i) => 16 + i));
    second[0] = 0;
    expect(batch[16]).toBe(0);
    expect(imageAt(new Uint8Array(32), 1, 2, 2)).toBeInstanceOf(Uint8Array);
  });
});
