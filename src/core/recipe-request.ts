/**
 * What a recipe means for a given model: the request that makes its image
 * again, and the Automatic1111-style "parameters" text written beside it in
 * PNGs. Both resolve the recipe's label ids through the model's groups.
 */
import { labelGroups, type Conditioning } from './conditioning.ts';
import type { Recipe } from './recipe.ts';
import { samplerSpec } from './samplers.ts';
import type { SampleRequest } from './types.ts';

/** The recipe's label id for a group, if it picks one ("constructor" is a group name, not Object's). */
export const labelIn = (recipe: Recipe, group: string): string | undefined =>
  Object.hasOwn(recipe.labels, group) ? recipe.labels[group] : undefined;

/**
 * The request that makes the recipe's image alone: count 1 at firstIndex =
 * index, labels resolved by id through the model's groups. Throws, naming
 * the group and its valid ids, for a label the model does not have. The
 * init image of an img2img recipe is not recorded: the caller adds
 * `init: { image, strength: recipe.strength }`.
 */
export function requestFromRecipe(recipe: Recipe, conditioning: Conditioning): SampleRequest {
  const groups = labelGroups(conditioning);
  for (const name of Object.keys(recipe.labels)) {
    if (!groups.some((g) => g.name === name))
      throw new Error(
        groups.length === 0
          ? `the recipe picks ${name} "${recipe.labels[name]}", but this model has no labels`
          : `the recipe's label group "${name}" is not one of this model's: ${groups.map((g) => g.name).join(', ')}`,
      );
  }
  const labels = groups.map((g) => {
    const id = labelIn(recipe, g.name);
    if (id === undefined) return null;
    const l = g.ids.indexOf(id);
    if (l < 0)
      throw new Error(
        `the recipe's ${g.name} "${id}" is not one of this model's: ${g.ids.join(', ')}`,
      );
    return l;
  });
  return {
    seed: recipe.seed,
    count: 1,
    firstIndex: recipe.index,
    steps: recipe.steps,
    sampler: recipe.sampler,
    ...(recipe.eta !== undefined ? { eta: recipe.eta } : {}),
    guidance: recipe.guidance,
    labels,
  };
}

/**
 * The Automatic1111-style "parameters" text: the labels' titles (or "any")
 * on the first line, then the settings, e.g.
 *   Sneaker
 *   Steps: 20, Sampler: DPM-Solver++(2M), CFG scale: 3, Seed: 42, Index: 3, Model: fashion-28, Model hash: 774404c8dc10
 */
export function parametersLine(recipe: Recipe, conditioning: Conditioning): string {
  const groups = labelGroups(conditioning);
  const titles = Object.entries(recipe.labels).map(([name, id]) => {
    const g = groups.find((group) => group.name === name);
    const l = g ? g.ids.indexOf(id) : -1;
    return (l >= 0 ? g?.titles[l] : undefined) ?? id;
  });
  const settings: [string, string | number | undefined][] = [
    ['Steps', recipe.steps],
    ['Sampler', samplerSpec(recipe.sampler).label],
    ['Eta', recipe.eta],
    ['CFG scale', recipe.guidance],
    ['Seed', recipe.seed],
    ['Index', recipe.index],
    ['Batch size', recipe.count],
    ['Denoising strength', recipe.strength],
    ['Model', recipe.model.id],
    ['Model hash', recipe.model.sha256 ? recipe.model.sha256.slice(0, 12) : undefined],
  ];
  const line = settings
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return `${titles.length ? titles.join(', ') : 'any'}\n${line}`;
}
