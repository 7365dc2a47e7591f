/** Fuzz: CLI flag vectors through parseArgs: options within their ranges, or a one-line CliError. */
import { describe, expect, it } from 'vitest';
import { CliError, FLAGS, parseArgs, type GenerateOptions } from '../../src/cli/args.ts';
import { REQUEST_SPEC } from '../../src/core/request-spec.ts';
import { fuzzTarget, Wrong, type Rng } from './harness.ts';

const NAMES = Object.keys(FLAGS);
const VALUES = [
  '', '0', '1', '-1', '64', '65', '1024', '4294967295', '4294967296', '1e3', '0x10', '1.5', 'NaN', 'Infinity', '-0',
  ' 3', '3 ', '９', 'sneaker', 'class=sneaker', '=', 'a=b=c', '--', '-', 'ddim', 'euler-a', 'native', 'web',
  'x.png', '../../etc/passwd', '\u001b[31mred', 'é'.repeat(300), '1'.repeat(400), '\u0000',
];

function value(rng: Rng): string {
  if (rng.bool(0.2)) return String(rng.int(-5, 5000) * (rng.bool() ? 1 : 0.37));
  if (rng.bool(0.1)) return String.fromCharCode(...Array.from({ length: rng.int(0, 8) }, () => rng.int(0, 0x2fff)));
  return rng.pick(VALUES);
}

function argv(rng: Rng): string[] {
  const out: string[] = [];
  for (let n = rng.int(0, 8); n > 0; n--) {
    const name = rng.bool(0.9) ? rng.pick(NAMES) : rng.pick(['-n', '--N', '--', '--bogus', 'samples.png', '--n=']);
    const form = rng.int(0, 3);
    if (form === 0) out.push(name);
    else if (form === 1) out.push(`${name}=${value(rng)}`);
    else out.push(name, value(rng));
  }
  return out;
}

const within = (v: number, min: number, max: number, int = true) =>
  Number.isFinite(v) && v >= min && v <= max && (!int || Number.isInteger(v));

function check(args: string[], o: GenerateOptions): void {
  const S = REQUEST_SPEC;
  const bad: string[] = [];
  if (!within(o.n, S.count.min, S.count.max)) bad.push(`n ${o.n}`);
  if (!within(o.steps, S.steps.min, S.steps.max)) bad.push(`steps ${o.steps}`);
  if (!within(o.seed, S.seed.min, S.seed.max)) bad.push(`seed ${o.seed}`);
  if (!within(o.eta, 0, 1, false)) bad.push(`eta ${o.eta}`);
  if (!within(o.strength, 0, 1, false)) bad.push(`strength ${o.strength}`);
  if (o.guidance !== undefined && !within(o.guidance, S.guidance.min, S.guidance.max, false)) bad.push(`guidance ${o.guidance}`);
  if (!within(o.scale, 1, 32)) bad.push(`scale ${o.scale}`);
  if (!within(o.threads, 1, 64)) bad.push(`threads ${o.threads}`);
  if (!within(o.firstIndex, 0, 2 ** 31 - 1)) bad.push(`firstIndex ${o.firstIndex}`);
  if (!S.sampler.values.includes(o.sampler)) bad.push(`sampler ${o.sampler}`);
  if (!['web', 'native'].includes(o.engine)) bad.push(`engine ${o.engine}`);
  if (typeof o.out !== 'string' || o.out === '') bad.push(`out ${JSON.stringify(o.out)}`);
  if (!o.labels.every((l) => /^[^=]+=.+$/.test(l))) bad.push(`labels ${JSON.stringify(o.labels)}`);
  if (bad.length > 0) throw new Wrong(`parseArgs accepted ${JSON.stringify(args)} as ${bad.join(', ')}`);
}

describe('fuzz: CLI flags, found', () => {
  it('an empty --out (or --init, --model, --npy) is refused before any work', () => {
    for (const argv of [['--out', ''], ['--out='], ['--init', ' '], ['--model='], ['--npy', '']])
      expect(() => parseArgs(argv)).toThrow(/^--\w+ needs a non-empty value/);
  });
});

fuzzTarget('every vector parses within range or fails with a CliError', {
  name: 'cli-flags',
  budgetMs: 4000,
  maxCases: 20000,
  caseMs: 200,
  generate: (rng) => argv(rng),
  run: (args) => parseArgs(args),
  check,
  clearError: (e) => e instanceof CliError && !e.message.includes('\n'),
  show: (args) => JSON.stringify(args),
});
