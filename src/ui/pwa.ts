/**
 * Service worker registration and the installable-app affordances: the
 * "Update available — reload" banner, the Install button (beforeinstallprompt),
 * the iOS "Add to Home Screen" hint, the one reload that makes a first
 * visit cross-origin isolated once the service worker adds COOP/COEP, and on
 * a device with a hardware GPU, onnxruntime's WebGPU build put into the
 * offline cache right away (so a phone that goes offline before its first
 * GPU run still generates on the GPU; a CPU-only device never downloads it).
 */
import { Workbox } from 'workbox-window';
import webgpuWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import { probeWebGpu } from '../runtime/backends.ts';
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
const ISOLATION_RELOAD_KEY = 'diffuse.isolationReload';

function isIos(): boolean {
  const ua = navigator.userAgent;
  return /iPad|iPhone|iPod/.test(ua) || (ua.includes('Macintosh') && navigator.maxTouchPoints > 1);
}

function isStandalone(): boolean {
  return window.matchMedia('(display-mode: standalone)').matches || (navigator as { standalone?: boolean }).standalone === true;
}

/**
 * A flag in Web Storage, which throws where the browser blocks it (Safari
 * with all cookies blocked): it then reads as unset, and `setFlag` says it
 * could not keep it.
 */
function hasFlag(store: () => Storage, key: string): boolean {
  try {
    return store().getItem(key) !== null;
  } catch {
    return false;
  }
}
function setFlag(store: () => Storage, key: string): boolean {
  try {
    store().setItem(key, '1');
    return true;
  } catch {
    return false;
  }
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
      onclick: async () => {
        if (ui.isBusy() && !confirm('A generation is running, and reloading stops it. Reload now?')) return;
        // Another tab may have activated the update already: nothing waits, and a reload runs it.
        if (!(await navigator.serviceWorker.getRegistration())?.waiting) {
          window.location.reload();
          return;
        }
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
    // Only when the flag can be kept: without it every load would reload again.
    const session = () => sessionStorage;
    if (!window.crossOriginIsolated && !ui.isBusy() && !hasFlag(session, ISOLATION_RELOAD_KEY) && setFlag(session, ISOLATION_RELOAD_KEY)) {
      window.location.reload();
    }
  });

  void wb.register().then(() => {
    markReady();
    void cacheWebGpuRuntime();
  });
  markReady();
}

/**
 * Asks the service worker to cache the WebGPU build when this device has a
 * hardware WebGPU adapter (a software one, such as SwiftShader, is slower
 * than the CPU path and "auto" never uses it). Every load asks; after the
 * first it is a cache hit.
 */
async function cacheWebGpuRuntime(): Promise<void> {
  const gpu = await probeWebGpu(navigator as { gpu?: unknown });
  if (gpu.unavailable !== undefined || gpu.software !== undefined) return;
  const registration = await navigator.serviceWorker.ready;
  registration.active?.postMessage({ type: 'CACHE_WEBGPU_RUNTIME', url: new URL(webgpuWasmUrl, document.baseURI).href });
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

  if (isIos() && !isStandalone() && !hasFlag(() => localStorage, IOS_HINT_KEY)) {
    const close = h('button', {
      type: 'button',
      class: 'icon-button',
      'aria-label': 'Dismiss',
      onclick: () => {
        setFlag(() => localStorage, IOS_HINT_KEY);
        ui.iosHint.hidden = true;
      },
    }, '✕');
    ui.iosHint.replaceChildren(h('span', {}, 'Install: tap Share, then “Add to Home Screen”. It then works with no network.'), close);
    ui.iosHint.hidden = false;
  }
}
