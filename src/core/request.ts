/**
 * The whole check of a request against the model it will run on: every field
 * against the spec (request-spec.ts), then what depends on the model (steps
 * within its train steps, one label per group, image sizes). The sampling
 * loop runs it before any work, and the runtime runs it before loading
 * anything, so a bad request never costs a step.
 */
import { labelGroups, type Conditioning } from './conditioning.ts';
import { integerIn, oneOf } from './options.ts';
import { checkField, RequestError } from './request-spec.ts';
import { SPACINGS } from './schedule.ts';
import { show } from './show.ts';
import type { ImageShape, SampleRequest } from './types.ts';

/** What a request is checked against: the facts of the model's manifest. */
export interface ModelFacts {
  shape: ImageShape;
  trainSteps: number;
  conditioning: Conditioning;
}

function bad(field: string, want: string, got: unknown): never {
  throw new RequestError(field, `${field}: got ${show(got)}; expected ${want}`);
}

function checkLabels(r: SampleRequest, c: Conditioning): void {
  const groups = labelGroups(c);
  if (!Array.isArray(r.labels) || r.labels.length !== groups.length) {
    const names = groups.map((g) => g.name).join(', ');
    bad('labels', `${groups.length} entries, one per label group (${names || 'none'})`, r.labels);
  }
  groups.forEach((g, i) => {
    const l = r.labels[i];
    if (l !== null && !(typeof l === 'number' && Number.isInteger(l) && l >= 0 && l < g.ids.length)) {
      const valid = g.ids.map((id, k) => `${k} (${id})`).join(', ');
      bad(`labels[${i}]`, `null (any ${g.name}) or one of ${valid}`, l);
    }
  });
}

export function checkRequest(r: SampleRequest, m: ModelFacts): void {
  const size = m.shape.channels * m.shape.height * m.shape.width;
  checkField('seed', r.seed);
  const count = checkField('count', r.count);
  if (r.firstIndex !== undefined) integerIn('firstIndex', r.firstIndex, 0, 2 ** 32 - count);
  const steps = checkField('steps', r.steps);
  if (steps > m.trainSteps) bad('steps', `at most the model's ${m.trainSteps} train steps`, steps);
  checkField('sampler', r.sampler);
  if (r.spacing !== undefined) oneOf('spacing', r.spacing, SPACINGS);
  if (r.eta !== undefined) checkField('eta', r.eta);
  checkField('guidance', r.guidance);
  checkLabels(r, m.conditioning);
  if (r.init !== undefined) {
    if (!(r.init.image instanceof Float32Array) || r.init.image.length !== size) {
      const { channels: c, height: h, width: w } = m.shape;
      bad('init.image', `a Float32Array of ${size} values (${c}×${h}×${w} in [-1, 1])`, r.init.image);
    }
    checkField('strength', r.init.strength, 'init.strength');
    if (r.noise !== undefined) bad('noise', 'absent when init is given (img2img draws its own noise)', r.noise);
  }
  if (r.noise !== undefined && (!(r.noise instanceof Float32Array) || r.noise.length !== count * size))
    bad('noise', `a Float32Array of count×${size} = ${count * size} values`, r.noise);
  if (r.previewEvery !== undefined) integerIn('previewEvery', r.previewEvery, 1, 100_000);
}
