/**
 * The gallery's storage (src/ui/gallery-store.ts) on fake-indexeddb: delete
 * and undo, and an undo whose write fails handing its rows back for download
 * instead of losing them.
 */
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Recipe } from '../../src/core/recipe.ts';
import { UndoError, type GalleryItem } from '../../src/ui/gallery-list.ts';
import { GalleryStore } from '../../src/ui/gallery-store.ts';

function item(id: string, time: number): GalleryItem {
  const recipe: Recipe = {
    format: 'diffuse-recipe',
    version: 1,
    model: { id: 'fashion-28', sha256: '' },
    labels: { class: 'sneaker' },
    sampler: 'dpmpp-2m',
    steps: 20,
    guidance: 1.5,
    seed: 42,
    index: 0,
    backend: 'WASM',
    createdAt: new Date(time).toISOString(),
  };
  return {
    id,
    recipe,
    modelName: 'Fashion',
    caption: 'Sneaker',
    png: new Blob([new Uint8Array([1, 2, 3])], { type: 'image/png' }),
    bytes: 3,
    time,
  };
}

// Each test on an empty device.
beforeEach(() => {
  globalThis.indexedDB = new IDBFactory();
});
afterEach(() => vi.restoreAllMocks());

describe('the gallery store', () => {
  it('deletes, and undo puts the rows back', async () => {
    const store = new GalleryStore();
    await store.add([item('a', 1000), item('b', 2000)]);
    const token = await store.remove(['a']);
    expect((await store.list()).map((i) => i.id)).toEqual(['b']);
    expect(await store.restore(token)).toBe(1);
    expect((await store.list()).map((i) => i.id)).toEqual(['b', 'a']);
    expect(await (await store.list()).find((i) => i.id === 'a')!.png.arrayBuffer()).toEqual(
      new Uint8Array([1, 2, 3]).buffer,
    );
  });

  it('hands the rows back in an UndoError when the undo cannot be written', async () => {
    const store = new GalleryStore();
    await store.add([item('c', 3000)]);
    const token = await store.remove(['c']);
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const e = await store.restore(token).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(UndoError);
    expect((e as UndoError).rows.map((i) => i.id)).toEqual(['c']);
    expect((e as UndoError).message).toMatch(
      /^The deleted image could not be put back: the device's storage is full\. Download it now/,
    );
    vi.restoreAllMocks();
    expect((await store.list()).map((i) => i.id)).not.toContain('c');
  });
});
