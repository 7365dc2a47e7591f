/**
 * The gallery's pure parts: the kept image's record, order, filters, the undo
 * book and the quota message (unit-tested without a browser). Storage is in
 * gallery-store.ts.
 */
import type { Recipe } from '../core/recipe.ts';
import { formatBytes } from './dom.ts';

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

/**
 * An undo whose write failed (a full device, say). The deleted rows come
 * with it, so the person can download them before they are gone.
 */
export class UndoError extends Error {
  constructor(
    readonly rows: GalleryItem[],
    why: string,
  ) {
    const n = rows.length;
    super(
      `${n === 1 ? 'The deleted image' : `The ${n} deleted images`} could not be put back: ${why}. ` +
        `Download ${n === 1 ? 'it' : 'them'} now; ${n === 1 ? 'it is' : 'they are'} gone when this message closes.`,
    );
    this.name = 'UndoError';
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
