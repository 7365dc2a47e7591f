/**
 * One generation's timing: each step's milliseconds, and the time and images
 * the denoiser took, for the progress line, the loaded model's speed
 * (GenerationResult.speed) and the User Timing measure bench/e2e.ts reads.
 */
import type { DenoiseFn } from '../core/types.ts';

/**
 * The name of the User Timing measure each finished generation leaves (only
 * the latest is kept): its duration is the whole generation; its detail, the
 * milliseconds spent in the denoiser and each step's milliseconds. bench/e2e.ts
 * reads it from the worker; DevTools' Performance panel shows it.
 */
export const GENERATION_MEASURE = 'diffuse:generation';

export class RunClock {
  readonly started = performance.now();
  readonly stepsMs: number[] = [];
  private last = this.started;
  private denoiseMs = 0;
  private imagesPassed = 0;

  /** `denoise`, timed: its milliseconds and images count towards the run's speed. */
  timed(denoise: DenoiseFn): DenoiseFn {
    return async (...args) => {
      const t0 = performance.now();
      try {
        return await denoise(...args);
      } finally {
        this.denoiseMs += performance.now() - t0;
        this.imagesPassed += args[3];
      }
    };
  }

  /** Marks the end of a step; answers its milliseconds. */
  step(): number {
    const now = performance.now();
    const ms = now - this.last;
    this.stepsMs.push(ms);
    this.last = now;
    return ms;
  }

  /** Denoiser milliseconds per image per pass; undefined when no call was made (img2img at strength 0). */
  msPerImage(): number | undefined {
    return this.imagesPassed > 0 ? this.denoiseMs / this.imagesPassed : undefined;
  }

  /** Leaves the GENERATION_MEASURE for this run, replacing the previous one. */
  measure(count: number): void {
    performance.clearMeasures(GENERATION_MEASURE);
    performance.measure(GENERATION_MEASURE, {
      start: this.started,
      detail: { denoiseMs: this.denoiseMs, stepsMs: this.stepsMs, count },
    });
  }
}
