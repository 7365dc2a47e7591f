import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { findLabel, labelGroups } from '../../src/core/conditioning.ts';
import { ManifestError, validateManifest, type ModelManifest } from '../../src/core/manifest.ts';
import { thrown } from '../support/rejection.ts';

const shipped = JSON.parse(readFileSync('public/models/fashion-28/model.json', 'utf8')) as Record<
  string,
  unknown
>;

/** A deep copy of the shipped manifest with one field replaced (undefined deletes it). */
function withField(path: string, value: unknown): unknown {
  const copy = structuredClone(shipped);
  const keys = path.split('.');
  let node = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys[keys.length - 1]!;
  if (value === undefined) delete node[last];
  else node[last] = value;
  return copy;
}

const errorOf = (json: unknown): ManifestError =>
  thrown(() => validateManifest(json), ManifestError);

describe('validateManifest', () => {
  it('accepts the shipped fashion-28 manifest and types it', () => {
    const m: ModelManifest = validateManifest(shipped);
    expect(m.id).toBe('fashion-28');
    expect(m.image).toEqual({ channels: 1, height: 28, width: 28, range: [-1, 1] });
    // The one-class form becomes one label group with a [batch] label tensor.
    expect(m.conditioning).toMatchObject({ kind: 'labels', defaultGuidance: 1.5, tensorRank: 1 });
    expect(labelGroups(m.conditioning)[0]).toMatchObject({
      name: 'class',
      nullLabel: 10,
      default: null,
    });
    expect(labelGroups(m.conditioning)[0]?.ids[0]).toBe('t-shirt-top');
    expect(labelGroups(m.conditioning)[0]?.titles[0]).toBe('T-shirt/top');
    expect(m.io).toEqual({
      sample: 'x',
      timestep: 't',
      label: 'y',
      output: 'eps',
      timestepType: 'int64',
    });
    expect(m.file.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['prediction', 'eps', /"prediction" must be one of epsilon, v, sample \(got "eps"\)/],
    ['schedule.kind', 'quadratic', /"schedule.kind" must be one of linear, scaled-linear, cosine/],
    ['conditioning.kind', 'text', /"conditioning.kind" must be one of class, groups, none/],
    ['io.timestepType', 'int8', /"io.timestepType" must be one of int64, int32, float32/],
    ['image.channels', 0, /"image.channels" must be 1 \(grey\) or 3 \(RGB\).*\(got 0\)/],
    ['image.channels', 4, /"image.channels" must be 1 \(grey\) or 3 \(RGB\).*\(got 4\)/],
    ['image.channels', 2, /"image.channels" must be 1 \(grey\) or 3 \(RGB\).*\(got 2\)/],
    ['image.height', 28.5, /"image.height" must be an integer/],
    ['image.range', [0, 1], /"image.range" must be \[-1, 1\]/],
    ['schedule.betaEnd', 0.00001, /"schedule.betaEnd" must be ≥ schedule.betaStart/],
    ['schedule.trainSteps', '1000', /"schedule.trainSteps" must be an integer/],
    ['conditioning.nullLabel', 3, /"conditioning.nullLabel" must be an integer in 10..2147483647/],
    [
      'conditioning.nullLabel',
      2 ** 32,
      /"conditioning.nullLabel" must be an integer in 0..2147483647/,
    ],
    ['conditioning.labels', [], /"conditioning.labels" must be a non-empty array/],
    ['io.label', undefined, /"io.label" must be the name of the label input/],
    ['io.sample', '', /"io.sample" must be a non-empty string/],
    ['file.sha256', 'abc', /"file.sha256" must be 64 hexadecimal digits/],
    ['file.bytes', -5, /"file.bytes" must be an integer ≥ 0/],
    ['file.path', '../../etc/passwd', /"file.path" must be a relative path/],
    ['file', undefined, /"file" must be an object \(got nothing\)/],
    ['id', 'has space', /"id" must be letters, digits/],
    ['id', 'a'.repeat(201), /"id" must be .*at most 200 in all/],
    [
      'conditioning.labels',
      ['Cat', '🐈'],
      /must be labels that each have a letter or digit.* \(got "🐈"\)/,
    ],
    [
      'conditioning.labels',
      ['T-shirt', 'T shirt'],
      /must be labels that differ in more than case and punctuation \("T-shirt" and "T shirt" are the same label/,
    ],
    [
      'conditioning.labels',
      ['a', 'b'.repeat(201)],
      /must be a non-empty array of non-empty strings of at most 200 characters/,
    ],
  ])('names the field when %s is %j', (field, value, message) => {
    const e = errorOf(withField(field, value));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(message);
  });

  it('refuses input that is not an object', () => {
    expect(errorOf([1, 2]).message).toMatch(/must hold a JSON object/);
    expect(errorOf(null).message).toMatch(/must hold a JSON object/);
  });

  it('accepts an unconditional model without io.label and drops the class fields', () => {
    const json = withField('conditioning', { kind: 'none' }) as Record<
      string,
      Record<string, unknown>
    >;
    delete json.io!.label;
    const m = validateManifest(json);
    expect(m.conditioning).toEqual({ kind: 'none' });
    expect(m.io.label).toBeUndefined();
  });

  it('reads a missing file.bytes / file.sha256 as 0 / "" (not given)', () => {
    const json = withField('file', { path: 'model.onnx' });
    expect(validateManifest(json).file).toEqual({ path: 'model.onnx', bytes: 0, sha256: '' });
  });
});

describe('label groups and ids that recipes and flags can carry', () => {
  const groups = (g: unknown[]): unknown =>
    withField('conditioning', { kind: 'groups', groups: g });
  const group = (o: Record<string, unknown>) => ({
    name: 'style',
    labels: ['a', 'b'],
    nullLabel: 2,
    ...o,
  });

  it('gives labels of any script ids, and finds them by id or title', () => {
    const m = validateManifest(
      withField('conditioning.labels', [
        'Кошка',
        'Собака',
        'Ёж',
        '猫',
        'Café',
        'Hund',
        'Maus',
        'Vogel',
        'Fisch',
        'Pferd',
      ]),
    );
    const g = labelGroups(m.conditioning)[0]!;
    // Latin titles keep the ids earlier versions gave them: recipes carry those.
    expect(g.ids.slice(0, 5)).toEqual(['кошка', 'собака', 'ёж', '猫', 'caf']);
    expect(findLabel(g, 'СОБАКА')).toBe(1);
    expect(findLabel(g, '猫')).toBe(3);
    expect(findLabel(g, 'cafe')).toBeUndefined();
    const mixed = validateManifest(withField('conditioning.labels', ['Класс 1', 'Класс 2', ...g.titles.slice(2)]));
    expect(labelGroups(mixed.conditioning)[0]!.ids.slice(0, 2)).toEqual(['класс-1', 'класс-2']);
  });

  it.each([
    [
      { name: 'Style' },
      /"conditioning.groups\[0\].name" must be a name of 1 to 40 lowercase letters/,
    ],
    [
      { name: '__proto__' },
      /"conditioning.groups\[0\].name" must be a name of 1 to 40 lowercase letters/,
    ],
    [{ name: 'x'.repeat(41) }, /"conditioning.groups\[0\].name" must be a name of 1 to 40/],
    [
      { labels: ['cat', 'cat '] },
      /"conditioning.groups\[0\].labels" must be an array of distinct names \(got "cat"\)/,
    ],
    [
      { labels: ['Cat', 'cat'] },
      /"conditioning.groups\[0\].labels" must be an array of distinct names/,
    ],
    [
      { labels: ['a-b', 'ab'] },
      /"conditioning.groups\[0\].labels" must be labels that differ in more than case and punctuation/,
    ],
    [
      { labels: ['a', '--'] },
      /"conditioning.groups\[0\].labels" must be labels that each have a letter or digit/,
    ],
  ])('refuses a group with %j', (o, message) => {
    expect(errorOf(groups([group(o)])).message).toMatch(message);
  });

  it('takes "constructor" as a group name like any other', () => {
    const m = validateManifest(groups([group({ name: 'constructor' })]));
    expect(labelGroups(m.conditioning)[0]!.name).toBe('constructor');
  });
});

describe('findLabel', () => {
  const group = labelGroups(validateManifest(shipped).conditioning)[0]!;
  it.each([
    ['sneaker', 7],
    ['Sneaker', 7],
    ['ankle-boot', 9],
    ['ankle boot', 9],
    ['t-shirt', 0],
    ['T-shirt/top', 0],
    ['3', 3],
  ])('resolves %s', (name, index) => expect(findLabel(group, name)).toBe(index));
  it.each(['boots', '10', '', 'hat'])('returns undefined for %j', (name) =>
    expect(findLabel(group, name)).toBeUndefined(),
  );
});
