/**
 * The gallery: every finished image, kept on the device (IndexedDB) with its
 * recipe and its PNG (the recipe inside, as downloaded). The pure parts
 * (order, filters, undo bookkeeping, the quota message) come first and are
 * unit-tested; the IndexedDB part is below them.
 *
 * A delete removes the rows at once and holds them in memory until the undo
 * toast expires; undo writes them back. A write that hits the quota aborts
 * its own transaction only, so nothing already kept is lost.
 */
import type { Recipe } from '../core/recipe.ts';
import { formatBytes } from './dom.ts';
import { done, request } from './idb.ts';

export interface GalleryItem {
  /** Unique: the creation time and the image's place in its run. */
  id: string;
  recipe: Recipe;
  /** The model's display name when it was made. */
  modelName: string;
  /** The labels' titles ("Sneaker", or "any"). */
  caption: string;
  /** The PNG, with the recipe in its tEXt chunks. */
  png: Blob;
  bytes: number;
  /** Milliseconds since the epoch (recipe.createdAt, as a number for sorting). */
  time: number;
}

export interface GalleryFilter {
  /** A model id, or '' for every model. */
  model: string;
  /** A label key "group=id" (see labelKey), or '' for every label. */
  label: string;
}

export const ALL: GalleryFilter = { model: '', label: '' };

export const labelKey = (group: string, id: string): string => `${group}=${id}`;

/** Newest first; items made in the same millisecond keep their run's order. */
export function newestFirst(items: readonly GalleryItem[]): GalleryItem[] {
  return [...items].sort((a, b) => b.time - a.time || a.recipe.index - b.recipe.index);
}

export function matches(item: GalleryItem, f: GalleryFilter): boolean {
  if (f.model && item.recipe.model.id !== f.model) return false;
  if (!f.label) return true;
  return Object.entries(item.recipe.labels).some(([g, id]) => labelKey(g, id) === f.label);
}

/** The shown items: those matching the filter, newest first. */
export function view(items: readonly GalleryItem[], f: GalleryFilter): GalleryItem[] {
  return newestFirst(items.filter((i) => matches(i, f)));
}

/** The filter's choices from what is kept: models and labels, each once, sorted by id. */
export function filterChoices(items: readonly GalleryItem[]): {
  models: { id: string; name: string }[];
  labels: string[];
} {
  const models = new Map<string, string>();
  const labels = new Set<string>();
  for (const i of items) {
    models.set(i.recipe.model.id, i.modelName);
    for (const [g, id] of Object.entries(i.recipe.labels)) labels.add(labelKey(g, id));
  }
  return {
    models: [...models]
      .map(([id, name]) => ({ id, name }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    labels: [...labels].sort(),
  };
}

export const totalBytes = (items: readonly GalleryItem[]): number =>
  items.reduce((n, i) => n + i.bytes, 0);

/**
 * Deleted rows held for undo: `hold` returns a token, `take` gives the rows
 * back once (undo), `expire` forgets holds older than `ms`. Time is passed
 * in, so the bookkeeping is testable without timers.
 */
export class UndoBook {
  private held = new Map<number, { rows: GalleryItem[]; at: number }>();
  private next = 1;
  constructor(readonly ms: number) {}

  hold(rows: GalleryItem[], now: number): number {
    const token = this.next++;
    this.held.set(token, { rows, at: now });
    return token;
  }

  /** The held rows of `token`, removed from the book; [] when expired or already taken. */
  take(token: number, now: number): GalleryItem[] {
    this.expire(now);
    const h = this.held.get(token);
    this.held.delete(token);
    return h?.rows ?? [];
  }

  expire(now: number): void {
    for (const [t, h] of this.held) if (now - h.at >= this.ms) this.held.delete(t);
  }

  get size(): number {
    return this.held.size;
  }
}

export type GalleryErrorCode = 'quota' | 'unavailable';

export class GalleryError extends Error {
  constructor(
    readonly code: GalleryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'GalleryError';
  }
}

/** What a full device says: how much is kept, and what to delete. */
export function quotaMessage(keptCount: number, keptBytes: number, unsaved: number): string {
  return (
    `The device's storage is full, so the last ${unsaved} image${unsaved === 1 ? ' was' : 's were'} not kept in the gallery. ` +
    `The gallery holds ${keptCount} image${keptCount === 1 ? '' : 's'} (${formatBytes(keptBytes)}), all still there. ` +
    'Delete images you no longer need under Gallery, or an imported model under Models, then generate again.'
  );
}

const isQuota = (e: unknown): boolean =>
  e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);

// ---- IndexedDB ----

const DB = 'diffuse-gallery';
const STORE = 'images';

type Listener = () => void;

export class GalleryStore {
  private db: Promise<IDBDatabase> | undefined;
  private listeners = new Set<Listener>();
  readonly undo = new UndoBook(8000);

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const r = indexedDB.open(DB, 1);
      r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'id' });
      r.onsuccess = () => resolve(r.result);
      r.onerror = () =>
        reject(
          new GalleryError(
            'unavailable',
            `The gallery cannot be opened: ${r.error?.message ?? 'IndexedDB is not available'}`,
          ),
        );
    });
    return this.db;
  }

  private async tx(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    return (await this.open()).transaction(STORE, mode).objectStore(STORE);
  }

  /** Called after every change (add, delete, undo). */
  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  async list(f: GalleryFilter = ALL): Promise<GalleryItem[]> {
    return view(
      await request((await this.tx('readonly')).getAll() as IDBRequest<GalleryItem[]>),
      f,
    );
  }

  async bytesUsed(): Promise<{ count: number; bytes: number }> {
    const all = await this.list();
    return { count: all.length, bytes: totalBytes(all) };
  }

  /** Keeps `items` in one transaction: all or none. A full quota throws GalleryError 'quota'. */
  async add(items: GalleryItem[]): Promise<void> {
    if (items.length === 0) return;
    const store = await this.tx('readwrite');
    try {
      for (const i of items) store.put(i);
      await done(store.transaction);
    } catch (e) {
      // All or none: a put refused at once leaves the others unwritten too.
      try {
        store.transaction.abort();
      } catch {
        // Already aborted by the error itself.
      }
      if (!isQuota(e)) throw e;
      const kept = await this.bytesUsed();
      throw new GalleryError('quota', quotaMessage(kept.count, kept.bytes, items.length));
    }
    this.changed();
  }

  /** Deletes the rows with these ids and holds them for undo; returns the undo token. */
  async remove(ids: string[]): Promise<number> {
    const all = await this.list();
    const rows = all.filter((i) => ids.includes(i.id));
    const store = await this.tx('readwrite');
    for (const r of rows) store.delete(r.id);
    await done(store.transaction);
    this.changed();
    return this.undo.hold(rows, Date.now());
  }

  async removeAll(): Promise<number> {
    return this.remove((await this.list()).map((i) => i.id));
  }

  /** Puts back the rows of a delete whose undo has not expired; returns how many. */
  async restore(token: number): Promise<number> {
    const rows = this.undo.take(token, Date.now());
    await this.add(rows);
    return rows.length;
  }
}

export const gallery = new GalleryStore();
