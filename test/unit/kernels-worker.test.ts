/** The kernels worker under Node worker_threads, through comlink's node adapter. */
import { afterAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import type { KernelsWorkerApi } from '../../workers/kernels.worker.ts';
import { referenceKernels } from '../../src/core/reference.ts';
import { buildSchedule } from '../../src/core/schedule.ts';
import { slerp } from '../../src/core/slerp.ts';
import type { ScheduleSpec } from '../../src/core/types.ts';

// The worker module is TypeScript: register tsx's loader inside the thread, then import it.
const workerUrl = new URL('../../workers/kernels.worker.ts', import.meta.url).href;
const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(workerUrl)}); });`;
const worker = new Worker(boot, { eval: true });
const workerFailed = new Promise<never>((_, reject) => worker.once('error', reject));
const api = Comlink.wrap<KernelsWorkerApi>(nodeEndpoint(worker));
/** Every call fails fast if the worker itself died. */
const remote = new Proxy(api, {
  get(target, key) {
    const member = Reflect.get(target, key) as unknown;
    if (typeof member !== 'function' || typeof key === 'symbol') return member;
    return (...args: unknown[]) =>
      Promise.race([(member as (...a: unknown[]) => Promise<unknown>)(...args), workerFailed]);
  },
}) as typeof api;
const linear: ScheduleSpec = { kind: 'linear', betaStart: 1e-4, betaEnd: 0.02, trainSteps: 1000 };

afterAll(async () => {
  remote[Comlink.releaseProxy]();
  await worker.terminate();
});

describe('kernels worker (Node worker_threads)', () => {
  it('answers on the SIMD WASM kernels', async () => {
    expect(await remote.backend()).toBe('wasm-simd');
  });

  it('returns schedule tables matching the core schedule', async () => {
    const tables = await remote.schedule(linear);
    const s = buildSchedule(linear);
    expect(tables.alphaBar).toBeInstanceOf(Float32Array);
    expect(tables.alphaBar.length).toBe(1000);
    expect(tables.alphaBar[999]).toBe(Math.fround(s.alphaBar[999] ?? 0));
    expect(tables.snr[500]).toBe(Math.fround(s.snr[500] ?? 0));
  });

  it('generates noise bit-identical to the TypeScript reference', async () => {
    const remoteNoise = await remote.noise(42, 1001, 3, 2, 5);
    const local = referenceKernels.gaussian(
      new Float32Array(1001),
      { seed: 42, stream: 3, substream: 2 },
      5,
    );
    expect(remoteNoise).toEqual(local);
  });

  it('runs the forward process both ways; t = 0 returns x0', async () => {
    const x0 = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * 0.9);
    expect(await remote.forward(linear, x0, 0, 7, 'markov')).toEqual(x0);
    const closed = await remote.forward(linear, x0, 1000, 7, 'closed-form');
    const eps = referenceKernels.gaussian(new Float32Array(64), {
      seed: 7,
      stream: 0,
      substream: 0,
    });
    const ab = buildSchedule(linear).alphaBar[999] ?? 0;
    const expected = new Float32Array(64);
    referenceKernels.axpby(expected, Math.sqrt(ab), x0, Math.sqrt(1 - ab), eps);
    expect(closed).toEqual(expected);
    await expect(remote.forward(linear, x0, 3, 7, 'diagonal' as 'markov')).rejects.toThrow(
      /mode.*closed-form, markov/,
    );
  });

  it('slerps two seeds\u2019 noise and transfers the buffer', async () => {
    const out = await remote.slerpNoise(1, 2, 3, 256);
    expect(out.length).toBe(3 * 256);
    const a = referenceKernels.gaussian(new Float32Array(256), {
      seed: 1,
      stream: 0,
      substream: 0,
    });
    const b = referenceKernels.gaussian(new Float32Array(256), {
      seed: 2,
      stream: 0,
      substream: 0,
    });
    expect(out.subarray(0, 256)).toEqual(a);
    expect(out.subarray(512)).toEqual(b);
    expect(out.subarray(256, 512)).toEqual(slerp(referenceKernels, a, b, 0.5));
  });

  it('converts CHW to RGBA8 and passes errors back', async () => {
    const rgba = await remote.toRGBA8(
      Float32Array.of(-1, 0, 1),
      { channels: 1, height: 1, width: 3 },
      1,
    );
    expect(Array.from(rgba)).toEqual([0, 0, 0, 255, 128, 128, 128, 255, 255, 255, 255, 255]);
    await expect(
      remote.toRGBA8(new Float32Array(6), { channels: 2, height: 1, width: 3 }, 1),
    ).rejects.toThrow(/shape.channels.*1 \(gray\), 3 \(RGB\)/);
  });
});
