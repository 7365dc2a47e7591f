/**
 * Flags of `npm run generate`, as a table. Parsing is strict: an unknown
 * flag, a missing value or a value outside the valid set is a CliError whose
 * one-line message names the flag and lists what is valid.
 */
import type { SamplerName } from '../core/types.ts';
import { NODE_ENGINES, type NodeEngine } from '../runtime/ort-node.ts';

export const SAMPLERS: readonly SamplerName[] = [
  'ddpm',
  'ddpm-beta',
  'ddim',
  'dpmpp-2m',
  'euler-a',
];

export interface GenerateOptions {
  model: string;
  /** Class name or index as typed; resolved against the manifest later. */
  class?: string;
  n: number;
  steps: number;
  sampler: SamplerName;
  eta: number;
  guidance?: number;
  seed: number;
  out: string;
  /** Path of the reverse-process GIF, when asked for. */
  gif?: string;
  /** Path of a NumPy array of the images (count×H×W×C uint8), when asked for. */
  npy?: string;
  init?: string;
  strength: number;
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

type Kind = 'string' | 'int' | 'number' | 'flag' | 'optional-string';
interface Flag {
  key: keyof GenerateOptions;
  kind: Kind;
  help: string;
  valid?: readonly string[];
  min?: number;
  max?: number;
}

export const FLAGS: Readonly<Record<string, Flag>> = Object.freeze({
  '--model': {
    key: 'model',
    kind: 'string',
    help: 'model id under public/models/, or a folder holding model.json (default fashion-28)',
  },
  '--class': { key: 'class', kind: 'string', help: 'class name or index (default: unconditional)' },
  '--n': { key: 'n', kind: 'int', min: 1, max: 1024, help: 'number of images (default 16)' },
  '--steps': { key: 'steps', kind: 'int', min: 1, max: 1000, help: 'sampling steps (default 20)' },
  '--sampler': {
    key: 'sampler',
    kind: 'string',
    valid: SAMPLERS,
    help: `sampler (default dpmpp-2m)`,
  },
  '--eta': { key: 'eta', kind: 'number', min: 0, max: 1, help: 'DDIM η (default 0)' },
  '--guidance': {
    key: 'guidance',
    kind: 'number',
    min: 0,
    max: 50,
    help: "classifier-free guidance w (default: the model's)",
  },
  '--seed': { key: 'seed', kind: 'int', min: 0, max: 2 ** 32 - 1, help: 'noise seed (default 42)' },
  '--out': { key: 'out', kind: 'string', help: 'PNG grid to write (default samples.png)' },
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
  '--strength': {
    key: 'strength',
    kind: 'number',
    min: 0,
    max: 1,
    help: 'img2img strength, 0 keeps the image, 1 ignores it (default 0.6)',
  },
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

export const DEFAULTS: GenerateOptions = Object.freeze({
  model: 'fashion-28',
  n: 16,
  steps: 20,
  sampler: 'dpmpp-2m',
  eta: 0,
  seed: 42,
  out: 'samples.png',
  strength: 0.6,
  engine: 'web',
  threads: 1,
  scale: 4,
  help: false,
});

function parseValue(name: string, flag: Flag, raw: string): string | number {
  if (flag.valid && !flag.valid.includes(raw)) {
    throw new CliError(`${name} must be one of ${flag.valid.join(', ')} (got "${raw}")`);
  }
  if (flag.kind !== 'int' && flag.kind !== 'number') return raw;
  const v = Number(raw);
  const range = `${flag.min ?? '-∞'}..${flag.max ?? '∞'}`;
  if (raw.trim() === '' || !Number.isFinite(v) || (flag.kind === 'int' && !Number.isInteger(v))) {
    throw new CliError(
      `${name} must be ${flag.kind === 'int' ? 'an integer' : 'a number'} in ${range} (got "${raw}")`,
    );
  }
  if ((flag.min !== undefined && v < flag.min) || (flag.max !== undefined && v > flag.max)) {
    throw new CliError(`${name} must be in ${range} (got ${raw})`);
  }
  return v;
}

export function parseArgs(argv: readonly string[]): GenerateOptions {
  const opts: Record<string, unknown> = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = FLAGS[name];
    if (!flag) {
      const what = arg.startsWith('-') ? `unknown flag ${name}` : `unexpected argument "${arg}"`;
      throw new CliError(`${what}; valid flags: ${Object.keys(FLAGS).join(', ')}`);
    }
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
    opts[flag.key] = parseValue(name, flag, raw);
  }
  const parsed = opts as unknown as GenerateOptions;
  if (parsed.gif === '') parsed.gif = parsed.out.replace(/\.png$/i, '') + '.gif';
  return parsed;
}

export function usage(): string {
  const lines = Object.entries(FLAGS).map(
    ([name, f]) => `  ${name.padEnd(12)} ${f.help}${f.valid ? ` [${f.valid.join('|')}]` : ''}`,
  );
  return [
    'Usage: npm run generate -- [flags]',
    'Example: npm run generate -- --model fashion-28 --class sneaker --n 16 --steps 20 --sampler dpmpp-2m --guidance 3 --seed 42 --out samples.png',
    '',
    ...lines,
  ].join('\n');
}
