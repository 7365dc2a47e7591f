// The kernels module: Gaussian noise, sampler steps, image conversion.
// Memory is host-owned: the host places buffers at heapBase() and above and grows memory itself.
export { philox4x32 } from './philox';
export { gaussian } from './gaussian';
export { samplerStep, guidance, axpby } from './steps';
export { toRGBA8 } from './image';

/** First byte the host may use for its buffers. */
export function heapBase(): usize {
  return __heap_base;
}

/** 1 when this build uses v128 SIMD, 0 for the scalar build. */
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}
