/**
 * Memory limits, one table for the CLI and the app, sized for a phone with
 * 3 GB of RAM (where a browser tab is killed somewhere past 1–1.5 GB). Every
 * request, file and picture is measured against them before anything is
 * allocated, and refused with one line that gives the number and the limit.
 *
 * The estimates are upper bounds of what the code holds at once, in bytes:
 * - a generation: the loop's float32 working buffers (x, x̂0, the previous
 *   x̂0, noise, the model's input and output, doubled for guidance, previews),
 *   the kept reverse-process frames and the final images as RGBA8, and the
 *   network's activations for one call, estimated from the pixels in a call;
 * - a written picture: the RGBA raster plus the encoder's copies;
 * - a decoded image: its RGBA pixels plus the float copy img2img makes.
 */
import type { ImageShape } from './types.ts';

const MiB = 2 ** 20;

export const LIMITS = Object.freeze({
  /** Peak bytes one generation, or one output file being written, may need. */
  memoryBytes: 768 * MiB,
  /** Pixels of an image to decode (img2img's init, the explorer's own image): 4096×4096. */
  decodePixels: 4096 * 4096,
  /** Bytes of a model's .onnx file. */
  modelFileBytes: 512 * MiB,
  /** Bytes of model.json. */
  manifestBytes: 1 * MiB,
  /** Bytes of an imported .zip (it is read whole before it is inflated). */
  zipBytes: 640 * MiB,
});

/** Pixels the network sees in one call: about 32 images at 28×28 (runtime/denoiser.ts splits batches to this). */
export const CALL_PIXELS = 32 * 28 * 28;

/**
 * Float32 activations per pixel of a call, an estimate for the small U-Nets
 * this app runs (base width 16–32, three levels): the widest full-resolution
 * tensors and their skip connections held at once.
 */
export const ACTIVATION_FLOATS_PER_PIXEL = 64;

/** Float32 buffers of count×C×H×W the loop and the runtime hold at once, guidance doubling included. */
const WORKING_BUFFERS = 12;

/** A request or file is larger than the limits; `code` survives the worker boundary. */
export class LimitError extends Error {
  readonly code = 'too-large';
  readonly bytes: number;
  readonly limit: number;
  constructor(message: string, bytes: number, limit: number) {
    super(message);
    this.name = 'LimitError';
    this.bytes = bytes;
    this.limit = limit;
  }
}

/** "1.5 GiB", "768 MiB", "12 KiB": binary units, three significant digits. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} bytes` : `${Number(v.toPrecision(3))} ${units[u]}`;
}

/** Images per network call for images of h×w (at least one). */
export function imagesPerCall(height: number, width: number): number {
  return Math.max(1, Math.floor(CALL_PIXELS / (height * width)));
}

export interface GenerationSize {
  shape: ImageShape;
  count: number;
  /** Guided runs call the network on [x; x]: twice the batch. */
  guided: boolean;
  /** Reverse-process frames kept as RGBA8 (0 when none). */
  frames: number;
}

/** Upper bound of the bytes one generation holds at once (see the file comment). */
export function generationBytes(g: GenerationSize): number {
  const { channels, height, width } = g.shape;
  const pixels = height * width;
  const floats = g.count * channels * pixels;
  const rgba = g.count * pixels * 4;
  const batch = g.count * (g.guided ? 2 : 1);
  const callPixels = Math.min(batch, imagesPerCall(height, width)) * pixels;
  return (
    WORKING_BUFFERS * floats * 4 +
    (g.frames + 2) * rgba +
    callPixels * ACTIVATION_FLOATS_PER_PIXEL * 4
  );
}

function refuse(what: string, bytes: number, limit: number, advice: string): never {
  throw new LimitError(
    `${what} needs about ${formatBytes(bytes)}; the limit is ${formatBytes(limit)}. ${advice}`,
    bytes,
    limit,
  );
}

