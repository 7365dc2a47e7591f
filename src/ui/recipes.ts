/**
 * Recipes on the UI side: image k of a finished run as its own recipe, its
 * caption and file name, its PNG with the recipe inside (what downloads,
 * shares and the gallery hold), and a recipe turned back into settings.
 */
import { labelGroups } from '../core/conditioning.ts';
import { labelIn } from '../core/recipe-request.ts';
import { recipeFor, type Recipe } from '../core/recipe.ts';
import { addRecipe } from '../media/png-text.ts';
import type { Run } from './app-state.ts';
import type { ModelEntry } from './catalog.ts';
import type { GalleryItem } from './gallery-list.ts';
import { describeBackend } from './generator.ts';
import { imageAt, pngBlob } from './images.ts';
import type { Settings } from './settings.ts';

/** Image k's recipe, or undefined for an image that has none (made from interpolated noise). */
export function recipeOf(run: Run, k: number, time = new Date()): Recipe | undefined {
  if (run.request.noise !== undefined) return undefined;
  const m = run.model.manifest;
  const model = { id: run.model.id, sha256: m.file.sha256, conditioning: m.conditioning };
  return recipeFor(run.request, k, model, describeBackend(run.result.backend), time);
}

/** The labels' titles: "Sneaker", "Smileys, Yellow", or "any". */
export function labelTitles(recipe: Recipe, model: ModelEntry | undefined): string {
  const groups = model ? labelGroups(model.manifest.conditioning) : [];
  const titles = Object.entries(recipe.labels).map(([name, id]) => {
    const g = groups.find((x) => x.name === name);
    const i = g ? g.ids.indexOf(id) : -1;
    return (i >= 0 ? g?.titles[i] : undefined) ?? id;
  });
  return titles.length ? titles.join(', ') : 'any';
}

/** One image's caption: "Sneaker · seed 42 · #3" (the image's own noise stream). */
export function recipeCaption(recipe: Recipe, model: ModelEntry | undefined): string {
  const init = recipe.strength !== undefined ? ` · from an image, strength ${recipe.strength}` : '';
  return `${labelTitles(recipe, model)} · seed ${recipe.seed} · #${recipe.index}${init}`;
}

/** The settings in one line: "DPM-Solver++(2M), 20 steps, guidance 1.5, WASM SIMD × 2 threads". */
export function recipeDetails(recipe: Recipe): string {
  const eta = recipe.eta !== undefined ? `, η ${recipe.eta}` : '';
  return `${recipe.sampler}, ${recipe.steps} steps${eta}, guidance ${recipe.guidance}, ${recipe.backend}`;
}

/** A file name carrying model, labels and seed: "fashion-28-sneaker-seed42-3.png". */
export function fileName(recipe: Recipe, ext = 'png'): string {
  const labels = Object.values(recipe.labels).join('-') || 'any';
  const base = `${recipe.model.id}-${labels}-seed${recipe.seed}-${recipe.index}`;
  return `${base.replace(/[^a-z0-9._-]+/gi, '-').toLowerCase()}.${ext}`;
}

/** Image k as a PNG (scaled up, see pngBlob), with its recipe inside when it has one. */
export async function pngOf(run: Run, k: number, recipe = recipeOf(run, k)): Promise<Blob> {
  const { images, width, height } = run.result;
  const plain = await pngBlob(imageAt(images, k, width, height), width, height);
  if (!recipe) return plain;
  const bytes = addRecipe(
    new Uint8Array(await plain.arrayBuffer()),
    recipe,
    run.model.manifest.conditioning,
  );
  return new Blob([bytes as BlobPart], { type: 'image/png' });
}

/** The gallery rows of a finished run (none for an interpolation). */
export async function galleryItems(run: Run): Promise<GalleryItem[]> {
  const out: GalleryItem[] = [];
  // One time for the whole run, so its images list in their own order.
  const made = new Date();
  for (let k = 0; k < run.result.count; k++) {
    const recipe = recipeOf(run, k, made);
    if (!recipe) return [];
    const png = await pngOf(run, k, recipe);
    const time = Date.parse(recipe.createdAt);
    out.push({
      id: `${time}-${recipe.seed}-${recipe.index}-${Math.random().toString(36).slice(2, 8)}`,
      recipe,
      modelName: run.model.name,
      caption: labelTitles(recipe, run.model),
      png,
      bytes: png.size,
      time,
    });
  }
  return out;
}

/**
 * The settings that make the recipe's image again: its model, every group's
 * label ('' for "any"), sampler, steps, η, guidance, seed, and one image at
 * the recipe's own index.
 */
export function settingsOf(recipe: Recipe, model: ModelEntry): Partial<Settings> {
  const labels: Record<string, string> = {};
  for (const g of labelGroups(model.manifest.conditioning))
    labels[g.name] = labelIn(recipe, g.name) ?? '';
  const guided = Object.keys(recipe.labels).length > 0;
  return {
    modelId: model.id,
    labels,
    sampler: recipe.sampler,
    steps: recipe.steps,
    ...(recipe.eta !== undefined ? { eta: recipe.eta } : {}),
    // An unguided recipe ran at guidance 0 whatever the field said: keep the user's own.
    ...(guided ? { guidance: recipe.guidance, guidanceFor: model.id } : {}),
    seed: recipe.seed,
    firstIndex: recipe.index,
    count: 1,
  };
}
