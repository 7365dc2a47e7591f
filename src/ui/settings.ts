/**
 * The user's settings, persisted in localStorage. Values read back are
 * checked field by field: anything unknown or out of range falls back to the
 * default for that field only, so an old or hand-edited store never breaks
 * the app.
 */
import type { SamplerName } from '../core/types.ts';
import type { BackendChoice } from '../../workers/protocol.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface Settings {
  modelId: string;
  /** Class index, or -1 for "any" (unconditional). */
  label: number;
  seed: number;
  steps: number;
  sampler: SamplerName;
  eta: number;
  guidance: number;
  count: number;
  backend: BackendChoice;
  theme: ThemeChoice;
  interpolateTo: number;
  explorerSample: string;
  explorerT: number;
  explorerMarkov: boolean;
}

export const SAMPLERS: { value: SamplerName; label: string }[] = [
  { value: 'ddim', label: 'DDIM' },
  { value: 'ddpm', label: 'DDPM (ancestral)' },
  { value: 'dpmpp-2m', label: 'DPM-Solver++ 2M' },
  { value: 'euler-a', label: 'Euler ancestral' },
  { value: 'ddpm-beta', label: 'DDPM (σ² = β)' },
];
export const BACKENDS: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic (GPU if it has one, else CPU)' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'CPU (WASM)' },
];
export const THEMES: ThemeChoice[] = ['system', 'light', 'dark'];
export const MAX_SEED = 2 ** 32 - 1;

export const DEFAULTS: Settings = {
  modelId: 'fashion-28',
  label: -1,
  seed: 42,
  steps: 20,
  sampler: 'ddim',
  eta: 0,
  guidance: 3,
  count: 4,
  backend: 'auto',
  theme: 'system',
  interpolateTo: 43,
  explorerSample: 'fashion-0.png',
  explorerT: 250,
  explorerMarkov: false,
};

const KEY = 'diffuse.settings.v1';

function int(v: unknown, lo: number, hi: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : undefined;
}
function num(v: unknown, lo: number, hi: number): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) && v >= lo && v <= hi ? v : undefined;
}
function oneOf<T extends string>(v: unknown, values: readonly T[]): T | undefined {
  return values.find((x) => x === v);
}

/** Keeps the fields of `raw` that are valid, the defaults for the rest. */
export function sanitize(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const d = DEFAULTS;
  return {
    modelId: typeof r.modelId === 'string' && r.modelId.length > 0 ? r.modelId : d.modelId,
    label: int(r.label, -1, 9999) ?? d.label,
    seed: int(r.seed, 0, MAX_SEED) ?? d.seed,
    steps: int(r.steps, 1, 1000) ?? d.steps,
    sampler: oneOf(r.sampler, SAMPLERS.map((s) => s.value)) ?? d.sampler,
    eta: num(r.eta, 0, 1) ?? d.eta,
    guidance: num(r.guidance, 0, 20) ?? d.guidance,
    count: int(r.count, 1, 16) ?? d.count,
    backend: oneOf(r.backend, BACKENDS.map((b) => b.value)) ?? d.backend,
    theme: oneOf(r.theme, THEMES) ?? d.theme,
    interpolateTo: int(r.interpolateTo, 0, MAX_SEED) ?? d.interpolateTo,
    explorerSample: typeof r.explorerSample === 'string' ? r.explorerSample : d.explorerSample,
    explorerT: int(r.explorerT, 0, 100000) ?? d.explorerT,
    explorerMarkov: typeof r.explorerMarkov === 'boolean' ? r.explorerMarkov : d.explorerMarkov,
  };
}

type Listener = (s: Settings) => void;

/** The settings of this session: read once, written through on every change. */
class SettingsStore {
  private value: Settings;
  private listeners = new Set<Listener>();

  constructor() {
    let raw: unknown = undefined;
    try {
      raw = JSON.parse(localStorage.getItem(KEY) ?? 'null');
    } catch {
      raw = undefined;
    }
    this.value = sanitize(raw);
  }

  get(): Readonly<Settings> {
    return this.value;
  }

  set(patch: Partial<Settings>): void {
    this.value = sanitize({ ...this.value, ...patch });
    try {
      localStorage.setItem(KEY, JSON.stringify(this.value));
    } catch {
      // Private mode or a full quota: settings then last for this session only.
    }
    for (const l of this.listeners) l(this.value);
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

export const settings = new SettingsStore();

export function randomSeed(): number {
  const a = new Uint32Array(1);
  crypto.getRandomValues(a);
  return a[0] ?? 0;
}
