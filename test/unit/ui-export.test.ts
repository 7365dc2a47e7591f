/** Zip entry names: a zip keeps one entry per name, so no two files may share one. */
import { describe, expect, it } from 'vitest';
import { uniqueNames } from '../../src/ui/export.ts';

describe('zip entry names', () => {
  it('keeps distinct names and numbers repeats before the extension', () => {
    expect(
      uniqueNames(['a-seed1-0.png', 'b.png', 'a-seed1-0.png', 'a-seed1-0.png', 'b.png']),
    ).toEqual(['a-seed1-0.png', 'b.png', 'a-seed1-0-2.png', 'a-seed1-0-3.png', 'b-2.png']);
  });

  it('skips a number another file already has', () => {
    expect(uniqueNames(['x.png', 'x-2.png', 'x.png'])).toEqual(['x.png', 'x-2.png', 'x-3.png']);
  });

  it('handles names without an extension or with a leading dot', () => {
    expect(uniqueNames(['readme', 'readme', '.png', '.png'])).toEqual([
      'readme',
      'readme-2',
      '.png',
      '.png-2',
    ]);
  });
});
