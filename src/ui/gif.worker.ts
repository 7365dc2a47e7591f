/**
 * The GIF worker: encodes a reverse-process film off the main thread, so a
 * long run never blocks the page. Exposed through comlink; the encoding is
 * src/media's encodeGif, the one the CLI's --gif uses, so the same frames give
 * the same GIF in both.
 */
import * as Comlink from 'comlink';
import { encodeGif } from '../media/gif.ts';

export interface GifWorkerApi {
  /** encodeGif's arguments: frames (x_T first) of `count` RGBA8 images of w×h, tiled and scaled. */
  encode(
    frames: Uint8ClampedArray[],
    count: number,
    w: number,
    h: number,
    cols: number,
    scale: number,
  ): Promise<Uint8Array>;
}

export const api: GifWorkerApi = {
  async encode(frames, count, w, h, cols, scale) {
    const bytes = encodeGif(frames, count, w, h, cols, scale);
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
};

// Imported outside a worker (a test reading `api`), there is nothing to serve.
if (typeof (globalThis as { WorkerGlobalScope?: unknown }).WorkerGlobalScope !== 'undefined') {
  Comlink.expose(api);
}
