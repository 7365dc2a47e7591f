/**
 * Shared helpers for browser tests: Debian's Chromium through playwright-core
 * (headless, fresh profile, no background traffic) and a static server on
 * 127.0.0.1 with the COOP/COEP headers that make pages cross-origin isolated.
 */
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import sirv from 'sirv';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export interface LaunchedBrowser {
  context: BrowserContext;
  page: Page;
  /** Every URL a page or worker requested. */
  requests: string[];
  close(): Promise<void>;
}

type ContextOptions = NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>;

/** Debian's Chromium, headless, with a fresh profile; `context` adds options such as a phone viewport. */
export async function launchBrowser(opts: {
  webgpu: boolean;
  context?: ContextOptions;
}): Promise<LaunchedBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'diffuse-browser-'));
  const args = [
    '--no-sandbox',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    // Without it headless Chromium exposes navigator.gpu but no adapter; with it, SwiftShader's WebGPU.
    ...(opts.webgpu ? ['--enable-unsafe-webgpu'] : []),
  ];
  const context = await chromium.launchPersistentContext(userDataDir, {
    ...opts.context,
    executablePath: '/usr/bin/chromium',
    headless: true,
    args,
  });
  const requests: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.error('[page error]', e.message));
  return {
    context,
    page,
    requests,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export interface Served {
  url: string;
  close(): Promise<void>;
}

/** Serves `dir` on 127.0.0.1 (port 0 = any free one), cross-origin isolated. */
export async function serveDir(dir: string, port = 0): Promise<Served> {
  const files = sirv(dir, {
    dev: false,
    etag: true,
    setHeaders: (res) => {
      res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
      res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    },
  });
  const server = createServer((req, res) =>
    files(req, res, () => {
      res.statusCode = 404;
      res.end('not found');
    }),
  );
  await new Promise<void>((ok) => server.listen(port, '127.0.0.1', ok));
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
