/**
 * Fuzz: random and mutated model.json through parseManifest (the app's and
 * the CLI's gate). A manifest that passes must describe a model the app can
 * run: its schedule has finite ᾱ in (0, 1], its images are showable, a
 * default request passes core's checks, and its sizes are within the limits
 * or refused with code 'too-large'.
 */
import { readFileSync } from 'node:fs';
import { labelGroups } from '../../src/core/conditioning.ts';
import type { ModelManifest } from '../../src/core/manifest.ts';
import { checkRequest } from '../../src/core/request.ts';
import { buildSchedule } from '../../src/core/schedule.ts';
import { RuntimeError } from '../../src/runtime/errors.ts';
import { checkDeclaredSizes, parseManifest } from '../../src/runtime/model-package.ts';
import { fuzzTarget, Wrong, type Rng } from './harness.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const fashion = JSON.parse(readFileSync('public/models/fashion-28/model.json', 'utf8')) as { [k: string]: Json };
const groups: { [k: string]: Json } = {
  ...fashion,
  id: 'emoji-32',
  image: { channels: 3, height: 32, width: 32, range: [-1, 1] },
  conditioning: {
    kind: 'groups',
    groups: [
      { name: 'category', title: 'Category', labels: ['a', 'b', 'c'], titles: ['A', 'B', 'C'], nullLabel: 3, default: null },
      { name: 'style', title: 'Style', labels: ['x', 'y'], nullLabel: 2 },
    ],
    defaultGuidance: 3,
  },
};
const none: { [k: string]: Json } = { ...fashion, id: 'plain', conditioning: { kind: 'none' } };
const { label: _label, ...noLabelIo } = fashion.io as { [k: string]: Json };
none.io = noLabelIo;
const BASES = [fashion, groups, none];

const ODD: Json[] = [
  null, true, false, 0, -0, 1, -1, 0.5, 2, 3, 4, 1e-300, 1e308, -1e308, 2 ** 31 - 1, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2,
  4096, 4097, 100_000, 100_001, '', 'x', '1', 'NaN', '__proto__', 'constructor', 'é'.repeat(50), [], [1], [-1, 1], {},
  ['a', 'a'],
];

function randomJson(rng: Rng, depth = 0): Json {
  const k = rng.int(0, depth > 3 ? 2 : 5);
  if (k === 0) return rng.pick(ODD);
  if (k === 1) return rng.float() * 10 ** rng.int(-8, 8) * (rng.bool() ? 1 : -1);
  if (k === 2) return rng.pick(['linear', 'cosine', 'scaled-linear', 'epsilon', 'v', 'sample', 'int64', 'int32', 'float32', 'class', 'groups', 'labels', 'none']);
  if (k === 3) return Array.from({ length: rng.int(0, 4) }, () => randomJson(rng, depth + 1));
  const o: { [k: string]: Json } = {};
  for (let n = rng.int(0, 4); n > 0; n--) put(o, rng.pick(['id', 'name', 'kind', 'labels', 'nullLabel', 'x', 'path', 'bytes', '__proto__']), randomJson(rng, depth + 1));
  return o;
}

/** Sets an own property, even "__proto__" (as JSON.parse makes it), never the prototype. */
function put(o: { [k: string]: Json }, key: string, value: Json): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A copy of `v` with one node replaced, deleted or duplicated, somewhere down a random path. */
function mutateTree(rng: Rng, v: Json): Json {
  if (v === null || typeof v !== 'object') return randomJson(rng);
  const copy: Json = Array.isArray(v) ? [...v] : { ...v };
  const keys = Object.keys(copy);
  if (keys.length === 0 || rng.bool(0.15)) return randomJson(rng);
  const key = rng.pick(keys);
  const here = copy as { [k: string]: Json };
  const op = rng.int(0, 9);
  if (op === 0) delete here[key];
  else if (op === 1 && Array.isArray(copy)) copy.push(copy[Number(key)] ?? null);
  else if (op === 2) put(here, rng.pick(['extra', key + '2', '__proto__']), randomJson(rng));
  else put(here, key, mutateTree(rng, here[key] as Json));
  return copy;
}

function mutateText(rng: Rng, text: string): string {
  switch (rng.int(0, 5)) {
    case 0:
      return text.slice(0, rng.int(0, text.length));
    case 1: {
      const at = rng.int(0, text.length);
      return text.slice(0, at) + String.fromCharCode(rng.int(0, 0xffff)) + text.slice(at + 1);
    }
    case 2:
      return '['.repeat(rng.int(1, 20000)) + ']'.repeat(rng.int(0, 20000));
    case 3:
      return text.replace(/\d+/, rng.pick(['1e999', '-1e999', '0.0000', '99999999999999999999', '-0']));
    case 4:
      return `${text} ${text}`;
    default:
      return ' '.repeat(rng.int(0, 2 ** 21));
  }
}

function generate(rng: Rng): string {
  const k = rng.int(0, 9);
  if (k === 0) return JSON.stringify(randomJson(rng));
  let json: Json = rng.pick(BASES);
  for (let n = rng.int(1, 4); n > 0; n--) json = mutateTree(rng, json);
  const text = JSON.stringify(json);
  return k === 1 ? mutateText(rng, text) : text;
}

function check(_text: string, m: ModelManifest): void {
  const bad = (what: string) => {
    throw new Wrong(`parseManifest accepted it, but ${what}`);
  };
  const { channels, height, width } = m.image;
  if (channels !== 1 && channels !== 3) bad(`image.channels is ${channels}`);
  if (!(Number.isInteger(height) && height >= 1 && height <= 4096 && Number.isInteger(width) && width >= 1 && width <= 4096))
    bad(`image is ${width}×${height}`);
  const s = buildSchedule(m.schedule);
  if (!s.alphaBar.every((a) => Number.isFinite(a) && a > 0 && a <= 1)) bad('its schedule has ᾱ outside (0, 1]');
  for (const g of labelGroups(m.conditioning))
    if (!(Number.isInteger(g.nullLabel) && g.nullLabel >= g.ids.length && g.nullLabel <= 2 ** 31 - 1))
      bad(`group ${g.name} has null label ${g.nullLabel}`);
  try {
    checkDeclaredSizes(m);
  } catch (e) {
    if (!(e instanceof RuntimeError && e.code === 'too-large')) throw e;
    return;
  }
  const steps = Math.min(20, m.schedule.trainSteps);
  const labels = labelGroups(m.conditioning).map(() => null);
  checkRequest(
    { seed: 1, count: 1, steps, sampler: 'ddim', guidance: 0, labels },
    { shape: m.image, trainSteps: m.schedule.trainSteps, conditioning: m.conditioning },
  );
}

fuzzTarget('every manifest is valid for the app, or refused with a message naming the field', {
  name: 'model.json',
  budgetMs: 8000,
  maxCases: 20000,
  caseMs: 500,
  generate,
  run: (text) => parseManifest(text),
  check,
  clearError: (e) => e instanceof RuntimeError && ['manifest-json', 'manifest-invalid', 'too-large'].includes(e.code),
  show: (text) => (text.length > 2000 ? `${JSON.stringify(text.slice(0, 2000))}… (${text.length} chars)` : JSON.stringify(text)),
});
