/**
 * How long a run will take, said before it starts: the measured denoiser
 * time per image per network pass (the runtime's Speed) times the passes the
 * run makes, images × steps, twice that under classifier-free guidance (both
 * branches run each step: core's guidanceMode). The sampler's own work is
 * left out; next to a software renderer's network pass it is noise.
 */
import { guidanceMode, type Conditioning } from '../../../core/conditioning.ts';
import type { Speed } from '../../../../workers/protocol.ts';
import type { BaseRequest } from '../../plans.ts';

export interface RunSize {
  count: number;
  steps: number;
  /** Network passes per image per step. */
  passes: 1 | 2;
}

export function runSize(request: BaseRequest, c: Conditioning): RunSize {
  const passes = guidanceMode(c, request.labels, request.guidance) === 'guided' ? 2 : 1;
  return { count: request.count, steps: request.steps, passes };
}

export function estimateSeconds(speed: Speed, size: RunSize): number {
  return (speed.msPerImage * size.count * size.steps * size.passes) / 1000;
}

/** An estimate at its own precision: "40 s", "3 min", "1.5 h" (a no-break space: "4" never ends a line). */
export function roughTime(seconds: number): string {
  if (seconds < 59.5) return `${Math.max(1, Math.round(seconds))}\u00a0s`;
  if (seconds < 3570) return `${Math.round(seconds / 60)}\u00a0min`;
  return `${(seconds / 3600).toFixed(1)}\u00a0h`;
}

const perPass = (ms: number) =>
  ms < 1000 ? `${Math.round(ms)}\u00a0ms` : `${(ms / 1000).toFixed(1)}\u00a0s`;

const BASIS: Record<Speed['basis'], string> = {
  trial: 'a timed test call after loading',
  run: 'your last run on it',
};

/**
 * What to say about a software WebGPU renderer before a run: `short` for
 * beside the Generate button, `long` with the estimate's basis. Without a
 * measurement it says so rather than guess.
 */
export function softwareNotice(
  speed: Speed | undefined,
  size: RunSize,
): { short: string; long: string } {
  const what = 'WebGPU here is a software renderer (no GPU)';
  if (!speed)
    return {
      short: 'Software renderer: much slower than the CPU',
      long: `${what}: expect it to be much slower than the CPU. No estimate yet: a test call after loading, or the first run, measures its speed.`,
    };
  const time = roughTime(estimateSeconds(speed, size));
  const images = `${size.count} image${size.count === 1 ? '' : 's'} × ${size.steps} step${size.steps === 1 ? '' : 's'}`;
  const guided = size.passes === 2 ? ', × 2 for guidance (two passes a step)' : '';
  return {
    short: `Software renderer: about ${time} for this run`,
    long: `${what}, much slower than the CPU. This run, ${images}${guided}, will take about ${time}: an estimate from ${BASIS[speed.basis]}, ${perPass(speed.msPerImage)} per image per pass.`,
  };
}
