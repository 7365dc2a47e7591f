/**
 * One kept image, large, with its recipe: use its settings, vary it
 * (img2img at a chosen strength), download or share its PNG (the recipe
 * inside), delete it.
 */
import { varyImage } from '../../components/vary-image.ts';
import { h } from '../../dom.ts';
import type { GalleryItem } from '../../gallery-list.ts';
import { canShareFiles } from '../../images.ts';
import { recipeCaption, recipeDetails } from '../../recipes.ts';
import type { ModelEntry } from '../../catalog.ts';

export interface DetailActions {
  use(item: GalleryItem): void;
  vary(item: GalleryItem, strength: number): void;
  cancelVary(): void;
  download(item: GalleryItem): void;
  share(item: GalleryItem): void;
  remove(item: GalleryItem): void;
}

export interface DetailView {
  root: HTMLDialogElement;
  /** Opens `item`; `model` is the one that made it, when it is on this device. */
  open(
    item: GalleryItem,
    model: ModelEntry | undefined,
    note: string,
    returnFocus: HTMLElement,
  ): void;
  close(): void;
  note(text: string): void;
  /** While a run is going: nothing that starts another; `own` (a Vary from here) can be cancelled. */
  setBusy(busy: boolean, own: boolean): void;
}

export function createDetail(on: DetailActions): DetailView {
  const img = h('img', { class: 'pixelated viewer-image', alt: '' });
  const title = h('h2', { id: 'gallery-detail-title' });
  const details = h('p', { class: 'hint', 'data-testid': 'gallery-recipe' });
  const when = h('p', { class: 'hint' });
  const note = h('p', { class: 'hint', role: 'status', 'data-testid': 'gallery-note' });
  let current: GalleryItem | undefined;
  let url: string | undefined;
  let returnTo: HTMLElement | undefined;
  let hasModel = false;
  let busy = false;
  let own = false;
  const act = (fn: (i: GalleryItem) => void) => () => current && fn(current);

  const use = h(
    'button',
    { type: 'button', class: 'button primary', onclick: act(on.use) },
    'Use these settings',
  );
  const vary = varyImage((strength) => current && on.vary(current, strength), on.cancelVary);
  const share = h('button', { type: 'button', class: 'button', onclick: act(on.share) }, 'Share');
  share.hidden = !canShareFiles();

  const root = h(
    'dialog',
    { class: 'viewer', 'aria-labelledby': 'gallery-detail-title', 'data-testid': 'gallery-detail' },
    h(
      'div',
      { class: 'viewer-body' },
      title,
      img,
      details,
      when,
      note,
      h('div', { class: 'button-row' }, use),
      vary.root,
      h(
        'div',
        { class: 'button-row' },
        h('button', { type: 'button', class: 'button', onclick: act(on.download) }, 'Download PNG'),
        share,
        h(
          'button',
          { type: 'button', class: 'button danger-outline', onclick: act(on.remove) },
          'Delete',
        ),
        h('button', { type: 'button', class: 'button', onclick: () => root.close() }, 'Close'),
      ),
    ),
  );
  root.addEventListener('close', () => {
    if (url) URL.revokeObjectURL(url);
    url = undefined;
    if (returnTo?.isConnected) returnTo.focus();
  });
  root.addEventListener('click', (e) => {
    if (e.target === root) root.close();
  });

  function sync(): void {
    use.disabled = !hasModel;
    vary.setDisabled(!hasModel || (busy && !own));
    vary.setRunning(own);
  }

  return {
    root,
    open(item, model, text, returnFocus) {
      current = item;
      returnTo = returnFocus;
      hasModel = model !== undefined;
      if (url) URL.revokeObjectURL(url);
      url = URL.createObjectURL(item.png);
      img.src = url;
      const caption = recipeCaption(item.recipe, model);
      title.textContent = caption;
      img.alt = caption;
      details.textContent = `${item.modelName} · ${recipeDetails(item.recipe)}`;
      when.textContent = `Made ${new Date(item.time).toLocaleString()}`;
      note.textContent = text;
      sync();
      if (!root.open) root.showModal();
    },
    close: () => root.close(),
    note: (text) => (note.textContent = text),
    setBusy(b, o) {
      busy = b;
      own = o;
      sync();
    },
  };
}
