/**
 * The app's Content-Security-Policy, declared once: the built index.html
 * carries it as a <meta> tag (vite.config.ts), and the service worker and
 * `vite preview` send it as a header on every response, with
 * frame-ancestors, which only a header can carry. What each allowance is for:
 *
 * - script-src 'wasm-unsafe-eval': compiling WebAssembly (onnxruntime, the
 *   kernels); no eval, no inline script.
 * - worker-src 'self': the generator, kernels and GIF workers, onnxruntime's
 *   threads, and the service worker, all from the app's own files (no blob:
 *   workers: a .zip is inflated synchronously inside the generator worker).
 * - img-src data: blob:: generated images and previews drawn from blobs and
 *   data URLs.
 * - connect-src data:: assets small enough for Vite to inline as data: URLs
 *   and then fetched.
 * - style-src 'self': the one stylesheet; the code sets styles through the
 *   CSSOM only, which the policy does not restrict.
 */
const DIRECTIVES: readonly [string, string][] = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data: blob:"],
  ['connect-src', "'self' data:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
];

/** The policy as a <meta http-equiv> may carry it. */
export const CSP_META = DIRECTIVES.map(([k, v]) => `${k} ${v}`).join('; ');

/** The policy as a response header: the meta policy plus frame-ancestors (no page may frame the app). */
export const CSP_HEADER = `${CSP_META}; frame-ancestors 'none'`;
