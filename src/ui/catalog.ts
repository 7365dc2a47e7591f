/**
 * The models the app can run: the built-in ones listed in models/index.json
 * (precached by the service worker) and the ones the user imported.
 */
import { validateManifest, type ModelManifest } from '../core/manifest.ts';
import type { ModelSource } from '../../workers/protocol.ts';
import { modelStore } from './model-store.ts';

export interface ModelEntry {
  /** Unique across origins: built-in ids and imported ids never collide (import refuses that). */
  id: string;
  name: string;
  origin: 'built-in' | 'imported';
  /**
   * Which weights: the .onnx file's SHA-256 (an import adds its import time,
   * and one stored before hashes were kept has only that). Part of the
   * generator's load key, so a model re-imported under the same id is
   * loaded, not the old one.
   */
  version: string;
  bytes: number;
  manifest: ModelManifest;
  source(): Promise<ModelSource>;
}

interface ModelsIndex {
  default: string;
  models: string[];
}

function appUrl(path: string): string {
  return new URL(path, document.baseURI).href;
}

async function fetchJson(path: string): Promise<unknown> {
  const res = await fetch(appUrl(path));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

async function builtIn(): Promise<{ entries: ModelEntry[]; defaultId: string }> {
  const index = (await fetchJson('models/index.json')) as ModelsIndex;
  const entries: ModelEntry[] = [];
  for (const id of index.models) {
    try {
      const manifest = validateManifest(await fetchJson(`models/${id}/model.json`));
      const baseUrl = appUrl(`models/${id}/`);
      entries.push({
        id,
        name: manifest.name,
        origin: 'built-in',
        version: manifest.file.sha256 || `bytes:${manifest.file.bytes}`,
        bytes: manifest.file.bytes,
        manifest,
        source: () => Promise.resolve({ kind: 'url', baseUrl }),
      });
    } catch (e) {
      console.warn(`built-in model ${id} skipped:`, e);
    }
  }
  return { entries, defaultId: index.default };
}

async function imported(): Promise<ModelEntry[]> {
  const store = await modelStore();
  const out: ModelEntry[] = [];
  for (const m of await store.list()) {
    try {
      const manifest = validateManifest(JSON.parse(m.manifestText));
      out.push({
        id: m.id,
        name: manifest.name,
        origin: 'imported',
        // The import time too: a re-import of the same weights with another model.json reloads as well.
        version: `${m.sha256 ?? 'unhashed'}@${m.importedAt}`,
        bytes: m.bytes,
        manifest,
        source: async () => ({ kind: 'files', manifestText: m.manifestText, onnx: await store.readOnnx(m.id) }),
      });
    } catch (e) {
      console.warn(`imported model ${m.id} skipped:`, e);
    }
  }
  return out;
}

export interface Catalog {
  models: ModelEntry[];
  defaultId: string;
}

type Listener = (c: Catalog) => void;
let current: Catalog = { models: [], defaultId: '' };
const listeners = new Set<Listener>();

/** Re-reads both lists and tells every subscriber. */
export async function refreshCatalog(): Promise<Catalog> {
  const [b, i] = await Promise.all([builtIn(), imported().catch(() => [])]);
  current = { models: [...b.entries, ...i], defaultId: b.defaultId };
  for (const l of listeners) l(current);
  return current;
}

export function catalog(): Catalog {
  return current;
}

export function onCatalog(l: Listener): void {
  listeners.add(l);
}

export function findModel(id: string): ModelEntry | undefined {
  return current.models.find((m) => m.id === id) ?? current.models.find((m) => m.id === current.defaultId);
}
