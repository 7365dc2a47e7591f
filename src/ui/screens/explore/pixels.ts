/**
 * A picture file in, as the model sees it (C×H×W in [-1, 1]): the browser
 * only decodes it; cropping, conversion and scaling are src/media's fitImage,
 * the same as the CLI's, so one file gives one start image everywhere.
 */
import type { ImageShape } from '../../../core/types.ts';
import { fitImage } from '../../../media/resize.ts';
import { checkImageBlob } from '../../image-limits.ts';

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
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  // Drawn at its own size: an exact copy of the decoded pixels.
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return fitImage(ctx.getImageData(0, 0, width, height).data, width, height, shape);
}
