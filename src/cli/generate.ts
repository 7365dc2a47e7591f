/**
 * `npm run generate -- --model fashion-28 --class sneaker --n 16 --steps 20
 *   --sampler dpmpp-2m --guidance 3 --seed 42 --out samples.png [--gif]
 *   [--init img.png --strength 0.6] [--npy samples.npy]`
 *
 * The same core loop, kernels and runtime as the app, on onnxruntime-web's
 * WASM build by default (bit-identical to the app's CPU path) or
 * onnxruntime-node with --engine native. Progress goes to stderr; a bad flag,
 * unknown class or broken model is one line on stderr and a non-zero exit.
 */
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { choiceFromPairs, describeChoice, isGuided } from '../core/conditioning.ts';
import { LIMITS } from '../core/limits.ts';
import { recipeFor } from '../core/recipe.ts';
import { requestFromRecipe } from '../core/recipe-request.ts';
import { encodeGif } from '../media/gif.ts';
import { encodeNpy } from '../media/npy.ts';
import { addRecipe, MAX_PNG_BYTES } from '../media/png-text.ts';
import { tileGrid } from '../media/tile.ts';
import { messageOf } from '../runtime/errors.ts';
import type { GenerationRequest } from '../runtime/generation.ts';
import { Generator } from '../runtime/generator.ts';
import { checkDeclaredSizes, parseManifest } from '../runtime/model-package.ts';
import { nodeEngineLoader } from '../runtime/ort-node.ts';
import { checkRequest } from '../runtime/request.ts';
import { loadSamplingKernels } from '../runtime/sampling.ts';
import { CliError, parseArgs, usage, type GenerateOptions } from './args.ts';
import { checkRecipeModel, recipeOfPng, withRecipe } from './from-png.ts';
import { encodePng } from './images.ts';
import { checkOutputs, checkPictures, modelDir, readFile, readInit, writeWhole } from './inputs.ts';
import { progressBar } from './progress.ts';
import { printable } from './printable.ts';

export interface CliRun {
  out: string;
  gif?: string;
  npy?: string;
  backend: string;
}

export async function run(opts: GenerateOptions, log = progressBar()): Promise<CliRun> {
  const recipe =
    opts.fromPng === undefined
      ? undefined
      : recipeOfPng(readFile(opts.fromPng, '--from-png', MAX_PNG_BYTES), opts.fromPng);
  if (recipe) opts = withRecipe(opts, recipe);
  const dir = modelDir(opts.model);
  const manifestText = new TextDecoder().decode(
    readFile(join(dir, 'model.json'), '--model', LIMITS.manifestBytes),
  );
  const manifest = parseManifest(manifestText);
  checkDeclaredSizes(manifest);
  if (recipe) checkRecipeModel(opts, recipe, manifest);
  let labels = choiceFromPairs(manifest.conditioning, []);
  if (recipe) {
    try {
      labels = [...requestFromRecipe(recipe, manifest.conditioning).labels];
    } catch (e) {
      throw new CliError(`--from-png ${opts.fromPng}: ${printable(messageOf(e))}`);
    }
  }
  for (const pair of opts.labels) {
    try {
      const one = choiceFromPairs(manifest.conditioning, [pair]);
      one.forEach((l, i) => (labels[i] = l ?? labels[i] ?? null));
    } catch (e) {
      throw new CliError(
        `--label ${printable(pair)}: ${printable(messageOf(e))} (model ${printable(manifest.id)})`,
      );
    }
  }
  const guided = isGuided(labels);
  const defaultGuidance =
    manifest.conditioning.kind === 'labels' && guided ? manifest.conditioning.defaultGuidance : 0;
  const { channels, height, width } = manifest.image;
  checkOutputs(opts);
  const request: GenerationRequest = {
    seed: opts.seed,
    count: opts.n,
    firstIndex: opts.firstIndex,
    steps: opts.steps,
    sampler: opts.sampler,
    eta: opts.eta,
    guidance: opts.guidance ?? defaultGuidance,
    labels,
    keepFrames: opts.gif !== undefined,
  };
  // Every cheap check (fields, memory of the run and of the pictures) before any file is decoded or sampled.
  checkRequest(request, manifest);
  checkPictures(opts, manifest);
  if (opts.init !== undefined)
    request.init = { image: readInit(opts.init, manifest), strength: opts.strength };

  const cores = availableParallelism();
  const generator = new Generator({
    capabilities: async () =>
      Object.freeze({
        simd: true,
        crossOriginIsolated: true,
        cores,
        webgpuUnavailable: 'Node has no WebGPU',
      }),
    engines: () => nodeEngineLoader(opts.engine, opts.threads),
    kernels: () =>
      loadSamplingKernels().catch((e: unknown) => {
        throw new CliError(
          `the AssemblyScript kernels did not load (${messageOf(e)}); build them with \`npm run asbuild\``,
        );
      }),
  });
  const onnx = readFile(join(dir, manifest.file.path), '--model', LIMITS.modelFileBytes);
  const loaded = await generator.loadModel({ kind: 'files', manifestText, onnx }, 'wasm');
  const backend = `${loaded.backend.engine}, ${loaded.backend.threads} thread${loaded.backend.threads === 1 ? '' : 's'}`;
  const what = guided ? printable(describeChoice(manifest.conditioning, labels)) : 'unconditional';
  log.note(
    `${printable(manifest.id)}: ${opts.n} × ${what}, ${opts.sampler}, ${opts.steps} steps, guidance ${request.guidance}, seed ${opts.seed}${request.init ? `, img2img strength ${opts.strength}` : ''} on ${backend}`,
  );
  try {
    const result = await generator.generate(request, (p) => {
      if (p.notice) log.note(p.notice);
      log.update(p.step, p.of, p.msPerStep);
    });
    log.done();
    const cols = Math.ceil(Math.sqrt(opts.n));
    const { id, file, conditioning } = manifest;
    // The first image's recipe plus the run's count: --from-png makes the whole grid again.
    const made = {
      ...recipeFor(request, 0, { id, sha256: file.sha256, conditioning }, backend, new Date()),
      count: opts.n,
    };
    const grid = encodePng(tileGrid(result.images, opts.n, width, height, cols, opts.scale));
    writeWhole(opts.out, addRecipe(grid, made, conditioning));
    log.note(`wrote ${opts.out} (${result.msPerStep.toFixed(0)} ms per step)`);
    const done: CliRun = { out: opts.out, backend };
    if (opts.npy !== undefined) {
      writeWhole(opts.npy, encodeNpy(result.images, opts.n, height, width, channels));
      log.note(`wrote ${opts.npy} (${opts.n}×${height}×${width}×${channels} uint8)`);
      done.npy = opts.npy;
    }
    if (opts.gif !== undefined && result.frames) {
      writeWhole(opts.gif, encodeGif(result.frames, opts.n, width, height, cols, opts.scale));
      log.note(`wrote ${opts.gif} (${result.frames.length} frames)`);
      done.gif = opts.gif;
    }
    return done;
  } finally {
    await generator.release();
  }
}

async function main(argv: string[]): Promise<number> {
  let opts: GenerateOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`generate: ${messageOf(e)}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  try {
    await run(opts);
    return 0;
  } catch (e) {
    process.stderr.write(`\ngenerate: ${messageOf(e).replace(/\s*\n\s*/g, ' ')}\n`);
    return e instanceof CliError ? 2 : 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
