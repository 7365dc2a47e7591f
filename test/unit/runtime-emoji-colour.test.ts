/**
 * emoji-32, the colour model, through the pieces the app and the CLI share
 * (the runtime Generator on onnxruntime-web WASM in Node): a batch, a new
 * seed (New seed), an interpolation between two seeds' x_T, the reverse-process
 * GIF, the PNG with its recipe, and img2img from a colour picture. Each check
 * fails if colour were lost (channels collapsed to grey), and img2img's also
 * if the channels were swapped.
 */
import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateManifest } from '../../src/core/manifest.ts';
import { recipeFor } from '../../src/core/recipe.ts';
import { requestFromRecipe } from '../../src/core/recipe-request.ts';
import { encodePng, pngToImage } from '../../src/cli/images.ts';
import { addRecipe, readRecipe } from '../../src/media/png-text.ts';
import { imageAt, rgbaToCHW } from '../../src/media/rgba.ts';
import { gridSize, tileGrid } from '../../src/media/tile.ts';
import type { GenerationRequest, GenerationResult } from '../../src/runtime/generation.ts';
import { Generator } from '../../src/runtime/generator.ts';
import { loadSamplingKernels } from '../../src/runtime/sampling.ts';
import type { ModelEntry } from '../../src/ui/catalog.ts';
import { api as gifWorker } from '../../src/ui/gif.worker.ts';
import { interpolationPlan, seedPlan } from '../../src/ui/plans.ts';
import { DEFAULTS } from '../../src/ui/settings.ts';
import { api as kernelsWorker } from '../../workers/kernels.worker.ts';
import { colourShare, isColour, meanAbsDiff, pngColourType } from '../support/colour.ts';
import { decodeGif, tiledRGB } from '../support/gif-decode.ts';
import { cpuOnly, wasm } from '../support/node-engines.ts';

const DIR = 'public/models/emoji-32';
const manifestText = readFileSync(`${DIR}/model.json`, 'utf8');
const manifest = validateManifest(JSON.parse(manifestText));
const model = { id: manifest.id, name: manifest.name, manifest } as ModelEntry;
const [W, H] = [32, 32];
const PIXELS = W * H;

/** Animals & Nature in the Noto style, 4 steps: what the settings ask, as the Generate screen plans it. */
const chosen = {
  ...DEFAULTS,
  modelId: 'emoji-32',
  labels: { category: 'animals', style: 'noto' },
  steps: 4,
  sampler: 'dpmpp-2m' as const,
  guidance: 3,
  count: 2,
};
const seedRequest = (seed: number): GenerationRequest => ({
  ...seedPlan(model, chosen, 'wasm', seed).plan.request,
  keepFrames: true,
});

const g = new Generator({
  capabilities: async () => cpuOnly,
  engines: () => wasm,
  kernels: loadSamplingKernels,
});
const generate = (r: GenerationRequest) => g.generate(r, () => undefined);
const image = (r: GenerationResult, k: number) => imageAt(r.images, k, W, H);

/** C×H×W floats: plane c. */
const plane = (x: Float32Array, c: number) => x.subarray(c * PIXELS, (c + 1) * PIXELS);

let seedA: GenerationResult;
let seedB: GenerationResult;

beforeAll(async () => {
  await g.loadModel(
    { kind: 'files', manifestText, onnx: new Uint8Array(readFileSync(`${DIR}/model.onnx`)) },
    'wasm',
  );
  seedA = await generate(seedRequest(42));
  seedB = await generate(seedRequest(43));
});
afterAll(() => g.release());

