/** pngjs (untyped), loaded with the part of its interface these scripts use. */
import { createRequire } from 'node:module';

export interface PngImage {
  data: Buffer;
}
interface PngModule {
  PNG: {
    new (opts: { width: number; height: number; colorType?: number; inputColorType?: number; bitDepth?: number }): PngImage;
    sync: { write(png: PngImage, opts?: { colorType?: number; inputColorType?: number }): Buffer };
  };
}

export const { PNG } = createRequire(import.meta.url)('pngjs') as PngModule;
