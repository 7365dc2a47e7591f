/**
 * The shipped emoji-32 model.onnx against its PyTorch checkpoint: the fixture
 * holds the inputs and the EMA network's outputs, written by training/parity.py
 * when the model was exported (the checkpoint itself is not in the repo).
 */
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';

interface Parity {
  shape: number[];
  yShape: number[];
  x: string;
  t: number[];
  y: number[];
  eps: string;
}

const f32 = (b64: string) => new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);

describe('shipped emoji-32', () => {
  it('model.onnx gives the PyTorch outputs to within 1e-4', async () => {
    const ref = JSON.parse(readFileSync('test/fixtures/emoji-32-parity.json', 'utf8')) as Parity;
    const session = await ort.InferenceSession.create('public/models/emoji-32/model.onnx');
    const batch = ref.shape[0]!;
    const out = await session.run({
      x: new ort.Tensor('float32', f32(ref.x), ref.shape),
      t: new ort.Tensor('int64', BigInt64Array.from(ref.t.map(BigInt)), [batch]),
      y: new ort.Tensor('int64', BigInt64Array.from(ref.y.map(BigInt)), ref.yShape),
    });
    const got = out.eps!.data as Float32Array;
    const want = f32(ref.eps);
    expect(got.length).toBe(want.length);
    let max = 0;
    for (let i = 0; i < got.length; i++) max = Math.max(max, Math.abs(got[i]! - want[i]!));
    expect(max).toBeLessThan(1e-4);
    await session.release();
  });
});
