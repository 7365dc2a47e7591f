/**
 * Non-finite model output. A broken or mis-scheduled model can return NaN or
 * ±Inf; every later step then turns the whole image black (NaN → 0 in
 * toRGBA8) and the run would end as if it had worked. One pass over the
 * output per step (a subtraction and a compare per value, next to a network
 * call) catches it at the step where it happens.
 */

/** Index of the first value that is NaN or ±Inf, or −1 when all are finite. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    // v − v is 0 for every finite v, NaN for NaN and ±Inf.
    if (v - v !== 0) return i;
  }
  return -1;
}

/** The model gave a non-finite value; `code` survives the worker boundary (workers/errors.ts). */
export class ModelOutputError extends Error {
  readonly code = 'model-output';
  readonly step: number;
  constructor(message: string, step: number) {
    super(message);
    this.name = 'ModelOutputError';
    this.step = step;
  }
}

/**
 * Throws a ModelOutputError naming the step (1-based, of `of`), the train
 * timestep and the first bad value, when `output` holds NaN or ±Inf.
 */
export function checkFinite(output: Float32Array, where: { step: number; of: number; t: number }): void {
  const at = firstNonFinite(output);
  if (at < 0) return;
  const v = output[at]!;
  const what = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '−Infinity';
  throw new ModelOutputError(
    `The model returned ${what} at step ${where.step} of ${where.of} (t = ${where.t}, value ${at} of ${output.length}): the model file is broken or not trained for this schedule. Export it again or use another model.`,
    where.step,
  );
}
