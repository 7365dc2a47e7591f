/**
 * `--from-png`: the recipe inside a PNG the app or the CLI wrote becomes the
 * run's options; flags given beside it win, and a recipe made with other
 * weights is refused unless --model says to go ahead.
 */
import type { ModelManifest } from '../core/manifest.ts';
import type { Recipe } from '../core/recipe.ts';
import { readRecipe } from '../media/png-text.ts';
import { messageOf } from '../runtime/errors.ts';
import { CliError, DEFAULTS, type GenerateOptions } from './args.ts';
import { printable } from './printable.ts';

/** The recipe inside the PNG given to --from-png; a CliError that says why when there is none. */
export function recipeOfPng(file: Uint8Array, path: string): Recipe {
  try {
    return readRecipe(file);
  } catch (e) {
    throw new CliError(`--from-png ${path}: ${printable(messageOf(e))}`);
  }
}

/** The options with the recipe's settings, except those given as flags (`opts.given`). */
export function withRecipe(opts: GenerateOptions, recipe: Recipe): GenerateOptions {
  const given = new Set(opts.given ?? []);
  const fromRecipe: Partial<GenerateOptions> = {
    model: recipe.model.id,
    n: recipe.count ?? 1,
    steps: recipe.steps,
    sampler: recipe.sampler,
    eta: recipe.eta ?? DEFAULTS.eta,
    guidance: recipe.guidance,
    seed: recipe.seed,
    firstIndex: recipe.index,
    strength: recipe.strength ?? DEFAULTS.strength,
  };
  const out: Record<string, unknown> = { ...opts };
  for (const [key, value] of Object.entries(fromRecipe))
    if (!given.has(key as keyof GenerateOptions)) out[key] = value;
  if (recipe.strength !== undefined && opts.init === undefined)
    throw new CliError(
      `--from-png ${opts.fromPng}: made by img2img (strength ${recipe.strength}) from an image the recipe does not hold; give that image with --init`,
    );
  return out as unknown as GenerateOptions;
}

/** The recipe's model is this one: same sha256, unless --model chose it. */
export function checkRecipeModel(opts: GenerateOptions, recipe: Recipe, manifest: ModelManifest): void {
  if (opts.given?.includes('model') || manifest.file.sha256 === recipe.model.sha256) return;
  throw new CliError(
    `--from-png ${opts.fromPng}: model ${printable(manifest.id)} here has sha256 ${manifest.file.sha256 || '(none declared)'}, but the recipe was made with ${recipe.model.sha256 || '(none declared)'}, so the pixels would differ; add --model ${printable(manifest.id)} to run it anyway`,
  );
}
