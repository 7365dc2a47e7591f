/**
 * The Gallery screen's controller: what is kept (newest first, filtered by
 * model and label), one image opened large with its recipe, its settings
 * put back into Generate, img2img from it, delete with undo, delete all.
 * A tab of its own, not a section of Generate: on a 390 px phone Generate is
 * already a long form, and the gallery needs its own filters and room.
 */
import './gallery.css';
import { app } from '../../app-state.ts';
import { onCatalog } from '../../catalog.ts';
import { card, formatBytes, h } from '../../dom.ts';
import { errorKind, messageOf } from '../../errors.ts';
import { downloadZip } from '../../export.ts';
import { ALL, UndoError, view, type GalleryFilter, type GalleryItem } from '../../gallery-list.ts';
import { gallery } from '../../gallery-store.ts';
import { download, shareFile } from '../../images.ts';
import { varyPlan } from '../../plans.ts';
import { fileName } from '../../recipes.ts';
import { loadImage } from '../explore/pixels.ts';
import { createDetail } from './detail.ts';
import { createFilters } from './filters.ts';
import { keepRuns } from './keep.ts';
import { createOpenPng } from './open-png.ts';
import { applyRecipe, modelFor, modelNote } from './recipe-actions.ts';
import { createThumbs } from './thumbs.ts';
import { createToast } from './toast.ts';

const UNDO_MS = gallery.undo.ms;

/** Shows the Generate tab (the tab bar owns the switch). */
const toGenerate = () => document.getElementById('tab-generate')?.click();

export function createGalleryScreen(): HTMLElement {
  const toast = createToast();
  document.body.append(toast.root);
  keepRuns((message) => toast.show(message, { alert: true, ms: 15_000 }));
  let filter: GalleryFilter = ALL;
  let items: GalleryItem[] = [];
  const summary = h('p', {
    class: 'hint',
    'data-testid': 'gallery-summary',
    'aria-live': 'polite',
  });
  const filters = createFilters((f) => {
    filter = { ...filter, ...f };
    render();
  });
  const thumbs = createThumbs(open);
  const detail = createDetail({
    use,
    vary,
    cancelVary: () => varying?.abort(),
    download: save,
    share,
    remove,
  });
  const deleteAll = h(
    'button',
    { type: 'button', class: 'button danger-outline', onclick: () => void removeAll() },
    'Delete all',
  );
  const openNote = h('p', { class: 'hint', role: 'status', 'data-testid': 'open-png-note' });
  const openPng = createOpenPng(toGenerate, (text, error) => {
    openNote.textContent = text;
    toast.show(text, { alert: error, ms: error ? 10_000 : 4000 });
  });

  function render(): void {
    filter = filters.sync(items, filter);
    const shown = view(items, filter);
    thumbs.show(shown);
    const bytes = items.reduce((n, i) => n + i.bytes, 0);
    summary.textContent =
      items.length === 0
        ? 'Nothing kept yet.'
        : `${shown.length} of ${items.length} image${items.length === 1 ? '' : 's'} · ${formatBytes(bytes)} on this device`;
    deleteAll.disabled = items.length === 0;
  }

  async function refresh(): Promise<void> {
    try {
      items = await gallery.list();
    } catch (e) {
      summary.textContent = messageOf(e);
      return;
    }
    render();
  }

  function open(item: GalleryItem, from: HTMLElement): void {
    const m = modelFor(item.recipe);
    detail.open(item, m, modelNote(item, m), from);
  }

  function use(item: GalleryItem): void {
    try {
      const said = applyRecipe(item.recipe);
      detail.close();
      toGenerate();
      toast.show(said);
    } catch (e) {
      detail.note(`Its settings do not fit: ${messageOf(e)}`);
    }
  }

  /** The gallery's own run (a Vary), which its button cancels. */
  let varying: AbortController | undefined;

  async function vary(item: GalleryItem, strength: number): Promise<void> {
    const m = modelFor(item.recipe);
    if (!m || app.busy) return;
    detail.note('Varying…');
    varying = new AbortController();
    detail.setBusy(true, true);
    try {
      const image = await loadImage(item.png, m.manifest.image, 'The gallery image');
      const plan = varyPlan(item.recipe, m, image, strength, app.backend(), 'Gallery');
      await app.run(plan, varying.signal, (p) => detail.note(`Varying: step ${p.step} of ${p.of}`));
      detail.note('Done: the variation is first in the gallery.');
    } catch (e) {
      const kind = errorKind(e);
      detail.note(
        kind === 'cancelled'
          ? 'Cancelled: nothing was kept.'
          : kind === 'busy'
            ? messageOf(e)
            : `Could not vary it: ${messageOf(e)}`,
      );
    } finally {
      varying = undefined;
      detail.setBusy(app.busy, false);
    }
  }

  function save(item: GalleryItem): void {
    download(item.png, fileName(item.recipe));
  }

  function share(item: GalleryItem): void {
    shareFile(item.png, fileName(item.recipe), 'Generated image').catch((e: unknown) =>
      detail.note(`Could not share: ${messageOf(e)}`),
    );
  }

  async function removeRows(ids: string[], what: string): Promise<void> {
    let token: number;
    try {
      token = await gallery.remove(ids);
    } catch (e) {
      toast.show(`Could not delete ${what}: ${messageOf(e)}`, { alert: true, ms: 10_000 });
      return;
    }
    toast.show(`Deleted ${what}.`, {
      action: 'Undo',
      ms: UNDO_MS,
      onAction: () => void undo(token),
    });
  }

  async function undo(token: number): Promise<void> {
    try {
      await gallery.restore(token);
    } catch (e) {
      if (!(e instanceof UndoError)) {
        toast.show(`Could not undo: ${messageOf(e)}`, { alert: true, ms: 10_000 });
        return;
      }
      offerDownload(e.rows, e.message);
    }
  }

  /** A toast that holds the rows until it goes; a failed download offers them again. */
  function offerDownload(rows: GalleryItem[], message: string): void {
    toast.show(message, {
      alert: true,
      ms: 60_000,
      action: rows.length === 1 ? 'Download' : 'Download zip',
      onAction: () =>
        void saveRows(rows).catch((err: unknown) =>
          offerDownload(
            rows,
            `Could not download: ${messageOf(err)}. Try again before this message closes.`,
          ),
        ),
    });
  }

  /** Deleted images that could not be put back: one PNG, or a zip of them. */
  async function saveRows(rows: GalleryItem[]): Promise<void> {
    const files = rows.map((r) => new File([r.png], fileName(r.recipe), { type: 'image/png' }));
    if (files.length === 1) download(files[0]!, files[0]!.name);
    else await downloadZip(files, `gallery-${files.length}-deleted-images.zip`);
  }

  function remove(item: GalleryItem): void {
    detail.close();
    void removeRows([item.id], '1 image');
  }

  async function removeAll(): Promise<void> {
    const ids = items.map((i) => i.id);
    await removeRows(ids, `all ${ids.length} image${ids.length === 1 ? '' : 's'}`);
  }

  gallery.subscribe(() => void refresh());
  onCatalog(() => render());
  app.on('busy', (plan) => detail.setBusy(plan !== undefined, varying !== undefined));
  void refresh();

  return h(
    'div',
    { class: 'screen-body gallery' },
    card(
      'g-title',
      'Gallery',
      summary,
      filters.root,
      thumbs.root,
      h('div', { class: 'button-row' }, openPng.button, deleteAll),
      openNote,
    ),
    detail.root,
  );
}
