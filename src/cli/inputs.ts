/**
 * What the CLI reads and checks before any sampling: the model folder, whole
 * files under a size limit, the --init picture, and the output paths and
 * pictures, so a bad flag fails at once with one line naming it; and how
 * the outputs are written.
 */
import {
  accessSync,
  constants,
  existsSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkFileBytes, checkPictureMemory, LimitError, LIMITS } from '../core/limits.ts';
import type { ModelManifest } from '../core/manifest.ts';
import { gridSize } from '../media/tile.ts';
import { messageOf } from '../runtime/errors.ts';
import { MAX_FRAMES } from '../runtime/request.ts';
import { CliError, type GenerateOptions } from './args.ts';
import { pngToImage } from './images.ts';

const MODELS = fileURLToPath(new URL('../../public/models/', import.meta.url));

/** The ids under public/models/, for an error message. */
function installedModels(): string {
  const ids = existsSync(MODELS)
    ? readdirSync(MODELS, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(MODELS, d.name, 'model.json')))
        .map((d) => d.name)
    : [];
  return ids.join(', ') || '(none installed)';
}

/** The app's default model, as public/models/index.json names it. */
function defaultModel(): string {
  try {
    const index = JSON.parse(readFileSync(join(MODELS, 'index.json'), 'utf8')) as {
      default?: unknown;
    };
    if (typeof index.default === 'string') return index.default;
  } catch {
    // Reported below, like a missing index.
  }
  throw new CliError(
    `--model: public/models/index.json names no default model; give one of ${installedModels()}`,
  );
}

/** A model id under public/models/ ('' for the default), or a folder holding model.json. */
export function modelDir(model: string): string {
  if (model === '') {
    const id = defaultModel();
    if (existsSync(join(MODELS, id, 'model.json'))) return join(MODELS, id);
    throw new CliError(
      `public/models/index.json names "${id}" as the default model, but it is not installed; give --model one of ${installedModels()}`,
    );
  }
  if (existsSync(join(model, 'model.json'))) return resolve(model);
  if (/^[\w.-]+$/.test(model) && existsSync(join(MODELS, model, 'model.json')))
    return join(MODELS, model);
  throw new CliError(
    `--model: no model "${model}"; valid models: ${installedModels()}, or a folder holding model.json`,
  );
}

/** A whole file, refused before reading when it is larger than `limit` bytes. */
export function readFile(path: string, what: string, limit: number): Uint8Array {
  try {
    checkFileBytes(path, statSync(path).size, limit);
    return new Uint8Array(readFileSync(path));
  } catch (e) {
    throw new CliError(`${what}: cannot read ${path} (${messageOf(e)})`);
  }
}

/** The PNG grid and the GIF would fit in memory (core/limits.ts), checked before any sampling. */
export function checkPictures(opts: GenerateOptions, manifest: ModelManifest): void {
  const { width: w, height: h } = manifest.image;
  const grid = gridSize(opts.n, w, h, Math.ceil(Math.sqrt(opts.n)), opts.scale);
  try {
    checkPictureMemory(`--out ${opts.out}`, 'png', grid.width, grid.height);
    if (opts.gif !== undefined)
      checkPictureMemory(`--gif ${opts.gif}`, 'gif', grid.width, grid.height, MAX_FRAMES + 1);
  } catch (e) {
    throw e instanceof LimitError ? new CliError(e.message) : e;
  }
}

/** The file a path names, through symbolic links where it exists. */
const real = (path: string): string => (existsSync(path) ? realpathSync(path) : resolve(path));

const writable = (path: string): boolean => {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * Output paths that would clash, overwrite an input, or cannot be written
 * fail before any sampling work, not after it.
 */
export function checkOutputs(opts: GenerateOptions): void {
  const named = (list: [string, string | undefined][]) =>
    list.filter((p): p is [string, string] => p[1] !== undefined);
  const paths = named([
    ['--out', opts.out],
    ['--gif', opts.gif],
    ['--npy', opts.npy],
  ]);
  const inputs = named([
    ['--init', opts.init],
    ['--from-png', opts.fromPng],
  ]);
  paths.forEach(([flag, path], i) => {
    const clash = paths.findIndex(([, other]) => real(other) === real(path));
    if (clash !== i)
      throw new CliError(
        `${flag} ${path} is also the ${paths[clash]![0]} path; give each output its own file`,
      );
    const input = inputs.find(([, other]) => real(other) === real(path));
    if (input)
      throw new CliError(
        `${flag} ${path} is also the ${input[0]} file, which the run would overwrite; give ${flag} another path`,
      );
    const dir = dirname(resolve(path));
    if (!existsSync(dir) || !statSync(dir).isDirectory())
      throw new CliError(`${flag}: folder ${dir} does not exist; create it or choose another path`);
    if (existsSync(path) && statSync(path).isDirectory())
      throw new CliError(`${flag} ${path} is a folder; give a file path inside it`);
    // writeWhole writes beside it and renames, so the folder is what must be writable.
    if (!writable(dir))
      throw new CliError(
        `${flag}: ${path} cannot be written here (no permission); choose another path`,
      );
  });
}

/** Writes the whole file or leaves the path as it was: a stopped run leaves no half-written file. */
export function writeWhole(path: string, bytes: Uint8Array): void {
  const part = `${path}.${process.pid}.part`;
  try {
    writeFileSync(part, bytes);
    renameSync(part, path);
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
}

/** The --init picture as the model's input (centre crop, area averaging), with one-line errors. */
export function readInit(path: string, manifest: ModelManifest): Float32Array {
  const { channels, height, width } = manifest.image;
  try {
    // At most 8 bytes a pixel (16-bit RGBA stored uncompressed) plus chunk overhead.
    return pngToImage(
      readFile(path, '--init', 8 * LIMITS.decodePixels + 2 ** 20),
      channels,
      height,
      width,
    );
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (e instanceof LimitError) throw new CliError(`--init ${path}: ${e.message}`);
    throw new CliError(`--init: ${path} is not a readable PNG (${messageOf(e)})`);
  }
}
