/** Generate's estimate before a run on a software renderer: what it counts and what it says. */
import { describe, expect, it } from 'vitest';
import { guidanceMode } from '../../src/core/conditioning.ts';
import {
  estimateSeconds,
  roughTime,
  runSize,
  softwareNotice,
} from '../../src/ui/screens/generate/estimate.ts';
import { shippedManifest } from '../support/shipped.ts';

const { conditioning } = shippedManifest('fashion-28');
const request = { seed: 1, count: 4, steps: 20, sampler: 'dpmpp-2m' as const, guidance: 3 };

describe('guidanceMode', () => {
  it.each<[string, (number | null)[], number, string]>([
    ['nothing picked', [null], 3, 'conditional'],
    ['w = 1', [2], 1, 'conditional'],
    ['w = 0', [2], 0, 'unconditional'],
    ['a label and w = 3', [2], 3, 'guided'],
  ])('%s: %s', (_what, labels, w, mode) => {
    expect(guidanceMode(conditioning, labels, w)).toBe(mode);
  });

  it('a model without labels has nothing to guide', () => {
    expect(guidanceMode({ kind: 'none' }, [], 3)).toBe('unlabelled');
  });
});

describe('the estimate', () => {
  it('counts images × steps, twice under guidance', () => {
    const speed = { msPerImage: 1500, basis: 'trial' as const };
    const guided = runSize({ ...request, labels: [2] }, conditioning);
    const plain = runSize({ ...request, labels: [null] }, conditioning);
    expect(guided).toEqual({ count: 4, steps: 20, passes: 2 });
    expect(estimateSeconds(speed, guided)).toBe(240);
    expect(estimateSeconds(speed, plain)).toBe(120);
  });

  it.each([
    [0.2, '1\u00a0s'],
    [42.4, '42\u00a0s'],
    [59.4, '59\u00a0s'],
    [60, '1\u00a0min'],
    [200, '3\u00a0min'],
    [5400, '1.5\u00a0h'],
  ])('%s s reads as %s', (s, text) => expect(roughTime(s)).toBe(text));

  it('says the time, what it is for, and what it is based on', () => {
    const size = { count: 4, steps: 20, passes: 2 as const };
    const trial = softwareNotice({ msPerImage: 2500, basis: 'trial' }, size);
    expect(trial.short).toBe('Software renderer: about 7\u00a0min for this run');
    expect(trial.long).toMatch(
      /4 images × 20 steps, × 2 for guidance .*about 7\smin: an estimate from a timed test call after loading, 2\.5\ss per image per pass/,
    );
    const run = softwareNotice({ msPerImage: 800, basis: 'run' }, { ...size, count: 1, passes: 1 });
    expect(run.long).toMatch(
      /1 image × 20 steps, will take about 16\ss: .*your last run on it, 800\sms/,
    );
  });

  it('without a measurement it gives no number', () => {
    const none = softwareNotice(undefined, { count: 1, steps: 2, passes: 1 });
    expect(none.long).toMatch(/much slower than the CPU\. No estimate yet/);
    expect(none.long + none.short).not.toMatch(/\d/);
  });
});
