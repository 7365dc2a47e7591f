/** Import bookkeeping that needs no browser: the generator's load key, and "keep both" ids. */
import { describe, expect, it } from 'vitest';
import { freeId, renamed } from '../../src/ui/import-model.ts';
import { loadKey } from '../../src/ui/generator.ts';

describe('the generator load key', () => {
  it('changes when the weights under an id change, so a re-import is loaded', () => {
    const a = { origin: 'imported' as const, id: 'x', version: 'aaaa@1' };
    const b = { ...a, version: 'bbbb@2' };
    expect(loadKey(a, 'wasm')).not.toBe(loadKey(b, 'wasm'));
    expect(loadKey(a, 'wasm')).toBe(loadKey({ ...a }, 'wasm'));
    expect(loadKey(a, 'wasm')).not.toBe(loadKey(a, 'webgpu'));
  });
});

describe('keep both', () => {
  it('picks the first free id-2, id-3, …', () => {
    expect(freeId('x', new Set(['y']))).toBe('x');
    expect(freeId('x', new Set(['x']))).toBe('x-2');
    expect(freeId('x', new Set(['x', 'x-2', 'x-3']))).toBe('x-4');
    const long = 'a'.repeat(200);
    expect(freeId(long, new Set([long]))).toBe(`${'a'.repeat(198)}-2`);
  });

  it('renames the id and marks the name, leaving the rest of model.json alone', () => {
    const text = JSON.stringify({ id: 'x', name: 'X', file: { path: 'model.onnx' } });
    expect(JSON.parse(renamed(text, 'x-2', '2'))).toEqual({ id: 'x-2', name: 'X (2)', file: { path: 'model.onnx' } });
  });
});
