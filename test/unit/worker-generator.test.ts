/**
 * The generator worker's API (workers/serve-generator.ts) as the page reaches
 * it through comlink, over an in-process MessageChannel with onnxruntime-web's
 * WASM build in Node.
 */
import { readFileSync } from 'node:fs';
import * as Comlink from 'comlink';
import { afterAll, describe, expect, it } from 'vitest';
import { GENERATION_MEASURE } from '../../src/runtime/run-clock.ts';
import type {
  GenerationProgress,
  GenerationRequest,
  GeneratorApi,
} from '../../workers/protocol.ts';
import { serveGenerator } from '../../workers/serve-generator.ts';
import { wasm } from '../support/node-engines.ts';

const DIR = 'public/models/fashion-28';
const { port1, port2 } = new MessageChannel();
serveGenerator(() => wasm, port2);
const api = Comlink.wrap<GeneratorApi>(port1);

afterAll(() => {
  port1.close();
  port2.close();
});

const tick = () => new Promise((ok) => setTimeout(ok, 0));

describe('generator worker API', () => {
  it('answers a generation only after the page has handled its last progress call', async () => {
    const onnx = readFileSync(`${DIR}/model.onnx`);
    await api.loadModel(
      {
        kind: 'files',
        manifestText: readFileSync(`${DIR}/model.json`, 'utf8'),
        onnx: onnx.buffer.slice(onnx.byteOffset, onnx.byteOffset + onnx.byteLength),
      },
      'wasm',
    );
    performance.clearMeasures(GENERATION_MEASURE);
    const handled: number[] = [];
    // Stands in for a progress message that reaches the page late, as Chromium
    // may deliver it (another port than the answer's): the last one is handled
    // only once the worker has its result (the measure it leaves) and has
    // answered a later call on its own port, which comes after any answer it
    // sent before.
    const onProgress = async (p: GenerationProgress) => {
      if (p.step === p.of) {
        while (performance.getEntriesByName(GENERATION_MEASURE).length === 0) await tick();
        await api.cancel();
      }
      handled.push(p.step);
    };
    const request: GenerationRequest = {
      seed: 7,
      count: 1,
      steps: 3,
      sampler: 'ddim',
      guidance: 3,
      labels: [2],
    };
    const result = await api
      .generate(request, Comlink.proxy(onProgress))
      .then((r) => ({ ...r, handledBefore: [...handled] }));
    expect(result.handledBefore).toEqual([1, 2, 3]);
    expect(result.images.length).toBe(28 * 28 * 4);
  });
});
