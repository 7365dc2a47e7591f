/** The enlarged view of one result: a modal <dialog> with download, share and GIF. */
import { h } from '../dom.ts';
import { canShareFiles, download, drawRGBA, encodeGif, imageAt, shareFile } from '../images.ts';
import { fileName, pngOf, recipeDetails, recipeOf } from '../recipes.ts';
import type { Run } from '../app-state.ts';

export interface Viewer {
  root: HTMLDialogElement;
  open(run: Run, index: number, caption: string, returnFocus: HTMLElement): void;
}

export function createViewer(): Viewer {
  const canvas = h('canvas', { class: 'pixelated viewer-image', role: 'img' });
  const title = h('h2', { id: 'viewer-title' });
  const note = h('p', { class: 'hint', role: 'status' });
  const details = h('p', { class: 'hint', 'data-testid': 'viewer-recipe' });
  let current: { run: Run; index: number; name: string } | undefined;
  let returnTo: HTMLElement | undefined;

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
    { type: 'button', class: 'button', onclick: () => withImage((b, n) => shareFile(b, n, 'Generated image')) },
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
          download(await encodeGif(frames, r.width, r.height, r.count, index), `${name}-reverse.gif`);
          note.textContent = 'GIF saved.';
        } catch (e) {
          note.textContent = `Could not make the GIF: ${e instanceof Error ? e.message : String(e)}`;
        }
      },
    },
    'Reverse-process GIF',
  );

  const root = h(
    'dialog',
    { class: 'viewer', 'aria-labelledby': 'viewer-title' },
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
        h('button', { type: 'button', class: 'button primary', onclick: () => withImage(download) }, 'Download PNG'),
        shareBtn,
        gifBtn,
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
      current = { run, index, name: `${run.model.id}-${caption.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}` };
      returnTo = returnFocus;
      title.textContent = caption;
      canvas.setAttribute('aria-label', caption);
      drawRGBA(canvas, imageAt(images, index, w, ht), w, ht);
      note.textContent = '';
      const recipe = recipeOf(run, index);
      details.textContent = recipe ? recipeDetails(recipe) : '';
      gifBtn.hidden = !run.result.frames?.length;
      root.showModal();
    },
  };
}
