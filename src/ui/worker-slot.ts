/**
 * A comlink worker that can die without taking the app with it. Comlink
 * never settles a call whose worker failed (its script did not load, an
 * uncaught error, a message that cannot be read), so every call is raced
 * against the worker's failure. The app's workers catch their own errors
 * and send them back as answers, so an error event means the worker is
 * broken, not that one call failed: a long-lived slot replaces it (the
 * call says so, and the next call goes to a fresh worker); a one-task slot
 * just fails its call.
 */
import * as Comlink from 'comlink';

interface Live<T> {
  worker: Worker;
  api: Comlink.Remote<T>;
  dead: Promise<never>;
  kill(e: Error): void;
}

export interface SlotOptions {
  /** Told after each replacement (what the old worker held is gone). */
  onRestart?: () => void;
  /** A one-task worker, named for messages ("The import check"): not replaced when it fails. */
  task?: string;
}

export class WorkerSlot<T> {
  private live: Live<T>;

  constructor(
    private readonly spawn: () => Worker,
    private readonly options: SlotOptions = {},
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
      if (this.live !== live) return;
      const { task } = this.options;
      if (task)
        live.kill(
          new Error(`${task} stopped (${why}). Try again; if it keeps stopping, reload the page.`),
        );
      else
        this.restart(
          new Error(
            `The generator stopped (${why}) and was restarted. Try again; if it keeps stopping, reload the page.`,
          ),
        );
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
    this.options.onRestart?.();
  }

  /** Ends the worker for good (a one-task one, when its task is done). */
  close(): void {
    this.live.api[Comlink.releaseProxy]();
    this.live.worker.terminate();
  }
}
