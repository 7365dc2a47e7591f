// Elementwise sampler kernels over host-owned f32 buffers (4-byte aligned),
// SIMD main loop + scalar tail. Mirrored op for op by src/core/reference.ts.

/** Prediction kinds, as the host passes them. */
export const PRED_EPSILON: i32 = 0;
export const PRED_V: i32 = 1;
export const PRED_SAMPLE: i32 = 2;

// @ts-ignore: decorator
@inline function predX0(x: f32, m: f32, pred: i32, alpha: f32, sigma: f32): f32 {
  if (pred == PRED_EPSILON) return (x - sigma * m) / alpha; // x0 = (x - σ ε) / α
  if (pred == PRED_V) return alpha * x - sigma * m; // x0 = α x - σ v
  return m;
}

// @ts-ignore: decorator
@inline function predX0X4(x: v128, m: v128, pred: i32, alpha: v128, sigma: v128): v128 {
  if (pred == PRED_EPSILON) return f32x4.div(f32x4.sub(x, f32x4.mul(sigma, m)), alpha);
  if (pred == PRED_V) return f32x4.sub(f32x4.mul(alpha, x), f32x4.mul(sigma, m));
  return m;
}

/**
 * The fused sampler step, one pass over n elements:
 *   x̂0 = predX0(model) (ε-, v- or x0-prediction at α = sqrt(ᾱ_t), σ = sqrt(1-ᾱ_t)),
 *   x̂0 ← clamp(x̂0, -1, 1) when clip (ε is implied by x and x̂0, so it follows the clip),
 *   x ← a x + b x̂0 (+ c w when hasW),
 * writing x̂0 to x0Out. x, model, w, x0Out: n f32 each; x0Out may not alias x.
 * Dispatches to a loop specialised for (pred, clip, hasW), so the loop body has no branches.
 */
export function samplerStep(
  x: usize, model: usize, w: usize, x0Out: usize, n: u32,
  pred: i32, alpha: f32, sigma: f32, clip: i32, a: f32, b: f32, c: f32, hasW: i32,
): void {
  if (clip) {
    if (hasW) {
      if (pred == PRED_EPSILON) stepLoop(x, model, w, x0Out, n, PRED_EPSILON, alpha, sigma, true, a, b, c, true);
      else if (pred == PRED_V) stepLoop(x, model, w, x0Out, n, PRED_V, alpha, sigma, true, a, b, c, true);
      else stepLoop(x, model, w, x0Out, n, PRED_SAMPLE, alpha, sigma, true, a, b, c, true);
    } else {
      if (pred == PRED_EPSILON) stepLoop(x, model, w, x0Out, n, PRED_EPSILON, alpha, sigma, true, a, b, c, false);
      else if (pred == PRED_V) stepLoop(x, model, w, x0Out, n, PRED_V, alpha, sigma, true, a, b, c, false);
      else stepLoop(x, model, w, x0Out, n, PRED_SAMPLE, alpha, sigma, true, a, b, c, false);
    }
  } else {
    if (hasW) {
      if (pred == PRED_EPSILON) stepLoop(x, model, w, x0Out, n, PRED_EPSILON, alpha, sigma, false, a, b, c, true);
      else if (pred == PRED_V) stepLoop(x, model, w, x0Out, n, PRED_V, alpha, sigma, false, a, b, c, true);
      else stepLoop(x, model, w, x0Out, n, PRED_SAMPLE, alpha, sigma, false, a, b, c, true);
    } else {
      if (pred == PRED_EPSILON) stepLoop(x, model, w, x0Out, n, PRED_EPSILON, alpha, sigma, false, a, b, c, false);
      else if (pred == PRED_V) stepLoop(x, model, w, x0Out, n, PRED_V, alpha, sigma, false, a, b, c, false);
      else stepLoop(x, model, w, x0Out, n, PRED_SAMPLE, alpha, sigma, false, a, b, c, false);
    }
  }
}

// @ts-ignore: decorator
@inline function stepLoop(
  x: usize, model: usize, w: usize, x0Out: usize, n: u32,
  pred: i32, alpha: f32, sigma: f32, clip: bool, a: f32, b: f32, c: f32, hasW: bool,
): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(alpha);
    const vs = f32x4.splat(sigma);
    const ca = f32x4.splat(a);
    const cb = f32x4.splat(b);
    const cc = f32x4.splat(c);
    const lo = f32x4.splat(-1);
    const hi = f32x4.splat(1);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const xv = v128.load(x + o);
      let x0 = predX0X4(xv, v128.load(model + o), pred, va, vs);
      if (clip) x0 = f32x4.min(f32x4.max(x0, lo), hi);
      v128.store(x0Out + o, x0);
      let next = f32x4.add(f32x4.mul(ca, xv), f32x4.mul(cb, x0));
      if (hasW) next = f32x4.add(next, f32x4.mul(cc, v128.load(w + o)));
      v128.store(x + o, next);
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const xv = load<f32>(x + o);
    let x0 = predX0(xv, load<f32>(model + o), pred, alpha, sigma);
    if (clip) x0 = Mathf.min(Mathf.max(x0, -1), 1);
    store<f32>(x0Out + o, x0);
    let next = a * xv + b * x0;
    if (hasW) next = next + c * load<f32>(w + o);
    store<f32>(x + o, next);
  }
}

/** Classifier-free guidance: out = u + w (c - u). out may alias u or c. */
export function guidance(out: usize, uncond: usize, cond: usize, n: u32, w: f32): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vw = f32x4.splat(w);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      const u = v128.load(uncond + o);
      v128.store(out + o, f32x4.add(u, f32x4.mul(vw, f32x4.sub(v128.load(cond + o), u))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const u = load<f32>(uncond + o);
    store<f32>(out + o, u + w * (load<f32>(cond + o) - u));
  }
}

/** out = a x + b y (the forward process: closed form and one Markov step). out may alias x or y. */
export function axpby(out: usize, x: usize, y: usize, n: u32, a: f32, b: f32): void {
  let i: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(a);
    const vb = f32x4.splat(b);
    for (; i + 4 <= n; i += 4) {
      const o = <usize>i << 2;
      v128.store(out + o, f32x4.add(f32x4.mul(va, v128.load(x + o)), f32x4.mul(vb, v128.load(y + o))));
    }
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, a * load<f32>(x + o) + b * load<f32>(y + o));
  }
}
