/**
 * The app's check before decoding a picture the person chose: the size its
 * header declares (PNG, GIF, JPEG, WebP; media/image-size.ts) against
 * core/limits.ts, before createImageBitmap allocates width×height×4 bytes
 * for it. A 1.5 MB PNG that says 20000×20000 would otherwise take 1.6 GB.
 *
 * For the explorer's own images (src/ui/screens/explore/pixels.ts, owned by
 * that screen): `await checkImageBlob(blob, file.name)` before
 * `createImageBitmap(blob)`; it throws a LimitError whose message says the
 * size and the limit.
 */
import { checkDecodePixels, checkFileBytes, LIMITS } from '../core/limits.ts';
import { declaredImageSize } from '../media/image-size.ts';

/** Bytes read from the start of the file: enough for a JPEG's frame header after its EXIF block. */
const HEAD_BYTES = 256 * 1024;

/** Refuses a picture whose file or declared pixel count is over the limits; formats it cannot read pass. */
export async function checkImageBlob(blob: Blob, what = 'The image'): Promise<void> {
  // At most 8 bytes a pixel plus overhead, as the CLI's --init (src/cli/generate.ts).
  checkFileBytes(what, blob.size, 8 * LIMITS.decodePixels + 2 ** 20);
  const head = new Uint8Array(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  const size = declaredImageSize(head);
  if (size) checkDecodePixels(what, size.width, size.height);
}
