/**
 * `npm run bench:arch` (= node --import tsx bench/arch-study.ts [--repeats N] [--block-ms MS]
 * [--models DIR] [--baseline NAME] [--out FILE]):
 * steady milliseconds per U-Net call at batch 2 for every model that
 * bench/arch_study.py exported under runs/arch-study/models/ (or every model
 * folder under DIR, ratios to NAME), on
 * onnxruntime-node and onnxruntime-web WASM in Node, one thread each
 * (bench/engines.ts). Writes runs/arch-study/timing.json; bench/ARCH-STUDY.md
 * reads it through `arch_study.py table`.
 *
 * Method (as bench/denoiser.ts): one process per model and engine, each warmed
 * up by time and count (≥ WARM_MS and ≥ WARM_CALLS calls: V8 tiers the WASM up
 * after tens of calls, which a loaded machine may not reach in WARM_MS); then R repeats,
 * each running a block of ≥ BLOCK_MS of calls on every instance in turn (the
 * order rotates), so load from other jobs falls on all alike. A block's median
 * is one sample; each figure is the median and IQR over the repeats, and each
 * ratio (web / node, and variant / base16) is taken within a repeat.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import type { ModelSpec } from './engine-ops.ts';
import { nodeEngine, type Engine, type EngineKind } from './engines.ts';
import { readModelSpec } from './model-spec.ts';
import { median, spread, type Spread } from './stats.ts';

const ROOT = resolve(import.meta.dirname, '..');
const BATCH = 2;
const WARM_MS = 2500;
const WARM_CALLS = 50;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i < 0 ? undefined : process.argv[i + 1];
}
function positive(name: string, fallback: number): number {
  const raw = option(name);
  const v = Number(raw ?? fallback);
  if (!Number.isFinite(v) || v <= 0)
    throw new Error(`${name} must be a positive number, got ${raw}`);
  return v;
}
const repeats = positive('--repeats', 9);
const blockMs = positive('--block-ms', 300);
const MODELS = resolve(option('--models') ?? join(ROOT, 'runs/arch-study/models'));
const BASELINE = option('--baseline') ?? 'base16';
const OUT_FILE = resolve(option('--out') ?? join(ROOT, 'runs/arch-study/timing.json'));

/** nodeEngine loads public/models/<id>/model.onnx; an id relative to that folder reaches runs/. */
function spec(name: string): ModelSpec {
  const dir = join(MODELS, name);
  return readModelSpec(dir, relative(join(ROOT, 'public/models'), dir));
}

interface Instance {
  name: string;
  engine: 'node' | 'web';
  live: Engine;
  perCall: number;
  samples: number[];
}

const names = existsSync(MODELS)
  ? readdirSync(MODELS)
      .filter((n) => existsSync(join(MODELS, n, 'model.json')))
      .sort((a, b) => Number(b === BASELINE) - Number(a === BASELINE) || a.localeCompare(b))
  : [];
if (names[0] !== BASELINE)
  throw new Error(
    `no ${BASELINE} under ${MODELS}: run bench/arch_study.py export first, or name another --baseline`,
  );

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
const loadBefore = load();
const kinds: Record<Instance['engine'], EngineKind> = {
  node: nodeEngine('node', 1),
  web: nodeEngine('web', 1),
};
const instances: Instance[] = [];
try {
  for (const name of names) {
    for (const engine of ['node', 'web'] as const) {
      const live = await kinds[engine].start();
      await live.load(spec(name));
      const t0 = performance.now();
      let count = 0;
      while (performance.now() - t0 < WARM_MS || count < WARM_CALLS)
        count += await live.warm(BATCH, 250);
      const warmMs = performance.now() - t0;
      instances.push({ name, engine, live, perCall: warmMs / count, samples: [] });
      console.log(`warm ${name} ${engine}: ${count} calls in ${warmMs.toFixed(0)} ms`);
    }
  }
  for (let r = 0; r < repeats; r++) {
    for (let k = 0; k < instances.length; k++) {
      const inst = instances[(k + r) % instances.length]!;
      const n = Math.min(30, Math.max(2, Math.ceil(blockMs / inst.perCall)));
      inst.samples.push(median(await inst.live.calls(BATCH, n)));
    }
    console.log(`repeat ${r + 1}/${repeats} done (load ${load()})`);
  }
} finally {
  for (const inst of instances) await inst.live.close();
}

const find = (name: string, engine: Instance['engine']) =>
  instances.find((i) => i.name === name && i.engine === engine)!;
const ratio = (a: number[], b: number[]): Spread => spread(a.map((v, i) => v / b[i]!));
const rows = names.map((name) => {
  const node = find(name, 'node').samples;
  const web = find(name, 'web').samples;
  return {
    name,
    node: spread(node),
    web: spread(web),
    webOverNode: ratio(web, node),
    nodeVsBaseline: ratio(node, find(BASELINE, 'node').samples),
    webVsBaseline: ratio(web, find(BASELINE, 'web').samples),
  };
});

const pkg = (p: string) =>
  (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', p, 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
const out = {
  date: new Date().toISOString(),
  machine: `${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB`,
  versions: `onnxruntime-web ${pkg('onnxruntime-web')}, onnxruntime-node ${pkg('onnxruntime-node')}, Node ${process.version}`,
  loadBefore,
  loadAfter: load(),
  method: { batch: BATCH, threads: 1, warmMs: WARM_MS, warmCalls: WARM_CALLS, repeats, blockMs },
  rows,
};
writeFileSync(OUT_FILE, `${JSON.stringify(out, null, 1)}\n`);
const f = (s: Spread) => `${s.median.toFixed(2)} [${s.q1.toFixed(2)}–${s.q3.toFixed(2)}]`;
for (const r of rows)
  console.log(`${r.name}: node ${f(r.node)} ms, web ${f(r.web)} ms, web/node ${f(r.webOverNode)}`);
console.log(`wrote ${OUT_FILE} (load ${loadBefore} → ${out.loadAfter})`);
