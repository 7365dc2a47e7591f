/** The models on this device, one row each: size, image shape, labels; imported ones can be removed. */
import { catalog, refreshCatalog, type ModelEntry, type UnusableModel } from '../../catalog.ts';
import { groupsOf } from '../../conditioning.ts';
import { formatBytes, h } from '../../dom.ts';
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

/** Removes an imported model; the chosen model falls back to the default (Generate says what changed). */
async function remove(id: string, name: string): Promise<void> {
  if (!confirm(`Remove ${name} from this device?`)) return;
  await (await modelStore()).remove(id);
  if (settings.get().modelId === id) settings.set({ modelId: catalog().defaultId });
  await refreshCatalog();
}

function removeButton(id: string, name: string, onRemoved: () => void): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      class: 'button danger-outline',
      'aria-label': `Remove ${name}`,
      onclick: () => void remove(id, name).then(onRemoved),
    },
    'Remove',
  );
}

export function createModelList(onRemoved: () => void): { root: HTMLElement; render(): void } {
  const root = h('ul', {
    class: 'model-list',
    'aria-label': 'Models on this device',
    'data-testid': 'model-list',
  });

  function row(m: ModelEntry): HTMLElement {
    const button = m.origin === 'imported' ? removeButton(m.id, m.name, onRemoved) : null;
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
    return h(
      'li',
      { class: 'model', dataset: { id: u.id } },
      text,
      removeButton(u.id, u.id, onRemoved),
    );
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
