/**
 * The app's stored settings: every request field's bounds and default come
 * from the request spec, bad values fall back field by field, and a sampler
 * the picker lists under another row is stored as that row.
 */
import { describe, expect, it } from 'vitest';
import { REQUEST_SPEC } from '../../src/core/request-spec.ts';
import { SAMPLERS } from '../../src/core/samplers.ts';
import { DEFAULTS, SAMPLER_OPTIONS, sanitize } from '../../src/ui/settings.ts';

describe('sanitize', () => {
  it('starts from the spec’s defaults', () => {
    const s = sanitize(undefined);
    for (const name of ['seed', 'count', 'steps', 'sampler', 'eta', 'guidance'] as const) {
      expect(s[name], name).toBe(REQUEST_SPEC[name].default);
    }
    expect(s).toEqual(DEFAULTS);
    expect(s.labels).toEqual({});
  });

  it('keeps values inside the spec’s bounds and drops the rest, field by field', () => {
    const { count, steps, guidance } = REQUEST_SPEC;
    const ok = sanitize({ count: count.max, steps: steps.max, guidance: guidance.max, seed: 7 });
    expect([ok.count, ok.steps, ok.guidance, ok.seed]).toEqual([
      count.max,
      steps.max,
      guidance.max,
      7,
    ]);
    const bad = sanitize({
      count: count.max + 1,
      steps: 0,
      guidance: -1,
      seed: 1.5,
      eta: 2,
      sampler: 'plms',
    });
    expect(bad).toEqual({ ...DEFAULTS });
  });

  it('stores label choices by group name and id, ignoring anything else', () => {
    expect(sanitize({ labels: { class: 'sneaker', style: 3, x: null } }).labels).toEqual({
      class: 'sneaker',
    });
    expect(sanitize({ labels: ['sneaker'] }).labels).toEqual({});
    // The old index-based field is not read: an index means nothing across models.
    expect(sanitize({ label: 3 }).labels).toEqual({});
  });

  it('lists each distinct sampler once and stores a twin as the row that lists it', () => {
    const twins = SAMPLERS.filter((s) => s.sameAs);
    expect(twins.length).toBeGreaterThan(0);
    for (const t of twins) {
      expect(SAMPLER_OPTIONS.map((o) => o.value)).not.toContain(t.name);
      expect(sanitize({ sampler: t.name }).sampler).toBe(t.sameAs);
    }
    expect(SAMPLER_OPTIONS.map((o) => o.value)).toEqual(
      SAMPLERS.filter((s) => !s.sameAs).map((s) => s.name),
    );
  });
});
