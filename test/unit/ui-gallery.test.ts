/** The gallery's pure parts: order, filters, the undo book and the quota message. */
import { describe, expect, it } from 'vitest';
import type { Recipe } from '../../src/core/recipe.ts';
import {
  ALL,
  filterChoices,
  labelKey,
  newestFirst,
  quotaMessage,
  totalBytes,
  UndoBook,
  UndoError,
  view,
  type GalleryItem,
} from '../../src/ui/gallery-list.ts';

function item(
  id: string,
  time: number,
  model: string,
  labels: Record<string, string>,
  index = 0,
): GalleryItem {
  const recipe: Recipe = {
    format: 'diffuse-recipe',
    version: 1,
    model: { id: model, sha256: '' },
    labels,
    sampler: 'dpmpp-2m',
    steps: 20,
    guidance: 1.5,
    seed: 42,
    index,
    backend: 'WASM',
    createdAt: new Date(time).toISOString(),
  };
  return { id, recipe, modelName: model, caption: '', png: new Blob([]), bytes: 100 + index, time };
}

const items = [
  item('a', 1000, 'fashion-28', { class: 'sneaker' }, 0),
  item('b', 3000, 'emoji-32', { category: 'animals', color: 'yellow' }),
  item('c', 1000, 'fashion-28', { class: 'sneaker' }, 1),
  item('d', 2000, 'fashion-28', {}),
];

describe('gallery order and filters', () => {
  it('lists newest first, and a run made in one millisecond in its own order', () => {
    expect(newestFirst(items).map((i) => i.id)).toEqual(['b', 'd', 'a', 'c']);
  });

  it('filters by model, by label, and by both', () => {
    expect(view(items, { model: 'fashion-28', label: '' }).map((i) => i.id)).toEqual([
      'd',
      'a',
      'c',
    ]);
    expect(view(items, { model: '', label: labelKey('color', 'yellow') }).map((i) => i.id)).toEqual(
      ['b'],
    );
    expect(view(items, { model: 'emoji-32', label: labelKey('class', 'sneaker') })).toEqual([]);
    expect(view(items, ALL)).toHaveLength(4);
  });

  it('offers each kept model and label once', () => {
    const c = filterChoices(items);
    expect(c.models.map((m) => m.id)).toEqual(['emoji-32', 'fashion-28']);
    expect(c.labels).toEqual(['category=animals', 'class=sneaker', 'color=yellow']);
    expect(totalBytes(items)).toBe(401);
  });
});

describe('undo', () => {
  it('gives held rows back once, before they expire', () => {
    const book = new UndoBook(5000);
    const t = book.hold([items[0]!], 0);
    expect(book.take(t, 4999).map((i) => i.id)).toEqual(['a']);
    expect(book.take(t, 4999)).toEqual([]);
  });

  it('forgets rows once the toast has gone', () => {
    const book = new UndoBook(5000);
    const t1 = book.hold([items[0]!], 0);
    const t2 = book.hold([items[1]!, items[2]!], 3000);
    expect(book.take(t1, 6000)).toEqual([]);
    expect(book.size).toBe(1);
    expect(book.take(t2, 6000)).toHaveLength(2);
    expect(book.size).toBe(0);
  });
});

describe('an undo that cannot write', () => {
  it('says why, keeps the rows for download, and says they go with the message', () => {
    const e = new UndoError([items[0]!, items[1]!], "the device's storage is full");
    expect(e.rows.map((i) => i.id)).toEqual(['a', 'b']);
    expect(e.message).toBe(
      "The 2 deleted images could not be put back: the device's storage is full. Download them now; they are gone when this message closes.",
    );
  });
});

describe('a full device', () => {
  it('says what was not kept, that the rest is safe, and what to delete', () => {
    const m = quotaMessage(12, 3 * 1024 * 1024, 4);
    expect(m).toMatch(/last 4 images were not kept/);
    expect(m).toMatch(/holds 12 images \(3\.0 MB\), all still there/);
    expect(m).toMatch(/Delete images .* under Gallery, or an imported model under Models/);
  });
});
