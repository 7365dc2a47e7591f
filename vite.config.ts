import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { CSP_HEADER, CSP_META } from './src/sw/csp.ts';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
// On static hosting that cannot set headers, the service worker (src/sw/sw.ts) adds them.
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * The built index.html carries the Content-Security-Policy (src/sw/csp.ts) as
 * its first <meta>, so it holds before the service worker serves it as a
 * header too. Not in dev: Vite's dev server injects styles and scripts inline.
 */
const cspMeta: Plugin = {
  name: 'csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CSP_META }, injectTo: 'head-prepend' },
  ],
};

export default defineConfig({
  server: { headers: isolation },
  preview: { port: 4173, strictPort: true, headers: { ...isolation, 'Content-Security-Policy': CSP_HEADER } },
  worker: { format: 'es' },
  build: { target: 'es2022' },
  plugins: [
    cspMeta,
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      manifest: {
        id: './',
        name: 'Diffuse: on-device diffusion',
        short_name: 'Diffuse',
        description: 'Generate images with a diffusion model entirely on your device, offline, and watch how diffusion works.',
        start_url: './',
        scope: './',
        display: 'standalone',
        orientation: 'portrait',
        theme_color: '#14121f',
        background_color: '#14121f',
        categories: ['graphics', 'education'],
        icons: [
          { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      injectManifest: {
        // A classic-script service worker: vite 8 emits an ES module otherwise, which fails to evaluate.
        rollupFormat: 'iife',
        // The onnxruntime WASM binary is 14–28 MB; the default 2 MiB limit would refuse it.
        maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
        globPatterns: ['**/*.{html,js,mjs,css,wasm,onnx,json,png,svg,webmanifest}'],
        // onnxruntime's WebGPU build (27 MB) is cached when a device first uses it (see src/sw/sw.ts),
        // so phones without a usable GPU never download it.
        globIgnores: ['**/ort-wasm-simd-threaded.asyncify-*.wasm'],
      },
      devOptions: { enabled: false },
    }),
  ],
});
