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

/**
 * An imported model this version cannot use: its model.json fails today's
 * checks (an import made under looser ones). Listed with the reason, so it
 * can be removed and its space freed, instead of vanishing.
 */
export interface UnusableModel {
  id: string;
  bytes: number;
  reason: string;
}

async function imported(): Promise<{ entries: ModelEntry[]; unusable: UnusableModel[] }> {
  const store = await modelStore();
  const out: ModelEntry[] = [];
  const unusable: UnusableModel[] = [];
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
        source: async () => ({
          kind: 'files',
          manifestText: m.manifestText,
          onnx: await store.readOnnx(m.id),
        }),
      });
    } catch (e) {
      unusable.push({
        id: m.id,
        bytes: m.bytes,
        reason: e instanceof Error ? e.message : String(e),
      });
    }
  }
  return { entries: out, unusable };
}

export interface Catalog {
  models: ModelEntry[];
  defaultId: string;
  unusable: UnusableModel[];
  /** Why the imported models could not be read at all (storage unavailable), if so. */
  storeError?: string;
}

type Listener = (c: Catalog) => void;
let current: Catalog = { models: [], defaultId: '', unusable: [] };
const listeners = new Set<Listener>();

/** Re-reads both lists and tells every subscriber. */
export async function refreshCatalog(): Promise<Catalog> {
  const [b, i] = await Promise.all([
    builtIn(),
    imported().catch((e: unknown) => ({
      entries: [],
      unusable: [],
      storeError: e instanceof Error ? e.message : String(e),
    })),
  ]);
  current = {
    models: [...b.entries, ...i.entries],
    defaultId: b.defaultId,
    unusable: i.unusable,
    ...('storeError' in i ? { storeError: i.storeError } : {}),
  };
  for (const l of listeners) l(current);
  return current;
}

export function catalog(): Catalog {
  return current;
}

export function onCatalog(l: Listener): void {
  listeners.add(l);
}

/** The model with this id, else the default, else the first there is (a default that failed to load). */
export function findModel(id: string): ModelEntry | undefined {
  return (
    current.models.find((m) => m.id === id) ??
    current.models.find((m) => m.id === current.defaultId) ??
    current.models[0]
  );
}
