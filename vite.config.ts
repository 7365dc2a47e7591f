import { defineConfig } from 'vite';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  server: { headers: isolation },
  preview: { port: 4173, strictPort: true, headers: isolation },
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
