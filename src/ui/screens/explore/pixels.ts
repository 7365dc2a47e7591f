/**
 * A picture file in, as the model sees it (C×H×W in [-1, 1]): the browser
 * decodes it and copies out media's centreCrop box unscaled; conversion and
 * scaling are media's fitImage, the same as the CLI's, so one file gives one
 * start image everywhere.
 */
import type { ImageShape } from '../../../core/types.ts';
import { centreCrop, fitImage } from '../../../media/resize.ts';
import { checkDecoded, checkImageBlob } from '../../image-limits.ts';

export { chwToRGBA } from '../../../media/rgba.ts';

/**
 * Decodes an image and fits it (centre crop, area averaging) to the model's
 * size, as CHW floats in [-1, 1]. A picture over the app's size limits is
 * refused before decoding (a LimitError, code 'too-large', naming `what`).
 */
export async function loadImage(
  blob: Blob,
  shape: ImageShape,
  what: string,
): Promise<Float32Array> {
  await checkImageBlob(blob, what);
  const bitmap = await createImageBitmap(blob);
  checkDecoded(bitmap, what);
  // Only the crop box is read back, copied 1:1 (no scaling by the browser).
  const box = centreCrop(bitmap.width, bitmap.height, shape);
  const canvas = new OffscreenCanvas(box.width, box.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(bitmap, -box.left, -box.top);
  bitmap.close();
  return fitImage(ctx.getImageData(0, 0, box.width, box.height).data, box.width, box.height, shape);
}
