/**
 * Models and settings: the models on this device with their sizes, importing
 * one (.onnx + model.json, or a .zip), removing an imported one, storage used
 * and persistent storage, and the compute backend.
 */
import { onCatalog, refreshCatalog } from '../../catalog.ts';
import { selectField } from '../../components/fields.ts';
import { card, h, nextId } from '../../dom.ts';
import { ImportError, importModel } from '../../import-model.ts';
import { BACKENDS, settings } from '../../settings.ts';
import { createModelList } from './list.ts';
import { createStorage } from './storage.ts';

export function createModelsScreen(): HTMLElement {
  const storage = createStorage();
  const list = createModelList({
    removed: () => {
      importError.hidden = true;
      void storage.measure();
    },
    failed: (message) => {
      importStatus.textContent = '';
      importError.textContent = message;
      importError.hidden = false;
    },
  });
  const importInput = h('input', {
    id: nextId('import'),
    type: 'file',
    multiple: true,
    accept: '.onnx,.json,.zip,application/json,application/zip',
    hidden: true,
    tabindex: -1,
    'aria-label': 'Model files (.onnx and model.json, or a .zip)',
    'data-testid': 'import-input',
    onchange: () => void runImport(),
  });
  const importButton = h(
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

  const backendField = selectField({
    label: 'Compute backend',
    options: BACKENDS,
    value: settings.get().backend,
    hint: 'Automatic uses WebGPU on a hardware GPU and the CPU (WebAssembly) otherwise; a software WebGPU renderer is slower than the CPU, so only WebGPU picks it.',
    onChange: (v) =>
      settings.set({ backend: BACKENDS.find((b) => b.value === v)?.value ?? 'auto' }),
  });

  async function runImport(): Promise<void> {
    const files = [...(importInput.files ?? [])];
    importInput.value = '';
    if (files.length === 0) return;
    importError.hidden = true;
    importButton.disabled = true;
    try {
      const manifest = await importModel(files, (t) => (importStatus.textContent = t));
      await refreshCatalog();
      importStatus.textContent = `Imported “${manifest.name}”. Pick it in Generate.`;
      // Imported models live only on this device: ask the browser not to evict them.
      await navigator.storage?.persist?.().catch(() => false);
      void storage.measure();
    } catch (e) {
      importStatus.textContent = '';
      importError.textContent =
        e instanceof ImportError
          ? e.message
          : `Import failed: ${e instanceof Error ? e.message : String(e)}. Nothing was changed.`;
      importError.hidden = false;
    } finally {
      importButton.disabled = false;
    }
  }

  // Generate's software-renderer notice can switch back to Automatic.
  settings.subscribe((s) => (backendField.select.value = s.backend));
  onCatalog(list.render);
  list.render();
  void storage.measure();

  return h(
    'div',
    { class: 'screen-body models' },
    card(
      'm-list',
      'Models on this device',
      list.root,
      h('div', { class: 'button-row' }, importButton, importInput),
      h(
        'p',
        { class: 'hint' },
        'Import a model.onnx together with its model.json (or one .zip holding both). It is checked, then kept on this device and works offline.',
      ),
      importStatus,
      importError,
    ),
    storage.root,
    card('m-engine', 'Engine', backendField.root),
  );
}
