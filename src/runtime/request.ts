/**
 * The runtime's gate for a request: core's check against the loaded model's
 * manifest, with a bad field reported as a RuntimeError ('bad-request') that
 * names the field and the valid values, and the memory it will need checked
 * against core's limits ('too-large'), before anything is loaded or run.
 */
import { isGuided } from '../core/conditioning.ts';
import { checkGenerationMemory, checkModelMemory, LimitError } from '../core/limits.ts';
import type { ModelManifest } from '../core/manifest.ts';
import { checkRequest as checkAgainstModel } from '../core/request.ts';
import type { SampleRequest } from '../core/types.ts';
import { messageOf, RuntimeError } from './errors.ts';

/** Frames kept of a reverse process: enough for a smooth GIF and filmstrip, bounded memory at 1000 steps. */
export const MAX_FRAMES = 48;

export function checkRequest(r: SampleRequest & { keepFrames?: boolean }, m: ModelManifest): void {
  try {
    checkAgainstModel(r, {
      shape: m.image,
      trainSteps: m.schedule.trainSteps,
      conditioning: m.conditioning,
    });
  } catch (e) {
    throw new RuntimeError('bad-request', `Bad request: ${messageOf(e)}.`, { cause: e });
  }
  tooLarge(() =>
    checkGenerationMemory({
      shape: m.image,
      count: r.count,
      guided: isGuided(r.labels) && r.guidance !== 0 && r.guidance !== 1,
      // The last frame may come on top of MAX_FRAMES evenly spaced ones.
      frames: r.keepFrames ? MAX_FRAMES + 1 : 0,
    }),
  );
}

/** Refuses a model whose one image already needs more memory than the limit. */
export function checkModelFits(m: ModelManifest): void {
  tooLarge(() => checkModelMemory(m.image, m.id));
}

/** Runs a core limit check, reporting its LimitError as a RuntimeError with code 'too-large'. */
export function tooLarge(check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof LimitError) throw new RuntimeError('too-large', e.message, { cause: e });
    throw e;
  }
}
