/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell, onnxruntime's CPU build and
 * the built-in models (the list is injected at build time), serves them
 * offline, and adds COOP/COEP to every response it serves so the page is
 * cross-origin isolated (WASM threads) even on hosting that cannot set
 * headers. onnxruntime's WebGPU build is not precached: a page on a device
 * with a hardware GPU asks for it right after the first visit
 * (CACHE_WEBGPU_RUNTIME, see src/ui/pwa.ts), and it is also cached whenever
 * the WebGPU backend loads it; from then on it too works offline. A new version waits
 * until the page asks it to take over, so a page never mixes files of two versions.
 */
import { ExpirationPlugin } from 'workbox-expiration';
import { addPlugins, cleanupOutdatedCaches, precacheAndRoute } from 'workbox-precaching';
import type { PrecacheEntry } from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { CacheFirst } from 'workbox-strategies';
import { CSP_HEADER } from './csp.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

const ISOLATION: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // The page's and the workers' policy (src/sw/csp.ts); frame-ancestors only works as a header.
  'Content-Security-Policy': CSP_HEADER,
};

/** A copy of `response` with the isolation and CSP headers set (opaque responses pass unchanged). */
export function withIsolation(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [k, v] of Object.entries(ISOLATION)) headers.set(k, v);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

/** Sets the isolation headers on whatever a Workbox handler answers with. */
const isolation = { handlerWillRespond: async ({ response }: { response: Response }) => withIsolation(response) };

addPlugins([isolation]);
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST, {
  directoryIndex: 'index.html',
  // The app takes no query parameters; any of them (e.g. from a share link) still hits the precache.
  ignoreURLParametersMatching: [/.*/],
});

/** The cache that holds onnxruntime's WebGPU build once a device has used it. */
const WEBGPU_RUNTIME_CACHE = 'diffuse-webgpu-runtime';

const WEBGPU_RUNTIME = /\/ort-wasm-simd-threaded\.asyncify-[\w-]+\.wasm$/;

// The file name carries a content hash, so a cached copy never goes stale; only
// the newest is kept, so an update does not leave the old 27 MB behind.
const webgpuRuntime = new CacheFirst({
  cacheName: WEBGPU_RUNTIME_CACHE,
  // CacheFirst stores only 200 responses, so an error page is never kept.
  plugins: [new ExpirationPlugin({ maxEntries: 1 }), isolation],
});
registerRoute(({ url, sameOrigin }) => sameOrigin && WEBGPU_RUNTIME.test(url.pathname), webgpuRuntime);

/** Fetches onnxruntime's WebGPU build into its cache (a cache hit when it is there already). */
function cacheWebGpuRuntime(event: ExtendableMessageEvent, href: unknown): void {
  if (typeof href !== 'string') return;
  const url = new URL(href, self.location.href);
  if (url.origin !== self.location.origin || !WEBGPU_RUNTIME.test(url.pathname)) return;
  event.waitUntil(webgpuRuntime.handle({ event, request: new Request(url.href) }).catch(() => undefined));
}

self.addEventListener('message', (event: ExtendableMessageEvent) => {
  const data = event.data as { type?: string; url?: unknown } | null;
  if (data?.type === 'SKIP_WAITING') void self.skipWaiting();
  if (data?.type === 'CACHE_WEBGPU_RUNTIME') cacheWebGpuRuntime(event, data.url);
});

self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
