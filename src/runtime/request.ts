/**
 * The runtime's gate for a request: core's check against the loaded model's
 * manifest, with a bad field reported as a RuntimeError ('bad-request') that
 * names the field and the valid values, before anything is loaded or run.
 */
import type { ModelManifest } from '../core/manifest.ts';
import { checkRequest as checkAgainstModel } from '../core/request.ts';
import type { SampleRequest } from '../core/types.ts';
import { messageOf, RuntimeError } from './errors.ts';

export function checkRequest(r: SampleRequest, m: ModelManifest): void {
  try {
    checkAgainstModel(r, {
      shape: m.image,
      trainSteps: m.schedule.trainSteps,
      conditioning: m.conditioning,
    });
  } catch (e) {
    throw new RuntimeError('bad-request', `Bad request: ${messageOf(e)}.`, { cause: e });
  }
}
