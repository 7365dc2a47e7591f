/**
 * Flags of `npm run generate`, as a table. The request's flags (seed, n,
 * steps, sampler, eta, guidance, strength) are built from core's request
 * spec, so their ranges and defaults are the app's. Parsing is strict: an
 * unknown flag, a missing value or a value outside the valid set is a
 * CliError whose one-line message names the flag and lists what is valid.
 */
import { describeField, fieldValue, REQUEST_SPEC, type FieldSpec } from '../core/request-spec.ts';
import { SAMPLERS } from '../core/samplers.ts';
import type { SamplerName } from '../core/types.ts';
import { NODE_ENGINES, type NodeEngine } from '../runtime/ort-node.ts';

export interface GenerateOptions {
  /** '' for the app's default model. */
  model: string;
  /** `group=value` pairs as typed (`--class X` is `class=X`); resolved against the manifest later. */
  labels: string[];
  n: number;
  steps: number;
  sampler: SamplerName;
  eta: number;
  /** Undefined: the model's default guidance. */
  guidance?: number;
  seed: number;
  /** Noise stream of the first image: lets a large set be drawn in several runs with the same pictures. */
  firstIndex: number;
  out: string;
  /** Path of the reverse-process GIF, when asked for. */
  gif?: string;
  /** Path of a NumPy array of the images (count×H×W×C uint8), when asked for. */
  npy?: string;
  init?: string;
  strength: number;
  /** A PNG whose recipe gives the settings; flags given with it override the recipe's. */
  fromPng?: string;
  /** With --from-png: the options that flags set, which the recipe leaves alone. */
  given?: (keyof GenerateOptions)[];
  engine: NodeEngine;
  threads: number;
  /** Pixels per image pixel in the PNG/GIF (28 px images are tiny). */
  scale: number;
  help: boolean;
}

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

type Kind = 'string' | 'int' | 'number' | 'flag' | 'optional-string' | 'list';
interface Flag {
  key: keyof GenerateOptions;
  kind: Kind;
  help: string;
  valid?: readonly string[];
  min?: number;
  max?: number;
  /** The spec row this flag is checked against. */
  spec?: FieldSpec;
}

/** A flag for a request field: its checks, help and default come from the spec. */
function fromSpec(key: keyof GenerateOptions, spec: FieldSpec, defaultText?: string): Flag {
  const shown = defaultText ?? String(spec.default);
  if (spec.kind === 'choice')
    return { key, kind: 'string', spec, valid: spec.values, help: `${spec.help} (default ${shown})` };
  return { key, kind: spec.kind, spec, min: spec.min, max: spec.max, help: `${spec.help} (default ${shown})` };
}

const S = REQUEST_SPEC;

export const FLAGS: Readonly<Record<string, Flag>> = Object.freeze({
  '--model': {
    key: 'model',
    kind: 'string',
    help: "model id under public/models/, or a folder holding model.json (default: the app's, named in public/models/index.json)",
  },
  '--label': {
    key: 'labels',
    kind: 'list',
    help: 'group=value, once per label group, e.g. --label category=animals --label style=noto (default: any)',
  },
  '--class': {
    key: 'labels',
    kind: 'list',
    help: "the label of a model with one label group, e.g. --class sneaker (same as --label class=sneaker)",
  },
  '--n': fromSpec('n', S.count),
  '--steps': fromSpec('steps', S.steps),
  '--sampler': fromSpec('sampler', S.sampler),
  '--eta': fromSpec('eta', S.eta),
  '--guidance': fromSpec('guidance', S.guidance, "the model's"),
  '--seed': fromSpec('seed', S.seed),
  '--first-index': {
    key: 'firstIndex',
    kind: 'int',
    min: 0,
    max: 2 ** 31 - 1,
    help: 'noise stream of the first image, to split a large set over runs (default 0)',
  },
  '--from-png': {
    key: 'fromPng',
    kind: 'string',
    help: 'settings from the recipe inside a PNG this app or CLI wrote (model, labels, sampler, steps, eta, guidance, seed, first index, n, strength); flags given with it override them',
  },
  '--out': {
    key: 'out',
    kind: 'string',
    help: 'PNG grid to write, with the recipe of the run inside (default samples.png)',
  },
  '--gif': {
    key: 'gif',
    kind: 'optional-string',
    help: 'also write the reverse process as an animated GIF (default path: --out with .gif)',
  },
  '--npy': {
    key: 'npy',
    kind: 'string',
    help: 'also write the images as a NumPy uint8 array, n×H×W×C (for evaluation)',
  },
  '--init': { key: 'init', kind: 'string', help: 'img2img: start from this PNG' },
  '--strength': fromSpec('strength', S.strength),
  '--engine': {
    key: 'engine',
    kind: 'string',
    valid: NODE_ENGINES,
    help: 'web: onnxruntime-web WASM, same pictures as the app (default); native: onnxruntime-node, faster',
  },
  '--threads': {
    key: 'threads',
    kind: 'int',
    min: 1,
    max: 64,
    help: 'CPU threads for onnxruntime (default 1)',
  },
  '--scale': {
    key: 'scale',
    kind: 'int',
    min: 1,
    max: 32,
    help: 'upscale each pixel in the PNG/GIF (default 4)',
  },
  '--help': { key: 'help', kind: 'flag', help: 'show this help' },
});

