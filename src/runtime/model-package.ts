/**
 * Reads a model package (model.json + the .onnx file it names, see the
 * README's "Add a model") from the app's origin or from imported files, validates the
 * manifest and checks the file's size and SHA-256 when the manifest gives them.
 */
import { checkFileBytes, LIMITS } from '../core/limits.ts';
import { validateManifest, type ModelManifest } from '../core/manifest.ts';
import { messageOf, RuntimeError } from './errors.ts';
import { checkModelFits, tooLarge } from './request.ts';

export interface ModelPackage {
  manifest: ModelManifest;
  onnx: Uint8Array;
}

/** Where the package comes from; mirrors workers/protocol.ts ModelSource. */
export type PackageSource =
  | { kind: 'url'; baseUrl: string }
  | { kind: 'files'; manifestText: string; onnx: ArrayBuffer | Uint8Array };

export type Fetcher = (url: string) => Promise<Response>;

/** Lower-case hex SHA-256 (WebCrypto: browsers, workers and Node ≥ 20). */
export async function sha256Hex(data: Uint8Array): Promise<string> {
  const view = new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', view));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Parses and validates model.json text. */
export function parseManifest(text: string): ModelManifest {
  tooLarge(() => checkFileBytes('model.json', text.length, LIMITS.manifestBytes));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new RuntimeError(
      'manifest-json',
      `model.json is not valid JSON (${messageOf(e)}). Fix the file or export the model again.`,
    );
  }
  try {
    return validateManifest(json);
  } catch (e) {
    throw new RuntimeError('manifest-invalid', `${messageOf(e)}. Fix that field in model.json.`, {
      cause: e,
    });
  }
}

/** Checks the .onnx bytes against file.bytes and file.sha256 where the manifest gives them. */
export async function verifyModelFile(manifest: ModelManifest, onnx: Uint8Array): Promise<void> {
  const { path, bytes, sha256 } = manifest.file;
  tooLarge(() => checkFileBytes(path, onnx.byteLength, LIMITS.modelFileBytes));
  if (onnx.byteLength === 0)
    throw new RuntimeError('file-empty', `${path} is empty. Copy or export the model file again.`);
  if (bytes > 0 && bytes !== onnx.byteLength) {
    throw new RuntimeError(
      'file-size',
      `${path} has ${onnx.byteLength} bytes but model.json says file.bytes = ${bytes}: the file is truncated or from another export. Use the model.onnx that came with this model.json.`,
    );
  }
  if (sha256 !== '') {
    const got = await sha256Hex(onnx);
    if (got !== sha256) {
      throw new RuntimeError(
        'file-hash',
        `${path} has SHA-256 ${got.slice(0, 12)}… but model.json says file.sha256 = ${sha256.slice(0, 12)}…: the file is damaged or from another export. Use the model.onnx that came with this model.json.`,
      );
    }
  }
}

/**
 * What can be refused from model.json alone, before the model file is read:
 * a declared file.bytes over the limit, or images too large for the device.
 */
export function checkDeclaredSizes(manifest: ModelManifest): void {
  tooLarge(() => checkFileBytes(`${manifest.file.path} (file.bytes)`, manifest.file.bytes, LIMITS.modelFileBytes));
  checkModelFits(manifest);
}

async function fetchBytes(
  fetcher: Fetcher,
  url: string,
  what: string,
  limit: number,
): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetcher(url);
  } catch (e) {
    throw new RuntimeError(
      'fetch-failed',
      `Could not fetch ${what} from ${url} (${messageOf(e)}). Check that the model is installed and reload.`,
    );
  }
  if (!res.ok)
    throw new RuntimeError(
      'fetch-failed',
      `Could not fetch ${what} from ${url}: HTTP ${res.status}. Check that the model is installed and reload.`,
    );
  const declared = Number(res.headers.get('content-length') ?? 0);
  tooLarge(() => checkFileBytes(what, declared, limit));
  return new Uint8Array(await res.arrayBuffer());
}

/** Reads, validates and verifies a package. `baseUrl` must be absolute (it ends with '/'). */
export async function readModelPackage(
  source: PackageSource,
  fetcher: Fetcher = (u) => fetch(u),
): Promise<ModelPackage> {
  if (source.kind === 'files') {
    const manifest = parseManifest(source.manifestText);
    checkDeclaredSizes(manifest);
    const onnx = source.onnx instanceof Uint8Array ? source.onnx : new Uint8Array(source.onnx);
    await verifyModelFile(manifest, onnx);
    return { manifest, onnx };
  }
  const base = source.baseUrl.endsWith('/') ? source.baseUrl : `${source.baseUrl}/`;
  const manifestUrl = new URL('model.json', base).href;
  const manifest = parseManifest(
    new TextDecoder().decode(
      await fetchBytes(fetcher, manifestUrl, 'model.json', LIMITS.manifestBytes),
    ),
  );
  checkDeclaredSizes(manifest);
  const onnx = await fetchBytes(
    fetcher,
    new URL(manifest.file.path, base).href,
    manifest.file.path,
    LIMITS.modelFileBytes,
  );
  await verifyModelFile(manifest, onnx);
  return { manifest, onnx };
}
