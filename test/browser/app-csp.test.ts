/**
 * The Content-Security-Policy reaches the workers too: the service worker
 * serves their scripts with the header, so a worker asking another origin is
 * blocked, and the shared fixture sees the violation (useApp fails any test
 * that leaves one unexplained).
 */
import { describe, expect, it } from 'vitest';
import { foreignRequests, useApp } from './app-helpers.ts';

const PROBE = 'http://127.0.0.2:9/from-worker';

describe('CSP in workers', () => {
  const app = useApp({ webgpu: false });

  it('blocks a worker fetching another origin, and the fixture records it', async () => {
    const page = await app.open();
    const worker = page.workers().find((w) => w.url().includes('generator.worker'));
    expect(worker, 'the generator worker').toBeDefined();
    const outcome = await worker!.evaluate(async (url) => {
      try {
        await fetch(url);
        return 'fetched';
      } catch (e) {
        return (e as Error).name;
      }
    }, PROBE);
    expect(outcome).toBe('TypeError');
    await expect.poll(() => app.browser.cspViolations.join('\n')).toMatch(/CSP violation in worker: connect-src blocked http:\/\/127\.0\.0\.2:9/);
    app.browser.cspViolations.splice(0);
    expect(foreignRequests(app.browser.requests.filter((u) => u !== PROBE), app.server.origin)).toEqual([]);
  }, 300_000);
});
