/** src/media/tile.ts: a batch on a grid, nearest-neighbour upscale, one-source-pixel gutters. */
import { describe, expect, it } from 'vitest';
import { gridSize, tileGrid } from '../../src/media/tile.ts';

/** count images of w×h; image k's pixel (x, y) is grey level 100·k + 10·y + x (distinct for small sizes). */
function batch(count: number, w: number, h: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(count * w * h * 4);
  for (let k = 0; k < count; k++)
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const p = ((k * h + y) * w + x) * 4;
        out.fill(100 * k + 10 * y + x, p, p + 3);
        out[p + 3] = 255;
      }
  return out;
}

const pixel = (r: { rgba: Uint8ClampedArray; width: number }, x: number, y: number) =>
  Array.from(r.rgba.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 4));

describe('tileGrid', () => {
  it('lays 3 images on 2 columns, each pixel scale×scale, gutters and the empty cell black', () => {
    const [w, h, scale] = [3, 2, 2];
    const grid = tileGrid(batch(3, w, h), 3, w, h, 2, scale);
    // 2 columns of 3·2 px with a 2 px gutter; 2 rows of 2·2 px with a 2 px gutter.
    expect([grid.width, grid.height]).toEqual([2 * 6 + 2, 2 * 4 + 2]);
    expect(gridSize(3, w, h, 2, scale)).toEqual({ width: grid.width, height: grid.height });
    for (let gy = 0; gy < grid.height; gy++)
      for (let gx = 0; gx < grid.width; gx++) {
        const [col, cx] = [Math.floor(gx / 8), gx % 8];
        const [row, cy] = [Math.floor(gy / 6), gy % 6];
        const k = row * 2 + col;
        const inside = cx < 6 && cy < 4 && k < 3;
        const v = inside ? 100 * k + 10 * Math.floor(cy / 2) + Math.floor(cx / 2) : 0;
        expect(pixel(grid, gx, gy), `(${gx}, ${gy})`).toEqual([v, v, v, 255]);
      }
  });

  it('one image is a plain upscale, with no gutter', () => {
    const grid = tileGrid(batch(1, 2, 2), 1, 2, 2, 1, 3);
    expect([grid.width, grid.height]).toEqual([6, 6]);
    expect(pixel(grid, 5, 5)).toEqual([11, 11, 11, 255]);
    expect(pixel(grid, 2, 3)).toEqual([10, 10, 10, 255]);
  });

  it('scale 1 copies the pixels (alpha included) into the grid', () => {
    const src = batch(2, 2, 1);
    src[3] = 7;
    const grid = tileGrid(src, 2, 2, 1, 2);
    expect([grid.width, grid.height]).toEqual([5, 1]);
    expect([0, 1, 2, 3, 4].map((x) => pixel(grid, x, 0))).toEqual([
      [0, 0, 0, 7],
      [1, 1, 1, 255],
      [0, 0, 0, 255],
      [100, 100, 100, 255],
      [101, 101, 101, 255],
    ]);
  });

  it('bad input is an error naming the field', () => {
    expect(() => tileGrid(batch(1, 2, 2), 1, 2, 2, 1, 1.5)).toThrow(
      'scale: got 1.5; expected a whole number ≥ 1',
    );
    expect(() => tileGrid(batch(1, 2, 2), 2, 2, 2, 2)).toThrow(/^rgba: got 16 bytes/);
  });
});
