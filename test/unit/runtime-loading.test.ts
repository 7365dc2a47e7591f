import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detectCapabilities,
  planBackends,
  probeWebGpu,
  wasmThreads,
  type Capabilities,
} from '../../src/runtime/backends.ts';
import { RuntimeError } from '../../src/runtime/errors.ts';
import { readModelPackage, sha256Hex, type Fetcher } from '../../src/runtime/model-package.ts';
import { rejection } from '../support/rejection.ts';

const DIR = 'public/models/fashion-28';
const manifestText = readFileSync(`${DIR}/model.json`, 'utf8');
const onnx = new Uint8Array(readFileSync(`${DIR}/model.onnx`));

function edit(change: (m: Record<string, Record<string, unknown>>) => void): string {
  const m = JSON.parse(manifestText) as Record<string, Record<string, unknown>>;
  change(m);
  return JSON.stringify(m);
}

describe('readModelPackage', () => {
  it('reads imported files and checks size and SHA-256', async () => {
    const pkg = await readModelPackage({
      kind: 'files',
      manifestText,
      onnx: onnx.buffer.slice(0) as ArrayBuffer,
    });
    expect(pkg.manifest.id).toBe('fashion-28');
    expect(pkg.onnx.byteLength).toBe(onnx.byteLength);
    expect(await sha256Hex(pkg.onnx)).toBe(pkg.manifest.file.sha256);
  });

  it('fetches model.json and the file it names relative to baseUrl', async () => {
    const seen: string[] = [];
    const fetcher: Fetcher = async (url) => {
      seen.push(url);
      if (url.endsWith('/model.json')) return new Response(manifestText);
      if (url.endsWith('/model.onnx')) return new Response(onnx);
      return new Response('', { status: 404 });
    };
    const pkg = await readModelPackage(
      { kind: 'url', baseUrl: 'https://app.test/models/fashion-28' },
      fetcher,
    );
    expect(seen).toEqual([
      'https://app.test/models/fashion-28/model.json',
      'https://app.test/models/fashion-28/model.onnx',
    ]);
    expect(pkg.onnx.byteLength).toBe(onnx.byteLength);
  });

  it('says which URL failed and with what status', async () => {
    const e = await rejection(
      readModelPackage(
        { kind: 'url', baseUrl: 'https://app.test/m/' },
        async () => new Response('', { status: 404 }),
      ),
      RuntimeError,
    );
    expect(e.code).toBe('fetch-failed');
    expect(e.message).toBe(
      'Could not fetch model.json from https://app.test/m/model.json: HTTP 404. Check that the model is installed and reload.',
    );
  });

  it.each<[string, string, Uint8Array, string, RegExp]>([
    ['not JSON', '{"id": ', onnx, 'manifest-json', /model\.json is not valid JSON/],
    [
      'an invalid field',
      edit((m) => (m.prediction = 'noise' as never)),
      onnx,
      'manifest-invalid',
      /"prediction" must be one of epsilon, v, sample \(got "noise"\)\. Fix that field/,
    ],
    ['an empty file', manifestText, new Uint8Array(0), 'file-empty', /model\.onnx is empty/],
    [
      'a truncated file',
      manifestText,
      onnx.slice(0, 1000),
      'file-size',
      /model\.onnx has 1000 bytes but model\.json says file\.bytes = \d+: the file is truncated/,
    ],
    [
      'a corrupted file',
      manifestText,
      onnx.map((b, i) => (i === 500 ? b ^ 1 : b)),
      'file-hash',
      /model\.onnx has SHA-256 [0-9a-f]{12}… but model\.json says file\.sha256 = [0-9a-f]{12}…: the file is damaged/,
    ],
  ])('%s is refused with a clear error', async (_what, text, bytes, code, message) => {
    const e = await rejection(
      readModelPackage({ kind: 'files', manifestText: text, onnx: bytes }),
      RuntimeError,
    );
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  it('skips the checks the manifest does not ask for', async () => {
    const text = edit((m) => (m.file = { path: 'model.onnx' }));
    const pkg = await readModelPackage({
      kind: 'files',
      manifestText: text,
      onnx: onnx.slice(0, 1000),
    });
    expect(pkg.onnx.byteLength).toBe(1000);
  });
});

describe('backend choice', () => {
  const all: Capabilities = { simd: true, crossOriginIsolated: true, cores: 8 };
  const noGpu: Capabilities = { ...all, webgpuUnavailable: 'no WebGPU adapter' };
  const noSimd: Capabilities = { ...noGpu, simd: false };
  const softGpu: Capabilities = { ...all, webgpuSoftware: 'software adapter' };

  it.each<[string, Capabilities, string[], string[]]>([
    ['auto', all, ['webgpu', 'wasm'], []],
    ['auto', noGpu, ['wasm'], ['no WebGPU adapter']],
    ['webgpu', all, ['webgpu'], []],
    ['webgpu', noGpu, [], ['no WebGPU adapter']],
    ['auto', softGpu, ['wasm'], ['software adapter']],
    ['webgpu', softGpu, ['webgpu'], []],
    ['wasm', all, ['wasm'], []],
    [
      'wasm',
      noSimd,
      [],
      ['this browser lacks WebAssembly SIMD, which onnxruntime-web needs; update the browser'],
    ],
    [
      'auto',
      noSimd,
      [],
      [
        'no WebGPU adapter',
        'this browser lacks WebAssembly SIMD, which onnxruntime-web needs; update the browser',
      ],
    ],
  ])('%s with %j tries %j', (choice, caps, order, reasons) => {
    const plan = planBackends(choice as 'auto', caps);
    expect(plan.tryOrder).toEqual(order);
    expect(plan.skipped.map((s) => s.reason)).toEqual(reasons);
  });

  it.each<[boolean, number, number]>([
    [false, 8, 1],
    [true, 1, 1],
    [true, 2, 2],
    [true, 3, 2],
    [true, 4, 2],
    [true, 6, 3],
    [true, 8, 4],
    [true, 32, 4],
  ])('crossOriginIsolated=%s with %i cores uses %i WASM threads', (coi, cores, threads) => {
    expect(wasmThreads({ simd: true, crossOriginIsolated: coi, cores }).threads).toBe(threads);
  });

  it('says why WebGPU is unavailable at each stage of the probe', async () => {
    expect((await probeWebGpu(undefined)).unavailable).toMatch(/^this browser has no WebGPU$/);
    expect((await probeWebGpu({ gpu: { requestAdapter: async () => null } })).unavailable).toMatch(
      /no WebGPU adapter/,
    );
    const refusing = {
      requestAdapter: async () => ({
        requestDevice: () => Promise.reject(new Error('limits exceeded')),
      }),
    };
    expect(await probeWebGpu({ gpu: refusing })).toEqual({
      unavailable: 'creating a WebGPU device failed (limits exceeded)',
    });
    let destroyed = false;
    const working = {
      requestAdapter: async () => ({
        requestDevice: async () => ({ destroy: () => (destroyed = true) }),
      }),
    };
    expect(await probeWebGpu({ gpu: working })).toEqual({});
    expect(destroyed).toBe(true);
    for (const adapter of [
      { info: { isFallbackAdapter: true, architecture: 'swiftshader' } },
      { isFallbackAdapter: true },
    ]) {
      const soft = {
        requestAdapter: async () => ({
          ...adapter,
          requestDevice: async () => ({ destroy: () => {} }),
        }),
      };
      const probe = await probeWebGpu({ gpu: soft });
      expect(probe.unavailable).toBeUndefined();
      expect(probe.software).toMatch(
        /^the WebGPU adapter is a software renderer \((swiftshader|no GPU)\), slower than the CPU path; choose the WebGPU backend/,
      );
    }
  });

  it('detects Node as SIMD-capable, not isolated, without WebGPU', async () => {
    const caps = await detectCapabilities({ navigator: { hardwareConcurrency: 6 } });
    expect(caps).toEqual({
      simd: true,
      crossOriginIsolated: false,
      cores: 6,
      webgpuUnavailable: expect.stringMatching(/^this browser has no WebGPU$/),
    });
    expect(Object.isFrozen(caps)).toBe(true);
  });
});
