/**
 * The Kernels interface of src/core over the raw exports of kernels.wasm.
 *
 * Memory is host-owned: each call copies its inputs into the module's memory
 * above heapBase(), runs the kernel and copies the results out.
 */
import type { ImageShape } from '../core/types.ts';
import {
  checkSamplerStep,
  checkLength,
  rgbaPixels,
  type KernelBackend,
  type Kernels,
  type NoiseAddress,
  type StepCoefficients,
} from '../core/kernels.ts';
import { seedKey } from '../core/gaussian.ts';

/** The raw exports of kernels.wasm (pointers are byte offsets into `memory`). */
export interface KernelExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  simd(): number;
  philox4x32(
    dst: number,
    c0: number,
    c1: number,
    c2: number,
    c3: number,
    k0: number,
    k1: number,
  ): void;
  gaussian(
    dst: number,
    n: number,
    seedLo: number,
    seedHi: number,
    stream: number,
    substream: number,
    offset: number,
  ): void;
  samplerStep(
    x: number,
    model: number,
    w: number,
    x0Out: number,
    n: number,
    pred: number,
    alpha: number,
    sigma: number,
    clip: number,
    a: number,
    b: number,
    c: number,
    hasW: number,
  ): void;
  guidance(out: number, uncond: number, cond: number, n: number, w: number): void;
  axpby(out: number, x: number, y: number, n: number, a: number, b: number): void;
  toRGBA8(src: number, dst: number, channels: number, pixels: number, count: number): void;
}

const align16 = (n: number) => (n + 15) & ~15;

/** The Kernels interface over the raw exports. */
export class WasmKernels implements Kernels {
  readonly backend: KernelBackend;
  private readonly base: number;

  constructor(readonly exports: KernelExports) {
    this.backend = exports.simd() ? 'wasm-simd' : 'wasm-scalar';
    this.base = align16(exports.heapBase());
  }

  /** Lays out buffers of the given byte sizes (16-byte aligned) above heapBase, growing memory as needed. */
  private layout(...sizes: number[]): number[] {
    const offsets: number[] = [];
    let end = this.base;
    for (const size of sizes) {
      offsets.push(end);
      end = align16(end + size);
    }
    const memory = this.exports.memory;
    const missing = end - memory.buffer.byteLength;
    if (missing > 0) memory.grow(Math.ceil(missing / 65536));
    return offsets;
  }

  private f32(ptr: number, n: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, ptr, n);
  }

  philox4x32(counter: ArrayLike<number>, key: ArrayLike<number>): Uint32Array {
    if (counter.length !== 4 || key.length !== 2)
      throw new Error('philox4x32: counter has 4 words, key 2');
    const [ptr = 0] = this.layout(16);
    const w = (a: ArrayLike<number>, i: number) => (a[i] ?? 0) >>> 0;
    this.exports.philox4x32(
      ptr,
      w(counter, 0),
      w(counter, 1),
      w(counter, 2),
      w(counter, 3),
      w(key, 0),
      w(key, 1),
    );
    return new Uint32Array(this.exports.memory.buffer, ptr, 4).slice();
  }

  gaussian(out: Float32Array, address: NoiseAddress, offset = 0): Float32Array {
    const [k0, k1] = seedKey(address.seed);
    if (!Number.isInteger(offset) || offset < 0 || offset + out.length > 2 ** 32) {
      throw new Error(`offset: got ${offset}; expected an integer with offset + length ≤ 2^32`);
    }
    const [ptr = 0] = this.layout(out.length * 4);
    this.exports.gaussian(
      ptr,
      out.length,
      k0,
      k1,
      address.stream >>> 0,
      address.substream >>> 0,
      offset,
    );
    out.set(this.f32(ptr, out.length));
    return out;
  }

  samplerStep(
    x: Float32Array,
    model: Float32Array,
    w: Float32Array | null,
    x0Out: Float32Array,
    k: StepCoefficients,
  ): void {
    const n = x.length;
    const pred = checkSamplerStep(x, model, w, x0Out, k);
    const [px = 0, pm = 0, pw = 0, p0 = 0] = this.layout(4 * n, 4 * n, w ? 4 * n : 0, 4 * n);
    this.f32(px, n).set(x);
    this.f32(pm, n).set(model);
    if (w) this.f32(pw, n).set(w);
    this.exports.samplerStep(
      px,
      pm,
      pw,
      p0,
      n,
      pred,
      k.alpha,
      k.sigma,
      k.clip ? 1 : 0,
      k.a,
      k.b,
      k.c,
      w ? 1 : 0,
    );
    x.set(this.f32(px, n));
    x0Out.set(this.f32(p0, n));
  }

  guidance(out: Float32Array, uncond: Float32Array, cond: Float32Array, w: number): void {
    this.binary(out, ['uncond', uncond], ['cond', cond], (pu, pc, n) =>
      this.exports.guidance(pu, pu, pc, n, w),
    );
  }

  axpby(out: Float32Array, a: number, x: Float32Array, b: number, y: Float32Array): void {
    this.binary(out, ['x', x], ['y', y], (px, py, n) => this.exports.axpby(px, px, py, n, a, b));
  }

  /** An elementwise kernel over two named inputs of out's length that writes its result over the first. */
  private binary(
    out: Float32Array,
    [firstName, first]: [string, Float32Array],
    [secondName, second]: [string, Float32Array],
    kernel: (pFirst: number, pSecond: number, n: number) => void,
  ): void {
    const n = out.length;
    checkLength(firstName, first, n);
    checkLength(secondName, second, n);
    const [p1 = 0, p2 = 0] = this.layout(4 * n, 4 * n);
    this.f32(p1, n).set(first);
    this.f32(p2, n).set(second);
    kernel(p1, p2, n);
    out.set(this.f32(p1, n));
  }

  toRGBA8(chw: Float32Array, shape: ImageShape, count = 1): Uint8ClampedArray {
    const pixels = rgbaPixels(chw, shape, count);
    const [ps = 0, pd = 0] = this.layout(4 * chw.length, 4 * pixels * count);
    this.f32(ps, chw.length).set(chw);
    this.exports.toRGBA8(ps, pd, shape.channels, pixels, count);
    return new Uint8ClampedArray(this.exports.memory.buffer, pd, 4 * pixels * count).slice();
  }
}
