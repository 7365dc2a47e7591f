import { describe, expect, it } from 'vitest';
import { mathParts, spoken } from '../../src/ui/math.ts';

describe('formulas as math, never raw TeX', () => {
  it('splits subscripts, single letters and braced groups', () => {
    expect(mathParts('q(x_t | x_{t−1})')).toEqual([
      { text: 'q(x', sub: false },
      { text: 't', sub: true },
      { text: ' | x', sub: false },
      { text: 't−1', sub: true },
      { text: ')', sub: false },
    ]);
    expect(mathParts('ᾱ_t = 0.5')).toEqual([
      { text: 'ᾱ', sub: false },
      { text: 't', sub: true },
      { text: ' = 0.5', sub: false },
    ]);
    expect(mathParts('no math here')).toEqual([{ text: 'no math here', sub: false }]);
  });

  it('reads aloud without underscores or braces', () => {
    expect(spoken('x_t, the image after t noising steps')).toBe('x t, the image after t noising steps');
    expect(spoken('Reverse process, x_T to x_0')).toBe('Reverse process, x T to x 0');
    expect(spoken('q(x_t | x_{t−1})')).not.toMatch(/[_{}]/);
  });
});
