/**
 * Fuzz: model.onnx bytes through the runtime's package check (what an import
 * runs: manifest, file, a trial session), on onnxruntime-node. The shipped
 * model with flipped, zeroed, cut, spliced or inserted bytes, and random
 * bytes. Each check ends in a RuntimeError with a message, or the model
 * loads; a model that loads then either generates finite images or stops
 * with the NaN/Inf error naming the step, never an all-black "done".
 */
import { readFileSync } from 'node:fs';
import { afterAll } from 'vitest';
import { ModelOutputError } from '../../src/core/finite.ts';
import { RuntimeError } from '../../src/runtime/errors.ts';
import { Generator } from '../../src/runtime/generator.ts';
import { nodeEngineLoader } from '../../src/runtime/ort-node.ts';
import { loadSamplingKernels } from '../../src/runtime/sampling.ts';
import { b64, fuzzTarget, Wrong, type Rng } from './harness.ts';

const onnx = new Uint8Array(readFileSync('public/models/fashion-28/model.onnx'));
const manifest = JSON.parse(readFileSync('public/models/fashion-28/model.json', 'utf8')) as Record<string, unknown>;
/** No size or hash: the mutated bytes reach onnxruntime instead of stopping at the hash check. */
const manifestText = JSON.stringify({ ...manifest, file: { path: 'model.onnx' } });

const generator = new Generator({
  capabilities: async () =>
    Object.freeze({ simd: true, crossOriginIsolated: true, cores: 1, webgpuUnavailable: 'Node has no WebGPU' }),
  engines: () => nodeEngineLoader('native', 1),
  kernels: loadSamplingKernels,
});

interface OnnxCase {
  bytes: Uint8Array;
  how: string;
}

function mutate(rng: Rng): OnnxCase {
  const b = onnx.slice();
  const at = () => rng.int(0, b.length - 1);
  switch (rng.int(0, 6)) {
    case 0: {
      // Near the start: the graph's structure (protobuf tags and lengths).
      for (let n = rng.int(1, 4); n > 0; n--) b[rng.int(0, 2000)] = rng.int(0, 255);
      return { bytes: b, how: 'header bytes flipped' };
    }
    case 1: {
      for (let n = rng.int(1, 16); n > 0; n--) b[at()] = rng.int(0, 255);
      return { bytes: b, how: 'bytes flipped' };
    }
    case 2: {
      const from = at();
      b.fill(rng.pick([0, 0xff, 0x7f]), from, from + rng.int(4, 65536));
      return { bytes: b, how: 'a block overwritten' };
    }
    case 3:
      return { bytes: b.slice(0, rng.int(0, b.length - 1)), how: 'truncated' };
    case 4: {
      const from = at();
      const len = rng.int(1, 4096);
      const to = at();
      const out = new Uint8Array(b.length + len);
      out.set(b.subarray(0, to));
      out.set(b.subarray(from, from + len), to);
      out.set(b.subarray(to), to + len);
      return { bytes: out.subarray(0, b.length + Math.min(len, b.length - from)), how: 'a chunk spliced in' };
    }
    case 5:
      return { bytes: rng.bytes(rng.int(0, 4096)), how: 'random bytes' };
    default:
      return { bytes: new Uint8Array(0), how: 'empty' };
  }
}

type Outcome = { kind: 'generated'; images: Uint8ClampedArray } | { kind: 'stopped'; error: ModelOutputError };

/** How the cases ended, printed with the report. */
const tally = { refused: 0, generated: 0, stopped: 0 };

async function run(input: OnnxCase): Promise<Outcome> {
  tally.refused++;
  await generator.checkPackage({ kind: 'files', manifestText, onnx: input.bytes });
  tally.refused--;
  await generator.loadModel({ kind: 'files', manifestText, onnx: input.bytes }, 'wasm');
  try {
    const r = await generator.generate(
      { seed: 7, count: 1, steps: 3, sampler: 'ddim', guidance: 3, labels: [2] },
      () => undefined,
    );
    tally.generated++;
    return { kind: 'generated', images: r.images };
  } catch (e) {
    if (e instanceof ModelOutputError) {
      tally.stopped++;
      return { kind: 'stopped', error: e };
    }
    throw e;
  }
}

function check(_input: OnnxCase, out: Outcome): void {
  if (out.kind === 'stopped') {
    if (!/^The model returned (NaN|Infinity|−Infinity) at step \d+ of 3 /.test(out.error.message))
      throw new Wrong(`the NaN error does not name the step: ${out.error.message}`);
    return;
  }
  if (out.images.length !== 28 * 28 * 4) throw new Wrong(`${out.images.length} bytes of image`);
}

afterAll(() => {
  console.log(`model.onnx outcomes: ${tally.refused} refused, ${tally.generated} generated, ${tally.stopped} stopped on NaN/Inf`);
});

fuzzTarget(
  'every file is refused with a message, or runs to finite images or a NaN error naming the step',
  {
    name: 'model.onnx',
    budgetMs: 20000,
    maxCases: 400,
    caseMs: 10000,
    rssMiB: 1536,
    generate: mutate,
    run,
    check,
    clearError: (e) =>
      e instanceof RuntimeError && ['file-empty', 'onnx-invalid', 'io-mismatch', 'run-failed', 'no-backend', 'model-output'].includes(e.code),
    show: (input) => `${input.how}: ${input.bytes.length} bytes, base64 ${b64(input.bytes).slice(0, 64)}… (FUZZ_SEED and the case index rebuild it exactly)`,
  },
  120_000,
);
