/** IndexedDB's open, request and transaction events, as promises (the gallery and the model store share them). */

/** Opens version 1 of database `name`, creating its stores with `create` the first time. */
export function openDb(name: string, create: (db: IDBDatabase) => void): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => create(r.result);
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB is not available'));
  });
}

/** Resolves with the request's result, or rejects with its error. */
export function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

/** Resolves when the transaction commits; rejects when it fails or is aborted. */
export function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    // The failed request's error: tx.error is still null while it bubbles (the abort sets it).
    tx.onerror = (ev) =>
      reject(
        (ev.target as IDBRequest | IDBTransaction | null)?.error ??
          tx.error ??
          new Error('IndexedDB transaction failed'),
      );
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
}
