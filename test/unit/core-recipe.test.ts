/**
 * src/core/recipe.ts: the recipe of image k names its own noise stream,
 * parses back to itself, refuses what is wrong with a message naming it, and
 * resolves to the request that makes that image alone.
 */
import { describe, expect, it } from 'vitest';
import type { LabelConditioning, LabelGroup } from '../../src/core/conditioning.ts';
import { parametersLine, requestFromRecipe } from '../../src/core/recipe-request.ts';
import {
  parseRecipe,
  recipeFor,
  recipeJson,
  type Recipe,
  type RecipeModel,
} from '../../src/core/recipe.ts';
import type { SampleRequest } from '../../src/core/types.ts';
import { shippedManifest } from '../support/shipped.ts';

const fashion = shippedManifest('fashion-28');
const FASHION: RecipeModel = {
  id: fashion.id,
  sha256: fashion.file.sha256,
  conditioning: fashion.conditioning,
};

/** A label group whose null label follows its labels, with no default. */
const group = (name: string, title: string, ids: string[], titles: string[]): LabelGroup => ({
  name,
  title,
  ids,
  titles,
  nullLabel: ids.length,
  default: null,
});
const EMOJI: LabelConditioning = {
  kind: 'labels',
  defaultGuidance: 3,
  tensorRank: 2,
  groups: [
    group(
      'category',
      'Category',
      ['smileys', 'animals'],
      ['Smileys & Emotion', 'Animals & Nature'],
    ),
    group('style', 'Style', ['noto', 'fluent'], ['Noto', 'Fluent']),
  ],
};
const EMOJI_MODEL: RecipeModel = { id: 'emoji-32', sha256: 'ab'.repeat(32), conditioning: EMOJI };

const TIME = new Date('2026-11-29T21:00:00.000Z');

const run: SampleRequest = {
  seed: 42,
  count: 8,
  firstIndex: 2,
  steps: 20,
  sampler: 'dpmpp-2m',
  eta: 0.5,
  guidance: 3,
  labels: [7],
};

describe('recipeFor', () => {
  it('image k of a run carries its own stream, firstIndex + k, and the run settings', () => {
    expect(recipeFor(run, 1, FASHION, 'wasm', TIME)).toEqual({
      format: 'diffuse-recipe',
      version: 1,
      model: {
        id: 'fashion-28',
        sha256: '774404c8dc1075202658c634f002fdd8639d11d60a0ee85d8ed85b61b989e9d1',
      },
      labels: { class: 'sneaker' },
      sampler: 'dpmpp-2m',
      steps: 20,
      guidance: 3,
      seed: 42,
      index: 3,
      backend: 'wasm',
      createdAt: '2026-11-29T21:00:00.000Z',
    });
  });

  it('keeps η only for a sampler that uses it, strength only for img2img, and leaves "any" groups out', () => {
    const r = recipeFor(
      {
        ...run,
        sampler: 'ddim',
        labels: [null, 1],
        init: { image: new Float32Array(4), strength: 0.4 },
      },
      0,
      EMOJI_MODEL,
      'webgpu',
      TIME,
    );
    expect(r).toMatchObject({ eta: 0.5, strength: 0.4, labels: { style: 'fluent' }, index: 2 });
    expect(r.labels).not.toHaveProperty('category');
  });

  it('refuses an image outside the run and a run from given noise', () => {
    expect(() => recipeFor(run, 8, FASHION, 'wasm', TIME)).toThrow(/image 8 is not in a run of 8/);
    expect(() =>
      recipeFor({ ...run, noise: new Float32Array(8) }, 0, FASHION, 'wasm', TIME),
    ).toThrow(/given noise/);
  });
});

