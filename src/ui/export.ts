/**
 * Saving a run's images: one (the viewer, a long press or the context menu
 * on a result) or all of them ("Save all": shared as files where the Web
 * Share API takes them, else one .zip). Each PNG carries its own recipe and a
 * name with model, labels and seed.
 */
import type { Run } from './app-state.ts';
import { download } from './images.ts';
import { fileName, pngOf, recipeOf } from './recipes.ts';

/** Image k's PNG and file name (an interpolated image, which has no recipe, is named by its place). */
export async function imageFile(run: Run, k: number): Promise<File> {
  const recipe = recipeOf(run, k);
  const name = recipe ? fileName(recipe) : `${run.model.id}-interpolation-${k}.png`;
  return new File([await pngOf(run, k, recipe)], name, { type: 'image/png' });
}

export async function saveOne(run: Run, k: number): Promise<string> {
  const file = await imageFile(run, k);
  download(file, file.name);
  return file.name;
}

/**
 * Zip entry names, each unique: a repeated name gets "-2", "-3"… before its
 * extension. Gallery rows can share a file name (the same seed run twice),
 * and a zip keeps only one entry per name.
 */
export function uniqueNames(names: string[]): string[] {
  const taken = new Set<string>();
  return names.map((name) => {
    const dot = name.lastIndexOf('.');
    const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
    let unique = name;
    for (let k = 2; taken.has(unique); k++) unique = `${stem}-${k}${ext}`;
    taken.add(unique);
    return unique;
  });
}

/** Downloads the files as one zip named `name`; PNGs are already compressed, so stored, not deflated again. */
export async function downloadZip(files: File[], name: string): Promise<void> {
  const { zipSync } = await import('fflate');
  const entries: Record<string, [Uint8Array, { level: 0 }]> = {};
  const names = uniqueNames(files.map((f) => f.name));
  for (const [k, f] of files.entries())
    entries[names[k]!] = [new Uint8Array(await f.arrayBuffer()), { level: 0 }];
  download(new Blob([zipSync(entries) as BlobPart], { type: 'application/zip' }), name);
}

/** Shares every image of the run where the browser takes files, else downloads them as one zip; says which. */
export async function saveAll(run: Run): Promise<string> {
  const files = await Promise.all(
    Array.from({ length: run.result.count }, (_, k) => imageFile(run, k)),
  );
  const n = files.length;
  if (typeof navigator.canShare === 'function' && navigator.canShare({ files })) {
    try {
      await navigator.share({ files, title: `${n} generated images` });
      return `Shared ${n} image${n === 1 ? '' : 's'}.`;
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') return '';
      // Sharing refused (no user gesture left after encoding, say): the zip instead.
    }
  }
  const first = files[0]?.name.replace(/-\d+\.png$/, '') ?? run.model.id;
  const name = `${first}-${n}-images.zip`;
  await downloadZip(files, name);
  return `Saved ${name}.`;
}
