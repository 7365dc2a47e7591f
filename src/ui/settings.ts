/**
 * The user's settings, persisted in localStorage. Values read back are
 * checked field by field: anything unknown or out of range falls back to the
 * default for that field only, so an old or hand-edited store never breaks
 * the app. The request's fields, their bounds and defaults come from the
 * request spec (src/core/request-spec.ts), the samplers from core's table.
 */
import { fieldOrDefault, REQUEST_SPEC } from '../core/request-spec.ts';
import { SAMPLERS } from '../core/samplers.ts';
import type { SamplerName } from '../core/types.ts';
import type { BackendChoice } from '../../workers/protocol.ts';

export type ThemeChoice = 'system' | 'light' | 'dark';

export interface Settings {
  /** The chosen model; '' (the start) is the built-in default that public/models/index.json names, stored by id once the catalog loads. */
  modelId: string;
  /** Label id per label group, by group name; a group not listed is "any". */
  labels: Record<string, string>;
  seed: number;
  /** The noise stream of the first image (a recipe's own index; a new seed starts at 0). */
  firstIndex: number;
  steps: number;
  sampler: SamplerName;
  eta: number;
  guidance: number;
  /** The model `guidance` belongs to; another model starts at its own default. */
  guidanceFor: string;
  count: number;
  backend: BackendChoice;
  theme: ThemeChoice;
  interpolateTo: number;
  explorerSample: string;
  explorerT: number;
  explorerMarkov: boolean;
}

/** The sampler picker: one row per distinct update (a row with `sameAs` is its twin's, whose label says so). */
export const SAMPLER_OPTIONS: { value: SamplerName; label: string }[] = SAMPLERS.filter(
  (s) => !s.sameAs,
).map((s) => ({
  value: s.name,
  label: s.label,
}));
export const BACKENDS: { value: BackendChoice; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'wasm', label: 'CPU (WASM)' },
];
export const THEMES: ThemeChoice[] = ['system', 'light', 'dark'];
export const MAX_SEED = REQUEST_SPEC.seed.max;

export const DEFAULTS: Settings = {
  modelId: '',
  labels: {},
  seed: REQUEST_SPEC.seed.default,
  firstIndex: 0,
  steps: REQUEST_SPEC.steps.default,
  sampler: REQUEST_SPEC.sampler.default,
  eta: REQUEST_SPEC.eta.default,
  guidance: REQUEST_SPEC.guidance.default,
  guidanceFor: '',
  count: REQUEST_SPEC.count.default,
  backend: 'auto',
  theme: 'system',
  interpolateTo: REQUEST_SPEC.seed.default + 1,
  explorerSample: 'emoji-0.png',
  explorerT: 250,
  explorerMarkov: false,
};

const KEY = 'diffuse.settings.v1';

function int(v: unknown, lo: number, hi: number): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi ? v : undefined;
}
function labelMap(v: unknown): Record<string, string> | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  return Object.fromEntries(
    Object.entries(v).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
function oneOf<T extends string>(v: unknown, values: readonly T[]): T | undefined {
  return values.find((x) => x === v);
}
/** A sampler listed as the same as another is stored as that one: the picker shows only it. */
function sampler(v: unknown): SamplerName {
  const name = fieldOrDefault('sampler', v);
  return SAMPLERS.find((s) => s.name === name)?.sameAs ?? name;
}

/** Keeps the fields of `raw` that are valid, the defaults for the rest. */
export function sanitize(raw: unknown): Settings {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const d = DEFAULTS;
  return {
    modelId: typeof r.modelId === 'string' ? r.modelId : d.modelId,
    labels: labelMap(r.labels) ?? d.labels,
    seed: fieldOrDefault('seed', r.seed),
    firstIndex: int(r.firstIndex, 0, MAX_SEED) ?? d.firstIndex,
    steps: fieldOrDefault('steps', r.steps),
    sampler: sampler(r.sampler),
    eta: fieldOrDefault('eta', r.eta),
    guidance: fieldOrDefault('guidance', r.guidance),
    guidanceFor: typeof r.guidanceFor === 'string' ? r.guidanceFor : d.guidanceFor,
    count: fieldOrDefault('count', r.count),
    backend:
      oneOf(
        r.backend,
        BACKENDS.map((b) => b.value),
      ) ?? d.backend,
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
