/**
 * Label choices across models: stored by group name and id, carried over by
 * name (never by index), reset to "any" with a note when the next model lacks
 * the label; the next model's default guidance replaces the previous one's.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateManifest, type ModelManifest } from '../../src/core/manifest.ts';
import {
  choiceOf,
  describeLabels,
  modelSwitch,
  requestConditioning,
  storedOf,
} from '../../src/ui/conditioning.ts';
import { errorKind } from '../../src/ui/errors.ts';

const shipped = JSON.parse(readFileSync('public/models/fashion-28/model.json', 'utf8')) as {
  conditioning: { labels: string[] };
};
const fashion = validateManifest(shipped);

/** The shipped model under another id, its classes reordered ("Trouser" 1 → 3) and "Sneaker" renamed. */
function variant(defaultGuidance: number): ModelManifest {
  const labels = shipped.conditioning.labels.map((l) => (l === 'Sneaker' ? 'Trainer' : l));
  [labels[1], labels[3]] = [labels[3]!, labels[1]!];
  return validateManifest({
    ...shipped,
    id: 'variant',
    name: 'Variant',
    conditioning: { ...shipped.conditioning, labels, defaultGuidance },
  });
}

describe('label choices', () => {
  it('turn stored ids into the request’s indices and back', () => {
    expect(choiceOf(fashion, { class: 'trouser' })).toEqual([1]);
    expect(choiceOf(fashion, {})).toEqual([null]);
    expect(choiceOf(fashion, { class: 'no-such-label', other: 'x' })).toEqual([null]);
    expect(storedOf(fashion, [7])).toEqual({ class: 'sneaker' });
    expect(storedOf(fashion, [null])).toEqual({ class: '' });
    expect(describeLabels(fashion, [1])).toBe('Trouser');
    expect(describeLabels(fashion, [null])).toBe('any class');
  });

  it('make an all-"any" request unconditional', () => {
    expect(requestConditioning(fashion, [null], 3)).toEqual({ labels: [null], guidance: 0 });
    expect(requestConditioning(fashion, [4], 3)).toEqual({ labels: [4], guidance: 3 });
  });
});

describe('switching models', () => {
  const other = variant(1);

  it('keeps a label the next model has by name, at its own index, and takes its guidance', () => {
    const current = { labels: { class: 'trouser' }, guidance: 3, guidanceFor: fashion.id };
    const r = modelSwitch(fashion, other, current);
    expect(r).toEqual({
      labels: { class: 'trouser' },
      guidance: 1,
      guidanceFor: 'variant',
      note: '',
    });
    expect(choiceOf(other, r.labels)).toEqual([3]);
  });

  it('resets a label the next model lacks to "any" and says so', () => {
    const current = { labels: { class: 'sneaker' }, guidance: 3, guidanceFor: fashion.id };
    const r = modelSwitch(fashion, other, current);
    expect(r.labels).toEqual({ class: '' });
    expect(r.note).toBe('Variant has no class “Sneaker”: reset to Any.');
  });

  it('at start keeps the guidance set for this model, else takes its default; no note', () => {
    const mine = { labels: { class: 'sneaker' }, guidance: 2.5, guidanceFor: 'variant' };
    expect(modelSwitch(undefined, other, mine)).toEqual({
      labels: { class: '' },
      guidance: 2.5,
      guidanceFor: 'variant',
      note: '',
    });
    // Guidance stored for another model (or by a version that did not record it) is not this model's.
    const stale = { ...mine, guidanceFor: '' };
    expect(modelSwitch(undefined, other, stale)).toMatchObject({
      guidance: 1,
      guidanceFor: 'variant',
    });
  });
});

describe('errors', () => {
  it('are told apart by name and code, not by their words', () => {
    const abort = Object.assign(new Error('whatever'), { name: 'AbortError' });
    const busy = Object.assign(
      new Error('A generation is running; cancel it before loading another model.'),
      {
        code: 'busy',
      },
    );
    expect(errorKind(abort)).toBe('cancelled');
    expect(errorKind(Object.assign(new Error('x'), { code: 'aborted' }))).toBe('cancelled');
    expect(errorKind(busy)).toBe('busy');
    expect(errorKind(new Error('Generation cancelled by a cancel'))).toBe('failed');
  });
});

describe('label groups', () => {
  /** Two groups, as training/export.py writes them for emoji-32; "style" pre-selects Noto. */
  const emoji = validateManifest({
    ...shipped,
    id: 'emoji',
    name: 'Emoji',
    image: { channels: 3, height: 32, width: 32, range: [-1, 1] },
    conditioning: {
      kind: 'groups',
      groups: [
        { name: 'category', title: 'Category', labels: ['smileys', 'animals'], nullLabel: 2 },
        {
          name: 'style',
          title: 'Style',
          labels: ['noto', 'fluent'],
          nullLabel: 2,
          default: 'noto',
        },
      ],
      defaultGuidance: 1.5,
    },
  });

  it('start at each group’s default until the user picks, and keep an explicit "any"', () => {
    expect(choiceOf(emoji, {})).toEqual([null, 0]);
    expect(choiceOf(emoji, { style: '' })).toEqual([null, null]);
    expect(choiceOf(emoji, { category: 'animals', style: 'fluent' })).toEqual([1, 1]);
    expect(describeLabels(emoji, [1, 0])).toBe('animals, noto');
    expect(describeLabels(emoji, [null, null])).toBe('any labels');
  });

  it('a switch keeps shared groups by name and starts new ones at their default', () => {
    const r = modelSwitch(fashion, emoji, {
      labels: { class: 'bag' },
      guidance: 3,
      guidanceFor: fashion.id,
    });
    expect(r.labels).toEqual({ category: '', style: 'noto' });
    expect(r.guidance).toBe(1.5);
    // The class group is gone altogether: the pick is not used, and the note says so.
    expect(r.note).toBe('Emoji has no class “Bag”: reset to Any.');
    const back = modelSwitch(emoji, fashion, {
      labels: r.labels,
      guidance: 1.5,
      guidanceFor: 'emoji',
    });
    expect(back.labels).toEqual({ class: '' });
    expect(back.note).toMatch(/ has no style “noto”: reset to Any\.$/);
  });
});
