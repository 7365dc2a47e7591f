/**
 * Run plans: what a screen asks AppState to run. A plan is one of three
 * kinds (seed, interpolate, img2img), each carrying its model and backend,
 * so a run never depends on what happens to be chosen when it starts or
 * ends. The builders turn the settings into a plan and its captions.
 */
import { findLabel } from '../core/conditioning.ts';
import type { Recipe } from '../core/recipe.ts';
import { requestFromRecipe } from '../core/recipe-request.ts';
import { samplerSpec } from '../core/samplers.ts';
import type { BackendChoice, GenerationRequest } from '../../workers/protocol.ts';
import type { ModelEntry } from './catalog.ts';
import { choiceOf, describeLabels, groupsOf, requestConditioning } from './conditioning.ts';
import { randomSeed, type Settings } from './settings.ts';

/** The fields every plan shares: what the sampling loop is asked for. */
export type BaseRequest = Pick<
  GenerationRequest,
  'seed' | 'count' | 'firstIndex' | 'steps' | 'sampler' | 'eta' | 'guidance' | 'labels'
>;

interface PlanBase {
  model: ModelEntry;
  backend: BackendChoice;
  request: BaseRequest;
  /** What the run is, for captions: "seed 42, Trouser". */
  caption: string;
  /** The screen that asked, for "Waiting for the Generate run to finish". */
  from: 'Generate' | 'Explore' | 'Gallery';
}

export type RunPlan =
  | (PlanBase & { kind: 'seed' })
  /** request.count images whose initial noise runs from seed request.seed to seed `to` (spherical interpolation). */
  | (PlanBase & { kind: 'interpolate'; to: number })
  /** SDEdit: `image` (C×H×W in [-1, 1]) noised to strength·T, then denoised; request.count is 1. */
  | (PlanBase & { kind: 'img2img'; image: Float32Array; strength: number });

type Chosen = Pick<Settings, 'labels' | 'steps' | 'sampler' | 'eta' | 'guidance'>;

/** The request for `count` images from `seed` with the chosen settings (η only where the sampler has it). */
function request(
  m: ModelEntry,
  st: Chosen,
  count: number,
  seed: number,
  choice: (number | null)[],
): BaseRequest {
  const eta = samplerSpec(st.sampler).usesEta ? st.eta : undefined;
  const cond = requestConditioning(m.manifest, choice, st.guidance);
  return { seed, count, steps: st.steps, sampler: st.sampler, eta, ...cond };
}

/** `count` images from `seed`; captions name the labels and the seed of each. */
export function seedPlan(
  m: ModelEntry,
  st: Chosen & Pick<Settings, 'count'> & Partial<Pick<Settings, 'firstIndex'>>,
  backend: BackendChoice,
  seed: number,
): { plan: RunPlan; captions: string[] } {
  const choice = choiceOf(m.manifest, st.labels);
  const words = describeLabels(m.manifest, choice);
  const caption = `seed ${seed}, ${words}`;
  const plan: RunPlan = {
    kind: 'seed',
    model: m,
    backend,
    request: {
      ...request(m, st, st.count, seed, choice),
      ...(st.firstIndex ? { firstIndex: st.firstIndex } : {}),
    },
    caption,
    from: 'Generate',
  };
  // Each image's own recipe in words: its noise stream is (seed, firstIndex + k).
  const first = st.firstIndex ?? 0;
  return {
    plan,
    captions: Array.from({ length: st.count }, (_, k) => `${words} · seed ${seed} · #${first + k}`),
  };
}

/** `points` images whose noise runs from seed `from` to seed `to`. */
export function interpolationPlan(
  m: ModelEntry,
  st: Chosen,
  backend: BackendChoice,
  from: number,
  to: number,
  points: number,
): { plan: RunPlan; captions: string[] } {
  const choice = choiceOf(m.manifest, st.labels);
  const words = describeLabels(m.manifest, choice);
  const captions = Array.from(
    { length: points },
    (_, k) => `${words}, seed ${from} → ${to} at ${(k / (points - 1)).toFixed(2)}`,
  );
  const caption = `interpolation from seed ${from} to ${to}`;
  const req = request(m, st, points, from, choice);
  return {
    plan: { kind: 'interpolate', model: m, backend, request: req, to, caption, from: 'Generate' },
    captions,
  };
}

/**
 * Denoising `image` from timestep t (img2img, strength t / T). A sample's
 * own label (by name: "Trouser", "Animals & Nature") is used in the first
 * group that has it; the other groups keep the chosen labels.
 */
export function img2imgPlan(
  m: ModelEntry,
  st: Chosen,
  backend: BackendChoice,
  o: { image: Float32Array; t: number; noiseSeed: number; className: string | null },
): RunPlan {
  const choice = choiceOf(m.manifest, st.labels);
  const groups = groupsOf(m.manifest);
  const name = o.className;
  const k = name === null ? -1 : groups.findIndex((g) => findLabel(g, name) !== undefined);
  if (name !== null && k >= 0) choice[k] = findLabel(groups[k]!, name) ?? null;
  const strength = o.t / m.manifest.schedule.trainSteps;
  const req = request(m, st, 1, o.noiseSeed, choice);
  return {
    kind: 'img2img',
    model: m,
    backend,
    request: req,
    image: o.image,
    strength,
    caption: `denoised from t = ${o.t}`,
    from: 'Explore',
  };
}

/**
 * "Vary this image" (gallery and result viewer): img2img from `image`
 * (C×H×W in [-1, 1]) at `strength`, with the settings of its recipe and a new seed.
 */
export function varyPlan(
  recipe: Recipe,
  m: ModelEntry,
  image: Float32Array,
  strength: number,
  backend: BackendChoice,
  from: 'Generate' | 'Gallery',
): RunPlan {
  const request = {
    ...requestFromRecipe(recipe, m.manifest.conditioning),
    seed: randomSeed(),
    firstIndex: 0,
  };
  return {
    kind: 'img2img',
    model: m,
    backend,
    request,
    image,
    strength,
    caption: `a variation at strength ${strength.toFixed(2)}`,
    from,
  };
}
