/**
 * src/ui/worker-slot.ts: a call to a worker that fails or is restarted
 * rejects with what happened instead of waiting forever, and the next call
 * goes to a fresh worker. The worker here is a comlink endpoint on a
 * MessageChannel, with the Worker's error events and terminate().
 */
import * as Comlink from 'comlink';
import { describe, expect, it } from 'vitest';
import { WorkerSlot } from '../../src/ui/worker-slot.ts';

interface Api {
  echo(x: number): number;
  never(): Promise<never>;
}

const api: Api = {
  echo: (x) => x,
  never: () => new Promise<never>(() => undefined),
};

class FakeWorker extends EventTarget {
  terminated = false;
  private readonly port: MessagePort;
  constructor() {
    super();
    const { port1, port2 } = new MessageChannel();
    Comlink.expose(api, port2);
    port1.addEventListener('message', (e) =>
      this.dispatchEvent(new MessageEvent('message', { data: (e as MessageEvent).data })),
    );
    port1.start();
    this.port = port1;
  }
  postMessage(data: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.port.postMessage(data, transfer);
  }
  terminate(): void {
    this.terminated = true;
    this.port.close();
  }
}

function slot() {
  const workers: FakeWorker[] = [];
  let restarts = 0;
  const s = new WorkerSlot<Api>(
    () => {
      const w = new FakeWorker();
      workers.push(w);
      return w as unknown as Worker;
    },
    { onRestart: () => restarts++ },
  );
  return { s, workers, restarts: () => restarts };
}

describe('WorkerSlot', () => {
  it('answers calls from its worker', async () => {
    const { s, workers } = slot();
    expect(await s.call((a) => a.echo(7))).toBe(7);
    expect(workers).toHaveLength(1);
    s.close();
    expect(workers[0]!.terminated).toBe(true);
  });

  it('a worker that fails mid-call: the call rejects saying so, and a fresh worker takes the next', async () => {
    const { s, workers, restarts } = slot();
    const pending = s.call((a) => a.never());
    workers[0]!.dispatchEvent(new Event('error'));
    await expect(pending).rejects.toThrow(
      /^The generator stopped \(its worker failed\) and was restarted\. Try again; if it keeps stopping, reload the page\.$/,
    );
    expect(workers[0]!.terminated).toBe(true);
    expect(restarts()).toBe(1);
    expect(await s.call((a) => a.echo(3))).toBe(3);
    expect(workers).toHaveLength(2);
    // An error event from the worker already replaced changes nothing.
    workers[0]!.dispatchEvent(new Event('error'));
    expect(restarts()).toBe(1);
    s.close();
  });

  it('a one-task worker that fails: its call says which task stopped, and no worker replaces it', async () => {
    const workers: FakeWorker[] = [];
    const s = new WorkerSlot<Api>(
      () => {
        const w = new FakeWorker();
        workers.push(w);
        return w as unknown as Worker;
      },
      { task: 'The import check' },
    );
    const pending = s.call((a) => a.never());
    workers[0]!.dispatchEvent(new Event('messageerror'));
    await expect(pending).rejects.toThrow(
      /^The import check stopped \(a message from its worker could not be read\)\. Try again; if it keeps stopping, reload the page\.$/,
    );
    expect(workers).toHaveLength(1);
    s.close();
    expect(workers[0]!.terminated).toBe(true);
  });

  it('restart ends a call that never answers with the given error', async () => {
    const { s, workers } = slot();
    const pending = s.call((a) => a.never());
    const stop = new Error('Generation cancelled.');
    s.restart(stop);
    await expect(pending).rejects.toBe(stop);
    expect(workers[0]!.terminated).toBe(true);
    expect(await s.call((a) => a.echo(1))).toBe(1);
    s.close();
  });
});