describe('parseRecipe', () => {
  const good = recipeFor({ ...run, sampler: 'ddim' }, 5, EMOJI_MODEL, 'wasm', TIME);
  const json = recipeJson({ ...good, count: 3 });

  it('round-trips through its JSON, fields in the documented order', () => {
    expect(parseRecipe(json)).toEqual({ ...good, count: 3 });
    expect(Object.keys(JSON.parse(json) as object)).toEqual([
      'format',
      'version',
      'model',
      'labels',
      'sampler',
      'steps',
      'eta',
      'guidance',
      'seed',
      'index',
      'count',
      'backend',
      'createdAt',
    ]);
  });

  it('writes ASCII only, so the JSON fits a Latin-1 tEXt chunk, and reads the escapes back', () => {
    const r: Recipe = { ...good, labels: { category: 'ünïcode-😀' }, backend: 'WebGPU → WASM' };
    const text = recipeJson(r);
    expect(text).toMatch(/^[\x20-\x7e]+$/);
    expect(parseRecipe(text)).toEqual(r);
  });

  it('ignores fields it does not know', () => {
    expect(parseRecipe(JSON.stringify({ ...good, futureField: 1 }))).toEqual(good);
  });

  const bad = (patch: Record<string, unknown>): string => JSON.stringify({ ...good, ...patch });
  it.each<[string, string, RegExp]>([
    ['not JSON', '{"format": "diffuse-recipe",', /^it is not JSON/],
    ['an array', '[1, 2]', /not a JSON object/],
    [
      'another format',
      bad({ format: 'a1111' }),
      /^format: got "a1111"; expected "diffuse-recipe"$/,
    ],
    [
      'an unknown version',
      bad({ version: 2 }),
      /^unknown version 2; this version of Diffuse reads version 1$/,
    ],
    ['steps out of range', bad({ steps: 0 }), /^steps: got 0; expected an integer in 1\.\.1000$/],
    [
      'an unknown sampler',
      bad({ sampler: 'heun' }),
      /^sampler: got "heun"; expected one of dpmpp-2m, ddim/,
    ],
    [
      'guidance not a number',
      bad({ guidance: '3' }),
      /^guidance: got "3"; expected a number in \[0, 10\]$/,
    ],
    ['η out of range', bad({ eta: 2 }), /^eta: got 2; expected a number in \[0, 1\]$/],
    [
      'a seed too big',
      bad({ seed: 2 ** 32 }),
      /^seed: got 4294967296; expected an integer in 0\.\.4294967295$/,
    ],
    [
      'a negative index',
      bad({ index: -1 }),
      /^index: got -1; expected an integer in 0\.\.4294967295$/,
    ],
    [
      'an index past the last stream of its count',
      bad({ index: 2 ** 32 - 2, count: 4 }),
      /^index: .*0\.\.4294967292$/,
    ],
    [
      'a bad sha256',
      bad({ model: { id: 'x', sha256: 'nothex' } }),
      /^sha256: got "nothex"; expected 64 lowercase/,
    ],
    [
      'a label that is not a string',
      bad({ labels: { style: 3 } }),
      /^labels\.style: got 3; expected a label id$/,
    ],
    [
      'a bad time',
      bad({ createdAt: 'yesterday' }),
      /^createdAt: got "yesterday"; expected an ISO 8601 time$/,
    ],
    [
      'a strength out of range',
      bad({ strength: 1.5 }),
      /^strength: got 1\.5; expected a number in \[0, 1\]$/,
    ],
    ['a huge text', ' '.repeat(70_000), /a recipe has at most 65536/],
  ])('%s is an Error that says what is wrong', (_what, text, message) => {
    const r = parseRecipe(text);
    expect(r).toBeInstanceOf(Error);
    expect((r as Error).message).toMatch(message);
  });
});

describe('requestFromRecipe', () => {
  it('makes the image alone: count 1 at firstIndex = index, labels by id', () => {
    const r = recipeFor({ ...run, sampler: 'ddim', labels: [1, 0] }, 4, EMOJI_MODEL, 'wasm', TIME);
    expect(requestFromRecipe(r, EMOJI)).toEqual({
      seed: 42,
      count: 1,
      firstIndex: 6,
      steps: 20,
      sampler: 'ddim',
      eta: 0.5,
      guidance: 3,
      labels: [1, 0],
    });
    expect(requestFromRecipe({ ...r, labels: { style: 'noto' } }, EMOJI).labels).toEqual([null, 0]);
  });

  it('a group named like an Object property ("constructor") left out is "any", not the property', () => {
    const c: LabelConditioning = { ...EMOJI, groups: [group('constructor', 'C', ['a'], ['A'])] };
    const r = recipeFor(
      { ...run, labels: [null] },
      0,
      { ...EMOJI_MODEL, conditioning: c },
      'wasm',
      TIME,
    );
    expect(r.labels).toEqual({});
    expect(requestFromRecipe(parseRecipe(recipeJson(r)) as Recipe, c).labels).toEqual([null]);
  });

  it('a label or group the model does not have is an error naming the group and the valid ids', () => {
    const r = recipeFor(run, 0, FASHION, 'wasm', TIME);
    expect(() =>
      requestFromRecipe({ ...r, labels: { class: 'boots' } }, fashion.conditioning),
    ).toThrow(
      /^the recipe's class "boots" is not one of this model's: t-shirt-top, trouser, .*ankle-boot$/,
    );
    expect(() => requestFromRecipe(r, EMOJI)).toThrow(
      /^the recipe's label group "class" is not one of this model's: category, style$/,
    );
    expect(() => requestFromRecipe(r, { kind: 'none' })).toThrow(/this model has no labels/);
  });
});

describe('parametersLine', () => {
  it('is the Automatic1111-style text for a known request', () => {
    const r = recipeFor({ ...run, firstIndex: 0 }, 3, FASHION, 'wasm', TIME);
    expect(parametersLine(r, fashion.conditioning)).toBe(
      'Sneaker\nSteps: 20, Sampler: DPM-Solver++(2M), CFG scale: 3, Seed: 42, Index: 3, Model: fashion-28, Model hash: 774404c8dc10',
    );
  });

  it('names every picked group, "any" for none, and adds η, count and strength when present', () => {
    const r = recipeFor({ ...run, sampler: 'ddim', labels: [1, 0] }, 0, EMOJI_MODEL, 'wasm', TIME);
    expect(parametersLine({ ...r, count: 4, strength: 0.6 }, EMOJI)).toBe(
      'Animals & Nature, Noto\nSteps: 20, Sampler: DDIM, Eta: 0.5, CFG scale: 3, Seed: 42, Index: 2, Batch size: 4, Denoising strength: 0.6, Model: emoji-32, Model hash: abababababab',
    );
    expect(parametersLine({ ...r, labels: {} }, EMOJI).split('\n')[0]).toBe('any');
  });
});
