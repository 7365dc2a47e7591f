import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import { CliError, DEFAULTS, parseArgs } from '../../src/cli/args.ts';
import { run } from '../../src/cli/generate.ts';
import { encodePng, pngToImage } from '../../src/cli/images.ts';
import { modelDir } from '../../src/cli/inputs.ts';
import { recipeJson, type Recipe } from '../../src/core/recipe.ts';
import { addTextChunks, readRecipe } from '../../src/media/png-text.ts';
import { tileGrid } from '../../src/media/tile.ts';
import type { ProgressBar } from '../../src/cli/progress.ts';
import { rejection, thrown } from '../support/rejection.ts';
import { DEFAULT_MODEL } from '../support/shipped.ts';

const tmp = mkdtempSync(join(tmpdir(), 'cli-generate-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const parseError = (argv: string[]): string => thrown(() => parseArgs(argv), CliError).message;

function recorder(): ProgressBar & { lines: string[]; steps: string[] } {
  const lines: string[] = [];
  const steps: string[] = [];
  return {
    lines,
    steps,
    note: (l) => lines.push(l),
    update: (s, of) => steps.push(`${s}/${of}`),
    done: () => undefined,
  };
}

describe('generate flags', () => {
  it('parses the documented example', () => {
    const argv =
      '--model fashion-28 --class sneaker --n 16 --steps 20 --sampler dpmpp-2m --guidance 3 --seed 42 --out samples.png'.split(
        ' ',
      );
    expect(parseArgs(argv)).toEqual({
      ...DEFAULTS,
      model: 'fashion-28',
      labels: ['class=sneaker'],
      n: 16,
      guidance: 3,
    });
  });

  it("without --model runs the app's default model, the one public/models/index.json names", () => {
    expect(parseArgs([]).model).toBe('');
    expect(modelDir('')).toBe(resolve('public/models', DEFAULT_MODEL));
  });

  it('takes one --label per group, and --class as the one-group shorthand', () => {
    expect(parseArgs(['--label', 'category=animals', '--label=style=noto']).labels).toEqual([
      'category=animals',
      'style=noto',
    ]);
    expect(parseError(['--label', 'animals'])).toMatch(/^--label takes group=value/);
  });

  it('reads --gif with or without a path, --flag=value, and img2img flags', () => {
    expect(parseArgs(['--out', 'a.png', '--gif']).gif).toBe('a.gif');
    expect(parseArgs(['--gif', '--n', '4'])).toMatchObject({ gif: 'samples.gif', n: 4 });
    expect(parseArgs(['--gif=anim.gif', '--init', 'x.png', '--strength=0.6'])).toMatchObject({
      gif: 'anim.gif',
      init: 'x.png',
      strength: 0.6,
    });
  });

  it.each<[string[], RegExp]>([
    [
      ['--bogus'],
      /^unknown flag --bogus; valid flags: --model, --label, --class, --n, --steps, --sampler, .*--help$/,
    ],
    [['samples.png'], /^unexpected argument "samples\.png"; valid flags: --model/],
    [
      ['--sampler', 'heun'],
      /^--sampler must be one of dpmpp-2m, ddim, ddpm, ddpm-beta, euler-a \(got "heun"\)$/,
    ],
    [['--engine', 'gpu'], /^--engine must be one of web, native \(got "gpu"\)$/],
    [['--n', '0'], /^--n must be an integer in 1\.\.64 \(got "0"\)$/],
    [['--n', '1024'], /^--n must be an integer in 1\.\.64 \(got "1024"\)$/],
    [['--steps', 'ten'], /^--steps must be an integer in 1\.\.1000 \(got "ten"\)$/],
    [['--guidance', '-1'], /^--guidance must be a number in \[0, 10\] \(got "-1"\)$/],
    [['--strength', '1.5'], /^--strength must be a number in \[0, 1\] \(got "1\.5"\)$/],
    [['--seed'], /^--seed needs a value \(noise seed/],
    [['--sampler'], /^--sampler needs a value: one of dpmpp-2m, ddim, ddpm, ddpm-beta, euler-a$/],
  ])('%j is a one-line error listing what is valid', (argv, message) => {
    const m = parseError(argv);
    expect(m).toMatch(message);
    expect(m).not.toContain('\n');
  });
});

describe('generate run (onnxruntime-web WASM in Node)', () => {
  it('writes a PNG grid and the reverse process as a GIF', async () => {
    const out = join(tmp, 'grid.png');
    const log = recorder();
    const done = await run(
      parseArgs([
        '--model',
        'fashion-28',
        '--class',
        'sneaker',
        '--n',
        '3',
        '--steps',
        '3',
        '--out',
        out,
        '--gif',
        '--npy',
        join(tmp, 'grid.npy'),
        '--scale',
        '2',
      ]),
      log,
    );
    expect(done).toMatchObject({
      out,
      gif: join(tmp, 'grid.gif'),
      backend: expect.stringMatching(/onnxruntime-web .*WASM, 1 thread/),
    });
    expect(log.steps).toEqual(['1/3', '2/3', '3/3']);
    expect(log.lines[0]).toMatch(/fashion-28: 3 × Sneaker, dpmpp-2m, 3 steps, guidance 1.5, seed 42/);
    const png = PNG.sync.read(readFileSync(out));
    // 2 columns × 2 rows of 28×2 px with a 2 px gutter.
    expect([png.width, png.height]).toEqual([2 * 56 + 2, 2 * 56 + 2]);
    const gif = readFileSync(done.gif!);
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    // One image descriptor (0x2C after a graphic control block) per step.
    expect(gif.toString('latin1').split('\x21\xf9\x04').length - 1).toBe(3);
    // NumPy reads the array back: 3 images of 28×28×1, the PNG's pixels.
    const { stdout } = await promisify(execFile)('/usr/bin/python3', [
      '-c',
      'import sys, json, numpy as np; a = np.load(sys.argv[1]); print(json.dumps([a.dtype.str, a.shape, a[1].ravel().tolist()]))',
      done.npy!,
    ]);
    const [dtype, shape, second] = JSON.parse(stdout) as [string, number[], number[]];
    expect(dtype).toBe('|u1');
    expect(shape).toEqual([3, 28, 28, 1]);
    // Image 1 is the top-right tile of the grid, each pixel drawn 2×2.
    const fromPng = Array.from({ length: 28 * 28 }, (_, p) => {
      const y = Math.floor(p / 28) * 2;
      const x = 58 + (p % 28) * 2;
      return png.data[(y * png.width + x) * 4]!;
    });
    expect(second).toEqual(fromPng);
  });

  it('img2img from a PNG: strength 0.1 stays close to the init image', async () => {
    const init = join(tmp, 'init.png');
    const gray = Uint8ClampedArray.from({ length: 28 * 28 * 4 }, (_, i) =>
      i % 4 === 3 ? 255 : Math.floor(i / 4 / 28) < 14 ? 230 : 20,
    );
    writeFileSync(init, encodePng(tileGrid(gray, 1, 28, 28, 1, 3)));
    const out = join(tmp, 'img2img.png');
    await run(
      parseArgs([
        '--init',
        init,
        '--strength',
        '0.1',
        '--n',
        '1',
        '--steps',
        '10',
        '--out',
        out,
        '--scale',
        '1',
      ]),
      recorder(),
    );
    const result = pngToImage(readFileSync(out), 1, 28, 28);
    const target = pngToImage(readFileSync(init), 1, 28, 28);
    const mean = result.reduce((s, v, i) => s + Math.abs(v - target[i]!), 0) / result.length;
    expect(mean).toBeLessThan(0.25);
  });

  it.each<[string[], RegExp]>([
    [
      ['--class', 'boots'],
      /^--label class=boots: unknown class "boots"; valid: t-shirt-top, trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle-boot \(or 0\.\.9\) \(model fashion-28\)$/,
    ],
    [
      ['--label', 'style=noto'],
      /^--label style=noto: unknown label group "style"; valid groups: class \(model fashion-28\)$/,
    ],
    [
      ['--gif', join(tmp, 'x.png')],
      /^--gif .*x\.png is also the --out path; give each output its own file$/,
    ],
    [
      ['--npy', join(tmp, 'missing', 'a.npy')],
      /^--npy: folder .*missing does not exist; create it or choose another path$/,
    ],
    [
      ['--model', 'nope'],
      /^--model: no model "nope"; valid models: .*fashion-28.*, or a folder holding model\.json$/,
    ],
    [['--init', 'missing.png'], /^--init: cannot read missing\.png/],
    [
      ['--init', join(tmp, 'x.png')],
      /^--out .*x\.png is also the --init file, which the run would overwrite; give --out another path$/,
    ],
    [['--npy', tmp], /^--npy .* is a folder; give a file path inside it$/],
  ])('%j fails before generating, naming what is valid', async (argv, message) => {
    const e = await rejection(
      run(parseArgs(['--model', 'fashion-28', ...argv, '--out', join(tmp, 'x.png')]), recorder()),
      CliError,
    );
    expect(e.message).toMatch(message);
  });

  it('as a process: a bad class is one line on stderr and exit code 2', async () => {
    const e = await promisify(execFile)(process.execPath, [
      '--import',
      'tsx',
      'src/cli/generate.ts',
      '--model',
      'fashion-28',
      '--class',
      'boots',
    ]).then(
      () => undefined,
      (err: unknown) => err as { code: number; stderr: string },
    );
    expect(e?.code).toBe(2);
    expect(e?.stderr.trim()).toMatch(
      /^generate: --label class=boots: unknown class "boots"; valid: t-shirt-top, .*ankle-boot \(or 0\.\.9\) \(model fashion-28\)$/,
    );
  });
});

describe('generate run: emoji-32, a colour model with two label groups', () => {
  it('takes --label per group; the same seed gives the same PNG; a bad label lists the valid ones', async () => {
    const argv = ['--model', 'emoji-32', '--label', 'category=animals', '--label', 'style=noto', '--n', '2', '--steps', '3'];
    const [a, b] = [join(tmp, 'emoji-a.png'), join(tmp, 'emoji-b.png')];
    const log = recorder();
    await run(parseArgs([...argv, '--out', a]), log);
    await run(parseArgs([...argv, '--out', b]), recorder());
    expect(log.lines[0]).toMatch(/^emoji-32: 2 × Animals & Nature, Noto, dpmpp-2m, 3 steps, guidance 3, seed 42/);
    const png = PNG.sync.read(readFileSync(a));
    expect(Buffer.from(png.data).equals(Buffer.from(PNG.sync.read(readFileSync(b)).data))).toBe(true);
    // Colour: some pixel has red, green and blue apart.
    let colour = false;
    for (let i = 0; i < png.data.length && !colour; i += 4)
      colour = Math.abs(png.data[i]! - png.data[i + 1]!) > 40 || Math.abs(png.data[i + 1]! - png.data[i + 2]!) > 40;
    expect(colour).toBe(true);
    const e = await rejection(
      run(parseArgs(['--model', 'emoji-32', '--label', 'category=cars', '--out', join(tmp, 'c.png')]), recorder()),
      CliError,
    );
    expect(e.message).toBe(
      '--label category=cars: unknown category "cars"; valid: smileys, people, animals, food, travel, activities, objects, symbols (or 0..7) (model emoji-32)',
    );
  });
});

describe('generate run: text from a model file', () => {
  it('prints labels with terminal escapes as plain text', async () => {
    const dir = join(tmp, 'escapes');
    mkdirSync(dir);
    const manifest = JSON.parse(readFileSync('public/models/fashion-28/model.json', 'utf8')) as {
      conditioning: { labels: string[] };
    };
    manifest.conditioning.labels[7] = '\u001b[2J\u001b[31mSneaker';
    writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
    copyFileSync('public/models/fashion-28/model.onnx', join(dir, 'model.onnx'));
    const log = recorder();
    await run(
      parseArgs([
        '--model',
        dir,
        '--class',
        '7',
        '--n',
        '1',
        '--steps',
        '1',
        '--out',
        join(tmp, 'esc.png'),
      ]),
      log,
    );
    expect(log.lines[0]).toMatch(/1 × \?\[2J\?\[31mSneaker/);
    expect(log.lines.join('\n')).not.toContain('\u001b');
  });
});

describe('generate --from-png: the recipe inside the PNG', () => {
  const grid = join(tmp, 'recipe-grid.png');
  const made = (): Recipe => readRecipe(readFileSync(grid));
  const pixels = (path: string) => PNG.sync.read(readFileSync(path));

  it('parses --from-png and remembers which flags were given, to override the recipe', () => {
    expect(parseArgs(['--from-png', 'a.png', '--n=2', '--class', 'bag'])).toMatchObject({
      fromPng: 'a.png',
      given: ['fromPng', 'n', 'labels'],
    });
    expect(parseArgs(['--n', '2'])).not.toHaveProperty('given');
  });

  it("every PNG it writes carries its first image's recipe and the run's count", async () => {
    const argv = '--model fashion-28 --class bag --n 3 --steps 3 --sampler ddim --eta 0.5 --seed 11 --first-index 5';
    await run(parseArgs([...argv.split(' '), '--out', grid]), recorder());
    expect(made()).toMatchObject({
      format: 'diffuse-recipe',
      version: 1,
      model: { id: 'fashion-28', sha256: expect.stringMatching(/^774404c8dc10/) },
      labels: { class: 'bag' },
      sampler: 'ddim',
      steps: 3,
      eta: 0.5,
      guidance: 1.5,
      seed: 11,
      index: 5,
      count: 3,
      backend: expect.stringMatching(/WASM, 1 thread/),
    });
  });

  it('regenerates the same pixels from that PNG alone', async () => {
    const again = join(tmp, 'recipe-again.png');
    const log = recorder();
    await run(parseArgs(['--from-png', grid, '--out', again]), log);
    expect(log.lines[0]).toMatch(/^fashion-28: 3 × Bag, ddim, 3 steps, guidance 1.5, seed 11/);
    const [a, b] = [pixels(grid), pixels(again)];
    expect([b.width, b.height]).toEqual([a.width, a.height]);
    expect(Buffer.from(b.data).equals(Buffer.from(a.data))).toBe(true);
    expect({ ...readRecipe(readFileSync(again)), createdAt: 0 }).toEqual({
      ...made(),
      createdAt: 0,
    });
  });

  it('refuses to write over the PNG it reads, and leaves it as it was', async () => {
    const before = readFileSync(grid);
    const e = await rejection(run(parseArgs(['--from-png', grid, '--n', '1', '--out', grid]), recorder()), CliError);
    expect(e.message).toMatch(
      /^--out .*recipe-grid\.png is also the --from-png file, which the run would overwrite; give --out another path$/,
    );
    expect(readFileSync(grid).equals(before)).toBe(true);
  });

  it('flags given with it override the recipe: --n 1 makes the first image alone, the same pixels', async () => {
    const one = join(tmp, 'recipe-one.png');
    await run(parseArgs(['--from-png', grid, '--n', '1', '--out', one]), recorder());
    const [a, b] = [pixels(grid), pixels(one)];
    const tile = Array.from({ length: b.height }, (_, y) =>
      Buffer.from(a.data.subarray(y * a.width * 4, (y * a.width + b.width) * 4)),
    );
    expect(Buffer.from(b.data).equals(Buffer.concat(tile))).toBe(true);
    expect(readRecipe(readFileSync(one))).toMatchObject({ index: 5, count: 1, seed: 11 });

    const other = join(tmp, 'recipe-other.png');
    await run(
      parseArgs([
        '--from-png',
        grid,
        '--seed',
        '12',
        '--steps',
        '1',
        '--class',
        'dress',
        '--out',
        other,
      ]),
      recorder(),
    );
    expect(readRecipe(readFileSync(other))).toMatchObject({
      labels: { class: 'dress' },
      seed: 12,
      steps: 1,
      sampler: 'ddim',
      eta: 0.5,
      index: 5,
      count: 3,
    });
  });

  function pngWith(name: string, text: Record<string, string>): string {
    const path = join(tmp, name);
    const white = new Uint8ClampedArray(28 * 28 * 4).fill(255);
    writeFileSync(path, addTextChunks(encodePng(tileGrid(white, 1, 28, 28, 1, 1)), text));
    return path;
  }
  const withRecipe = (patch: Partial<Recipe>): Record<string, string> => ({
    'diffuse-recipe': recipeJson({ ...made(), ...patch }),
  });

  it.each<[string, () => string, RegExp]>([
    [
      'a PNG without a recipe',
      () => pngWith('plain.png', {}),
      /^--from-png .*plain\.png: This PNG carries no Diffuse recipe$/,
    ],
    [
      'a damaged recipe',
      () =>
        pngWith('damaged.png', { 'diffuse-recipe': '{"format": "diffuse-recipe", "version": 7}' }),
      /^--from-png .*damaged\.png: The PNG's recipe is damaged: unknown version 7; this version of Diffuse reads version 1$/,
    ],
    [
      'a model whose sha256 differs',
      () =>
        pngWith(
          'other-model.png',
          withRecipe({ model: { id: 'fashion-28', sha256: '0'.repeat(64) } }),
        ),
      /^--from-png .*: model fashion-28 here has sha256 774404c8.*, but the recipe was made with 0{64}, so the pixels would differ; add --model fashion-28 to run it anyway$/,
    ],
    [
      'a label the model does not have',
      () => pngWith('boots.png', withRecipe({ labels: { class: 'boots' } })),
      /^--from-png .*: the recipe's class "boots" is not one of this model's: t-shirt-top, .*, ankle-boot$/,
    ],
    [
      'an img2img recipe without --init',
      () => pngWith('img2img.png', withRecipe({ strength: 0.6 })),
      /^--from-png .*: made by img2img \(strength 0\.6\) from an image the recipe does not hold; give that image with --init$/,
    ],
    [
      'a file that is not there',
      () => join(tmp, 'nowhere.png'),
      /^--from-png: cannot read .*nowhere\.png/,
    ],
  ])('%s fails before generating, saying why', async (_what, path, message) => {
    const log = recorder();
    const e = await rejection(
      run(parseArgs(['--from-png', path(), '--out', join(tmp, 'x.png')]), log),
      CliError,
    );
    expect(e.message).toMatch(message);
    expect(log.steps).toEqual([]);
  });
});

describe('CLI image files', () => {
  it('a PNG made from gray levels reads back as the same floats in [-1, 1]', () => {
    const levels = Uint8ClampedArray.from({ length: 28 * 28 * 4 }, (_, i) =>
      i % 4 === 3 ? 255 : (Math.floor(i / 4) * 7) % 256,
    );
    const floats = pngToImage(encodePng(tileGrid(levels, 1, 28, 28, 1, 1)), 1, 28, 28);
    expect(Array.from(floats.slice(0, 4))).toEqual(
      [0, 7, 14, 21].map((v) => (v / 255) * 2 - 1).map(Math.fround),
    );
  });

  it('a larger PNG is area-averaged down to the model size', () => {
    const big = Uint8ClampedArray.from({ length: 56 * 56 * 4 }, (_, i) =>
      i % 4 === 3 ? 255 : (Math.floor(i / 4) % 56) % 2 === 0 ? 255 : 0,
    );
    const floats = pngToImage(
      encodePng({ rgba: Uint8Array.from(big), width: 56, height: 56 }),
      1,
      28,
      28,
    );
    expect(Math.max(...floats.map((v) => Math.abs(v)))).toBeLessThan(1e-6);
  });
});
