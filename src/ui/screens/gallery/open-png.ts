/**
 * Opening or dropping a PNG restores its recipe: the "Open a PNG…" button,
 * and a drop anywhere in the app. A PNG without a recipe, or with a damaged
 * one, gets readRecipe's own message.
 */
import type { Recipe } from '../../../core/recipe.ts';
import { MAX_PNG_BYTES, readRecipe } from '../../../media/png-text.ts';
import { formatBytes, h } from '../../dom.ts';
import { messageOf } from '../../errors.ts';
import { applyRecipe } from './recipe-actions.ts';

/** The recipe of `file`, or the Error that says why there is none. */
export async function recipeOfFile(file: Blob): Promise<Recipe | Error> {
  if (file.size > MAX_PNG_BYTES)
    return new Error(
      `This file is ${formatBytes(file.size)}; a PNG read here is at most ${formatBytes(MAX_PNG_BYTES)}.`,
    );
  try {
    return readRecipe(new Uint8Array(await file.arrayBuffer()));
  } catch (e) {
    return new Error(messageOf(e));
  }
}

/**
 * A PNG's recipe goes into the Generate form (applyRecipe), then `shown`
 * brings the form up; `report` says what happened, or why nothing did.
 */
export function createOpenPng(
  shown: () => void,
  report: (text: string, error: boolean) => void,
): { button: HTMLElement; input: HTMLInputElement } {
  async function take(file: Blob): Promise<void> {
    const recipe = await recipeOfFile(file);
    if (recipe instanceof Error) return report(recipe.message, true);
    try {
      const said = applyRecipe(recipe);
      shown();
      report(said, false);
    } catch (e) {
      report(`This PNG's recipe does not fit: ${messageOf(e)}`, true);
    }
  }

  const input = h('input', {
    type: 'file',
    accept: 'image/png,.png',
    class: 'visually-hidden',
    'aria-label': 'PNG to open',
    tabindex: -1,
    'aria-hidden': 'true',
    'data-testid': 'open-png-input',
  });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void take(file);
  });
  const button = h(
    'button',
    { type: 'button', class: 'button', onclick: () => input.click() },
    'Open a PNG…',
  );

  // A PNG dropped anywhere; other drops (Explore's own picture, a model file) are left alone.
  const pngIn = (e: DragEvent) =>
    [...(e.dataTransfer?.items ?? [])].some((i) => i.kind === 'file' && i.type === 'image/png');
  document.addEventListener('dragover', (e) => {
    if (!e.defaultPrevented && pngIn(e)) e.preventDefault();
  });
  document.addEventListener('drop', (e) => {
    const file = e.dataTransfer?.files[0];
    if (e.defaultPrevented || !file || file.type !== 'image/png') return;
    e.preventDefault();
    void take(file);
  });

  return { button: h('span', {}, button, input), input };
}
