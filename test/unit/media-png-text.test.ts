/**
 * src/media/png-text.ts: the recipe rides in a tEXt chunk that pngjs still
 * decodes around (pixels unchanged), reads back equal, and every way a file
 * can lack or damage it gives its own clear message.
 */
import encodeChunks from 'png-chunks-encode';
import extractChunks from 'png-chunks-extract';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { recipeFor, type Recipe } from '../../src/core/recipe.ts';
import {
  addRecipe,
  addTextChunks,
  latin1,
  PngTextError,
  readRecipe,
  readTextChunks,
} from '../../src/media/png-text.ts';
import { thrown } from '../support/rejection.ts';
import { shippedManifest } from '../support/shipped.ts';

const fashion = shippedManifest('fashion-28');
const model = { id: fashion.id, sha256: fashion.file.sha256, conditioning: fashion.conditioning };
const recipe: Recipe = recipeFor(
  { seed: 7, count: 4, firstIndex: 0, steps: 20, sampler: 'dpmpp-2m', guidance: 3, labels: [7] },
  2,
  model,
  'onnxruntime-web WASM, 1 thread',
  new Date('2026-11-29T21:00:00.000Z'),
);

function png(width = 5, height = 3): Uint8Array {
  const data = Uint8Array.from({ length: width * height * 4 }, (_, i) => (i * 37) % 256);
  return new Uint8Array(PNG.sync.write({ width, height, data }));
}

/** Chunk types in file order. */
function chunkTypes(file: Uint8Array): string[] {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const types: string[] = [];
  for (let at = 8; at < file.length; at += 12 + view.getUint32(at))
    types.push(String.fromCharCode(...file.subarray(at + 4, at + 8)));
  return types;
}

/** The first chunk of `type`: offset of its length field. */
function chunkAt(file: Uint8Array, type: string): number {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let at = 8; at < file.length; at += 12 + view.getUint32(at))
    if (String.fromCharCode(...file.subarray(at + 4, at + 8)) === type) return at;
  throw new Error(`no ${type}`);
}

const failure = (f: () => unknown): PngTextError => thrown(f, PngTextError);

describe('PNG text chunks', () => {
  it('round trip: recipe → PNG → recipe, with the pixels unchanged', () => {
    const plain = png();
    const withRecipe = addRecipe(plain, recipe, fashion.conditioning);
    expect(readRecipe(withRecipe)).toEqual(recipe);
    const a = PNG.sync.read(Buffer.from(plain));
    const b = PNG.sync.read(Buffer.from(withRecipe));
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    expect(b.data).toEqual(a.data);
  });

  it('writes the JSON and the parameters line as tEXt before the image data', () => {
    const file = addRecipe(png(), recipe, fashion.conditioning);
    expect(chunkTypes(file)).toEqual(['IHDR', 'tEXt', 'tEXt', 'IDAT', 'IEND']);
    const text = readTextChunks(file);
    expect(JSON.parse(text.get('diffuse-recipe')!)).toMatchObject({
      format: 'diffuse-recipe',
      index: 2,
      seed: 7,
    });
    expect(text.get('parameters')).toBe(
      'Sneaker\nSteps: 20, Sampler: DPM-Solver++(2M), CFG scale: 3, Seed: 7, Index: 2, Model: fashion-28, Model hash: 774404c8dc10',
    );
  });

  it('replaces the chunks of a keyword already there instead of adding a second', () => {
    const once = addTextChunks(png(), { comment: 'a', parameters: 'old' });
    const twice = addRecipe(once, { ...recipe, seed: 9 }, fashion.conditioning);
    expect(chunkTypes(twice).filter((t) => t === 'tEXt')).toHaveLength(3);
    expect(readTextChunks(twice).get('comment')).toBe('a');
    expect(readTextChunks(twice).get('parameters')).toMatch(/Seed: 9/);
    expect(readRecipe(twice).seed).toBe(9);
  });

  it('spells out or replaces what Latin-1 cannot hold, and refuses it in addTextChunks naming the keyword', () => {
    expect(latin1('DDPM (σ² = β) → ✓')).toBe('DDPM (sigma² = beta) -> ?');
    expect(() => addTextChunks(png(), { parameters: 'σ' })).toThrow(
      /^PNG text "parameters": Only Latin-1/,
    );
    const ddpm = addRecipe(png(), { ...recipe, sampler: 'ddpm-beta' }, fashion.conditioning);
    expect(readTextChunks(ddpm).get('parameters')).toMatch(/Sampler: DDPM \(sigma² = beta\)/);
  });
});

