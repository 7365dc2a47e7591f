/**
 * How the UI tells errors apart: by `name` and `code`, never by the wording
 * of a message. The runtime's errors carry a code (src/runtime/errors.ts) and
 * keep it across the worker boundary; cancellation is an error named
 * 'AbortError' (or code 'aborted').
 */
export type ErrorKind = 'cancelled' | 'busy' | 'failed';

/** The `code` of a runtime error, if `e` has one. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  const code = (e as { code: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function errorKind(e: unknown): ErrorKind {
  if (e instanceof Error && e.name === 'AbortError') return 'cancelled';
  const code = errorCode(e);
  if (code === 'aborted') return 'cancelled';
  if (code === 'busy') return 'busy';
  return 'failed';
}

export function isCancelled(e: unknown): boolean {
  return errorKind(e) === 'cancelled';
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The error a run rejects with when its own signal stops it. */
export function abortError(): Error {
  const e = new Error('Cancelled.');
  e.name = 'AbortError';
  return e;
}
