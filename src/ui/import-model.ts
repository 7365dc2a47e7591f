/**
 * Importing a model from the device: a .onnx plus its model.json, or one .zip
 * holding both. Sizes are checked before anything is read (core/limits.ts); a
 * .zip is read in a worker that checks each entry's declared size before
 * inflating it (runtime/model-zip.ts). The checks are then the generator
 * worker's own (manifest, file size and hash, a trial session and call); each names
 * what is wrong and what to do, and nothing is stored unless every check
 * passes. An import under an id already on the device asks first: replace
 * it, keep both (the new one under a free id such as "<id>-2"), or cancel.
 */
import { checkFileBytes, LIMITS } from '../core/limits.ts';
import { MAX_MODEL_ID, type ModelManifest } from '../core/manifest.ts';
import { catalog, type ModelEntry } from './catalog.ts';
import { h } from './dom.ts';
import { checkPackage, readZip } from './generator.ts';
import { modelStore } from './model-store.ts';

export class ImportError extends Error {
  override name = 'ImportError';
}

interface Picked {
  manifestText: string;
  onnx: ArrayBuffer;
}

const isJson = (name: string) => name.toLowerCase().endsWith('.json');
const isOnnx = (name: string) => name.toLowerCase().endsWith('.onnx');
const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Refuses a file over `limit` bytes before it is read. */
function checkSize(file: File, limit: number): void {
  try {
    checkFileBytes(file.name, file.size, limit);
  } catch (e) {
    throw new ImportError(`${messageOf(e)} Nothing was changed.`);
  }
}

async function pick(files: File[]): Promise<Picked> {
  const zip = files.length === 1 && files[0]?.name.toLowerCase().endsWith('.zip') ? files[0] : undefined;
  if (zip) {
    checkSize(zip, LIMITS.zipBytes);
    try {
      const { manifestText, onnx } = await readZip(await zip.arrayBuffer(), zip.name);
      return { manifestText, onnx };
    } catch (e) {
      throw new ImportError(`This model cannot be imported: ${messageOf(e)}`);
    }
  }
  const json = files.filter((f) => isJson(f.name));
  const onnx = files.filter((f) => isOnnx(f.name));
  if (json.length !== 1 || onnx.length !== 1 || files.length !== 2) {
    throw new ImportError(
      `Choose two files, model.json and its .onnx (or one .zip holding both); you chose ${files.map((f) => f.name).join(', ') || 'nothing'}.`,
    );
  }
  checkSize(json[0]!, LIMITS.manifestBytes);
  checkSize(onnx[0]!, LIMITS.modelFileBytes);
  return { manifestText: await json[0]!.text(), onnx: await onnx[0]!.arrayBuffer() };
}

/** An import whose id is already on the device. */
export interface Clash {
  existing: ModelEntry;
  incoming: ModelManifest;
  /** The id "keep both" would give the new model. */
  freeId: string;
}

export type ClashChoice = 'replace' | 'keep-both' | 'cancel';

/** `id` if free, else the first of id-2, id-3, … that no model on the device uses. */
export function freeId(id: string, taken: ReadonlySet<string>): string {
  if (!taken.has(id)) return id;
  for (let k = 2; ; k++) {
    // Shortened where needed, so the new id still fits MODEL_ID's 200 characters.
    const candidate = `${id.slice(0, MAX_MODEL_ID - `-${k}`.length)}-${k}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** model.json text with another id (and the name marked), for "keep both". */
export function renamed(manifestText: string, id: string, suffix: string): string {
  const json = JSON.parse(manifestText) as Record<string, unknown>;
  json.id = id;
  if (typeof json.name === 'string') json.name = `${json.name} (${suffix})`;
  return JSON.stringify(json, null, 2);
}

/** Asks in a modal dialog; a built-in model can only be kept beside, never replaced. */
export function askClash(clash: Clash): Promise<ClashChoice> {
  const builtIn = clash.existing.origin === 'built-in';
  return new Promise((resolve) => {
    const choose = (choice: ClashChoice) => () => {
      dialog.close();
      dialog.remove();
      resolve(choice);
    };
    const dialog = h(
      'dialog',
      { class: 'viewer', 'aria-labelledby': 'clash-title', 'data-testid': 'import-clash', oncancel: choose('cancel') },
      h(
        'div',
        { class: 'viewer-body' },
        h('h2', { id: 'clash-title' }, `“${clash.incoming.id}” is already on this device`),
        h(
          'p',
          {},
          builtIn
            ? `The built-in model “${clash.existing.name}” uses this id. Import the new one as “${clash.freeId}” beside it?`
            : `“${clash.existing.name}” has this id. Replace it with “${clash.incoming.name}”, or keep both (the new one as “${clash.freeId}”)?`,
        ),
        h(
          'div',
          { class: 'button-row' },
          builtIn
            ? null
            : h('button', { type: 'button', class: 'button', 'data-testid': 'clash-replace', onclick: choose('replace') }, 'Replace'),
          h('button', { type: 'button', class: 'button primary', 'data-testid': 'clash-keep-both', onclick: choose('keep-both') }, `Keep both`),
          h('button', { type: 'button', class: 'button', 'data-testid': 'clash-cancel', onclick: choose('cancel') }, 'Cancel'),
        ),
      ),
    );
    document.body.append(dialog);
    dialog.showModal();
  });
}

/**
 * Checks (in the worker, once) and stores an import; returns the manifest as
 * stored (its id changed when the person chose to keep both). Throws
 * ImportError with a user-facing message, also when the person cancels.
 */
export async function importModel(
  files: File[],
  onStage: (text: string) => void,
  decide: (clash: Clash) => Promise<ClashChoice> = askClash,
): Promise<ModelManifest> {
  onStage('Reading files…');
  const picked = await pick(files);
  onStage('Checking the model…');
  let manifest: ModelManifest;
  let sha256: string;
  try {
    ({ manifest, sha256 } = await checkPackage({ kind: 'files', manifestText: picked.manifestText, onnx: picked.onnx.slice(0) }));
  } catch (e) {
    throw new ImportError(`This model cannot be imported: ${messageOf(e)}`);
  }
  let manifestText = picked.manifestText;
  const existing = catalog().models.find((m) => m.id === manifest.id);
  if (existing) {
    const taken = new Set([...catalog().models, ...catalog().unusable].map((m) => m.id));
    const clash: Clash = { existing, incoming: manifest, freeId: freeId(manifest.id, taken) };
    const choice = await decide(clash);
    if (choice === 'cancel' || (choice === 'replace' && existing.origin === 'built-in'))
      throw new ImportError(`Import cancelled: “${manifest.id}” is already on this device. Nothing was changed.`);
    if (choice === 'keep-both') {
      manifestText = renamed(manifestText, clash.freeId, clash.freeId.slice(clash.freeId.lastIndexOf('-') + 1));
      manifest = { ...manifest, id: clash.freeId, name: (JSON.parse(manifestText) as { name: string }).name };
    }
  }
  onStage('Saving on this device…');
  const store = await modelStore();
  await store.put(
    { id: manifest.id, manifestText, bytes: picked.onnx.byteLength, importedAt: Date.now(), sha256 },
    picked.onnx,
  );
  return manifest;
}
