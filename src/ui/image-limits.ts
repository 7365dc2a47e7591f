/**
 * The app's check before decoding a picture the person chose: the size its
 * header declares (PNG, GIF, JPEG, WebP; media/image-size.ts) against
 * core/limits.ts, before createImageBitmap allocates width×height×4 bytes
 * for it. A 1.5 MB PNG that says 20000×20000 would otherwise take 1.6 GB.
 *
 * For the explorer's own images (src/ui/screens/explore/pixels.ts, owned by
 * that screen): `await checkImageBlob(blob, file.name)` before
 * `createImageBitmap(blob)`, and `checkDecoded(bitmap)` after it; each throws
 * a LimitError whose message says the size and the limit.
 */
import { checkDecodePixels, checkFileBytes, LIMITS } from '../core/limits.ts';
import { declaredImageSize } from '../media/image-size.ts';

/** Bytes read from the start of the file: enough for a JPEG's frame header after its EXIF block. */
const HEAD_BYTES = 256 * 1024;

/**
 * Refuses a picture whose file or declared pixel count is over the limits.
 * A format it cannot read passes; `checkDecoded` then stops it before its
 * pixels are copied.
 */
export async function checkImageBlob(blob: Blob, what = 'The image'): Promise<void> {
  // At most 8 bytes a pixel plus overhead, as the CLI's --init (src/cli/generate.ts).
  checkFileBytes(what, blob.size, 8 * LIMITS.decodePixels + 2 ** 20);
  const head = new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  let size = declaredImageSize(head);
  // A JPEG's frame header can follow more metadata than the head holds: read on (the file is within its limit).
  if (!size && head[0] === 0xff && head[1] === 0xd8 && blob.size > HEAD_BYTES)
    size = declaredImageSize(new Uint8Array(await blob.arrayBuffer()));
  if (size) checkDecodePixels(what, size.width, size.height);
}

/** The decoded bitmap within the limits (closed and refused if not), for the formats no header check reads. */
export function checkDecoded(bitmap: ImageBitmap, what = 'The image'): void {
  try {
    checkDecodePixels(what, bitmap.width, bitmap.height);
  } catch (e) {
    bitmap.close();
    throw e;
  }
}
