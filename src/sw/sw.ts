/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell, the onnxruntime files the app
 * loads and the built-in models (the list is injected at build time), serves
 * them offline, and adds COOP/COEP to every response it serves so the page is
 * cross-origin isolated (WASM threads) even on hosting that cannot set
 * headers. A new version waits until the page asks it to take over, so a
 * page never mixes files of two versions.
 */
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import type { PrecacheEntry } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

const ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A copy of `response` with the isolation headers set (opaque responses pass unchanged). */
export function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

addPlugins([{ handlerWillRespond: async ({ response }) => withIsolation(response) }]);
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST, {
  directoryIndex: 'index.html',
  // The app takes no query parameters; any of them (e.g. from a share link) still hits the precache.
  ignoreURLParametersMatching: [/.*/],
});

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
