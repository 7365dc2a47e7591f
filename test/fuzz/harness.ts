/**
 * A small seeded, time-bounded fuzzer for `npm test`. Each target generates
 * inputs from a seeded PRNG, runs them, and classifies the outcome:
 *
 * - a result: the target's `check` must accept it (a wrong result is a failure);
 * - an error: it must be an Error with a clear message that the target
 *   accepts (its own error types and codes); a TypeError from deep inside,
 *   an empty message, or a non-Error is a failure;
 * - a case slower than `caseMs`, or a peak RSS over `rssMiB`, is a failure.
 *
 * Case k uses the PRNG seeded with (FUZZ_SEED, k), so a failure is reproduced
 * by its seed and index alone; its report also carries the input itself
 * (argv as JSON, bytes as base64). FUZZ_SEED and FUZZ_BUDGET (a factor on
 * every time budget) vary a run: `FUZZ_SEED=123 npx vitest run test/fuzz`.
 *
 * A case that never returns (a synchronous endless loop blocks this thread,
 * and with it every timer) is caught by a watchdog thread: it writes the
 * target, seed and case index straight to stderr and ends the process.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

export const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2026) >>> 0;
const BUDGET = Number(process.env.FUZZ_BUDGET ?? 1);

/** mulberry32: small, fast, good enough to pick mutations. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  float(): number {
    return this.u32() / 2 ** 32;
  }
  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.float() * (hi - lo + 1));
  }
  bool(p = 0.5): boolean {
    return this.float() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)]!;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 255;
    return out;
  }
}

/** A result the target's check refused: a wrong answer, not an error. */
export class Wrong extends Error {
  override name = 'Wrong';
}

export interface Target<I, R> {
  name: string;
  /** Wall time for the whole target (scaled by FUZZ_BUDGET). */
  budgetMs: number;
  maxCases: number;
  /** Longest a single case may take. */
  caseMs: number;
  /** Peak RSS bound for the process while this target runs (default 1024). */
  rssMiB?: number;
  generate(rng: Rng, index: number): I;
  run(input: I): Promise<R> | R;
  /** Throws Wrong when a result is not correct for its input. */
  check(input: I, result: R): void;
  /** Whether an error thrown for this input is one of the target's clear errors. */
  clearError(e: Error, input: I): boolean;
  /** The input, printable: enough to reproduce the case. */
  show(input: I): string;
}

export interface Report {
  cases: number;
  ms: number;
  failures: string[];
  peakRssMiB: number;
}

/** Mixes the run seed and a case index into one 32-bit seed. */
export function caseSeed(seed: number, index: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

const INTERNAL = /^(Cannot read propert|Cannot set propert|undefined is not|null is not|.* is not a function|.* is not iterable|Maximum call stack)/;

function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : `non-Error thrown: ${String(e)}`;
}

const rssMiB = () => process.memoryUsage().rss / 2 ** 20;

/** The watchdog thread's side, as source: it polls the case start time the fuzzer publishes. */
const WATCHDOG = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const { beat, name, seed, hangMs } = workerData;
setInterval(() => {
  const started = Atomics.load(beat, 1) * 1000;
  if (started > 0 && Date.now() - started > hangMs) {
    writeSync(2, '\\nfuzz ' + name + ' case ' + Atomics.load(beat, 0) + ' (FUZZ_SEED=' + seed + '): no answer after ' + hangMs + ' ms (a hang); rerun with that seed to reproduce\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, 250);
`;

/** Starts the watchdog; `enter(index)` marks a case as running, `leave()` as done. */
function watchdog(name: string, hangMs: number): { enter(index: number): void; leave(): void; stop(): void } {
  const beat = new Int32Array(new SharedArrayBuffer(8));
  const thread = new Worker(WATCHDOG, { eval: true, workerData: { beat, name, seed: SEED, hangMs } });
  thread.unref();
  return {
    enter(index) {
      Atomics.store(beat, 0, index);
      Atomics.store(beat, 1, Math.max(1, Math.floor(Date.now() / 1000)));
    },
    leave: () => Atomics.store(beat, 1, 0),
    stop: () => void thread.terminate(),
  };
}

const DEFAULT_RSS_MIB = 1024;

export async function fuzz<I, R>(t: Target<I, R>): Promise<Report> {
  const rssLimit = t.rssMiB ?? DEFAULT_RSS_MIB;
  const started = performance.now();
  const failures: string[] = [];
  let peak = rssMiB();
  let cases = 0;
  const budget = t.budgetMs * BUDGET;
  const dog = watchdog(t.name, Math.max(30_000, 3 * t.caseMs));
  for (let index = 0; index < t.maxCases && performance.now() - started < budget; index++) {
    dog.enter(index);
    const input = t.generate(new Rng(caseSeed(SEED, index)), index);
    const caseStart = performance.now();
    let problem: string | undefined;
    try {
      const result = await t.run(input);
      t.check(input, result);
    } catch (e) {
      if (e instanceof Wrong) problem = `wrong result: ${e.message}`;
      else if (!(e instanceof Error) || e.message.trim().length < 8 || INTERNAL.test(e.message) || !t.clearError(e, input))
        problem = `unclear error: ${describeError(e)}`;
    }
    dog.leave();
    const ms = performance.now() - caseStart;
    if (!problem && ms > t.caseMs) problem = `took ${ms.toFixed(0)} ms (limit ${t.caseMs} ms)`;
    peak = Math.max(peak, rssMiB());
    if (!problem && peak > rssLimit) problem = `peak RSS ${peak.toFixed(0)} MiB passed ${rssLimit} MiB`;
    cases++;
    if (problem) {
      failures.push(
        `${t.name} case ${index} (FUZZ_SEED=${SEED}): ${problem}\n  input: ${t.show(input)}`,
      );
      if (failures.length >= 5) break;
    }
  }
  dog.stop();
  const ms = performance.now() - started;
  peak = Math.max(peak, (process.resourceUsage().maxRSS * 1024) / 2 ** 20);
  console.log(
    `fuzz ${t.name}: ${cases} cases in ${(ms / 1000).toFixed(1)} s, seed ${SEED} (0x${SEED.toString(16)}), peak RSS ${peak.toFixed(0)} MiB, ${failures.length} failures`,
  );
  return { cases, ms, failures, peakRssMiB: peak };
}

/** Runs the target and fails the test with every failing case's reproduction. */
export async function expectFuzzClean<I, R>(t: Target<I, R>): Promise<void> {
  const report = await fuzz(t);
  expect(report.failures.join('\n\n'), `${t.name}: failing cases`).toBe('');
  expect(report.peakRssMiB, `${t.name}: peak RSS (MiB)`).toBeLessThan(t.rssMiB ?? DEFAULT_RSS_MIB);
  expect(report.cases).toBeGreaterThan(0);
}

/**
 * Registers the target as a test file's suite: `describe('fuzz: <name>')`
 * with one case, `claim`, that fuzzes the target clean. `timeoutMs` raises
 * the test's limit for a target whose budget and slowest case pass the default.
 */
export function fuzzTarget<I, R>(claim: string, t: Target<I, R>, timeoutMs?: number): void {
  describe(`fuzz: ${t.name}`, () => {
    it(claim, () => expectFuzzClean(t), timeoutMs);
  });
}

export const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
