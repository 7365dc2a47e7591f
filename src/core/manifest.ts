/**
 * The model package's description (model.json, see the README's "Add a
 * model") and its validation. `validateManifest` is the only way a manifest
 * enters the app: it accepts parsed JSON and returns a typed copy, or
 * throws a ManifestError naming the field, what it must be, and what it was.
 */
import { slug, type Conditioning, type LabelGroup } from './conditioning.ts';
import { REQUEST_SPEC } from './request-spec.ts';
import type { ImageShape, Prediction, ScheduleKind, ScheduleSpec } from './types.ts';

export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['linear', 'scaled-linear', 'cosine'];
export const PREDICTIONS: readonly Prediction[] = ['epsilon', 'v', 'sample'];
/** 'class' is the one-group form (a [batch] label tensor); 'groups' declares several ([batch, groups]). */
export const CONDITIONING_KINDS = ['class', 'groups', 'none'] as const;
export const TIMESTEP_TYPES = ['int64', 'int32', 'float32'] as const;
export type TimestepType = (typeof TIMESTEP_TYPES)[number];

export interface ImageSpec extends ImageShape {
  /** Pixel range the model was trained on; only [-1, 1] is supported. */
  range: [number, number];
}

/** Names of the ONNX model's tensors. `label` is required when the model has label groups. */
export interface ModelIo {
  sample: string;
  timestep: string;
  label?: string;
  output: string;
  timestepType: TimestepType;
}

export interface ModelFile {
  /** Path of the .onnx file relative to model.json. */
  path: string;
  /** Size in bytes; 0 when not given. Checked when > 0. */
  bytes: number;
  /** Lower-case hex SHA-256 of the file; '' when not given. Checked when given. */
  sha256: string;
}

export type { Conditioning };

export interface ModelManifest {
  id: string;
  name: string;
  license: string;
  description?: string;
  image: ImageSpec;
  schedule: ScheduleSpec;
  prediction: Prediction;
  conditioning: Conditioning;
  io: ModelIo;
  file: ModelFile;
}

export class ManifestError extends Error {
  /** Dotted path of the offending field, e.g. "schedule.kind". */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`model.json: ${message}`);
    this.name = 'ManifestError';
    this.field = field;
  }
}

type Json = Record<string, unknown>;

function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function fail(field: string, want: string, got: unknown): never {
  throw new ManifestError(field, `"${field}" must be ${want} (got ${show(got)})`);
}