export const DEFAULTS: Readonly<GenerateOptions> = Object.freeze({
  model: '',
  labels: [],
  n: S.count.default,
  steps: S.steps.default,
  sampler: S.sampler.default,
  eta: S.eta.default,
  seed: S.seed.default,
  firstIndex: 0,
  out: 'samples.png',
  strength: S.strength.default,
  engine: 'web',
  threads: 1,
  scale: 4,
  help: false,
});

function parseValue(name: string, flag: Flag, raw: string): string | number {
  // An empty path or id would only fail after the sampling work (e.g. writing to "").
  if (flag.kind === 'string' && raw.trim() === '')
    throw new CliError(`${name} needs a non-empty value (${flag.help})`);
  if (flag.valid && !flag.valid.includes(raw)) {
    throw new CliError(`${name} must be one of ${flag.valid.join(', ')} (got "${raw}")`);
  }
  if (flag.kind !== 'int' && flag.kind !== 'number') return raw;
  const v = raw.trim() === '' ? Number.NaN : Number(raw);
  const ok = flag.spec
    ? fieldValue(flag.spec, v) !== undefined
    : Number.isFinite(v) &&
      (flag.kind !== 'int' || Number.isInteger(v)) &&
      v >= (flag.min ?? -Infinity) &&
      v <= (flag.max ?? Infinity);
  if (!ok) {
    const want = flag.spec
      ? describeField(flag.spec)
      : `${flag.kind === 'int' ? 'an integer' : 'a number'} in ${flag.min}..${flag.max}`;
    throw new CliError(`${name} must be ${want} (got "${raw}")`);
  }
  return v;
}

export function parseArgs(argv: readonly string[]): GenerateOptions {
  const opts: Record<string, unknown> = { ...DEFAULTS, labels: [] };
  const given = new Set<keyof GenerateOptions>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = FLAGS[name];
    if (!flag) {
      const what = arg.startsWith('-') ? `unknown flag ${name}` : `unexpected argument "${arg}"`;
      throw new CliError(`${what}; valid flags: ${Object.keys(FLAGS).join(', ')}`);
    }
    given.add(flag.key);
    if (flag.kind === 'flag') {
      opts[flag.key] = true;
      continue;
    }
    let raw: string | undefined = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (raw === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        raw = next;
        i++;
      }
    }
    if (raw === undefined) {
      if (flag.kind === 'optional-string') {
        opts[flag.key] = '';
        continue;
      }
      throw new CliError(
        `${name} needs a value${flag.valid ? `: one of ${flag.valid.join(', ')}` : ` (${flag.help})`}`,
      );
    }
    if (flag.kind === 'list') {
      const pair = name === '--class' ? `class=${raw}` : raw;
      if (!/^[^=]+=.+$/.test(pair))
        throw new CliError(`${name} takes group=value, e.g. --label category=animals (got "${raw}")`);
      (opts.labels as string[]).push(pair);
      continue;
    }
    opts[flag.key] = parseValue(name, flag, raw);
  }
  const parsed = opts as unknown as GenerateOptions;
  if (parsed.gif === '') parsed.gif = parsed.out.replace(/\.png$/i, '') + '.gif';
  if (parsed.fromPng !== undefined) parsed.given = [...given];
  return parsed;
}

export function usage(): string {
  const lines = Object.entries(FLAGS).map(
    ([name, f]) => `  ${name.padEnd(14)} ${f.help}${f.valid ? ` [${f.valid.join('|')}]` : ''}`,
  );
  const samplers = SAMPLERS.map(
    (s) => `  ${s.name.padEnd(14)} ${s.label}, about ${s.recommendedSteps} steps${s.usesEta ? ', takes --eta' : ''}`,
  );
  return [
    'Usage: npm run generate -- [flags]',
    'Example: npm run generate -- --model fashion-28 --class sneaker --n 16 --steps 20 --sampler dpmpp-2m --seed 42 --out samples.png',
    '',
    ...lines,
    '',
    'Samplers:',
    ...samplers,
  ].join('\n');
}
