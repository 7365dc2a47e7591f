/**
 * Test-only measures of colour, so a test fails when a colour picture loses
 * its colour (channels collapsed to grey), not merely when it changes.
 */

/** A pixel whose R, G and B spread more than this (of 255) is clearly coloured: not grey, not rounding. */
const CHROMA = 60;

/** The share of pixels whose channels spread more than CHROMA; `stride` is 4 for RGBA8, 3 for RGB. */
export function colourShare(pixels: ArrayLike<number>, stride = 4): number {
  let coloured = 0;
  const n = Math.floor(pixels.length / stride);
  for (let i = 0; i < n * stride; i += stride) {
    const [r, g, b] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!];
    if (Math.max(r, g, b) - Math.min(r, g, b) > CHROMA) coloured++;
  }
  return coloured / n;
}

/** A colour picture: at least 2 % of its pixels are clearly coloured (a grey one has none). */
export function isColour(pixels: ArrayLike<number>, stride = 4): boolean {
  return colourShare(pixels, stride) >= 0.02;
}

/**
 * The mean spread of R, G and B over the pixels: exactly 0 for a grey
 * picture. For a picture of unknown content (a random seed's), where a mostly
 * white or grey emoji can fall short of isColour.
 */
export function meanChroma(pixels: ArrayLike<number>, stride = 4): number {
  let sum = 0;
  const n = Math.floor(pixels.length / stride);
  for (let i = 0; i < n * stride; i += stride)
    sum +=
      Math.max(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!) -
      Math.min(pixels[i]!, pixels[i + 1]!, pixels[i + 2]!);
  return sum / n;
}

/** RGBA8 pixels with red and blue swapped: the picture a channel-order mix-up would give. */
export function swapRedBlue(rgba: readonly number[]): number[] {
  return rgba.map((v, i) => (i % 4 === 0 ? rgba[i + 2]! : i % 4 === 2 ? rgba[i - 2]! : v));
}

/** Mean absolute difference of two arrays of the same length. */
export function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} and ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

/** A PNG's colour type, from its IHDR (always the first chunk): 2 RGB, 6 RGBA; 0 and 4 are grey. */
export function pngColourType(png: Uint8Array): number {
  if (String.fromCharCode(...png.subarray(12, 16)) !== 'IHDR')
    throw new Error('not a PNG: no IHDR chunk at byte 8');
  return png[25]!;
}
