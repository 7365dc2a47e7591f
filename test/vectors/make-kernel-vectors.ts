/**
 * Writes kernels.json from the TypeScript reference kernels:
 *   node --import tsx test/vectors/make-kernel-vectors.ts
 * Regenerate only when the kernel contract changes on purpose.
 */
import { writeFileSync } from 'node:fs';
import { referenceKernels } from '../../src/core/reference.ts';
import type { Prediction } from '../../src/core/types.ts';
import {
  LENGTHS,
  describeOutput,
  runCase,
  type KernelCase,
  type KernelCaseInput,
  type KernelVectors,
} from './kernel-cases.ts';

const input = (substream: number, scale: number) => ({
  gaussian: [77, 0, substream] as [number, number, number],
  scale,
});
const cases: KernelCaseInput[] = [];
const predictions: Prediction[] = ['epsilon', 'v', 'sample'];

for (const n of LENGTHS) {
  for (const offset of [0, 3])
    cases.push({ kernel: 'gaussian', n, seed: 2 ** 33 + 5, stream: 7, substream: 2, offset });
  predictions.forEach((prediction, p) => {
    for (const clip of [true, false]) {
      cases.push({
        kernel: 'samplerStep',
        n,
        inputs: { x: input(1, 1.0), model: input(2, 1.5), w: clip ? input(3, 1.0) : null },
        coefficients: {
          prediction,
          alpha: 0.6 + 0.1 * p,
          sigma: Math.sqrt(1 - (0.6 + 0.1 * p) ** 2),
          clip,
          a: 0.93,
          b: -0.31,
          c: 0.12,
        },
      });
    }
  });
  cases.push({ kernel: 'guidance', n, inputs: { uncond: input(4, 1), cond: input(5, 1) }, w: 3.5 });
  cases.push({
    kernel: 'axpby',
    n,
    inputs: { x: input(6, 1), y: input(7, 1) },
    a: Math.sqrt(0.3),
    b: Math.sqrt(0.7),
  });
  for (const channels of [1, 3]) {
    const shape =
      n === 100_000 ? { channels, height: 250, width: 400 } : { channels, height: 1, width: n };
    cases.push({ kernel: 'toRGBA8', shape, count: 2, inputs: { chw: input(8, 1.3) } });
  }
}

const vectors: KernelVectors = {
  about:
    'Shared kernel vectors (see kernel-cases.ts): inputs are Gaussian streams scaled by `scale`; expected outputs come from the TypeScript reference. Every backend must reproduce them bit for bit.',
  exact: true,
  cases: cases.map((c) => {
    const outputs = runCase(referenceKernels, c as KernelCase);
    return {
      ...c,
      expect: Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, describeOutput(v)])),
    } as KernelCase;
  }),
};
writeFileSync(new URL('./kernels.json', import.meta.url), JSON.stringify(vectors) + '\n');
console.log(`${vectors.cases.length} cases`);
