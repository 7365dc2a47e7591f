/**
 * The app shell: header with backend status, theme and install, three
 * screens behind a bottom tab bar (thumb reach), banners for updates and the
 * iOS install hint. Screens build once; switching tabs only hides them.
 */
import './styles.css';
import { app } from './app-state.ts';
import { onCatalog, refreshCatalog } from './catalog.ts';
import { createTabs } from './components/tabs.ts';
import { keepFocusVisible } from './focus-scroll.ts';
import { h, must } from './dom.ts';
import { describeBackend } from './generator.ts';
import { setupPwa } from './pwa.ts';
import { createExploreScreen } from './screens/explore/index.ts';
import { createGalleryScreen } from './screens/gallery/index.ts';
import { createGenerateScreen } from './screens/generate/index.ts';
import { createModelsScreen } from './screens/models/index.ts';
import { settings } from './settings.ts';
import { nextTheme, themeLabel, watchSystemTheme } from './theme.ts';

const ICONS = {
  generate:
    '<path d="M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8z"/><path d="M18 15l.9 2.1L21 18l-2.1.9L18 21l-.9-2.1L15 18l2.1-.9z"/>',
  explore:
    '<path d="M3 17c3-8 6-8 9 0s6 8 9 0"/><circle cx="6" cy="6" r="1"/><circle cx="10" cy="4" r="1"/><circle cx="15" cy="7" r="1"/><circle cx="19" cy="4" r="1"/>',
  gallery:
    '<rect x="3" y="5" width="18" height="14" rx="2"/><circle cx="8.5" cy="10" r="1.5"/><path d="M21 16l-5-5-8 8"/>',
  models:
    '<rect x="4" y="4" width="16" height="6" rx="1.5"/><rect x="4" y="14" width="16" height="6" rx="1.5"/><circle cx="8" cy="7" r="0.8"/><circle cx="8" cy="17" r="0.8"/>',
};

/**
 * A short notice ("Ready to work offline.") shown in the status line for a
 * few seconds, then the line's own text again: in the flow, one line, so it
 * covers nothing and moves nothing.
 */
function toastFactory(line: HTMLElement): (text: string) => void {
  let timer: number | undefined;
  let own = '';
  return (text) => {
    if (timer === undefined) own = line.textContent ?? '';
    line.textContent = text;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => {
      if (line.textContent === text) line.textContent = own;
      timer = undefined;
    }, 4000);
  };
}

function boot(): void {
  watchSystemTheme();
  keepFocusVisible();
  const root = must<HTMLElement>(document, '#app');

  const status = h(
    'p',
    { class: 'statusline', 'data-testid': 'backend-status', 'aria-live': 'polite' },
    'Loading the model…',
  );
  const themeBtn = h(
    'button',
    {
      type: 'button',
      class: 'icon-button',
      'aria-label': themeLabel(settings.get().theme),
      title: themeLabel(settings.get().theme),
      onclick: () => {
        const next = nextTheme(settings.get().theme);
        settings.set({ theme: next });
        themeBtn.setAttribute('aria-label', themeLabel(next));
        themeBtn.title = themeLabel(next);
      },
    },
    h('span', { class: 'theme-glyph', 'aria-hidden': 'true' }),
  );
  const installBtn = h(
    'button',
    { type: 'button', class: 'button small', hidden: true, 'data-testid': 'install' },
    'Install',
  );
  const updateBanner = h('div', {
    class: 'banner',
    role: 'status',
    hidden: true,
    'data-testid': 'update-banner',
  });
  const iosHint = h('div', { class: 'banner', role: 'note', hidden: true });

  const { tablist, panels } = createTabs([
    { id: 'generate', label: 'Generate', icon: ICONS.generate, build: createGenerateScreen },
    { id: 'explore', label: 'Explore', icon: ICONS.explore, build: createExploreScreen },
    { id: 'gallery', label: 'Gallery', icon: ICONS.gallery, build: createGalleryScreen },
    { id: 'models', label: 'Models', icon: ICONS.models, build: createModelsScreen },
  ]);

  root.replaceChildren(
    h(
      'header',
      { class: 'topbar' },
      h('h1', {}, 'Diffuse'),
      h('div', { class: 'topbar-actions' }, installBtn, themeBtn),
    ),
    status,
    updateBanner,
    iosHint,
    h('main', { class: 'screens' }, ...panels),
    tablist,
  );

  app.on('backend', ({ info, msPerStep }) => {
    const speed = msPerStep ? ` · ${Math.round(msPerStep)} ms/step` : '';
    status.classList.remove('error');
    status.dataset.backend = info.backend;
    status.textContent = `Backend: ${describeBackend(info)}${speed}${info.fallbackReason ? ` (${info.fallbackReason})` : ''}`;
    status.title = status.textContent;
  });
  app.on('load', (l) => {
    if (l.state === 'ready') return;
    status.classList.toggle('error', l.state === 'failed');
    status.textContent =
      l.state === 'loading'
        ? `Loading ${l.model.name}…`
        : `Could not load ${l.model.name}: ${l.message}`;
  });

  setupPwa({
    updateBanner,
    installButton: installBtn,
    iosHint,
    toast: toastFactory(status),
    isBusy: () => app.busy,
  });

  // The chosen model is loaded ahead of the first run, and again whenever the choice changes.
  onCatalog(() => void app.prepare());
  settings.subscribe(() => void app.prepare());
  void refreshCatalog()
    .then((c) => {
      if (c.models.length === 0) throw new Error('no model could be read');
    })
    .catch((e: unknown) => {
      status.textContent = `Could not load a model: ${e instanceof Error ? e.message : String(e)}`;
      status.classList.add('error');
    });
}

boot();
