/**
 * A comlink worker that can die without taking the app with it. Comlink
 * never settles a call whose worker failed (its script did not load, an
 * uncaught error, a message that cannot be read), so every call is raced
 * against the worker's failure: it rejects with a message that says the
 * worker was restarted, and the next call goes to a fresh worker.
 */
import * as Comlink from 'comlink';

interface Live<T> {
  worker: Worker;
  api: Comlink.Remote<T>;
  dead: Promise<never>;
  kill(e: Error): void;
}

/** Why the worker was replaced; a call in flight rejects with it. */
export function workerStopped(why: string): Error {
  return new Error(
    `The generator stopped (${why}) and was restarted. Try again; if it keeps stopping, reload the page.`,
  );
}

export class WorkerSlot<T> {
  private live: Live<T>;

  /** `spawn` makes a worker; `onRestart` is told after each replacement (what the old one held is gone). */
  constructor(
    private readonly spawn: () => Worker,
    private readonly onRestart: () => void = () => undefined,
  ) {
    this.live = this.start();
  }

  private start(): Live<T> {
    const worker = this.spawn();
    let kill!: (e: Error) => void;
    const dead = new Promise<never>((_, reject) => (kill = reject));
    dead.catch(() => undefined);
    const live: Live<T> = { worker, api: Comlink.wrap<T>(worker), dead, kill };
    const failed = (why: string) => () => {
      if (this.live === live) this.restart(workerStopped(why));
    };
    worker.addEventListener('error', failed('its worker failed'));
    worker.addEventListener('messageerror', failed('a message from its worker could not be read'));
    return live;
  }

  /** `f` on the worker's API; rejects when the worker dies or is restarted first. */
  call<R>(f: (api: Comlink.Remote<T>) => Promise<R>): Promise<R> {
    const live = this.live;
    return Promise.race([f(live.api), live.dead]);
  }

  /** Ends the worker now: calls in flight reject with `e`, and a fresh worker takes the next call. */
  restart(e: Error): void {
    const old = this.live;
    this.live = this.start();
    old.kill(e);
    old.worker.terminate();
    this.onRestart();
  }

  /** Ends the worker for good (a throwaway one). */
  close(): void {
    this.live.api[Comlink.releaseProxy]();
    this.live.worker.terminate();
  }
}
