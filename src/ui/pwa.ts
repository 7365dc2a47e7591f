/**
 * Service worker registration and the installable-app affordances: the
 * "Update available — reload" banner, the Install button (beforeinstallprompt),
 * the iOS "Add to Home Screen" hint, and the one reload that makes a first
 * visit cross-origin isolated once the service worker adds COOP/COEP.
 */
import { Workbox } from 'workbox-window';
import { h } from './dom.ts';

interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  userChoice: Promise<{ outcome: 'accepted' | 'dismissed' }>;
}

export interface PwaUi {
  updateBanner: HTMLElement;
  installButton: HTMLButtonElement;
  iosHint: HTMLElement;
  toast: (text: string) => void;
  /** Whether a reload now would throw away work (a generation in progress). */
  isBusy: () => boolean;
}

const IOS_HINT_KEY = 'diffuse.iosHintDismissed';

function isIos(): boolean {
  const ua = navigator.userAgent;
  return /iPad|iPhone|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
}

function isStandalone(): boolean {
  return window.matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true;
}

function markReady(): void {
  if (navigator.serviceWorker.controller) document.documentElement.dataset.sw = 'controlled';
  document.documentElement.dataset.isolated = String(window.crossOriginIsolated);
}

export function setupPwa(ui: PwaUi): void {
  setupInstall(ui);
  if (!('serviceWorker' in navigator) || import.meta.env.DEV) return;

  const wb = new Workbox(new URL('sw.js', document.baseURI).href, { scope: new URL('./', document.baseURI).pathname, type: 'classic' });
  const hadController = Boolean(navigator.serviceWorker.controller);

  wb.addEventListener('waiting', () => {
    const reload = h('button', {
      type: 'button',
      class: 'button primary',
      onclick: () => {
        wb.addEventListener('controlling', () => window.location.reload());
        wb.messageSkipWaiting();
      },
    }, 'Reload');
    ui.updateBanner.replaceChildren(h('span', {}, 'Update available'), reload);
    ui.updateBanner.hidden = false;
  });

  wb.addEventListener('controlling', (e) => {
    markReady();
    if (e.isUpdate || hadController) return;
    ui.toast('Ready to work offline.');
    // The first load is never isolated; the service worker's headers apply from the next one.
    if (!window.crossOriginIsolated && !ui.isBusy() && !sessionStorage.getItem('diffuse.isolationReload')) {
      sessionStorage.setItem('diffuse.isolationReload', '1');
      window.location.reload();
    }
  });

  void wb.register().then(markReady);
  markReady();
}

function setupInstall(ui: PwaUi): void {
  let deferred: BeforeInstallPromptEvent | undefined;
  window.addEventListener('beforeinstallprompt', (e) => {
    e.preventDefault();
    deferred = e as BeforeInstallPromptEvent;
    ui.installButton.hidden = false;
  });
  ui.installButton.addEventListener('click', async () => {
    if (!deferred) return;
    await deferred.prompt();
    await deferred.userChoice;
    deferred = undefined;
    ui.installButton.hidden = true;
  });
  window.addEventListener('appinstalled', () => {
    ui.installButton.hidden = true;
    ui.toast('Installed. Open Diffuse from your home screen.');
  });

  if (isIos() && !isStandalone() && !localStorage.getItem(IOS_HINT_KEY)) {
    const close = h('button', {
      type: 'button',
      class: 'icon-button',
      'aria-label': 'Dismiss',
      onclick: () => {
        localStorage.setItem(IOS_HINT_KEY, '1');
        ui.iosHint.hidden = true;
      },
    }, '✕');
    ui.iosHint.replaceChildren(h('span', {}, 'Install: tap Share, then “Add to Home Screen”. It then works with no network.'), close);
    ui.iosHint.hidden = false;
  }
}
