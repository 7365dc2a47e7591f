/**
 * Models and settings: the models on this device with their sizes, importing
 * one (.onnx + model.json, or a .zip), removing an imported one, storage used
 * and persistent storage, and the compute backend.
 */
import { groupsOf } from '../../conditioning.ts';
import { catalog, onCatalog, refreshCatalog, type ModelEntry } from '../../catalog.ts';
import { selectField } from '../../components/fields.ts';
import { formatBytes, h, nextId } from '../../dom.ts';
import { ImportError, importModel } from '../../import-model.ts';
import { modelStore } from '../../model-store.ts';
import { BACKENDS, settings } from '../../settings.ts';

export function createModelsScreen(): HTMLElement {
  const list = h('ul', {
    class: 'model-list',
    'aria-label': 'Models on this device',
    'data-testid': 'model-list',
  });
  const importId = nextId('import');
  const importInput = h('input', {
    id: importId,
    type: 'file',
    multiple: true,
    accept: '.onnx,.json,.zip,application/json,application/zip',
    hidden: true,
    tabindex: -1,
    'aria-label': 'Model files (.onnx and model.json, or a .zip)',
    'data-testid': 'import-input',
    onchange: () => void runImport(),
  });
  const importLabel = h(
    'button',
    { type: 'button', class: 'button primary', onclick: () => importInput.click() },
    'Import model…',
  );
  const importStatus = h('p', {
    class: 'hint',
    'aria-live': 'polite',
    'data-testid': 'import-status',
  });
  const importError = h('p', { class: 'error', role: 'alert', 'data-testid': 'import-error' });
  importError.hidden = true;
  const storageText = h('p', { 'data-testid': 'storage' }, 'Measuring storage…');
  const persistBtn = h(
    'button',
    { type: 'button', class: 'button', onclick: () => void persist() },
    'Keep my models (persistent storage)',
  );
  const persistText = h('p', { class: 'hint', 'aria-live': 'polite' });

  const backendField = selectField({
    label: 'Compute backend',
    options: BACKENDS,
    value: settings.get().backend,
    hint: 'Automatic uses WebGPU on a hardware GPU and the CPU (WebAssembly) otherwise; a software WebGPU renderer is slower than the CPU, so only WebGPU picks it.',
    onChange: (v) =>
      settings.set({ backend: BACKENDS.find((b) => b.value === v)?.value ?? 'auto' }),
  });

  function row(m: ModelEntry): HTMLElement {
    const { channels, height, width } = m.manifest.image;
    const groups = groupsOf(m.manifest);
    const classes = groups.length
      ? groups.map((g) => `${g.ids.length} ${g.title.toLowerCase()} labels`).join(', ')
      : 'unconditional';
    const remove =
      m.origin === 'imported'
        ? h(
            'button',
            {
              type: 'button',
              class: 'button danger-outline',
              'aria-label': `Remove ${m.name}`,
              onclick: async () => {
                if (!confirm(`Remove ${m.name} from this device?`)) return;
                await (await modelStore()).remove(m.id);
                if (settings.get().modelId === m.id) settings.set({ modelId: catalog().defaultId });
                await refreshCatalog();
                void measure();
              },
            },
            'Remove',
          )
        : null;
    return h(
      'li',
      { class: 'model', dataset: { id: m.id } },
      h(
        'div',
        { class: 'model-text' },
        h('strong', {}, m.name),
        h(
          'span',
          { class: 'hint' },
          `${m.origin === 'built-in' ? 'Built-in' : 'Imported'} · ${formatBytes(m.bytes)} · ${width}×${height}×${channels} · ${classes}`,
        ),
      ),
      remove,
    );
  }

  function render(): void {
    list.replaceChildren(...catalog().models.map(row));
  }

  async function measure(): Promise<void> {
    if (!navigator.storage?.estimate) {
      storageText.textContent = 'This browser does not report storage use.';
      return;
    }
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    const store = await modelStore();
    storageText.textContent = `Using ${formatBytes(usage)} of ${formatBytes(quota)} available (app files, models${store.kind === 'opfs' ? ' in the private file system' : ' in IndexedDB'}).`;
    const persisted = (await navigator.storage.persisted?.()) ?? false;
    persistBtn.hidden = persisted;
    persistText.textContent = persisted
      ? 'Storage is persistent: the browser will not clear your models to free space.'
      : '';
  }

  async function persist(): Promise<void> {
    const granted = (await navigator.storage.persist?.()) ?? false;
    persistText.textContent = granted
      ? 'Storage is persistent: the browser will not clear your models to free space.'
      : 'The browser did not grant persistent storage now. Installing the app usually makes it grant it.';
    void measure();
  }

  async function runImport(): Promise<void> {
    const files = [...(importInput.files ?? [])];
    importInput.value = '';
    if (files.length === 0) return;
    importError.hidden = true;
    importLabel.disabled = true;
    try {
      const manifest = await importModel(files, (t) => (importStatus.textContent = t));
      await refreshCatalog();
      importStatus.textContent = `Imported “${manifest.name}”. Pick it in Generate.`;
      // Imported models live only on this device: ask the browser not to evict them.
      await navigator.storage?.persist?.().catch(() => false);
      void measure();
    } catch (e) {
      importStatus.textContent = '';
      importError.textContent =
        e instanceof ImportError
          ? e.message
          : `Import failed: ${e instanceof Error ? e.message : String(e)}. Nothing was changed.`;
      importError.hidden = false;
    } finally {
      importLabel.disabled = false;
    }
  }

  onCatalog(render);
  render();
  void measure();

  return h(
    'div',
    { class: 'screen-body models' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'm-list' },
      h('h2', { id: 'm-list' }, 'Models on this device'),
      list,
      h('div', { class: 'button-row' }, importLabel, importInput),
      h(
        'p',
        { class: 'hint' },
        'Import a model.onnx together with its model.json (or one .zip holding both). It is checked, then kept on this device and works offline.',
      ),
      importStatus,
      importError,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'm-storage' },
      h('h2', { id: 'm-storage' }, 'Storage'),
      storageText,
      persistBtn,
      persistText,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'm-engine' },
      h('h2', { id: 'm-engine' }, 'Engine'),
      backendField.root,
    ),
  );
}
