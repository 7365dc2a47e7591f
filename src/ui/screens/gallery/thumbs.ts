/** The gallery's grid: one thumbnail per kept image, newest first; a tap opens it. */
import { h } from '../../dom.ts';
import type { GalleryItem } from '../../gallery-list.ts';

export interface ThumbsView {
  root: HTMLElement;
  show(items: GalleryItem[]): void;
}

export function createThumbs(onOpen: (item: GalleryItem, from: HTMLElement) => void): ThumbsView {
  const list = h('ul', { class: 'gallery-grid', 'aria-label': 'Kept images' });
  const empty = h(
    'p',
    { class: 'hint gallery-empty' },
    'Every image you generate is kept here, on this device.',
  );
  let urls: string[] = [];

  function show(items: GalleryItem[]): void {
    for (const u of urls) URL.revokeObjectURL(u);
    urls = items.map((i) => URL.createObjectURL(i.png));
    empty.hidden = items.length > 0;
    list.replaceChildren(
      ...items.map((item, k) => {
        const r = item.recipe;
        const label = `${item.caption}, seed ${r.seed} #${r.index}, ${item.modelName}`;
        const button = h(
          'button',
          { type: 'button', class: 'gallery-thumb', 'aria-label': `${label}. Open` },
          h('img', { src: urls[k], alt: '', class: 'pixelated', loading: 'lazy' }),
        );
        button.dataset.id = item.id;
        button.addEventListener('click', () => onOpen(item, button));
        return h('li', {}, button);
      }),
    );
  }

  return { root: h('div', {}, empty, list), show };
}
