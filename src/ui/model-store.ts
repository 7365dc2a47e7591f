/**
 * Imported models, kept on the device so they work offline: the Origin
 * Private File System where the browser has it (with writable streams),
 * IndexedDB otherwise. Each model is its manifest text plus its ONNX bytes.
 */
import { done, openDb, request } from './idb.ts';

export interface StoredModel {
  id: string;
  manifestText: string;
  bytes: number;
  importedAt: number;
  /** SHA-256 of the .onnx file (absent in imports stored before it was kept). */
  sha256?: string;
}

export interface ModelStore {
  readonly kind: 'opfs' | 'indexeddb';
  list(): Promise<StoredModel[]>;
  put(model: StoredModel, onnx: ArrayBuffer): Promise<void>;
  readOnnx(id: string): Promise<ArrayBuffer>;
  remove(id: string): Promise<void>;
}

const DIR = 'models';

class OpfsStore implements ModelStore {
  readonly kind = 'opfs' as const;

  private async dir(): Promise<FileSystemDirectoryHandle> {
    const root = await navigator.storage.getDirectory();
    return root.getDirectoryHandle(DIR, { create: true });
  }

  async list(): Promise<StoredModel[]> {
    const dir = await this.dir();
    const out: StoredModel[] = [];
    for await (const [name, handle] of dir as unknown as AsyncIterable<
      [string, FileSystemHandle]
    >) {
      if (handle.kind !== 'directory') continue;
      try {
        const meta = await (
          await (handle as FileSystemDirectoryHandle).getFileHandle('meta.json')
        ).getFile();
        out.push(JSON.parse(await meta.text()) as StoredModel);
      } catch {
        // A folder without meta.json is an import that did not finish: drop it.
        await dir.removeEntry(name, { recursive: true }).catch(() => undefined);
      }
    }
    return out.sort((a, b) => a.importedAt - b.importedAt);
  }

  async put(model: StoredModel, onnx: ArrayBuffer): Promise<void> {
    const dir = await this.dir();
    const folder = await dir.getDirectoryHandle(model.id, { create: true });
    await writeFile(folder, 'model.onnx', onnx);
    // meta.json last: its presence marks a complete import.
    await writeFile(folder, 'meta.json', JSON.stringify(model));
  }

  async readOnnx(id: string): Promise<ArrayBuffer> {
    const folder = await (await this.dir()).getDirectoryHandle(id);
    return (await (await folder.getFileHandle('model.onnx')).getFile()).arrayBuffer();
  }

  async remove(id: string): Promise<void> {
    await (await this.dir()).removeEntry(id, { recursive: true });
  }
}

async function writeFile(
  folder: FileSystemDirectoryHandle,
  name: string,
  data: ArrayBuffer | string,
): Promise<void> {
  const handle = await folder.getFileHandle(name, { create: true });
  const writable = await handle.createWritable();
  await writable.write(data);
  await writable.close();
}

const DB = 'diffuse-models';
const META = 'meta';
const BLOBS = 'onnx';

class IdbStore implements ModelStore {
  readonly kind = 'indexeddb' as const;
  private db: Promise<IDBDatabase> | undefined;

  private open(): Promise<IDBDatabase> {
    this.db ??= openDb(DB, (db) => {
      db.createObjectStore(META, { keyPath: 'id' });
      db.createObjectStore(BLOBS);
    });
    return this.db;
  }

  private async tx(mode: IDBTransactionMode): Promise<IDBTransaction> {
    return (await this.open()).transaction([META, BLOBS], mode);
  }

  async list(): Promise<StoredModel[]> {
    const all = await request(
      (await this.tx('readonly')).objectStore(META).getAll() as IDBRequest<StoredModel[]>,
    );
    return all.sort((a, b) => a.importedAt - b.importedAt);
  }

  async put(model: StoredModel, onnx: ArrayBuffer): Promise<void> {
    const tx = await this.tx('readwrite');
    tx.objectStore(BLOBS).put(new Blob([onnx]), model.id);
    tx.objectStore(META).put(model);
    await done(tx);
  }

  async readOnnx(id: string): Promise<ArrayBuffer> {
    const blob = await request(
      (await this.tx('readonly')).objectStore(BLOBS).get(id) as IDBRequest<Blob | undefined>,
    );
    if (!blob) throw new Error(`model ${id} is not stored on this device`);
    return blob.arrayBuffer();
  }

  async remove(id: string): Promise<void> {
    const tx = await this.tx('readwrite');
    tx.objectStore(BLOBS).delete(id);
    tx.objectStore(META).delete(id);
    await done(tx);
  }
}

/** OPFS when it exists and supports writable streams (Safari's main thread does not), else IndexedDB. */
async function pick(): Promise<ModelStore> {
  try {
    if (
      typeof navigator.storage?.getDirectory === 'function' &&
      'createWritable' in FileSystemFileHandle.prototype
    ) {
      const root = await navigator.storage.getDirectory();
      await root.getDirectoryHandle(DIR, { create: true });
      return new OpfsStore();
    }
  } catch {
    // Fall through to IndexedDB.
  }
  return new IdbStore();
}

let store: Promise<ModelStore> | undefined;
export function modelStore(): Promise<ModelStore> {
  store ??= pick();
  return store;
}
