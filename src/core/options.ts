/** Validation helpers: every bad option is an error that names the field and what it accepts. */

export function oneOf<T extends string>(field: string, value: unknown, valid: readonly T[]): T {
  if (typeof value === 'string' && (valid as readonly string[]).includes(value)) return value as T;
  throw new Error(`${field}: got ${JSON.stringify(value)}; expected one of ${valid.join(', ')}`);
}

export function integerIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
    return value;
  throw new Error(
    `${field}: got ${JSON.stringify(value)}; expected an integer in [${min}, ${max}]`,
  );
}

export function numberIn(field: string, value: unknown, min: number, max: number): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max)
    return value;
  throw new Error(`${field}: got ${JSON.stringify(value)}; expected a number in [${min}, ${max}]`);
}
