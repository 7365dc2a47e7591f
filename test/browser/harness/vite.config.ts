// Builds the generator-worker harness for the runtime browser tests into
// test-results/runtime-harness (gitignored); it is not part of the app build.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = import.meta.dirname;

export default defineConfig({
  root,
  base: './',
  publicDir: resolve(root, '../../../public'),
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    outDir: resolve(root, '../../../test-results/runtime-harness'),
    emptyOutDir: true,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 4096,
  },
  logLevel: 'warn',
});
