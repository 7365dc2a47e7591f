/**
 * The generation request, declared once. Each field's type, range, default
 * and label live here; core validates with this table, the CLI builds its
 * flags from it, the app its controls and the stored-settings check. Only
 * what depends on a model (steps ≤ its train steps, its labels, its default
 * guidance) is checked later, against the manifest.
 *
 * The count limit is sized for a phone: 64 images of 32×32 with their 48
 * kept reverse-process frames are 13 MB of RGBA, and the batch the network
 * sees (doubled for guidance) stays within onnxruntime-web's WASM heap.
 */
import { SAMPLER_NAMES } from './samplers.ts';
import { show } from './show.ts';
import type { SamplerName } from './types.ts';

interface FieldBase {
  /** Short name for a control or a table. */
  label: string;
  /** One sentence for `--help` and hints. */
  help: string;
}

export interface IntField extends FieldBase {
  kind: 'int';
  min: number;
  max: number;
  default: number;
}

export interface NumberField extends FieldBase {
  kind: 'number';
  min: number;
  max: number;
  /** Granularity of a slider; values between steps are still valid. */
  step: number;
  default: number;
}

export interface ChoiceField<T extends string> extends FieldBase {
  kind: 'choice';
  values: readonly T[];
  default: T;
}

export type FieldSpec = IntField | NumberField | ChoiceField<string>;

export const REQUEST_SPEC = Object.freeze({
  seed: {
    kind: 'int',
    label: 'Seed',
    help: 'noise seed: the same seed and settings give the same pixels',
    min: 0,
    max: 2 ** 32 - 1,
    default: 42,
  } satisfies IntField,
  count: {
    kind: 'int',
    label: 'Images',
    help: 'number of images in one run',
    min: 1,
    max: 64,
    default: 4,
  } satisfies IntField,
  steps: {
    kind: 'int',
    label: 'Steps',
    help: "sampling steps (at most the model's train steps)",
    min: 1,
    max: 1000,
    default: 20,
  } satisfies IntField,
  sampler: {
    kind: 'choice',
    label: 'Sampler',
    help: 'the update rule of the reverse process',
    values: SAMPLER_NAMES,
    default: 'dpmpp-2m',
  } satisfies ChoiceField<SamplerName>,
  eta: {
    kind: 'number',
    label: 'DDIM η',
    help: 'DDIM only: 0 deterministic, 1 as noisy as DDPM',
    min: 0,
    max: 1,
    step: 0.1,
    default: 0,
  } satisfies NumberField,
  guidance: {
    kind: 'number',
    label: 'Guidance',
    help: "classifier-free guidance w: 0 ignores the labels, 1 follows them, more follows them harder (default: the model's)",
    min: 0,
    max: 10,
    step: 0.5,
    // The distance-optimal w for fashion-28 (training/RESULTS.md); a model's own defaultGuidance comes first.
    default: 1.5,
  } satisfies NumberField,
  strength: {
    kind: 'number',
    label: 'Strength',
    help: 'img2img: 0 keeps the image, 1 ignores it',
    min: 0,
    max: 1,
    step: 0.05,
    default: 0.6,
  } satisfies NumberField,
});

export type RequestFieldName = keyof typeof REQUEST_SPEC;

/** A request field outside its spec; `field` names it, the message lists what is valid. */
export class RequestError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'RequestError';
    this.field = field;
  }
}

/** What the field accepts, in words: "an integer in 1..64", "one of ddim, ddpm". */
export function describeField(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'int':
      return `an integer in ${spec.min}..${spec.max}`;
    case 'number':
      return `a number in [${spec.min}, ${spec.max}]`;
    case 'choice':
      return `one of ${spec.values.join(', ')}`;
  }
}

/** The value if it is valid for the field, else undefined. */
export function fieldValue(spec: FieldSpec, value: unknown): number | string | undefined {
  switch (spec.kind) {
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && value >= spec.min && value <= spec.max
        ? value
        : undefined;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && value >= spec.min && value <= spec.max
        ? value
        : undefined;
    case 'choice':
      return typeof value === 'string' && spec.values.includes(value) ? value : undefined;
  }
}

/** Checks one field against the spec; throws a RequestError naming it and what it accepts. */
export function checkField<K extends RequestFieldName>(
  name: K,
  value: unknown,
  field: string = name,
): (typeof REQUEST_SPEC)[K]['default'] {
  const spec: FieldSpec = REQUEST_SPEC[name];
  const v = fieldValue(spec, value);
  if (v === undefined)
    throw new RequestError(field, `${field}: got ${show(value)}; expected ${describeField(spec)}`);
  return v as (typeof REQUEST_SPEC)[K]['default'];
}

/** The value if valid, else the field's default: for stored settings and recipes, where bad is not fatal. */
export function fieldOrDefault<K extends RequestFieldName>(
  name: K,
  value: unknown,
): (typeof REQUEST_SPEC)[K]['default'] {
  const spec: FieldSpec = REQUEST_SPEC[name];
  return (fieldValue(spec, value) ?? spec.default) as (typeof REQUEST_SPEC)[K]['default'];
}
