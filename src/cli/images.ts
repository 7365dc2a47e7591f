/**
 * PNG files for the CLI, through pngjs (Node only): a Raster to PNG bytes, and
 * a PNG to the C×H×W floats in [-1, 1] that img2img starts from. The pixel
 * work itself lives in src/media, shared with the app.
 */
import { PNG } from 'pngjs';
import { resizeArea } from '../media/resize.ts';
import { rgbaToCHW } from '../media/rgba.ts';
import type { Raster } from '../media/tile.ts';

export function encodePng(image: Raster): Uint8Array {
  const { rgba, width, height } = image;
  const data = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write({ width, height, data });
}

/**
 * Decodes a PNG into `channels`×h×w floats in [-1, 1] (the model's range),
 * resizing by area averaging when its size differs. Transparent pixels are
 * composited onto white (see rgbaToCHW).
 */
export function pngToImage(file: Uint8Array, channels: number, h: number, w: number): Float32Array {
  const png = PNG.sync.read(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
  const full = rgbaToCHW(png.data, png.width, png.height, channels);
  return resizeArea(full, { channels, height: png.height, width: png.width }, h, w);
}
