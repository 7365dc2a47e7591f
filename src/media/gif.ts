/**
 * The reverse process as an animated GIF, for the CLI's --gif and the app's
 * GIF button alike: one palette policy, one frame timing, so the same frames
 * give the same bytes wherever they are encoded.
 *
 * Palette: a frame whose pixels are all grey (every Fashion-MNIST frame) uses
 * the fixed 256-level grey palette, which is exact; a colour frame gets its
 * own 256-colour palette from gifenc's quantizer (PnnQuant, rgb565).
 */
import * as gifencModule from 'gifenc';
import type { Palette } from 'gifenc';
import { checkPictureMemory } from '../core/limits.ts';
import type { Pixels } from './rgba.ts';
import { gridSize, tileGrid } from './tile.ts';

// gifenc is CommonJS for Node (whose ESM loader then exposes only a default
// export holding the functions) and ESM for bundlers (named exports).
const gifenc =
  typeof gifencModule.GIFEncoder === 'function'
    ? gifencModule
    : (gifencModule as unknown as { default: typeof gifencModule }).default;
const { GIFEncoder, applyPalette, quantize } = gifenc;

/** How long each step of the reverse process shows. */
export const GIF_FRAME_MS = 120;
/** How long the last frame (the finished image) is held before the loop starts again. */
export const GIF_HOLD_MS = 1500;

const GREYS: Palette = Array.from({ length: 256 }, (_, v) => [v, v, v]);

function isGrey(rgba: Pixels): boolean {
  for (let i = 0; i < rgba.length; i += 4)
    if (rgba[i] !== rgba[i + 1] || rgba[i] !== rgba[i + 2]) return false;
  return true;
}

/** Index of each pixel in GREYS: its own level. */
function greyIndex(rgba: Pixels): Uint8Array {
  const index = new Uint8Array(rgba.length / 4);
  for (let p = 0; p < index.length; p++) index[p] = rgba[p * 4]!;
  return index;
}

/**
 * An endlessly looping GIF of `frames` (x_T first), each a batch of `count`
 * RGBA8 images of w×h laid out as tileGrid lays them (`cols` columns, scaled
 * `scale` times). Frames are tiled and encoded one at a time, so memory holds
 * one scaled frame, not the whole film; a film whose peak (that frame plus
 * the output so far) could pass core's memory limit is refused first.
 */
export function encodeGif(
  frames: readonly Pixels[],
  count: number,
  w: number,
  h: number,
  cols: number,
  scale = 1,
): Uint8Array {
  if (frames.length === 0) throw new Error('frames: got none; expected at least one');
  const size = gridSize(count, w, h, cols, scale);
  checkPictureMemory('The GIF', 'gif', size.width, size.height, frames.length);
  const gif = GIFEncoder();
  let globalGrey = false;
  frames.forEach((frame, i) => {
    const { rgba, width, height } = tileGrid(frame, count, w, h, cols, scale);
    const grey = isGrey(rgba);
    const palette = grey ? GREYS : quantize(rgba, 256);
    const index = grey ? greyIndex(rgba) : applyPalette(rgba, palette);
    if (i === 0) globalGrey = grey;
    gif.writeFrame(index, width, height, {
      // A grey frame after a grey first frame reuses the global table (saves 768 bytes a frame).
      ...(grey && globalGrey && i > 0 ? {} : { palette }),
      delay: i === frames.length - 1 ? GIF_HOLD_MS : GIF_FRAME_MS,
      repeat: 0,
    });
  });
  gif.finish();
  return gif.bytes();
}
