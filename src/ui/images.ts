/**
 * Drawing RGBA8 images onto canvases, and turning them into files (Blob,
 * download, share). The pixel work is src/media's; this file is the DOM side.
 */
import * as Comlink from 'comlink';
import { gridSize } from '../media/tile.ts';
import { imageAt } from '../media/rgba.ts';
import type { GifWorkerApi } from './gif.worker.ts';

// The screens take imageAt from here with the drawing functions.
export { imageAt };

/** Draws one RGBA8 image at its own size; CSS scales the canvas (pixelated). */
export function drawRGBA(
  canvas: HTMLCanvasElement,
  rgba: Uint8ClampedArray,
  w: number,
  h: number,
): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const copy = new Uint8ClampedArray(rgba.length);
  copy.set(rgba);
  ctx.putImageData(new ImageData(copy, w, h), 0, 0);
}

/** A PNG of the image, scaled up by a whole factor (nearest neighbour) to at least `minSide` px. */
export function pngBlob(
  rgba: Uint8ClampedArray,
  w: number,
  h: number,
  minSide = 256,
): Promise<Blob> {
  const scale = Math.max(1, Math.ceil(minSide / Math.max(w, h)));
  const src = document.createElement('canvas');
  drawRGBA(src, rgba, w, h);
  const out = document.createElement('canvas');
  out.width = w * scale;
  out.height = h * scale;
  const ctx = out.getContext('2d');
  if (!ctx) return Promise.reject(new Error('no 2D canvas'));
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(src, 0, 0, out.width, out.height);
  return new Promise((resolve, reject) =>
    out.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png'),
  );
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function canShareFiles(): boolean {
  if (typeof navigator.share !== 'function' || typeof navigator.canShare !== 'function')
    return false;
  try {
    return navigator.canShare({
      files: [new File([new Uint8Array(1)], 'x.png', { type: 'image/png' })],
    });
  } catch {
    return false;
  }
}

export async function shareFile(blob: Blob, filename: string, title: string): Promise<void> {
  const file = new File([blob], filename, { type: blob.type });
  try {
    await navigator.share({ files: [file], title });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') return;
    throw e;
  }
}

/** The long side, in px, that the app's GIFs are scaled up to at least, so a 28 px image is visible. */
const GIF_MIN_SIDE = 224;

/**
 * Encodes frames (each count images of w×h, RGBA8) as an animated GIF of
 * image `index`, or of all images tiled when index is 'all'. Runs in a worker
 * so a long reverse process never blocks the page.
 */
export async function encodeGif(
  frames: Uint8ClampedArray[],
  w: number,
  h: number,
  count: number,
  index: number | 'all',
): Promise<Blob> {
  const all = index === 'all';
  const n = all ? count : 1;
  const cols = Math.ceil(Math.sqrt(n));
  const side = gridSize(n, w, h, cols, 1);
  const scale = Math.max(1, Math.ceil(GIF_MIN_SIDE / Math.max(side.width, side.height)));
  // All: the frames are copied (they stay the app's). One image: copies of just it, moved.
  const sent = all ? frames : frames.map((f) => imageAt(f, index, w, h).slice());
  const moved = all ? [] : sent.map((f) => f.buffer);
  const worker = new Worker(new URL('./gif.worker.ts', import.meta.url), {
    type: 'module',
    name: 'gif',
  });
  const failed = new Promise<never>((_, reject) =>
    worker.addEventListener('error', (e) => reject(new Error(e.message || 'GIF encoding failed'))),
  );
  try {
    const encode = Comlink.wrap<GifWorkerApi>(worker).encode(
      Comlink.transfer(sent, moved),
      n,
      w,
      h,
      cols,
      scale,
    );
    const bytes = await Promise.race([encode, failed]);
    return new Blob([bytes as BlobPart], { type: 'image/gif' });
  } finally {
    worker.terminate();
  }
}
