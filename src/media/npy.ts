/**
 * A NumPy .npy file (format 1.0), written by hand: the header is a Python dict
 * literal, so no library is needed. See numpy/lib/format.py for the layout.
 */
import type { Pixels } from './rgba.ts';

/** "\x93NUMPY". */
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/**
 * The batch as uint8 of shape count×h×w×channels: the pixels a PNG of it
 * shows, in an array Python reads with numpy.load. Keeps the first `channels`
 * of each RGBA pixel (1: grey, 3: RGB, 4: RGBA).
 */
export function encodeNpy(
  rgba: Pixels,
  count: number,
  h: number,
  w: number,
  channels: number,
): Uint8Array {
  if (rgba.length !== count * h * w * 4) {
    throw new Error(`rgba: got ${rgba.length} bytes; expected ${count}×${h}×${w}×4 RGBA`);
  }
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) {
    throw new Error(`channels: got ${channels}; expected 1, 2, 3 or 4`);
  }
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${count}, ${h}, ${w}, ${channels}), }`;
  // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in \n.
  header = header.padEnd(Math.ceil((10 + header.length + 1) / 64) * 64 - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(10 + header.length + count * h * w * channels);
  out.set([...MAGIC, 1, 0, header.length & 0xff, header.length >> 8]);
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i);
  let o = 10 + header.length;
  for (let p = 0; p < count * h * w; p++)
    for (let c = 0; c < channels; c++) out[o++] = rgba[p * 4 + c]!;
  return out;
}
