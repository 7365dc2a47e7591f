/**
 * The app shell: header with backend status, theme and install, three
 * screens behind a bottom tab bar (thumb reach), banners for updates and the
 * iOS install hint. Screens build once; switching tabs only hides them.
 */
import './styles.css';
import { app } from './app-state.ts';
import { catalog, refreshCatalog } from './catalog.ts';
import { h, must } from './dom.ts';
import { describeBackend } from './generator.ts';
import { setupPwa } from './pwa.ts';
import { createExploreScreen } from './screens/explore.ts';
import { createGenerateScreen } from './screens/generate.ts';
import { createModelsScreen } from './screens/models.ts';
import { settings } from './settings.ts';
import { nextTheme, themeLabel, watchSystemTheme } from './theme.ts';

type TabId = 'generate' | 'explore' | 'models';

const ICONS: Record<TabId, string> = {
  generate: '<path d="M12 3l1.8 4.7L18.5 9.5l-4.7 1.8L12 16l-1.8-4.7L5.5 9.5l4.7-1.8z"/><path d="M18 15l.9 2.1L21 18l-2.1.9L18 21l-.9-2.1L15 18l2.1-.9z"/>',
  explore: '<path d="M3 17c3-8 6-8 9 0s6 8 9 0"/><circle cx="6" cy="6" r="1"/><circle cx="10" cy="4" r="1"/><circle cx="15" cy="7" r="1"/><circle cx="19" cy="4" r="1"/>',
  models: '<rect x="4" y="4" width="16" height="6" rx="1.5"/><rect x="4" y="14" width="16" height="6" rx="1.5"/><circle cx="8" cy="7" r="0.8"/><circle cx="8" cy="17" r="0.8"/>',
};

function icon(id: TabId): SVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML = ICONS[id];
  return svg;
}

function toastFactory(region: HTMLElement): (text: string) => void {
  let timer: number | undefined;
  return (text) => {
    region.textContent = text;
    region.hidden = false;
    window.clearTimeout(timer);
    timer = window.setTimeout(() => (region.hidden = true), 4000);
  };
}

function boot(): void {
  watchSystemTheme();
  const root = must<HTMLElement>(document, '#app');

  const status = h('p', { class: 'statusline', 'data-testid': 'backend-status', 'aria-live': 'polite' }, 'Loading the model…');
  const themeBtn = h('button', {
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
  }, h('span', { class: 'theme-glyph', 'aria-hidden': 'true' }));
  const installBtn = h('button', { type: 'button', class: 'button small', hidden: true, 'data-testid': 'install' }, 'Install');
  const updateBanner = h('div', { class: 'banner', role: 'status', hidden: true, 'data-testid': 'update-banner' });
  const iosHint = h('div', { class: 'banner', role: 'note', hidden: true });
  const toastRegion = h('div', { class: 'toast', role: 'status', hidden: true });

  const screens: Record<TabId, { label: string; build: () => HTMLElement }> = {
    generate: { label: 'Generate', build: createGenerateScreen },
    explore: { label: 'Explore', build: createExploreScreen },
    models: { label: 'Models', build: createModelsScreen },
  };
  const ids = Object.keys(screens) as TabId[];
  const tabs = new Map<TabId, HTMLButtonElement>();
  const panels = new Map<TabId, HTMLElement>();
  for (const id of ids) {
    const def = screens[id];
    const panel = h('section', { id: `panel-${id}`, class: 'panel', role: 'tabpanel', 'aria-labelledby': `tab-${id}`, hidden: true, tabindex: -1 }, def.build());
    panels.set(id, panel);
    const tab = h('button', {
      id: `tab-${id}`,
      type: 'button',
      role: 'tab',
      'aria-controls': `panel-${id}`,
      'aria-selected': 'false',
      tabindex: -1,
      'data-testid': `tab-${id}`,
      onclick: () => select(id, true),
    }, icon(id), h('span', {}, def.label));
    tabs.set(id, tab);
  }
  const tablist = h('nav', { class: 'tabbar', role: 'tablist', 'aria-label': 'Screens' }, ...ids.map((id) => tabs.get(id)!));
  tablist.addEventListener('keydown', (e) => {
    const i = ids.findIndex((id) => tabs.get(id) === document.activeElement);
    if (i < 0) return;
    const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const next = ids[(i + d + ids.length) % ids.length]!;
    select(next, true);
    tabs.get(next)?.focus();
  });

  function select(id: TabId, fromUser: boolean): void {
    for (const other of ids) {
      const on = other === id;
      tabs.get(other)!.setAttribute('aria-selected', String(on));
      tabs.get(other)!.tabIndex = on ? 0 : -1;
      panels.get(other)!.hidden = !on;
    }
    document.title = `${screens[id].label} · Diffuse`;
    if (fromUser) history.replaceState(null, '', id === 'generate' ? ' ' : `#${id}`);
    // Plots measure their box when visible.
    window.dispatchEvent(new Event('resize'));
  }

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
    h('main', { class: 'screens' }, ...ids.map((id) => panels.get(id)!)),
    tablist,
    toastRegion,
  );
  const fromHash = location.hash.slice(1) as TabId;
  select(ids.includes(fromHash) ? fromHash : 'generate', false);

  let backendText = '';
  let loadedKey = '';
  app.on('backend', ({ info, msPerStep }) => {
    const speed = msPerStep ? ` · ${Math.round(msPerStep)} ms/step` : '';
    backendText = `${describeBackend(info)}${speed}${info.fallbackReason ? ` (${info.fallbackReason})` : ''}`;
    status.dataset.backend = info.backend;
    status.textContent = `Backend: ${backendText}`;
    status.title = status.textContent;
  });

  setupPwa({ updateBanner, installButton: installBtn, iosHint, toast: toastFactory(toastRegion), isBusy: () => app.busy });

  void refreshCatalog()
    .then(async (c) => {
      if (c.models.length === 0) throw new Error('no model could be read');
      if (!c.models.some((m) => m.id === settings.get().modelId)) settings.set({ modelId: c.defaultId });
      const model = app.model();
      if (model) {
        status.textContent = `Loading ${model.name}…`;
        loadedKey = `${model.origin}:${model.id}:${settings.get().backend}`;
        const loaded = await app.generator.ensure(model, settings.get().backend);
        if (!app.busy) app.emit('backend', { info: loaded.backend });
      }
    })
    .catch((e: unknown) => {
      status.textContent = `Could not load a model: ${e instanceof Error ? e.message : String(e)}`;
      status.classList.add('error');
    });
  settings.subscribe((st) => {
    const model = app.model();
    const key = `${model?.origin}:${model?.id}:${st.backend}`;
    if (key === loadedKey) return;
    loadedKey = key;
    if (model && !app.busy && catalog().models.length) {
      status.classList.remove('error');
      status.textContent = `Loading ${model.name}…`;
      void app.generator.ensure(model, settings.get().backend).then(
        (l) => !app.busy && app.emit('backend', { info: l.backend }),
        (e: unknown) => (status.textContent = `Could not load ${model.name}: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  });
}

boot();
