/**
 * Text inside PNG files: tEXt chunks written and read with the small chunk
 * libraries png-chunks-extract, png-chunks-encode and png-chunk-text (pure
 * JS, Uint8Array in and out, no DOM, no Node). Used to carry an image's
 * recipe (src/core/recipe.ts) under the keyword "diffuse-recipe", beside an
 * Automatic1111-style "parameters" line.
 *
 * The libraries trust the file: png-chunks-extract allocates whatever length
 * a chunk declares. So the chunk list is walked first (signature, each
 * declared length within the bytes left, an IEND), and a file to read over
 * MAX_PNG_BYTES is refused before any of it is read. Writing has no size
 * limit: its PNG is the app's own, and a run's grid must not be lost.
 */
import extractChunks from 'png-chunks-extract';
import encodeChunks from 'png-chunks-encode';
import * as pngText from 'png-chunk-text';
import type { Conditioning } from '../core/conditioning.ts';
import { parametersLine } from '../core/recipe-request.ts';
import {
  MAX_RECIPE_CHARS,
  PARAMETERS_KEY,
  parseRecipe,
  RECIPE_KEY,
  recipeJson,
  type Recipe,
} from '../core/recipe.ts';

/** The largest PNG whose text is read here (a phone photo is well under it). */
export const MAX_PNG_BYTES = 64 * 2 ** 20;

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export type PngTextErrorCode = 'not-png' | 'no-recipe' | 'damaged-recipe';

/** Why a PNG's text or recipe could not be read; `code` tells the cases apart. */
export class PngTextError extends Error {
  readonly code: PngTextErrorCode;
  constructor(code: PngTextErrorCode, message: string) {
    super(message);
    this.name = 'PngTextError';
    this.code = code;
  }
}

const notPng = (why: string): PngTextError =>
  new PngTextError('not-png', `This file is not a readable PNG: ${why}`);

/** The chunk structure is sound, so the libraries never allocate past the file: throws PngTextError 'not-png'. */
function checkStructure(png: Uint8Array, limit: number): void {
  if (png.length > limit)
    throw notPng(`it is ${png.length} bytes, more than the ${MAX_PNG_BYTES} read here`);
  if (png.length < SIGNATURE.length || SIGNATURE.some((b, i) => png[i] !== b))
    throw notPng('it does not start with the PNG signature');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  for (let at = SIGNATURE.length, first = true; ; first = false) {
    if (at + 12 > png.length)
      throw notPng(`it ends at byte ${png.length}, inside a chunk header or before IEND`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8));
    if (!/^[A-Za-z]{4}$/.test(type)) throw notPng(`the chunk at byte ${at} has no valid type`);
    if (first && type !== 'IHDR') throw notPng('it does not begin with an IHDR chunk');
    if (length > png.length - at - 12)
      throw notPng(
        `its ${type} chunk at byte ${at} declares ${length} bytes, more than the file holds`,
      );
    at += 12 + length;
    if (type === 'IEND') return;
  }
}

function chunksOf(png: Uint8Array, limit = MAX_PNG_BYTES): { name: string; data: Uint8Array }[] {
  checkStructure(png, limit);
  try {
    return extractChunks(png);
  } catch (e) {
    throw notPng(e instanceof Error ? e.message : String(e));
  }
}

/** A tEXt chunk's keyword: its bytes up to the first NUL. */
function keywordOf(data: Uint8Array): string {
  const end = data.indexOf(0);
  return String.fromCharCode(...data.subarray(0, Math.min(end < 0 ? data.length : end, 80)));
}

/**
 * The longest tEXt chunk decoded: a keyword, its NUL and a recipe. The text
 * library builds its string a character at a time, so a PNG with tens of MB
 * of text would stall or crash the tab before the recipe's own limit applies.
 */
const MAX_TEXT_CHUNK = 80 + MAX_RECIPE_CHARS;

/** Each tEXt chunk's keyword and text, or the Error its text gave. */
function textEntries(png: Uint8Array): { keyword: string; text: string | Error }[] {
  return chunksOf(png)
    .filter((c) => c.name === 'tEXt')
    .map((c) => {
      if (c.data.length > MAX_TEXT_CHUNK)
        return {
          keyword: keywordOf(c.data),
          text: new Error(
            `its text is ${c.data.length} bytes long; a recipe has at most ${MAX_RECIPE_CHARS} characters`,
          ),
        };
      try {
        return pngText.decode(c.data);
      } catch (e) {
        return { keyword: keywordOf(c.data), text: e instanceof Error ? e : new Error(String(e)) };
      }
    });
}

/**
 * The PNG with a tEXt chunk for each entry (keyword → text), put before the
 * image data; chunks already there with the same keywords are replaced.
 * Keywords are 1–79 Latin-1 characters and texts Latin-1 without NUL (see
 * `latin1`); anything else throws, naming the keyword.
 */
export function addTextChunks(
  png: Uint8Array,
  entries: Readonly<Record<string, string>>,
): Uint8Array {
  const chunks = chunksOf(png, Infinity).filter(
    (c) => c.name !== 'tEXt' || !Object.hasOwn(entries, keywordOf(c.data)),
  );
  const added = Object.entries(entries).map(([keyword, text]) => {
    try {
      return pngText.encode(keyword, text);
    } catch (e) {
      throw new Error(`PNG text "${keyword}": ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  const at = chunks.findIndex((c) => c.name === 'IDAT' || c.name === 'IEND');
  chunks.splice(at, 0, ...added);
  return encodeChunks(chunks);
}

/** Every readable tEXt chunk, keyword → text (the first of a repeated keyword). */
export function readTextChunks(png: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  for (const { keyword, text } of textEntries(png))
    if (typeof text === 'string' && !out.has(keyword)) out.set(keyword, text);
  return out;
}

const SPELLED: Readonly<Record<string, string>> = {
  σ: 'sigma',
  β: 'beta',
  η: 'eta',
  ε: 'eps',
  '−': '-',
  '→': '->',
  '…': '...',
};

/** Text that fits a tEXt chunk: a few symbols spelled out, anything else outside Latin-1 as "?". */
export function latin1(text: string): string {
  return text.replace(/\u0000/g, '').replace(/[^\u0001-\u00ff]/gu, (c) => SPELLED[c] ?? '?');
}

/** The PNG carrying the recipe (JSON, keyword "diffuse-recipe") and its "parameters" line. */
export function addRecipe(png: Uint8Array, recipe: Recipe, conditioning: Conditioning): Uint8Array {
  return addTextChunks(png, {
    [RECIPE_KEY]: recipeJson(recipe),
    [PARAMETERS_KEY]: latin1(parametersLine(recipe, conditioning)),
  });
}

/**
 * The recipe a PNG carries. Throws PngTextError: 'not-png' for a file that
 * is not a sound PNG, 'no-recipe' ("This PNG carries no Diffuse recipe"),
 * 'damaged-recipe' ("The PNG's recipe is damaged: …").
 */
export function readRecipe(png: Uint8Array): Recipe {
  const entries = textEntries(png);
  const found = entries.find((e) => e.keyword === RECIPE_KEY);
  if (!found) {
    const other = entries.some((e) => e.keyword === PARAMETERS_KEY)
      ? ' (it has a "parameters" text, from another app)'
      : '';
    throw new PngTextError('no-recipe', `This PNG carries no Diffuse recipe${other}`);
  }
  const recipe = typeof found.text === 'string' ? parseRecipe(found.text) : found.text;
  if (recipe instanceof Error)
    throw new PngTextError('damaged-recipe', `The PNG's recipe is damaged: ${recipe.message}`);
  return recipe;
}
