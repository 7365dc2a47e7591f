/** The models on this device, one row each: size, image shape, labels; imported ones can be removed. */
import { catalog, refreshCatalog, type ModelEntry } from '../../catalog.ts';
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
async function remove(m: ModelEntry): Promise<void> {
  if (!confirm(`Remove ${m.name} from this device?`)) return;
  await (await modelStore()).remove(m.id);
  if (settings.get().modelId === m.id) settings.set({ modelId: catalog().defaultId });
  await refreshCatalog();
}

export function createModelList(onRemoved: () => void): { root: HTMLElement; render(): void } {
  const root = h('ul', {
    class: 'model-list',
    'aria-label': 'Models on this device',
    'data-testid': 'model-list',
  });

  function row(m: ModelEntry): HTMLElement {
    const button =
      m.origin === 'imported'
        ? h(
            'button',
            {
              type: 'button',
              class: 'button danger-outline',
              'aria-label': `Remove ${m.name}`,
              onclick: () => void remove(m).then(onRemoved),
            },
            'Remove',
          )
        : null;
    const text = h(
      'div',
      { class: 'model-text' },
      h('strong', {}, m.name),
      h('span', { class: 'hint' }, describe(m)),
    );
    return h('li', { class: 'model', dataset: { id: m.id } }, text, button);
  }

  return { root, render: () => root.replaceChildren(...catalog().models.map(row)) };
}
