/** The Steps slider's scale: useful values from the request spec, so 20 is not at 2 % of the track. */
import { describe, expect, it } from 'vitest';
import { REQUEST_SPEC } from '../../src/core/request-spec.ts';
import { nearestIndex, usefulValues } from '../../src/ui/components/scale-field.ts';

describe('useful values', () => {
  it('runs 1–10, then nice values up to the spec maximum, with the default on it', () => {
    const v = usefulValues(REQUEST_SPEC.steps);
    expect(v.slice(0, 14)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 20, 25]);
    expect(v).toEqual(expect.arrayContaining([30, 40, 50, 75, 100, 150, 200, 250, 500, 1000]));
    expect(v.at(-1)).toBe(REQUEST_SPEC.steps.max);
    expect(v.every((x, i) => i === 0 || x > v[i - 1]!)).toBe(true);
    // The default sits well inside the track, not at its first 2 %.
    expect(v.indexOf(REQUEST_SPEC.steps.default) / (v.length - 1)).toBeGreaterThan(0.3);
  });

  it("stops at a model's train steps, which is on the scale", () => {
    expect(usefulValues(REQUEST_SPEC.steps, 64).slice(-3)).toEqual([40, 50, 64]);
  });

  it('finds the nearest value for a typed one', () => {
    const v = usefulValues(REQUEST_SPEC.steps);
    expect(v[nearestIndex(v, 21)]).toBe(20);
    expect(v[nearestIndex(v, 900)]).toBe(1000);
  });
});