describe('emoji-32 in colour (WASM in Node)', () => {
  it('generates a batch: each image 32×32, opaque, in colour, and each its own', () => {
    expect(seedA).toMatchObject({ width: W, height: H, count: 2 });
    expect(seedA.images.length).toBe(2 * PIXELS * 4);
    expect(seedA.images.filter((_, i) => i % 4 === 3).every((a) => a === 255)).toBe(true);
    for (const k of [0, 1]) expect(isColour(image(seedA, k))).toBe(true);
    expect(meanAbsDiff(image(seedA, 0), image(seedA, 1))).toBeGreaterThan(10);
  });

  it('New seed (Vary) gives other pictures, still in colour', () => {
    for (const k of [0, 1]) {
      expect(isColour(image(seedB, k))).toBe(true);
      expect(meanAbsDiff(image(seedB, k), image(seedA, k))).toBeGreaterThan(10);
    }
  });

  it('interpolates: the slerp of two seeds’ x_T starts at seed A’s image, ends at seed B’s, colour between', async () => {
    const { plan } = interpolationPlan(model, chosen, 'wasm', 42, 43, 4);
    if (plan.kind !== 'interpolate')
      throw new Error(`an interpolation plan is of kind ${plan.kind}`);
    // The app's own noise: the kernels worker's slerp of each seed's stream 0.
    const noise = await kernelsWorker.slerpNoise(42, plan.to, 4, 3 * PIXELS);
    const r = await generate({ ...plan.request, noise });
    expect(image(r, 0)).toEqual(image(seedA, 0));
    expect(image(r, 3)).toEqual(image(seedB, 0));
    for (const k of [1, 2]) {
      expect(isColour(image(r, k))).toBe(true);
      expect(meanAbsDiff(image(r, k), image(seedA, 0))).toBeGreaterThan(3);
      expect(meanAbsDiff(image(r, k), image(seedB, 0))).toBeGreaterThan(3);
    }
  });

  it('the reverse-process GIF keeps colour: a colour palette and colour pixels in every frame, at the tiled size', async () => {
    const frames = seedA.frames!;
    expect(frames).toHaveLength(4);
    // Two columns scaled 4×: the layout src/ui/images.ts gives the GIF of two 32 px images.
    const [cols, scale] = [2, 4];
    const gif = decodeGif(await gifWorker.encode(frames, 2, W, H, cols, scale));
    const size = gridSize(2, W, H, cols, scale);
    expect([gif.width, gif.height]).toEqual([size.width, size.height]);
    expect(gif.frames).toHaveLength(frames.length);
    for (const f of gif.frames) {
      expect(colourShare(f.palette, 3)).toBeGreaterThan(0.1);
      expect(isColour(f.rgb, 3)).toBe(true);
    }
    // The last frame is the batch itself, to within the quantizer's 256 colours.
    const last = gif.frames.at(-1)!.rgb;
    expect(meanAbsDiff(last, tiledRGB(seedA.images, 2, W, H, cols, scale))).toBeLessThan(3);
  });

  it('a PNG of an image is RGBA in colour with its recipe, and the recipe alone makes the same pixels again', async () => {
    const k = 1;
    const request = seedRequest(42);
    const conditioning = manifest.conditioning;
    const recipe = recipeFor(
      request,
      k,
      { id: model.id, sha256: manifest.file.sha256, conditioning },
      'test',
      new Date(0),
    );
    const scaled = tileGrid(image(seedA, k), 1, W, H, 1, 8);
    const png = addRecipe(encodePng(scaled), recipe, conditioning);
    expect(pngColourType(png)).toBe(6);
    const decoded = PNG.sync.read(Buffer.from(png));
    expect([decoded.width, decoded.height]).toEqual([256, 256]);
    expect(new Uint8ClampedArray(decoded.data)).toEqual(scaled.rgba);
    expect(isColour(decoded.data)).toBe(true);

    const read = readRecipe(png);
    expect(read).toMatchObject({
      model: { id: 'emoji-32' },
      labels: { category: 'animals', style: 'noto' },
      seed: 42,
      index: k,
    });
    const again = await generate({ ...requestFromRecipe(read, conditioning), keepFrames: false });
    expect(again.images).toEqual(image(seedA, k));
  });

  it('img2img from a larger colour picture: resized to 3×32×32 in colour; a low strength keeps each channel', async () => {
    // A held-out emoji (the explorer's sample) drawn 3× larger, as a person's file might be.
    const sample = PNG.sync.read(readFileSync('public/samples/emoji-2.png'));
    const big = encodePng(tileGrid(sample.data, 1, W, H, 1, 3));
    const init = pngToImage(big, 3, H, W);
    const direct = rgbaToCHW(sample.data, W, H, 3);
    expect(meanAbsDiff(init, direct)).toBeLessThan(1e-6);
    expect(meanAbsDiff(plane(init, 0), plane(init, 2))).toBeGreaterThan(0.1);

    const img2img = async (strength: number) => {
      const r = await generate({
        ...seedRequest(5),
        count: 1,
        steps: 10,
        init: { image: init, strength },
      });
      expect(isColour(r.images)).toBe(true);
      return rgbaToCHW(r.images, W, H, 3);
    };
    const [low, mid, full] = [await img2img(0.15), await img2img(0.5), await img2img(1)];
    const [dLow, dMid, dFull] = [low, mid, full].map((x) => meanAbsDiff(x, init)) as [
      number,
      number,
      number,
    ];
    expect(dLow).toBeLessThan(dMid);
    expect(dMid).toBeLessThan(dFull);
    // Channel by channel: red stays red. The init with its planes rotated (R→G→B→R) is much further away.
    const rotated = Float32Array.from(
      { length: 3 * PIXELS },
      (_, i) => init[(i + PIXELS) % (3 * PIXELS)]!,
    );
    expect(dLow).toBeLessThan(0.5 * meanAbsDiff(low, rotated));
  });
});
