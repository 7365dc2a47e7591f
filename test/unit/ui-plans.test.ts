/** The plans the screens hand to AppState: built from the settings, each carrying its model and backend. */
import { describe, expect, it } from 'vitest';
import type { ModelEntry } from '../../src/ui/catalog.ts';
import { img2imgPlan, interpolationPlan, seedPlan } from '../../src/ui/plans.ts';
import { DEFAULTS } from '../../src/ui/settings.ts';
import { shippedManifest } from '../support/shipped.ts';

const manifest = shippedManifest('fashion-28');
const model = {
  id: manifest.id,
  name: manifest.name,
  origin: 'built-in',
  version: 'test',
  bytes: 0,
  manifest,
  source: () => Promise.resolve({ kind: 'url', baseUrl: 'models/fashion-28/' }),
} as ModelEntry;

describe('run plans', () => {
  it('a seed plan asks for the chosen labels, guidance and count, with η only for a sampler that uses it', () => {
    const st = {
      ...DEFAULTS,
      labels: { class: 'trouser' },
      count: 2,
      sampler: 'ddim' as const,
      eta: 0.5,
    };
    const { plan, captions } = seedPlan(model, st, 'wasm', 9);
    expect(plan).toMatchObject({
      kind: 'seed',
      model,
      backend: 'wasm',
      from: 'Generate',
      caption: 'seed 9, Trouser',
    });
    expect(plan.request).toEqual({
      seed: 9,
      count: 2,
      steps: st.steps,
      sampler: 'ddim',
      eta: 0.5,
      guidance: st.guidance,
      labels: [1],
    });
    expect(captions).toEqual(['Trouser · seed 9 · #0', 'Trouser · seed 9 · #1']);
    const again = seedPlan(model, { ...st, count: 1, firstIndex: 3 }, 'wasm', 9);
    expect(again.plan.request.firstIndex).toBe(3);
    expect(again.captions).toEqual(['Trouser · seed 9 · #3']);
    expect(
      seedPlan(model, { ...st, sampler: 'dpmpp-2m' }, 'wasm', 9).plan.request.eta,
    ).toBeUndefined();
  });

  it('an interpolation plan runs `points` images from one seed towards another', () => {
    const { plan, captions } = interpolationPlan(model, DEFAULTS, 'auto', 1, 2, 8);
    expect(plan).toMatchObject({
      kind: 'interpolate',
      to: 2,
      request: { seed: 1, count: 8, labels: [null], guidance: 0 },
    });
    expect(captions[7]).toBe('any class, seed 1 → 2 at 1.00');
  });

  it('an img2img plan uses the sample’s own class by name, else the chosen labels', () => {
    const image = new Float32Array(28 * 28);
    const o = { image, t: 500, noiseSeed: 3, className: 'Sneaker' };
    const plan = img2imgPlan(model, { ...DEFAULTS, labels: { class: 'trouser' } }, 'auto', o);
    expect(plan).toMatchObject({
      kind: 'img2img',
      strength: 0.5,
      from: 'Explore',
      request: { count: 1, seed: 3, labels: [7] },
    });
    const fromFile = img2imgPlan(model, { ...DEFAULTS, labels: { class: 'trouser' } }, 'auto', {
      ...o,
      className: null,
    });
    expect(fromFile.request.labels).toEqual([1]);
  });

  it('an img2img plan finds the sample’s label in whichever group has it (emoji: a category)', () => {
    const emojiManifest = shippedManifest('emoji-32');
    const emoji = { ...model, id: 'emoji-32', manifest: emojiManifest } as ModelEntry;
    const image = new Float32Array(3 * 32 * 32);
    const o = { image, t: 250, noiseSeed: 1, className: 'Animals & Nature' };
    const st = { ...DEFAULTS, labels: { style: 'fluent' } };
    expect(img2imgPlan(emoji, st, 'auto', o).request.labels).toEqual([2, 1]);
    // A Fashion sample's class is no emoji category: the chosen labels stand.
    expect(img2imgPlan(emoji, st, 'auto', { ...o, className: 'Trouser' }).request.labels).toEqual([
      null,
      1,
    ]);
  });
});
