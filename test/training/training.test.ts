import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';

// Debian's PyTorch; scripts/ensure-system-deps.sh installs it when missing.
const PY = '/usr/bin/python3';
const dir = mkdtempSync(join(tmpdir(), 'train-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
}

function readLog(out: string): { step: number; loss: number }[] {
  return readFileSync(join(out, 'log.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; loss: number });
}

/** Runs parity.json's inputs through the exported ONNX file and returns the largest difference from PyTorch. */
async function parityMaxDiff(pkg: string): Promise<number> {
  const ref = JSON.parse(readFileSync(join(pkg, 'parity.json'), 'utf8'));
  const f32 = (b64: string) => new Float32Array(new Uint8Array(Buffer.from(b64, 'base64')).buffer);
  const shape = ref.shape as number[];
  const session = await ort.InferenceSession.create(join(pkg, 'model.onnx'));
  const batch = shape[0]!;
  const result = await session.run({
    x: new ort.Tensor('float32', f32(ref.x), shape),
    t: new ort.Tensor('int64', BigInt64Array.from((ref.t as number[]).map(BigInt)), [batch]),
    y: new ort.Tensor('int64', BigInt64Array.from((ref.y as number[]).map(BigInt)), (ref.yShape as number[] | undefined) ?? [batch]),
  });
  const got = result.eps!.data as Float32Array;
  const want = f32(ref.eps);
  expect(got.length).toBe(want.length);
  let maxDiff = 0;
  for (let i = 0; i < got.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
  return maxDiff;
}

// Generous limits: these start PyTorch processes, which are slow to start on a busy 2-core machine.
describe('training', { timeout: 300_000 }, () => {
  it('passes the Python unit tests of the evaluation math', () => {
    const out = execFileSync(PY, ['-m', 'unittest', 'discover', '-s', 'training/tests'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toBe('');
  });

  const single = join(dir, 'single');

  it('smoke-trains a few steps, logs finite losses and checkpoints', () => {
    run(PY, ['training/train.py', '--smoke', '--out', single]);
    const log = readLog(single);
    expect(log.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const r of log) expect(Number.isFinite(r.loss)).toBe(true);
    expect(existsSync(join(single, 'checkpoint.pt'))).toBe(true);
  });

  it('resumes from its checkpoint instead of starting over', () => {
    const out = run(PY, ['training/train.py', '--smoke', '--out', single]);
    expect(out).toContain('resumed at step 6');
    expect(readLog(single)).toHaveLength(6);
  });

  it('runs data-parallel in two gloo processes under torchrun', () => {
    const ddp = join(dir, 'ddp');
    // torch 1.13 under Python 3.11 misparses torchrun's default --redirects/--tee of 0; name them.
    run('torchrun', ['--standalone', '--nproc_per_node=2', '--redirects', '2', '--tee', '1', 'training/train.py', '--smoke', '--threads', '1', '--out', ddp]);
    const config = JSON.parse(readFileSync(join(ddp, 'config.json'), 'utf8')) as { world: number };
    expect(config.world).toBe(2);
    expect(readLog(ddp)).toHaveLength(6);
  });

  it('exports ONNX whose output matches PyTorch and whose manifest describes the file', async () => {
    const pkg = join(dir, 'pkg');
    run(PY, ['training/export.py', '--ckpt', join(single, 'checkpoint.pt'), '--out', pkg]);
    run(PY, ['training/parity.py', '--ckpt', join(single, 'checkpoint.pt'), '--out', pkg]);
    const manifest = JSON.parse(readFileSync(join(pkg, 'model.json'), 'utf8'));
    const bytes = readFileSync(join(pkg, 'model.onnx'));
    expect(manifest.file.bytes).toBe(bytes.length);
    expect(manifest.file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(manifest.schedule).toEqual({ kind: 'linear', betaStart: 0.0001, betaEnd: 0.02, trainSteps: 1000 });
    expect(manifest.conditioning.nullLabel).toBe(10);
    expect(await parityMaxDiff(pkg)).toBeLessThan(1e-4);
  });

  // A tiny stand-in for `npm run dataset:emoji`'s output (same files, random pixels), so the
  // test needs neither the emoji packages' rendering time nor the full set.
  const emojiData = join(dir, 'emoji-data');
  const emojiRun = join(dir, 'emoji');
  const categories = ['smileys', 'people', 'animals', 'food', 'travel', 'activities', 'objects', 'symbols'];
  const styles = ['noto', 'fluent', 'twemoji'];

  it('smoke-trains the emoji model (3 channels, 32×32, category and style labels)', () => {
    mkdirSync(emojiData, { recursive: true });
    const items = Array.from({ length: 48 }, (_, i) => ({ name: `e${i}`, category: i % 8, style: i % 3, split: i < 40 ? 'train' : 'test' }));
    const pixels = new Uint8Array(items.length * 32 * 32 * 3);
    for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 2654435761) >>> 24;
    writeFileSync(join(emojiData, 'images.bin'), pixels);
    writeFileSync(
      join(emojiData, 'index.json'),
      JSON.stringify({
        license: 'Images rendered from: test.',
        categories: categories.map((id) => ({ id, title: id.toUpperCase() })),
        styles: styles.map((id) => ({ id, title: id.toUpperCase() })),
        items,
      }),
    );
    run(PY, ['training/train.py', '--smoke', '--dataset', 'emoji', '--data', emojiData, '--out', emojiRun]);
    const log = readLog(emojiRun);
    expect(log.map((r) => r.step)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const r of log) expect(Number.isFinite(r.loss)).toBe(true);
    const config = JSON.parse(readFileSync(join(emojiRun, 'config.json'), 'utf8'));
    expect(config.model).toMatchObject({ in_ch: 3, label_groups: [8, 3] });
    expect(config.augment).toBe('shift');
  });

  it('exports the emoji model with a [B, 2] label input, a groups manifest and ONNX parity', async () => {
    const pkg = join(dir, 'emoji-pkg');
    const ckpt = join(emojiRun, 'checkpoint.pt');
    run(PY, ['training/export.py', '--ckpt', ckpt, '--data', emojiData, '--out', pkg, '--id', 'emoji-32', '--name', 'Emoji', '--guidance', '3']);
    run(PY, ['training/parity.py', '--ckpt', ckpt, '--out', pkg]);
    const manifest = JSON.parse(readFileSync(join(pkg, 'model.json'), 'utf8'));
    expect(manifest.id).toBe('emoji-32');
    expect(manifest.image).toEqual({ channels: 3, height: 32, width: 32, range: [-1, 1] });
    expect(manifest.io).toEqual({ sample: 'x', timestep: 't', label: 'y', output: 'eps', timestepType: 'int64' });
    expect(manifest.license).toContain('Images rendered from: test.');
    expect(manifest.conditioning).toEqual({
      kind: 'groups',
      groups: [
        { name: 'category', title: 'Category', labels: categories, titles: categories.map((c) => c.toUpperCase()), nullLabel: 8, default: null },
        { name: 'style', title: 'Style', labels: styles, titles: styles.map((c) => c.toUpperCase()), nullLabel: 3, default: null },
      ],
      defaultGuidance: 3,
    });
    const bytes = readFileSync(join(pkg, 'model.onnx'));
    expect(manifest.file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const ref = JSON.parse(readFileSync(join(pkg, 'parity.json'), 'utf8'));
    expect(ref.shape).toEqual([6, 3, 32, 32]);
    expect(ref.yShape).toEqual([6, 2]);
    expect(await parityMaxDiff(pkg)).toBeLessThan(1e-4);
  });
});
