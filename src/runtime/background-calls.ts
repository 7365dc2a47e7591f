/**
 * Network calls made between generations: the CPU warm-up after a load and
 * the timing behind Generator.measure(). One job at a time; the next
 * generation or load stops it after the call in flight, so it never delays
 * a run by more than one batch-1 call.
 */
import type { Denoiser } from './denoiser.ts';

/** Lets queued events (a generate() message) run between calls; a 0 ms timer would be clamped to 4 ms. */
function yieldToEvents(): Promise<void> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}

export class BackgroundCalls {
  private job: { stop: boolean; done: Promise<number[]> } | undefined;

  /** Whether a job is going. */
  get busy(): boolean {
    return this.job !== undefined;
  }

  /**
   * Batch-1 calls of `denoiser` on a blank image while `more(calls)` holds and
   * nothing stops them, after `before` (loading what the first run needs).
   * Answers each call's milliseconds; a failing call ends the job quietly,
   * since the next generation shows its error.
   */
  start(
    denoiser: Denoiser,
    before: () => Promise<unknown>,
    more: (calls: number) => boolean,
  ): Promise<number[]> {
    const job = { stop: false, done: Promise.resolve<number[]>([]) };
    job.done = this.loop(denoiser, before, more, job).finally(() => {
      if (this.job === job) this.job = undefined;
    });
    this.job = job;
    return job.done;
  }

  /** Waits for the job going, if any, to end by itself. */
  async settled(): Promise<void> {
    await this.job?.done;
  }

  /** Stops the job going after its call in flight. */
  async stop(): Promise<void> {
    const job = this.job;
    if (!job) return;
    job.stop = true;
    await job.done;
  }

  private async loop(
    denoiser: Denoiser,
    before: () => Promise<unknown>,
    more: (calls: number) => boolean,
    flag: { stop: boolean },
  ): Promise<number[]> {
    const { channels, height, width } = denoiser.manifest.image;
    const x = new Float32Array(channels * height * width);
    const denoise = denoiser.denoiseFor({});
    const times: number[] = [];
    try {
      await before();
      while (!flag.stop && more(times.length)) {
        const t0 = performance.now();
        await denoise(x, 500, null, 1);
        times.push(performance.now() - t0);
        await yieldToEvents();
      }
    } catch {
      // A failing session shows its error in the next generation, not here.
    }
    return times;
  }
}
