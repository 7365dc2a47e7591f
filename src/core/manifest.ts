/**
 * The model package's description (model.json, see the README's "Add a
 * model") and its validation. `validateManifest` is the only way a manifest
 * enters the app: it accepts parsed JSON and returns a typed copy, or
 * throws a ManifestError naming the field, what it must be, and what it was.
 */
import type { Conditioning } from './conditioning.ts';
import { validateConditioning } from './manifest-conditioning.ts';
import {
  ManifestError,
  fail,
  finite,
  integer,
  object,
  oneOf,
  optionalString,
  string,
  type Json,
} from './manifest-fields.ts';
import { show } from './show.ts';
import type { ImageShape, Prediction, ScheduleKind, ScheduleSpec } from './types.ts';

export const SCHEDULE_KINDS: readonly ScheduleKind[] = ['linear', 'scaled-linear', 'cosine'];
export const PREDICTIONS: readonly Prediction[] = ['epsilon', 'v', 'sample'];
/** A model's id: it names the model's folder, its recipes' "model.id", its files' names. */
export const MAX_MODEL_ID = 200;
export const MODEL_ID = new RegExp(`^[a-z0-9][a-z0-9._-]{0,${MAX_MODEL_ID - 1}}$`, 'i');
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
export { ManifestError };

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
  if (!MODEL_ID.test(id))
    fail(
      'id',
      `letters, digits, ".", "_" or "-", starting with a letter or digit, at most ${MAX_MODEL_ID} in all`,
      id,
    );
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
