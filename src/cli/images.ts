/**
 * PNG files for the CLI, through pngjs (Node only): a Raster to PNG bytes, and
 * a PNG to the C×H×W floats in [-1, 1] that img2img starts from. The pixel
 * work itself lives in src/media, shared with the app.
 */
import { PNG } from 'pngjs';
import { checkDecodePixels } from '../core/limits.ts';
import { declaredImageSize } from '../media/image-size.ts';
import { fitImage } from '../media/resize.ts';
import type { Raster } from '../media/tile.ts';

export function encodePng(image: Raster): Uint8Array {
  const { rgba, width, height } = image;
  const data = new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength);
  return PNG.sync.write({ width, height, data });
}

/**
 * Decodes a PNG into `channels`×h×w floats in [-1, 1] (the model's range)
 * with fitImage, as the app does: centre-cropped to the model's aspect ratio,
 * resized by area averaging. Transparent pixels are composited onto white
 * (see rgbaToCHW). A header declaring more than
 * LIMITS.decodePixels is refused (LimitError) before anything is decoded.
 */
export function pngToImage(file: Uint8Array, channels: number, h: number, w: number): Float32Array {
  const size = declaredImageSize(file);
  if (size?.format !== 'png') throw new Error('it does not start with a PNG signature and header');
  // The header's size, before pngjs allocates width×height×4 bytes for it.
  checkDecodePixels('the PNG', size.width, size.height);
  const png = PNG.sync.read(Buffer.from(file.buffer, file.byteOffset, file.byteLength));
  return fitImage(png.data, png.width, png.height, { channels, height: h, width: w });
}
