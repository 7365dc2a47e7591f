import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  carryChoice,
  choiceFromPairs,
  describeChoice,
  labelGroups,
  labelRows,
  type Conditioning,
} from '../../src/core/conditioning.ts';
import { validateManifest } from '../../src/core/manifest.ts';
import {
  checkField,
  describeField,
  fieldOrDefault,
  fieldValue,
  REQUEST_SPEC,
  type FieldSpec,
} from '../../src/core/request-spec.ts';
import { SAMPLERS } from '../../src/core/samplers.ts';

const fashionJson = JSON.parse(readFileSync('public/models/fashion-28/model.json', 'utf8')) as Record<
  string,
  unknown
>;
const fashion = validateManifest(fashionJson);

/** A two-group manifest in the form training/export.py writes for emoji-32. */
const emojiJson = {
  ...fashionJson,
  id: 'emoji-test',
  image: { channels: 3, height: 32, width: 32, range: [-1, 1] },
  conditioning: {
    kind: 'groups',
    groups: [
      {
        name: 'category',
        title: 'Category',
        labels: ['smileys', 'animals', 'food'],
        titles: ['Smileys & Emotion', 'Animals & Nature', 'Food & Drink'],
        nullLabel: 3,
        default: null,
      },
      {
        name: 'style',
        title: 'Style',
        labels: ['noto', 'fluent', 'twemoji'],
        titles: ['Noto', 'Fluent', 'Twemoji'],
        nullLabel: 3,
        default: 'noto',
      },
    ],
    defaultGuidance: 1.5,
  },
};
const emoji = validateManifest(emojiJson);

describe('the request spec', () => {
  it.each(Object.entries(REQUEST_SPEC))('%s: its default is valid for its own range', (_, spec) => {
    expect(fieldValue(spec as FieldSpec, spec.default)).toBe(spec.default);
  });

  it('lists every sampler once, each with a label, an update and recommended steps', () => {
    expect(REQUEST_SPEC.sampler.values).toEqual(SAMPLERS.map((s) => s.name));
    for (const s of SAMPLERS) {
      expect(s.label.length).toBeGreaterThan(0);
      expect(s.recommendedSteps).toBeGreaterThanOrEqual(1);
      expect(s.recommendedSteps).toBeLessThanOrEqual(REQUEST_SPEC.steps.max);
    }
    // Euler ancestral is DDPM's update here: pickers list it once, and say so.
    expect(SAMPLERS.find((s) => s.name === 'euler-a')?.sameAs).toBe('ddpm');
    expect(SAMPLERS.filter((s) => s.usesEta).map((s) => s.name)).toEqual(['ddim']);
  });

  it('errors name the field and what it accepts', () => {
    expect(() => checkField('count', 65)).toThrow(/^count: got 65; expected an integer in 1\.\.64$/);
    expect(() => checkField('sampler', 'plms')).toThrow(/^sampler: got "plms"; expected one of dpmpp-2m/);
    expect(() => checkField('guidance', Number.NaN)).toThrow(/guidance: got null; expected a number in \[0, 10\]/);
    expect(describeField(REQUEST_SPEC.steps)).toBe('an integer in 1..1000');
  });

  it('fieldOrDefault keeps a valid stored value and replaces a bad one by the default', () => {
    expect(fieldOrDefault('steps', 50)).toBe(50);
    expect(fieldOrDefault('steps', 5000)).toBe(REQUEST_SPEC.steps.default);
    expect(fieldOrDefault('sampler', 'bogus')).toBe('dpmpp-2m');
    expect(fieldOrDefault('eta', '0.5')).toBe(0);
  });

  it("the README's defaults table is the spec's", () => {
    const readme = readFileSync('README.md', 'utf8');
    for (const spec of Object.values(REQUEST_SPEC) as FieldSpec[]) {
      const range = spec.kind === 'choice' ? spec.values.join(', ') : `${spec.min} – ${spec.max}`;
      expect(readme).toContain(`| ${spec.label} | ${String(spec.default)} | ${range} |`);
    }
  });
});

describe('label groups', () => {
  it('a one-class manifest is one group with a [batch] tensor; a groups manifest is [batch, groups]', () => {
    expect(fashion.conditioning).toMatchObject({ kind: 'labels', tensorRank: 1 });
    expect(emoji.conditioning).toMatchObject({ kind: 'labels', tensorRank: 2, defaultGuidance: 1.5 });
    expect(labelGroups(emoji.conditioning).map((g) => [g.name, g.default])).toEqual([
      ['category', null],
      ['style', 0],
    ]);
  });

  it.each([
    ['groups', [], /"conditioning.groups" must be an array of 1 to 8 label groups/],
    [
      'titles',
      ['A', 'B'],
      /"conditioning.groups\[1\].titles" must be an array of 3 non-empty strings/,
    ],
    ['default', 'emoji', /"conditioning.groups\[1\].default" must be null or one of noto, fluent, twemoji/],
    ['nullLabel', 2, /"conditioning.groups\[1\].nullLabel" must be an integer in 3\.\.2147483647/],
  ])('a bad %s names the field', (key, value, message) => {
    const json = structuredClone(emojiJson) as { conditioning: Record<string, unknown> & { groups: Record<string, unknown>[] } };
    if (key === 'groups') json.conditioning.groups = value as [];
    else json.conditioning.groups[1]![key] = value;
    expect(() => validateManifest(json)).toThrow(message);
  });

  it('choiceFromPairs resolves group=value by id, title or index; unknowns list what is valid', () => {
    const c = emoji.conditioning;
    expect(choiceFromPairs(c, ['category=animals', 'style=Twemoji'])).toEqual([1, 2]);
    expect(choiceFromPairs(c, ['style=0'])).toEqual([null, 0]);
    expect(choiceFromPairs(fashion.conditioning, ['class=ankle boot'])).toEqual([9]);
    expect(() => choiceFromPairs(c, ['colour=red'])).toThrow(
      /^unknown label group "colour"; valid groups: category, style$/,
    );
    expect(() => choiceFromPairs(c, ['category=cars'])).toThrow(
      /^unknown category "cars"; valid: smileys, animals, food \(or 0\.\.2\)$/,
    );
    expect(() => choiceFromPairs({ kind: 'none' }, ['class=1'])).toThrow(/has no labels/);
  });

  it('label rows put each pick, or the null label for "any", per image', () => {
    const c = emoji.conditioning;
    expect(Array.from(labelRows(c, [1, null], 2))).toEqual([1, 3, 1, 3]);
    expect(Array.from(labelRows(c, [1, 0], 1, true))).toEqual([3, 3]);
    expect(describeChoice(c, [1, null])).toBe('Animals & Nature');
    expect(describeChoice(c, [null, null])).toBe('any');
  });

  it('a choice carries to another model by group name and label id, and says what was dropped', () => {
    const other: Conditioning = structuredClone(emoji.conditioning);
    if (other.kind === 'labels') other.groups[0]!.ids = ['animals', 'smileys', 'food'];
    expect(carryChoice(emoji.conditioning, [1, 2], other)).toEqual({ choice: [0, 2], dropped: [] });
    // Fashion's class "dress" means nothing to the emoji model: reset, visibly.
    expect(carryChoice(fashion.conditioning, [3], emoji.conditioning)).toEqual({
      choice: [null, null],
      dropped: ['class "dress"'],
    });
    expect(carryChoice(fashion.conditioning, [null], emoji.conditioning).dropped).toEqual([]);
  });
});
