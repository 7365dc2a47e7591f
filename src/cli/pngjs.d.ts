// Types for the part of pngjs (which ships none) that the CLI uses.
declare module 'pngjs' {
  export interface PngData {
    width: number;
    height: number;
    /** RGBA8, row by row. */
    data: Uint8Array;
  }
  export const PNG: {
    sync: {
      read(buffer: Uint8Array): PngData;
      write(png: PngData, options?: { colorType?: number }): Uint8Array;
    };
  };
}