describe('reading a recipe: clear messages', () => {
  it('a PNG without one', () => {
    const e = failure(() => readRecipe(png()));
    expect([e.code, e.message]).toEqual(['no-recipe', 'This PNG carries no Diffuse recipe']);
    const other = failure(() =>
      readRecipe(addTextChunks(png(), { parameters: 'a cat\nSteps: 20' })),
    );
    expect(other.message).toBe(
      'This PNG carries no Diffuse recipe (it has a "parameters" text, from another app)',
    );
  });

  it.each<[string, string, RegExp]>([
    ['text that is not JSON', '{"format":', /^The PNG's recipe is damaged: it is not JSON/],
    [
      'an unknown version',
      JSON.stringify({ ...recipe, version: 2 }),
      /^The PNG's recipe is damaged: unknown version 2; /,
    ],
    [
      'a bad field',
      JSON.stringify({ ...recipe, steps: 5000 }),
      /^The PNG's recipe is damaged: steps: got 5000; expected an integer in 1\.\.1000$/,
    ],
    [
      'a long bad value, quoted cut short',
      JSON.stringify({ ...recipe, backend: 'x'.repeat(60_000) }),
      /^The PNG's recipe is damaged: backend: got "x{56}\.\.\.; expected a string of at most 200 characters$/,
    ],
    [
      'a label group no model can have',
      JSON.stringify({ ...recipe, labels: JSON.parse('{"__proto__": "x"}') as unknown }),
      /^The PNG's recipe is damaged: labels: got the group name "__proto__"; expected a label group's name$/,
    ],
  ])('a damaged one: %s', (_what, text, message) => {
    const e = failure(() => readRecipe(addTextChunks(png(), { 'diffuse-recipe': text })));
    expect(e.code).toBe('damaged-recipe');
    expect(e.message).toMatch(message);
  });

  it('a recipe chunk of megabytes is damaged, refused before its text is decoded', () => {
    const [ihdr, ...rest] = extractChunks(png());
    const data = new Uint8Array(2 ** 20).fill(0x20);
    data.set(Uint8Array.from('diffuse-recipe\0', (c) => c.charCodeAt(0)));
    const file = encodeChunks([ihdr!, { name: 'tEXt', data }, ...rest]);
    const e = failure(() => readRecipe(file));
    expect(e.code).toBe('damaged-recipe');
    expect(e.message).toBe(
      "The PNG's recipe is damaged: its text is 1048576 bytes long; a recipe has at most 65536 characters",
    );
    expect(readTextChunks(file).size).toBe(0);
  });

  it('a recipe chunk whose text holds a NUL is damaged, not missing', () => {
    const [ihdr, ...rest] = extractChunks(png());
    const data = Uint8Array.from('diffuse-recipe\0{}\0x', (c) => c.charCodeAt(0));
    const file = encodeChunks([ihdr!, { name: 'tEXt', data }, ...rest]);
    const e = failure(() => readRecipe(file));
    expect(e.code).toBe('damaged-recipe');
    expect(e.message).toMatch(/^The PNG's recipe is damaged: Invalid NULL character/);
  });
});

describe('files that are not sound PNGs, refused before the chunk library allocates', () => {
  const base = addRecipe(png(), recipe, fashion.conditioning);

  it.each<[string, () => Uint8Array, RegExp]>([
    [
      'a JPEG',
      () => Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0, 0, 0, 0, 0, 0, 0, 0]),
      /does not start with the PNG signature/,
    ],
    [
      'a PNG cut inside its last chunk',
      () => base.subarray(0, base.length - 6),
      /ends at byte \d+, inside a chunk header or before IEND/,
    ],
    [
      'a PNG cut inside its image data',
      () => base.subarray(0, base.length - 20),
      /its IDAT chunk at byte \d+ declares \d+ bytes, more than the file holds/,
    ],
    [
      'a chunk declaring 4 GB',
      () => {
        const f = Uint8Array.from(base);
        new DataView(f.buffer).setUint32(chunkAt(f, 'tEXt'), 0xfffffff0);
        return f;
      },
      /its tEXt chunk at byte 33 declares 4294967280 bytes, more than the file holds/,
    ],
    [
      'a damaged CRC',
      () => {
        const f = Uint8Array.from(base);
        const at = chunkAt(f, 'tEXt');
        f[at + 12] = f[at + 12]! ^ 1;
        return f;
      },
      /CRC values for tEXt header do not match/,
    ],
    [
      'a file over 64 MiB',
      () => new Uint8Array(64 * 2 ** 20 + 1),
      /more than the 67108864 read here/,
    ],
  ])('%s', (_what, make, message) => {
    const e = failure(() => readRecipe(make()));
    expect(e.code).toBe('not-png');
    expect(e.message).toMatch(/^This file is not a readable PNG: /);
    expect(e.message).toMatch(message);
    expect(() => addTextChunks(make(), { a: 'b' })).toThrow(PngTextError);
  });
});
