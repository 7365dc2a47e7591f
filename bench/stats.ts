/** Small statistics for the benchmarks: quantiles by linear interpolation. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Median and interquartile range. */
export interface Spread {
  median: number;
  q1: number;
  q3: number;
  n: number;
}

export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75), n: xs.length };
}
