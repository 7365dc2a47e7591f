/**
 * src/media/gif.ts: the reverse-process GIF, decoded back by the test GIF
 * reader (test/support/gif-decode.ts), so frames, sizes, timing and pixels
 * are checked, not just the magic bytes.
 */
import { describe, expect, it } from 'vitest';
import { GIF_FRAME_MS, GIF_HOLD_MS, encodeGif } from '../../src/media/gif.ts';
import { api as gifWorker } from '../../src/ui/gif.worker.ts';
import { decodeGif, tiledRGB } from '../support/gif-decode.ts';

/** `n` frames of `count` images of w×h, from a seeded LCG; grey when `grey`. */
function film(n: number, count: number, w: number, h: number, grey: boolean, colours = 256) {
  let s = 12345;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) % colours;
  return Array.from({ length: n }, () => {
    const f = new Uint8ClampedArray(count * w * h * 4);
    for (let p = 0; p < f.length; p += 4) {
      const v = next();
      // Colour: a small palette of distinct hues, so quantization has room to be near-exact.
      f.set(grey ? [v, v, v, 255] : [(v * 37) % 256, (v * 91) % 256, (v * 53) % 256, 255], p);
    }
    return f;
  });
}

describe('encodeGif', () => {
  it('grey frames decode exactly: frame count, size, pixels, timing, looping', () => {
    const [count, w, h, cols, scale] = [3, 5, 4, 2, 2];
    const frames = film(4, count, w, h, true);
    const gif = decodeGif(encodeGif(frames, count, w, h, cols, scale));
    expect([gif.width, gif.height]).toEqual([2 * 10 + 2, 2 * 8 + 2]);
    expect(gif.loops).toBe(true);
    expect(gif.frames.length).toBe(4);
    gif.frames.forEach((f, i) =>
      expect(f.rgb).toEqual(tiledRGB(frames[i]!, count, w, h, cols, scale)),
    );
    expect(gif.frames.map((f) => f.delay)).toEqual([
      GIF_FRAME_MS / 10,
      GIF_FRAME_MS / 10,
      GIF_FRAME_MS / 10,
      GIF_HOLD_MS / 10,
    ]);
    // All grey: one global grey table, no local ones.
    expect(gif.frames.map((f) => f.localPalette)).toEqual([false, false, false, false]);
  });

  it('colour frames decode within rgb565 quantization', () => {
    const [count, w, h] = [2, 6, 6];
    const frames = film(3, count, w, h, false, 40);
    const gif = decodeGif(encodeGif(frames, count, w, h, 2, 3));
    expect([gif.width, gif.height]).toEqual([2 * 18 + 3, 18]);
    expect(gif.frames.length).toBe(3);
    gif.frames.forEach((f, i) => {
      const want = tiledRGB(frames[i]!, count, w, h, 2, 3);
      let worst = 0;
      want.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - f.rgb[j]!))));
      // rgb565 keeps 5 bits of red and blue: a colour moves by at most half a step of 8.
      expect(worst).toBeLessThanOrEqual(4);
    });
    expect(gif.frames.at(-1)!.delay).toBe(GIF_HOLD_MS / 10);
  });

  it('a colour frame after a grey first frame carries its own palette', () => {
    const grey = film(1, 1, 4, 4, true)[0]!;
    const colour = film(1, 1, 4, 4, false, 8)[0]!;
    const gif = decodeGif(encodeGif([grey, colour, grey], 1, 4, 4, 1));
    expect(gif.frames.map((f) => f.localPalette)).toEqual([false, true, false]);
    expect(gif.frames[2]!.rgb).toEqual(tiledRGB(grey, 1, 4, 4, 1, 1));
  });

  it('no frames is an error', () => {
    expect(() => encodeGif([], 1, 4, 4, 1)).toThrow('frames: got none; expected at least one');
  });

  it('the app’s GIF worker and the CLI (encodeGif) give the same bytes for the same frames', async () => {
    for (const grey of [true, false]) {
      const frames = film(3, 4, 7, 7, grey, 60);
      const cli = encodeGif(frames, 4, 7, 7, 2, 4);
      const app = await gifWorker.encode(frames, 4, 7, 7, 2, 4);
      expect(app).toEqual(cli);
    }
  });
});
