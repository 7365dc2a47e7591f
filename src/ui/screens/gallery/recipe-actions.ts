/**
 * What the gallery does with a recipe: a note on whether its model is here
 * (and the same weights), and putting a recipe into the Generate form.
 */
import type { Recipe } from '../../../core/recipe.ts';
import { requestFromRecipe } from '../../../core/recipe-request.ts';
import { catalog, type ModelEntry } from '../../catalog.ts';
import type { GalleryItem } from '../../gallery-list.ts';
import { recipeCaption, settingsOf } from '../../recipes.ts';
import { settings } from '../../settings.ts';

/** The model on this device that a recipe names, by id. */
export const modelFor = (recipe: Recipe): ModelEntry | undefined =>
  catalog().models.find((m) => m.id === recipe.model.id);

/** What to know before reusing it: its model is missing, has other weights, or it was made from an image. */
export function modelNote(item: GalleryItem, m: ModelEntry | undefined): string {
  const r = item.recipe;
  if (!m) return `The model “${r.model.id}” that made it is not on this device.`;
  if (r.model.sha256 && m.manifest.file.sha256 !== r.model.sha256)
    return `${m.name} on this device has other weights than the ones that made it: pixels will differ.`;
  if (r.strength !== undefined)
    return 'Made from another image: its settings alone give a different picture.';
  return '';
}

/**
 * Puts the recipe into the Generate form and says so. Throws when it does
 * not fit: its model is not here, or a label is not one of the model's.
 */
export function applyRecipe(recipe: Recipe): string {
  const m = modelFor(recipe);
  if (!m) throw new Error(`it was made with “${recipe.model.id}”, which is not on this device`);
  requestFromRecipe(recipe, m.manifest.conditioning);
  settings.set(settingsOf(recipe, m));
  return `Settings of ${recipeCaption(recipe, m)} are in the Generate form.`;
}
