/**
 * The recipe of one image: everything needed to make its pixels again, as a
 * small versioned JSON document that travels inside the PNG (a tEXt chunk
 * keyed "diffuse-recipe", see src/media/png-text.ts) and in the gallery.
 *
 * Format "diffuse-recipe", version 1:
 *
 *   {
 *     "format": "diffuse-recipe", "version": 1,
 *     "model": { "id": "fashion-28", "sha256": "774404c8…" },   // sha256 of model.onnx ("" when the manifest gives none)
 *     "labels": { "class": "sneaker" },   // group name → label id; a group left out is "any"
 *     "sampler": "dpmpp-2m", "steps": 20,
 *     "eta": 0,                            // only for a sampler that uses η (ddim)
 *     "guidance": 3, "seed": 42,
 *     "index": 3,                          // the image's own noise stream (firstIndex + k of its run)
 *     "count": 16,                         // optional: the run's images from index on (a CLI grid)
 *     "strength": 0.6,                     // optional: img2img; the init image itself is not recorded
 *     "backend": "onnxruntime-web WASM, 1 thread",
 *     "createdAt": "2026-11-29T21:00:00.000Z"
 *   }
 *
 * Image k of a run draws its noise from stream (seed, firstIndex + k), so
 * `{ seed, firstIndex: index, count: 1 }` with the other settings makes that
 * image alone, bit-identical on the CPU path. Numbers are checked against
 * REQUEST_SPEC; fields a later version 1 writer adds are ignored; another
 * version is refused.
 */
import { GROUP_NAME, labelGroups, MAX_LABEL_ID, type Conditioning } from './conditioning.ts';
import { MAX_MODEL_ID, MODEL_ID } from './manifest.ts';
import { checkField } from './request-spec.ts';
import { samplerSpec } from './samplers.ts';
import { show } from './show.ts';
import type { SampleRequest, SamplerName } from './types.ts';

export const RECIPE_FORMAT = 'diffuse-recipe';
export const RECIPE_VERSION = 1;
/** tEXt keywords: the recipe's JSON, and the Automatic1111-style "parameters" line. */
export const RECIPE_KEY = 'diffuse-recipe';
export const PARAMETERS_KEY = 'parameters';
/** A recipe is a few hundred bytes; anything much larger is not one. */
export const MAX_RECIPE_CHARS = 64 * 1024;

export interface Recipe {
  format: typeof RECIPE_FORMAT;
  version: typeof RECIPE_VERSION;
  model: { id: string; sha256: string };
  /** Group name → label id; a group left out is "any". */
  labels: Record<string, string>;
  sampler: SamplerName;
  steps: number;
  /** Present only for a sampler that uses η. */
  eta?: number;
  guidance: number;
  seed: number;
  /** The image's own noise stream. */
  index: number;
  /** Images of the run from `index` on, when the file holds several (a CLI grid). */
  count?: number;
  /** img2img strength, when the image was made from another. */
  strength?: number;
  backend: string;
  /** ISO 8601. */
  createdAt: string;
}

/** The facts of a model a recipe names and resolves its labels against. */
export interface RecipeModel {
  id: string;
  sha256: string;
  conditioning: Conditioning;
}

/**
 * The recipe of image k of a run. Throws for an image the recipe cannot
 * describe: k outside the run, or a run from given noise (interpolation).
 */
