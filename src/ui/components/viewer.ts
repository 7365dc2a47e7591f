/**
 * The enlarged view of one result: a modal <dialog> with download, share,
 * GIF, and "Vary this image" (img2img from it; the screen runs it, the
 * dialog closes so the run's progress and Cancel are in view).
 */
import { h } from '../dom.ts';
import { canShareFiles, download, drawRGBA, encodeGif, imageAt, shareFile } from '../images.ts';
import { fileName, pngOf, recipeDetails, recipeOf } from '../recipes.ts';
import type { Run } from '../app-state.ts';
import { varyImage } from './vary-image.ts';

export interface Viewer {
  root: HTMLDialogElement;
  open(run: Run, index: number, caption: string, returnFocus: HTMLElement): void;
  /** While a run is going: nothing that starts another. */
  setBusy(busy: boolean): void;
}

/** Image `index` of `run`, shown as `caption`, to vary at `strength`. */
export type OnVary = (run: Run, index: number, caption: string, strength: number) => void;

export function createViewer(onVary: OnVary): Viewer {
  const canvas = h('canvas', { class: 'pixelated viewer-image', role: 'img' });
  const title = h('h2', { id: 'viewer-title' });
  const note = h('p', { class: 'hint', role: 'status' });
  const details = h('p', { class: 'hint', 'data-testid': 'viewer-recipe' });
  let current: { run: Run; index: number; caption: string; name: string } | undefined;
  let returnTo: HTMLElement | undefined;
  let busy = false;

  const withImage = async (fn: (blob: Blob, name: string) => Promise<void> | void) => {
    if (!current) return;
    const { run, index, name } = current;
    try {
      // The PNG carries image `index`'s own recipe; its name, model, labels and seed.
      const recipe = recipeOf(run, index);
      await fn(await pngOf(run, index, recipe), recipe ? fileName(recipe) : `${name}.png`);
    } catch (e) {
      note.textContent = `Could not export: ${e instanceof Error ? e.message : String(e)}`;
    }
  };

  const shareBtn = h(
    'button',
    {
      type: 'button',
      class: 'button',
      onclick: () => withImage((b, n) => shareFile(b, n, 'Generated image')),
    },
    'Share',
  );
  shareBtn.hidden = !canShareFiles();
  const gifBtn = h(
    'button',
    {
      type: 'button',
      class: 'button',
      onclick: async () => {
        if (!current?.run.result.frames) return;
        const { run, index, name } = current;
        note.textContent = 'Encoding GIF…';
        try {
          const frames = run.result.frames ?? [];
          const r = run.result;
          const gif = await encodeGif(frames, r.width, r.height, r.count, index);
          download(gif, `${name}-reverse.gif`);
          note.textContent = 'GIF saved.';
        } catch (e) {
          note.textContent = `Could not make the GIF: ${e instanceof Error ? e.message : String(e)}`;
        }
      },
    },
    'Reverse-process GIF',
  );
  const vary = varyImage((strength) => {
    if (!current || busy) return;
    const { run, index, caption } = current;
    // Focus goes to the run's Cancel (the screen moves it), not back to the thumbnail.
    returnTo = undefined;
    root.close();
    onVary(run, index, caption, strength);
  });

  const root = h(
    'dialog',
    { class: 'viewer', 'aria-labelledby': 'viewer-title', 'data-testid': 'viewer' },
    h(
      'div',
      { class: 'viewer-body' },
      title,
      canvas,
      details,
      note,
      h(
        'div',
        { class: 'button-row' },
        h(
          'button',
          { type: 'button', class: 'button primary', onclick: () => withImage(download) },
          'Download PNG',
        ),
        shareBtn,
        gifBtn,
      ),
      vary.root,
      h(
        'div',
        { class: 'button-row' },
        h('button', { type: 'button', class: 'button', onclick: () => root.close() }, 'Close'),
      ),
    ),
  );
  root.addEventListener('close', () => returnTo?.focus());
  root.addEventListener('click', (e) => {
    if (e.target === root) root.close();
  });

  return {
    root,
    open(run, index, caption, returnFocus) {
      const { width: w, height: ht, images } = run.result;
      const name = `${run.model.id}-${caption.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
      current = { run, index, caption, name };
      returnTo = returnFocus;
      title.textContent = caption;
      canvas.setAttribute('aria-label', caption);
      drawRGBA(canvas, imageAt(images, index, w, ht), w, ht);
      note.textContent = '';
      const recipe = recipeOf(run, index);
      details.textContent = recipe ? recipeDetails(recipe) : '';
      gifBtn.hidden = !run.result.frames?.length;
      // An image from interpolated noise has no recipe, so no settings to vary it with.
      vary.root.hidden = !recipe;
      vary.setDisabled(busy);
      root.showModal();
    },
    setBusy(b) {
      busy = b;
      vary.setDisabled(b);
    },
  };
}
