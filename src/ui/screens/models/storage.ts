/** The storage card: what the app and its models use, and asking the browser to keep them. */
import { card, formatBytes, h } from '../../dom.ts';
import { gallery } from '../../gallery-store.ts';
import { modelStore } from '../../model-store.ts';

const PERSISTENT = 'Storage is persistent: the browser will not clear your models to free space.';

export interface StorageView {
  root: HTMLElement;
  measure(): Promise<void>;
}

export function createStorage(): StorageView {
  const text = h('p', { 'data-testid': 'storage' }, 'Measuring storage…');
  const persistBtn = h(
    'button',
    { type: 'button', class: 'button', onclick: () => void persist() },
    'Keep my models (persistent storage)',
  );
  const persistText = h('p', { class: 'hint', 'aria-live': 'polite' });

  async function measure(): Promise<void> {
    if (!navigator.storage?.estimate) {
      text.textContent = 'This browser does not report storage use.';
      return;
    }
    const { usage = 0, quota = 0 } = await navigator.storage.estimate();
    const store = await modelStore();
    const where = store.kind === 'opfs' ? ' in the private file system' : ' in IndexedDB';
    const kept = await gallery.bytesUsed().catch(() => ({ count: 0, bytes: 0 }));
    const images = `the gallery's ${kept.count} image${kept.count === 1 ? '' : 's'}: ${formatBytes(kept.bytes)}`;
    text.textContent = `Using ${formatBytes(usage)} of ${formatBytes(quota)} available (app files, models${where}; ${images}).`;
    const persisted = (await navigator.storage.persisted?.()) ?? false;
    persistBtn.hidden = persisted;
    persistText.textContent = persisted ? PERSISTENT : '';
  }

  gallery.subscribe(() => void measure());

  async function persist(): Promise<void> {
    const granted = (await navigator.storage.persist?.()) ?? false;
    persistText.textContent = granted
      ? PERSISTENT
      : 'The browser did not grant persistent storage now. Installing the app usually makes it grant it.';
    void measure();
  }

  const root = card('m-storage', 'Storage', text, persistBtn, persistText);
  return { root, measure };
}
