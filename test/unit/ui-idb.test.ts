/**
 * IndexedDB's events as promises (src/ui/idb.ts), on fake-indexeddb's
 * implementation of the spec: a failed write rejects with the failed
 * request's own error, which is what the gallery reads to tell a full device
 * from other failures.
 */
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { done, openDb, request } from '../../src/ui/idb.ts';

let n = 0;
const fresh = () =>
  openDb(`idb-test-${n++}`, (db) => db.createObjectStore('rows', { keyPath: 'id' }));

describe('IndexedDB as promises', () => {
  it('resolves a committed transaction and reads back what it wrote', async () => {
    const db = await fresh();
    const tx = db.transaction('rows', 'readwrite');
    tx.objectStore('rows').put({ id: 'a', v: 1 });
    await done(tx);
    const read = db.transaction('rows').objectStore('rows').get('a');
    expect(await request(read)).toEqual({ id: 'a', v: 1 });
  });

  it("rejects a failed write with the request's own error, not a generic one", async () => {
    const db = await fresh();
    const tx = db.transaction('rows', 'readwrite');
    const rows = tx.objectStore('rows');
    rows.add({ id: 'a' });
    rows.add({ id: 'a' });
    const e = await done(tx).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(DOMException);
    expect((e as DOMException).name).toBe('ConstraintError');
    // Nothing of the failed transaction was kept.
    const count = db.transaction('rows').objectStore('rows').count();
    expect(await request(count)).toBe(0);
  });

  it('rejects a failed request with its error', async () => {
    const db = await fresh();
    const tx = db.transaction('rows', 'readwrite');
    const rows = tx.objectStore('rows');
    rows.add({ id: 'b' });
    const e = await request(rows.add({ id: 'b' })).catch((err: unknown) => err);
    expect((e as DOMException).name).toBe('ConstraintError');
    await done(tx).catch(() => undefined);
  });

  it('rejects an aborted transaction', async () => {
    const db = await fresh();
    const tx = db.transaction('rows', 'readwrite');
    tx.objectStore('rows').put({ id: 'c' });
    const settled = done(tx).catch((err: unknown) => err);
    tx.abort();
    expect(await settled).toBeInstanceOf(Error);
  });
});
