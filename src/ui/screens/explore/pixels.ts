/**
 * The explorer's image in: a picture file, centre-cropped and scaled to the
 * model's size by the browser, then as the model sees it (C×H×W in [-1, 1])
 * through src/media's conversion, the same one every other path uses.
 */
import type { ImageShape } from '../../../core/types.ts';
import { rgbaToCHW } from '../../../media/rgba.ts';
import { checkImageBlob } from '../../image-limits.ts';

export { chwToRGBA } from '../../../media/rgba.ts';

/**
 * Decodes an image and scales it (centre crop) to the model's size, as CHW
 * floats in [-1, 1]. A picture over the app's size limits is refused before
 * decoding (a LimitError, code 'too-large', naming `what`).
 */
export async function loadImage(
  blob: Blob,
  shape: ImageShape,
  what: string,
): Promise<Float32Array> {
  await checkImageBlob(blob, what);
  const bitmap = await createImageBitmap(blob);
  const { height: H, width: W } = shape;
  const canvas = new OffscreenCanvas(W, H);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  const side = Math.min(bitmap.width, bitmap.height);
  ctx.drawImage(
    bitmap,
    (bitmap.width - side) / 2,
    (bitmap.height - side) / 2,
    side,
    side,
    0,
    0,
    W,
    H,
  );
  bitmap.close();
  return rgbaToCHW(ctx.getImageData(0, 0, W, H).data, W, H, shape.channels);
}
