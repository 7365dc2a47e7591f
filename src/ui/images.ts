/** Drawing RGBA8 images onto canvases, and turning them into files. */

/** The k-th image of `rgba`, which holds images of w×h one after another. */
export function imageAt(rgba: Uint8ClampedArray, k: number, w: number, h: number): Uint8ClampedArray {
  const n = w * h * 4;
  return rgba.subarray(k * n, (k + 1) * n);
}

/** Draws one RGBA8 image at its own size; CSS scales the canvas (pixelated). */
export function drawRGBA(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, w: number, h: number): void {
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const copy = new Uint8ClampedArray(rgba.length);
  copy.set(rgba);
  ctx.putImageData(new ImageData(copy, w, h), 0, 0);
}

/** Lays count images of w×h out on a grid with `cols` columns (1 px gutters), RGBA8. */
export function tile(
  rgba: Uint8ClampedArray,
  count: number,
  w: number,
  h: number,
  cols: number,
): { rgba: Uint8ClampedArray; width: number; height: number } {
  const rows = Math.ceil(count / cols);
  const gap = count > 1 ? 1 : 0;
  const width = cols * w + (cols - 1) * gap;
  const height = rows * h + (rows - 1) * gap;
  const out = new Uint8ClampedArray(width * height * 4);
  for (let i = 3; i < out.length; i += 4) out[i] = 255;
  for (let k = 0; k < count; k++) {
    const ox = (k % cols) * (w + gap);
    const oy = Math.floor(k / cols) * (h + gap);
    for (let y = 0; y < h; y++) {
      const src = (k * w * h + y * w) * 4;
      out.set(rgba.subarray(src, src + w * 4), ((oy + y) * width + ox) * 4);
    }
  }
  return { rgba: out, width, height };
}

/** A PNG of the image, scaled up by a whole factor (nearest neighbour) to at least `minSide` px. */
export function pngBlob(rgba: Uint8ClampedArray, w: number, h: number, minSide = 256): Promise<Blob> {
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
  if (typeof navigator.share !== 'function' || typeof navigator.canShare !== 'function') return false;
  try {
    return navigator.canShare({ files: [new File([new Uint8Array(1)], 'x.png', { type: 'image/png' })] });
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

/**
 * Encodes frames (each count images of w×h, RGBA8) as an animated GIF of
 * image `index`, or of all images tiled when index is 'all'. Runs in a worker
 * so a long reverse process never blocks the page.
 */
export function encodeGif(
  frames: Uint8ClampedArray[],
  w: number,
  h: number,
  count: number,
  index: number | 'all',
): Promise<Blob> {
  const picked = frames.map((f) => {
    if (index === 'all') return tile(f, count, w, h, Math.ceil(Math.sqrt(count)));
    return { rgba: imageAt(f, index, w, h).slice(), width: w, height: h };
  });
  const worker = new Worker(new URL('./gif.worker.ts', import.meta.url), { type: 'module', name: 'gif' });
  return new Promise<Blob>((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<Uint8Array>) => {
      resolve(new Blob([e.data as BlobPart], { type: 'image/gif' }));
      worker.terminate();
    };
    worker.onerror = (e) => {
      reject(new Error(e.message || 'GIF encoding failed'));
      worker.terminate();
    };
    worker.postMessage(picked, picked.map((p) => p.rgba.buffer as ArrayBuffer));
  });
}