function object(parent: Json, key: string, path: string): Json {
  const v = parent[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Json;
}

function string(parent: Json, key: string, path: string): string {
  const v = parent[key];
  if (typeof v !== 'string' || v.trim() === '') fail(path, 'a non-empty string', v);
  return v;
}

function optionalString(parent: Json, key: string, path: string): string | undefined {
  return parent[key] === undefined ? undefined : string(parent, key, path);
}

function oneOf<T extends string>(parent: Json, key: string, path: string, valid: readonly T[]): T {
  const v = parent[key];
  if (typeof v !== 'string' || !(valid as readonly string[]).includes(v))
    fail(path, `one of ${valid.join(', ')}`, v);
  return v as T;
}

function integer(
  parent: Json,
  key: string,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = parent[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(
      path,
      max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in ${min}..${max}`,
      v,
    );
  }
  return v;
}

function finite(parent: Json, key: string, path: string): number {
  const v = parent[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a finite number', v);
  return v;
}

function validateImage(root: Json): ImageSpec {
  const image = object(root, 'image', 'image');
  const channels = image.channels;
  // The app shows grey or RGB; a 2- or 4-channel model could load but never be drawn.
  if (channels !== 1 && channels !== 3)
    fail('image.channels', '1 (grey) or 3 (RGB), the images the app can show', channels);
  const height = integer(image, 'height', 'image.height', 1, 4096);
  const width = integer(image, 'width', 'image.width', 1, 4096);
  const range = image.range;
  if (!Array.isArray(range) || range.length !== 2 || range[0] !== -1 || range[1] !== 1) {
    fail('image.range', '[-1, 1] (the only data range the sampler supports)', range);
  }
  return { channels: channels as number, height, width, range: [-1, 1] };
}

function validateSchedule(root: Json): ScheduleSpec {
  const s = object(root, 'schedule', 'schedule');
  const kind = oneOf(s, 'kind', 'schedule.kind', SCHEDULE_KINDS);
  const betaStart = finite(s, 'betaStart', 'schedule.betaStart');
  const betaEnd = finite(s, 'betaEnd', 'schedule.betaEnd');
  const trainSteps = integer(s, 'trainSteps', 'schedule.trainSteps', 2, 100_000);
  if (!(betaStart > 0 && betaStart < 1))
    fail('schedule.betaStart', 'a number in (0, 1)', betaStart);
  if (!(betaEnd > 0 && betaEnd < 1)) fail('schedule.betaEnd', 'a number in (0, 1)', betaEnd);
  if (betaEnd < betaStart) fail('schedule.betaEnd', `≥ schedule.betaStart (${betaStart})`, betaEnd);
  return { kind, betaStart, betaEnd, trainSteps };
}

/** A label index fits the int32 the kernels and tensors carry; larger ones would wrap. */
const MAX_LABEL = 2 ** 31 - 1;

function names(v: unknown, path: string, count?: number): string[] {
  if (
    !Array.isArray(v) ||
    v.length === 0 ||
    !v.every((l) => typeof l === 'string' && l.trim() !== '') ||
    (count !== undefined && v.length !== count)
  ) {
    fail(
      path,
      count === undefined
        ? 'a non-empty array of non-empty strings'
        : `an array of ${count} non-empty strings`,
      v,
    );
  }
  const list = v as string[];
  const lower = list.map((l) => l.toLowerCase());
  const dup = lower.find((l, i) => lower.indexOf(l) !== i);
  if (dup !== undefined) fail(path, 'an array of distinct names', dup);
  return [...list];
}

function nullLabel(parent: Json, path: string, labels: number): number {
  const n = integer(parent, 'nullLabel', path, 0, MAX_LABEL);
  if (n < labels)
    fail(path, `an integer in ${labels}..${MAX_LABEL} (not one of the ${labels} labels)`, n);
  return n;
}

function validateGroup(g: unknown, path: string): LabelGroup {
  if (typeof g !== 'object' || g === null || Array.isArray(g)) fail(path, 'an object', g);
  const j = g as Json;
  const name = string(j, 'name', `${path}.name`);
  const ids = names(j.labels, `${path}.labels`).map((id) => id.trim());
  const titles = j.titles === undefined ? ids : names(j.titles, `${path}.titles`, ids.length);
  let def: number | null = null;
  if (j.default !== undefined && j.default !== null) {
    def = typeof j.default === 'string' ? ids.indexOf(j.default) : -1;
    if (def < 0) fail(`${path}.default`, `null or one of ${ids.join(', ')}`, j.default);
  }
  return {
    name,
    title: optionalString(j, 'title', `${path}.title`) ?? name,
    ids,
    titles,
    nullLabel: nullLabel(j, `${path}.nullLabel`, ids.length),
    default: def,
  };
}

function validateConditioning(root: Json): Conditioning {
  const c = object(root, 'conditioning', 'conditioning');
  const kind = oneOf(c, 'kind', 'conditioning.kind', CONDITIONING_KINDS);
  if (kind === 'none') return { kind };
  const defaultGuidance =
    c.defaultGuidance === undefined
      ? REQUEST_SPEC.guidance.default
      : finite(c, 'defaultGuidance', 'conditioning.defaultGuidance');
  if (defaultGuidance < 0) fail('conditioning.defaultGuidance', 'a number ≥ 0', defaultGuidance);
  if (kind === 'class') {
    const titles = names(c.labels, 'conditioning.labels');
    const group: LabelGroup = {
      name: 'class',
      title: 'Class',
      ids: titles.map(slug),
      titles,
      nullLabel: nullLabel(c, 'conditioning.nullLabel', titles.length),
      default: null,
    };
    return { kind: 'labels', groups: [group], defaultGuidance, tensorRank: 1 };
  }
  const list = c.groups;
  if (!Array.isArray(list) || list.length === 0 || list.length > 8)
    fail('conditioning.groups', 'an array of 1 to 8 label groups', list);
  const groups = list.map((g, i) => validateGroup(g, `conditioning.groups[${i}]`));
  const dup = groups.find((g, i) => groups.findIndex((o) => o.name === g.name) !== i);
  if (dup) fail('conditioning.groups', 'groups with distinct names', dup.name);
  return { kind: 'labels', groups, defaultGuidance, tensorRank: 2 };
}

function validateIo(root: Json, conditioning: Conditioning): ModelIo {
  const io = object(root, 'io', 'io');
  const sample = string(io, 'sample', 'io.sample');
  const timestep = string(io, 'timestep', 'io.timestep');
  const output = string(io, 'output', 'io.output');
  const label = optionalString(io, 'label', 'io.label');
  const timestepType =
    io.timestepType === undefined
      ? 'int64'
      : oneOf(io, 'timestepType', 'io.timestepType', TIMESTEP_TYPES);
  if (conditioning.kind === 'labels' && label === undefined) {
    fail('io.label', 'the name of the label input (the model has label groups)', undefined);
  }
  const inputs = [sample, timestep, ...(label === undefined ? [] : [label])];
  if (new Set(inputs).size !== inputs.length)
    fail('io', 'distinct names for sample, timestep and label', inputs);
  return label === undefined || conditioning.kind === 'none'
    ? { sample, timestep, output, timestepType }
    : { sample, timestep, label, output, timestepType };
}

function validateFile(root: Json): ModelFile {
  const f = object(root, 'file', 'file');
  const path = string(f, 'path', 'file.path');
  if (path.startsWith('/') || path.split('/').includes('..') || /^[a-z]+:/i.test(path)) {
    fail('file.path', 'a relative path inside the model folder', path);
  }
  const bytes = f.bytes === undefined ? 0 : integer(f, 'bytes', 'file.bytes', 0);
  const sha = f.sha256 ?? '';
  if (typeof sha !== 'string' || (sha !== '' && !/^[0-9a-fA-F]{64}$/.test(sha))) {
    fail('file.sha256', '64 hexadecimal digits, or "" when not given', sha);
  }
  return { path, bytes, sha256: sha.toLowerCase() };
}

/** Checks parsed model.json and returns it typed; throws ManifestError naming the first bad field. */
export function validateManifest(json: unknown): ModelManifest {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ManifestError('', `the file must hold a JSON object (got ${show(json)})`);
  }
  const root = json as Json;
  const id = string(root, 'id', 'id');
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(id))
    fail('id', 'letters, digits, ".", "_" or "-", starting with a letter or digit', id);
  const conditioning = validateConditioning(root);
  const manifest: ModelManifest = {
    id,
    name: string(root, 'name', 'name'),
    license: string(root, 'license', 'license'),
    image: validateImage(root),
    schedule: validateSchedule(root),
    prediction: oneOf(root, 'prediction', 'prediction', PREDICTIONS),
    conditioning,
    io: validateIo(root, conditioning),
    file: validateFile(root),
  };
  const description = optionalString(root, 'description', 'description');
  if (description !== undefined) manifest.description = description;
  return manifest;
}
