/**
 * The gallery: every finished image, kept on the device (IndexedDB) with its
 * recipe and its PNG (the recipe inside, as downloaded). The records and
 * their pure bookkeeping are in gallery-list.ts.
 *
 * A delete removes the rows at once and holds them in memory until the undo
 * toast expires; undo writes them back, or hands them over for download when
 * that write fails. A write that hits the quota aborts its own transaction
 * only, so nothing already kept is lost.
 */
import {
  ALL,
  GalleryError,
  quotaMessage,
  totalBytes,
  UndoBook,
  UndoError,
  view,
  type GalleryFilter,
  type GalleryItem,
} from './gallery-list.ts';
import { done, openDb, request } from './idb.ts';

const isQuota = (e: unknown): boolean =>
  e instanceof DOMException && (e.name === 'QuotaExceededError' || e.code === 22);

const DB = 'diffuse-gallery';
const STORE = 'images';

type Listener = () => void;

export class GalleryStore {
  private db: Promise<IDBDatabase> | undefined;
  private listeners = new Set<Listener>();
  readonly undo = new UndoBook(8000);

  private open(): Promise<IDBDatabase> {
    this.db ??= openDb(DB, (db) => db.createObjectStore(STORE, { keyPath: 'id' })).catch(
      (e: unknown) => {
        const why = e instanceof Error ? e.message : 'IndexedDB is not available';
        throw new GalleryError('unavailable', `The gallery cannot be opened: ${why}`);
      },
    );
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

  /**
   * Puts back the rows of a delete whose undo has not expired; returns how
   * many. A failed write throws UndoError with the rows, so they can still be saved.
   */
  async restore(token: number): Promise<number> {
    const rows = this.undo.take(token, Date.now());
    try {
      await this.add(rows);
    } catch (e) {
      const why =
        e instanceof GalleryError && e.code === 'quota'
          ? "the device's storage is full"
          : e instanceof Error
            ? e.message
            : String(e);
      throw new UndoError(rows, why);
    }
    return rows.length;
  }
}

export const gallery = new GalleryStore();
