/**
 * The typed readers model.json's validation is built from: each reads one
 * field, or throws a ManifestError naming its dotted path, what it must be,
 * and what it was.
 */
import { show } from './show.ts';

export class ManifestError extends Error {
  /** Dotted path of the offending field, e.g. "schedule.kind". */
  readonly field: string;
  constructor(field: string, message: string) {
    super(`model.json: ${message}`);
    this.name = 'ManifestError';
    this.field = field;
  }
}

export type Json = Record<string, unknown>;

export function fail(field: string, want: string, got: unknown): never {
  throw new ManifestError(field, `"${field}" must be ${want} (got ${show(got)})`);
}

export function object(parent: Json, key: string, path: string): Json {
  const v = parent[key];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'an object', v);
  return v as Json;
}

export function string(parent: Json, key: string, path: string): string {
  const v = parent[key];
  if (typeof v !== 'string' || v.trim() === '') fail(path, 'a non-empty string', v);
  return v;
}

export function optionalString(parent: Json, key: string, path: string): string | undefined {
  return parent[key] === undefined ? undefined : string(parent, key, path);
}

export function oneOf<T extends string>(
  parent: Json,
  key: string,
  path: string,
  valid: readonly T[],
): T {
  const v = parent[key];
  if (typeof v !== 'string' || !(valid as readonly string[]).includes(v))
    fail(path, `one of ${valid.join(', ')}`, v);
  return v as T;
}

export function integer(
  parent: Json,
  key: string,
  path: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  const v = parent[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    fail(
      path,
      max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer in ${min}..${max}`,
      v,
    );
  }
  return v;
}

export function finite(parent: Json, key: string, path: string): number {
  const v = parent[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'a finite number', v);
  return v;
}
