// CHW floats in [-1, 1] -> RGBA8 for a canvas. Mirrored by src/core/reference.ts.
// Each value v maps to floor((clamp(v, -1, 1) + 1) · 127.5 + 0.5); alpha is 255.

// @ts-ignore: decorator
@inline function quantize(v: f32): u32 {
  return <u32>Mathf.floor((Mathf.min(Mathf.max(v, -1), 1) + 1) * <f32>127.5 + <f32>0.5);
}

// @ts-ignore: decorator
@inline function quantizeX4(v: v128): v128 {
  const clamped = f32x4.min(f32x4.max(v, f32x4.splat(-1)), f32x4.splat(1));
  const scaled = f32x4.add(f32x4.mul(f32x4.add(clamped, f32x4.splat(1)), f32x4.splat(127.5)), f32x4.splat(0.5));
  return i32x4.trunc_sat_f32x4_s(f32x4.floor(scaled));
}

/**
 * src: count images of channels × pixels f32 (channels 1: gray, 3: RGB);
 * dst: count × pixels × 4 bytes. src 4-byte aligned.
 */
export function toRGBA8(src: usize, dst: usize, channels: i32, pixels: u32, count: u32): void {
  const plane = <usize>pixels << 2;
  for (let k: u32 = 0; k < count; k++) {
    const r = src + <usize>k * <usize>channels * plane;
    const g = channels == 3 ? r + plane : r;
    const b = channels == 3 ? r + 2 * plane : r;
    const out = dst + <usize>k * plane;
    let i: u32 = 0;
    if (ASC_FEATURE_SIMD) {
      const opaque = i32x4.splat(0xff000000);
      for (; i + 4 <= pixels; i += 4) {
        const o = <usize>i << 2;
        let px = v128.or(quantizeX4(v128.load(r + o)), opaque);
        px = v128.or(px, i32x4.shl(quantizeX4(v128.load(g + o)), 8));
        px = v128.or(px, i32x4.shl(quantizeX4(v128.load(b + o)), 16));
        v128.store(out + o, px);
      }
    }
    for (; i < pixels; i++) {
      const o = <usize>i << 2;
      store<u32>(out + o, quantize(load<f32>(r + o)) | (quantize(load<f32>(g + o)) << 8) | (quantize(load<f32>(b + o)) << 16) | 0xff000000);
    }
  }
}
