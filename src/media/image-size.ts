/**
 * The width and height an image file declares in its header, read without
 * decoding it, so a small file that decodes to a huge bitmap (a PNG that says
 * 20000×20000) is refused before any pixel is allocated. PNG, GIF, JPEG,
 * WebP, BMP and AVIF/HEIF; undefined for anything else or a header too
 * short to say. Pair with
 * core/limits.ts checkDecodePixels (the CLI's --init does; the explorer's own
 * images should, before createImageBitmap).
 */

export interface DeclaredSize {
  format: 'png' | 'gif' | 'jpeg' | 'webp' | 'bmp' | 'avif';
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function ascii(b: Uint8Array, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (b[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

function u32be(b: Uint8Array, at: number): number {
  return ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
}
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const i32le = (b: Uint8Array, at: number) =>
  b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24);

function jpegSize(b: Uint8Array): DeclaredSize | undefined {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at++;
      continue;
    }
    // SOF0..SOF15 carry the frame size; C4 (DHT), C8 (JPG) and CC (DAC) do not.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { format: 'jpeg', height: u16be(b, at + 5), width: u16be(b, at + 7) };
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    at += 2 + u16be(b, at + 2);
  }
  return undefined;
}

function webpSize(b: Uint8Array): DeclaredSize | undefined {
  if (b.length < 30) return undefined;
  if (ascii(b, 12, 'VP8X')) return { format: 'webp', width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
  if (ascii(b, 12, 'VP8L') && b[20] === 0x2f) {
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return { format: 'webp', width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (ascii(b, 12, 'VP8 ')) return { format: 'webp', width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
  return undefined;
}

/**
 * AVIF and HEIF (ISOBMFF): every image item's "ispe" property box gives its
 * size; a grid's tiles and thumbnails have their own, so the largest is taken.
 */
function ispeSize(b: Uint8Array): DeclaredSize | undefined {
  let best: DeclaredSize | undefined;
  for (let at = b.indexOf(0x69, 16); at >= 0 && at + 16 <= b.length; at = b.indexOf(0x69, at + 1)) {
    if (!ascii(b, at, 'ispe')) continue;
    const width = u32be(b, at + 8);
    const height = u32be(b, at + 12);
    if (!best || width * height > best.width * best.height) best = { format: 'avif', width, height };
  }
  return best;
}

/** The size the file's header declares, or undefined when it is none of the formats above. */
export function declaredImageSize(bytes: Uint8Array): DeclaredSize | undefined {
  const b = bytes;
  if (b.length >= 24 && PNG_SIGNATURE.every((v, i) => b[i] === v) && ascii(b, 12, 'IHDR'))
    return { format: 'png', width: u32be(b, 16), height: u32be(b, 20) };
  if (b.length >= 10 && (ascii(b, 0, 'GIF87a') || ascii(b, 0, 'GIF89a')))
    return { format: 'gif', width: u16le(b, 6), height: u16le(b, 8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegSize(b);
  if (b.length >= 16 && ascii(b, 0, 'RIFF') && ascii(b, 8, 'WEBP')) return webpSize(b);
  if (b.length >= 26 && ascii(b, 0, 'BM'))
    return { format: 'bmp', width: Math.abs(i32le(b, 18)), height: Math.abs(i32le(b, 22)) };
  if (b.length >= 12 && ascii(b, 4, 'ftyp')) return ispeSize(b);
  return undefined;
}