export function recipeFor(
  request: SampleRequest,
  k: number,
  model: RecipeModel,
  backend: string,
  time: Date,
): Recipe {
  if (!Number.isInteger(k) || k < 0 || k >= request.count)
    throw new RangeError(`image ${k} is not in a run of ${request.count}`);
  if (request.noise !== undefined)
    throw new Error('an image made from given noise (interpolation) has no recipe');
  const labels: Record<string, string> = {};
  labelGroups(model.conditioning).forEach((g, i) => {
    const l = request.labels[i];
    const id = l === null || l === undefined ? undefined : g.ids[l];
    if (id !== undefined) labels[g.name] = id;
  });
  return {
    format: RECIPE_FORMAT,
    version: RECIPE_VERSION,
    model: { id: model.id, sha256: model.sha256 },
    labels,
    sampler: request.sampler,
    steps: request.steps,
    ...(samplerSpec(request.sampler).usesEta ? { eta: request.eta ?? 0 } : {}),
    guidance: request.guidance,
    seed: request.seed,
    index: (request.firstIndex ?? 0) + k,
    ...(request.init ? { strength: request.init.strength } : {}),
    backend,
    createdAt: time.toISOString(),
  };
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function text(j: Json, key: string, max: number, pattern?: RegExp, want?: string): string {
  const v = j[key];
  if (typeof v !== 'string' || v.length > max || (pattern && !pattern.test(v)))
    throw new Error(
      `${key}: got ${show(v)}; expected ${want ?? `a string of at most ${max} characters`}`,
    );
  return v;
}

function checkModel(v: unknown): Recipe['model'] {
  if (!isObject(v)) throw new Error(`model: got ${show(v)}; expected { "id", "sha256" }`);
  const id = text(v, 'id', MAX_MODEL_ID, MODEL_ID, 'a model id (letters, digits, ".", "_", "-")');
  const sha256 = text(
    v,
    'sha256',
    64,
    /^([0-9a-f]{64})?$/,
    '64 lowercase hexadecimal digits, or ""',
  );
  return { id, sha256 };
}

function checkLabels(v: unknown): Record<string, string> {
  if (!isObject(v)) throw new Error(`labels: got ${show(v)}; expected { group name: label id }`);
  const out: Record<string, string> = {};
  for (const [group, id] of Object.entries(v)) {
    if (!GROUP_NAME.test(group))
      throw new Error(`labels: got the group name ${show(group)}; expected a label group's name`);
    if (typeof id !== 'string' || id === '' || id.length > MAX_LABEL_ID)
      throw new Error(`labels.${group}: got ${show(id)}; expected a label id`);
    out[group] = id;
  }
  return out;
}

/** The recipe's fields in order, each checked; throws naming the first bad one. */
function checkRecipe(j: Json): Recipe {
  if (j.format !== RECIPE_FORMAT)
    throw new Error(`format: got ${show(j.format)}; expected "${RECIPE_FORMAT}"`);
  if (j.version !== RECIPE_VERSION)
    throw new Error(
      `unknown version ${show(j.version)}; this version of Diffuse reads version ${RECIPE_VERSION}`,
    );
  const model = checkModel(j.model);
  const labels = checkLabels(j.labels);
  const sampler = checkField('sampler', j.sampler);
  const steps = checkField('steps', j.steps);
  const usesEta = samplerSpec(sampler).usesEta;
  const eta = usesEta ? checkField('eta', j.eta ?? 0) : undefined;
  const guidance = checkField('guidance', j.guidance);
  const seed = checkField('seed', j.seed);
  const count = j.count === undefined ? undefined : checkField('count', j.count);
  const last = 2 ** 32 - (count ?? 1);
  const index = j.index;
  if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index > last)
    throw new Error(`index: got ${show(index)}; expected an integer in 0..${last}`);
  const strength = j.strength === undefined ? undefined : checkField('strength', j.strength);
  const backend = text(j, 'backend', 200);
  const createdAt = text(j, 'createdAt', 40);
  if (Number.isNaN(Date.parse(createdAt)))
    throw new Error(`createdAt: got ${show(createdAt)}; expected an ISO 8601 time`);
  return {
    format: RECIPE_FORMAT,
    version: RECIPE_VERSION,
    model,
    labels,
    sampler,
    steps,
    ...(eta !== undefined ? { eta } : {}),
    guidance,
    seed,
    index,
    ...(count !== undefined ? { count } : {}),
    ...(strength !== undefined ? { strength } : {}),
    backend,
    createdAt,
  };
}

/** A validated recipe from its JSON, or an Error that says what is wrong (never throws). */
export function parseRecipe(text: string): Recipe | Error {
  if (text.length > MAX_RECIPE_CHARS)
    return new Error(
      `it is ${text.length} characters long; a recipe has at most ${MAX_RECIPE_CHARS}`,
    );
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    return new Error(`it is not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isObject(j)) return new Error(`it is ${show(j)}, not a JSON object`);
  try {
    return checkRecipe(j);
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/**
 * The recipe as JSON in ASCII (other characters as \u escapes), so it fits a
 * PNG tEXt chunk (Latin-1) unchanged; the fields in the documented order.
 */
export function recipeJson(recipe: Recipe): string {
  const ordered = checkRecipe(recipe as unknown as Json);
  return JSON.stringify(ordered).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
