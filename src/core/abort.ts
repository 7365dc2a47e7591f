/** Cancellation, shared by every layer: one error, recognised by its name as fetch's is. */

/** What a cancellable call needs: an AbortSignal, or anything with `aborted`. */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

export function abortError(): Error {
  const e = new Error('Generation cancelled.');
  e.name = 'AbortError';
  return e;
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
