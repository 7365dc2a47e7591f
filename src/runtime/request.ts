/**
 * Checks a generation request against the loaded model before any work
 * starts. Each error names the field and the valid values.
 */
import type { ModelManifest } from '../core/manifest.ts';
import type { SamplerName, Spacing } from '../core/types.ts';
import { RuntimeError } from './errors.ts';

export const SAMPLER_NAMES: readonly SamplerName[] = [
  'ddpm',
  'ddpm-beta',
  'ddim',
  'dpmpp-2m',
  'euler-a',
];
export const SPACINGS: readonly Spacing[] = ['leading', 'trailing', 'linspace'];
export const MAX_COUNT = 256;

/** The request fields this check reads (a GenerateRequest, see workers/protocol.ts). */
export interface RequestFields {
  seed: number;
  count: number;
  firstIndex?: number;
  steps: number;
  sampler: string;
  eta?: number;
  spacing?: string;
  guidance: number;
  label: number | number[] | null;
  init?: { image: Float32Array; strength: number };
  noise?: Float32Array;
  previewEvery?: number;
}

function bad(field: string, want: string, got: unknown): never {
  const shown =
    typeof got === 'object' && got !== null && 'length' in got
      ? `${(got as { length: number }).length} values`
      : JSON.stringify(got);
  throw new RuntimeError('bad-request', `Request field "${field}" must be ${want} (got ${shown}).`);
}

function int(field: string, v: unknown, min: number, max: number): void {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
    bad(field, `an integer in ${min}..${max}`, v);
}

function labelsOf(m: ModelManifest): string {
  return m.conditioning.kind === 'class'
    ? m.conditioning.labels.map((l, i) => `${i} (${l})`).join(', ')
    : 'none';
}

export function checkRequest(r: RequestFields, m: ModelManifest): void {
  const size = m.image.channels * m.image.height * m.image.width;
  int('seed', r.seed, 0, 2 ** 32 - 1);
  int('count', r.count, 1, MAX_COUNT);
  if (r.firstIndex !== undefined) int('firstIndex', r.firstIndex, 0, 2 ** 31 - 1);
  int('steps', r.steps, 1, m.schedule.trainSteps);
  if (!SAMPLER_NAMES.includes(r.sampler as SamplerName))
    bad('sampler', `one of ${SAMPLER_NAMES.join(', ')}`, r.sampler);
  if (r.spacing !== undefined && !SPACINGS.includes(r.spacing as Spacing))
    bad('spacing', `one of ${SPACINGS.join(', ')}`, r.spacing);
  if (r.eta !== undefined && !(typeof r.eta === 'number' && r.eta >= 0 && r.eta <= 1))
    bad('eta', 'a number in [0, 1]', r.eta);
  if (!(typeof r.guidance === 'number' && Number.isFinite(r.guidance) && r.guidance >= 0))
    bad('guidance', 'a finite number ≥ 0', r.guidance);
  if (r.label !== null) {
    if (m.conditioning.kind !== 'class') bad('label', 'null (this model has no classes)', r.label);
    const n = m.conditioning.labels.length;
    const list = Array.isArray(r.label) ? r.label : [r.label];
    if (Array.isArray(r.label) && r.label.length !== r.count)
      bad('label', `one label or ${r.count} labels (one per image)`, r.label);
    for (const l of list) {
      if (!Number.isInteger(l) || l < 0 || l >= n)
        bad('label', `a class index in 0..${n - 1}: ${labelsOf(m)}, or null`, l);
    }
  }
  if (r.init !== undefined) {
    if (!(r.init.image instanceof Float32Array) || r.init.image.length !== size) {
      bad(
        'init.image',
        `a Float32Array of ${size} values (${m.image.channels}×${m.image.height}×${m.image.width} in [-1, 1])`,
        r.init.image,
      );
    }
    const s = r.init.strength;
    if (!(typeof s === 'number' && s >= 0 && s <= 1)) bad('init.strength', 'a number in [0, 1]', s);
    if (r.noise !== undefined)
      bad('noise', 'absent when init is given (img2img draws its own noise)', r.noise);
  }
  if (
    r.noise !== undefined &&
    (!(r.noise instanceof Float32Array) || r.noise.length !== r.count * size)
  ) {
    bad('noise', `a Float32Array of count×${size} = ${r.count * size} values`, r.noise);
  }
  if (r.previewEvery !== undefined) int('previewEvery', r.previewEvery, 1, 100_000);
}
