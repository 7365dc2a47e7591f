/**
 * Draws the app icons into public/icons/: a disc that emerges from noise,
 * left to right, the way a sample emerges from x_T. Deterministic (own PRNG).
 *
 *   node --import tsx scripts/make-icons.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { mulberry32 } from './mulberry32.ts';
import { PNG } from './pngjs.ts';

const BG: [number, number, number] = [20, 18, 31];
const FG: [number, number, number] = [160, 140, 255];

/**
 * size: icon side in px; content: fraction of the side the artwork spans
 * (maskable icons keep it inside the 80 % safe zone); rounded: corner radius
 * as a fraction of the side, 0 for a full-bleed square.
 */
function drawIcon(size: number, content: number, rounded: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const grid = 24;
  const cell = (size * content) / grid;
  const origin = (size - cell * grid) / 2;
  const rand = mulberry32(7);
  const noise = Array.from({ length: grid * grid }, () => rand());
  const radius = rounded * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const o = (y * size + x) * 4;
      const cx = Math.min(Math.max(x, radius), size - radius);
      const cy = Math.min(Math.max(y, radius), size - radius);
      const inside = rounded === 0 || Math.hypot(x - cx, y - cy) <= radius;
      let r = BG[0], g = BG[1], b = BG[2];
      const gx = Math.floor((x - origin) / cell);
      const gy = Math.floor((y - origin) / cell);
      if (gx >= 0 && gy >= 0 && gx < grid && gy < grid) {
        const u = (gx + 0.5) / grid - 0.5;
        const v = (gy + 0.5) / grid - 0.5;
        const disc = Math.hypot(u, v) < 0.36 ? 1 : 0;
        const clean = gx / (grid - 1);
        const level = clean * disc + (1 - clean) * (noise[gy * grid + gx] ?? 0) * 0.9;
        r = Math.round(BG[0] + (FG[0] - BG[0]) * level);
        g = Math.round(BG[1] + (FG[1] - BG[1]) * level);
        b = Math.round(BG[2] + (FG[2] - BG[2]) * level);
      }
      png.data[o] = r;
      png.data[o + 1] = g;
      png.data[o + 2] = b;
      png.data[o + 3] = inside ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}

mkdirSync('public/icons', { recursive: true });
const icons: [string, number, number, number][] = [
  ['icon-192.png', 192, 0.78, 0.18],
  ['icon-512.png', 512, 0.78, 0.18],
  ['maskable-512.png', 512, 0.6, 0],
  ['apple-touch-icon-180.png', 180, 0.72, 0],
  ['favicon-32.png', 32, 0.9, 0.15],
];
for (const [name, size, content, rounded] of icons) {
  writeFileSync(`public/icons/${name}`, drawIcon(size, content, rounded));
}
console.log(`wrote ${icons.length} icons to public/icons`);
