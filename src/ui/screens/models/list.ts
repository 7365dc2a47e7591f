/** The models on this device, one row each: size, image shape, labels; imported ones can be removed. */
import { catalog, refreshCatalog, type ModelEntry, type UnusableModel } from '../../catalog.ts';
import { groupsOf } from '../../conditioning.ts';
import { formatBytes, h } from '../../dom.ts';
import { messageOf } from '../../errors.ts';
import { modelStore } from '../../model-store.ts';
import { settings } from '../../settings.ts';

function describe(m: ModelEntry): string {
  const { channels, height, width } = m.manifest.image;
  const groups = groupsOf(m.manifest);
  const labels = groups.length
    ? groups.map((g) => `${g.ids.length} ${g.title.toLowerCase()} labels`).join(', ')
    : 'unconditional';
  const origin = m.origin === 'built-in' ? 'Built-in' : 'Imported';
  return `${origin} · ${formatBytes(m.bytes)} · ${width}×${height}×${channels} · ${labels}`;
}

/**
 * Removes an imported model; the chosen model falls back to the default
 * (Generate says what changed). The list is read again either way, so a
 * remove that failed part-way shows what is left.
 */
async function remove(id: string, name: string): Promise<boolean> {
  if (!confirm(`Remove ${name} from this device?`)) return false;
  try {
    await (await modelStore()).remove(id);
  } catch (e) {
    await refreshCatalog().catch(() => undefined);
    throw e;
  }
  if (settings.get().modelId === id) settings.set({ modelId: catalog().defaultId });
  await refreshCatalog();
  return true;
}

export interface ModelListEvents {
  /** A model was removed (storage use changed). */
  removed(): void;
  /** A remove failed; the message says which model and why. */
  failed(message: string): void;
}

export function createModelList(on: ModelListEvents): { root: HTMLElement; render(): void } {
  const root = h('ul', {
    class: 'model-list',
    'aria-label': 'Models on this device',
    'data-testid': 'model-list',
  });

  function removeButton(id: string, name: string): HTMLElement {
    const click = async () => {
      try {
        if (await remove(id, name)) on.removed();
      } catch (e) {
        on.failed(
          `Could not remove ${name}: ${messageOf(e).replace(/\.$/, '')}. Try again; if it keeps failing, reload the page.`,
        );
      }
    };
    return h(
      'button',
      {
        type: 'button',
        class: 'button danger-outline',
        'aria-label': `Remove ${name}`,
        onclick: () => void click(),
      },
      'Remove',
    );
  }

  function row(m: ModelEntry): HTMLElement {
    const button = m.origin === 'imported' ? removeButton(m.id, m.name) : null;
    const text = h(
      'div',
      { class: 'model-text' },
      h('strong', {}, m.name),
      h('span', { class: 'hint' }, describe(m)),
    );
    return h('li', { class: 'model', dataset: { id: m.id } }, text, button);
  }

  function unusableRow(u: UnusableModel): HTMLElement {
    const text = h(
      'div',
      { class: 'model-text' },
      h('strong', {}, u.id),
      h(
        'span',
        { class: 'error' },
        `Imported · ${formatBytes(u.bytes)} · cannot be used by this version of the app: ${u.reason.replace(/\.?$/, '.')} Remove it, then import it again with a corrected model.json.`,
      ),
    );
    return h('li', { class: 'model', dataset: { id: u.id } }, text, removeButton(u.id, u.id));
  }

  function render(): void {
    const c = catalog();
    const note = c.storeError
      ? [h('li', { class: 'model error' }, `Imported models cannot be read here: ${c.storeError}`)]
      : [];
    root.replaceChildren(...c.models.map(row), ...c.unusable.map(unusableRow), ...note);
  }

  return { root, render };
}
