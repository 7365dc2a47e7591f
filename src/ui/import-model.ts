/**
 * Importing a model from the device: a .onnx plus its model.json, or one .zip
 * holding both. The checks are the generator worker's own (manifest, file
 * size and hash, a trial session); each names what is wrong and what to do,
 * and nothing is stored unless every check passes.
 */
import type { ModelManifest } from '../core/manifest.ts';
import { catalog } from './catalog.ts';
import { checkPackage } from './generator.ts';
import { modelStore } from './model-store.ts';

export class ImportError extends Error {
  override name = 'ImportError';
}

interface Picked {
  manifestText: string;
  onnx: ArrayBuffer;
}

/** fflate loads only when a .zip is imported; its async unzip inflates off the main thread. */
async function unzipAsync(data: Uint8Array): Promise<Record<string, Uint8Array>> {
  const { unzip } = await import('fflate');
  return new Promise((resolve, reject) => unzip(data, (err, files) => (err ? reject(err) : resolve(files))));
}

const isJson = (name: string) => name.toLowerCase().endsWith('.json');
const isOnnx = (name: string) => name.toLowerCase().endsWith('.onnx');
const base = (name: string) => name.split('/').pop() ?? name;

async function pick(files: File[]): Promise<Picked> {
  if (files.length === 1 && files[0]?.name.toLowerCase().endsWith('.zip')) {
    let entries: Record<string, Uint8Array>;
    try {
      entries = await unzipAsync(new Uint8Array(await files[0].arrayBuffer()));
    } catch (e) {
      throw new ImportError(`${files[0].name} is not a readable .zip (${e instanceof Error ? e.message : String(e)}). Zip model.json and model.onnx again and retry.`);
    }
    const names = Object.keys(entries).filter((n) => !n.endsWith('/') && !base(n).startsWith('.'));
    const json = names.filter(isJson);
    const onnx = names.filter(isOnnx);
    const manifestName = json.find((n) => base(n) === 'model.json') ?? (json.length === 1 ? json[0] : undefined);
    if (!manifestName) throw new ImportError(`${files[0].name} holds no model.json. Put model.json next to the .onnx file in the zip.`);
    if (onnx.length !== 1) throw new ImportError(`${files[0].name} must hold exactly one .onnx file; it holds ${onnx.length}.`);
    const bytes = entries[onnx[0] ?? ''] ?? new Uint8Array();
    return {
      manifestText: new TextDecoder().decode(entries[manifestName]),
      onnx: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer,
    };
  }
  const json = files.filter((f) => isJson(f.name));
  const onnx = files.filter((f) => isOnnx(f.name));
  if (json.length !== 1 || onnx.length !== 1 || files.length !== 2) {
    throw new ImportError(
      `Choose two files, model.json and its .onnx (or one .zip holding both); you chose ${files.map((f) => f.name).join(', ') || 'nothing'}.`,
    );
  }
  return { manifestText: await json[0]!.text(), onnx: await onnx[0]!.arrayBuffer() };
}

/** Checks (in the worker, once) and stores an import. Throws ImportError with a user-facing message. */
export async function importModel(files: File[], onStage: (text: string) => void): Promise<ModelManifest> {
  onStage('Reading files…');
  const picked = await pick(files);
  onStage('Checking the model…');
  let manifest: ModelManifest;
  try {
    ({ manifest } = await checkPackage({ kind: 'files', manifestText: picked.manifestText, onnx: picked.onnx.slice(0) }));
  } catch (e) {
    throw new ImportError(`This model cannot be imported: ${e instanceof Error ? e.message : String(e)}`);
  }
  const clash = catalog().models.find((m) => m.id === manifest.id);
  if (clash?.origin === 'built-in') {
    throw new ImportError(`A built-in model already uses the id “${manifest.id}”. Change "id" in model.json and import again.`);
  }
  onStage('Saving on this device…');
  const store = await modelStore();
  await store.put({ id: manifest.id, manifestText: picked.manifestText, bytes: picked.onnx.byteLength, importedAt: Date.now() }, picked.onnx);
  return manifest;
}