/** Refuses a generation whose estimate is over LIMITS.memoryBytes. */
export function checkGenerationMemory(g: GenerationSize): void {
  const bytes = generationBytes(g);
  if (bytes <= LIMITS.memoryBytes) return;
  const { channels, height, width } = g.shape;
  const what = `${g.count} image${g.count === 1 ? '' : 's'} of ${width}×${height}×${channels}${g.frames > 0 ? ` with ${g.frames} frames kept` : ''}`;
  refuse(
    what,
    bytes,
    LIMITS.memoryBytes,
    g.count > 1 || g.frames > 0
      ? 'Ask for fewer images, or no reverse-process frames.'
      : "This model's images are too large for this device.",
  );
}

/** Refuses a model whose single image, unguided and without frames, is already over the limit. */
export function checkModelMemory(shape: ImageShape, id: string): void {
  const bytes = generationBytes({ shape, count: 1, guided: false, frames: 0 });
  if (bytes > LIMITS.memoryBytes)
    refuse(
      `Model ${id} (${shape.width}×${shape.height}×${shape.channels}) for one image`,
      bytes,
      LIMITS.memoryBytes,
      'Use a model with smaller images.',
    );
}

/**
 * Peak bytes of writing a picture of width×height: a PNG holds the RGBA
 * raster, its filtered rows and the deflated output (≤ 3 rasters); a GIF
 * holds one frame's RGBA and palette indices at a time, the colour
 * quantizer's tables (measured: under 64 MiB), and its output grows by at
 * most about 1.5 bytes a pixel per frame (LZW on noise; upscaled frames
 * measured 0.2).
 */
export function pictureBytes(kind: 'png' | 'gif', width: number, height: number, frames = 1): number {
  const pixels = width * height;
  if (kind === 'png') return 3 * 4 * pixels;
  return 4 * pixels + pixels + GIF_QUANTIZER_BYTES + Math.ceil(1.5 * pixels * frames);
}

const GIF_QUANTIZER_BYTES = 64 * MiB;

/** Refuses writing a picture whose peak is over LIMITS.memoryBytes; `what` names it (e.g. "--gif reverse.gif"). */
export function checkPictureMemory(
  what: string,
  kind: 'png' | 'gif',
  width: number,
  height: number,
  frames = 1,
): void {
  const bytes = pictureBytes(kind, width, height, frames);
  if (bytes > LIMITS.memoryBytes)
    refuse(
      `${what} (${width}×${height}${kind === 'gif' ? `, ${frames} frames` : ''})`,
      bytes,
      LIMITS.memoryBytes,
      'Use a smaller --scale or fewer images.',
    );
}

/**
 * Refuses an image to decode whose declared size is over LIMITS.decodePixels,
 * before it is decoded: read width and height from the file's header (PNG's
 * IHDR) or the browser's ImageBitmap size and call this first.
 */
export function checkDecodePixels(what: string, width: number, height: number): void {
  const pixels = width * height;
  if (!(Number.isFinite(pixels) && width >= 1 && height >= 1))
    throw new LimitError(`${what} says it is ${width}×${height} pixels, which is not an image size.`, 0, LIMITS.decodePixels);
  if (pixels > LIMITS.decodePixels) {
    throw new LimitError(
      `${what} is ${width}×${height} (${(pixels / 1e6).toFixed(1)} M pixels); the limit is ${(LIMITS.decodePixels / 1e6).toFixed(1)} M pixels (4096×4096). Scale it down first.`,
      pixels * 4,
      LIMITS.decodePixels * 4,
    );
  }
}

/** Refuses a file (or a declared file size) over `limit` bytes before it is read or inflated. */
export function checkFileBytes(what: string, bytes: number, limit: number): void {
  if (bytes > limit)
    throw new LimitError(
      `${what} is ${formatBytes(bytes)}; the limit is ${formatBytes(limit)}.`,
      bytes,
      limit,
    );
}
