/** Test-only: what a promise rejects with, checked to be an instance of `type`. */
import { expect } from 'vitest';

/** Awaits `promise`, expects it to reject with an instance of `type` (Error by default) and returns the reason. */
export async function rejection<E extends Error = Error>(
  promise: Promise<unknown>,
  type: abstract new (...args: never[]) => E = Error as never,
): Promise<E> {
  const reason = await promise.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(reason).toBeInstanceOf(type);
  return reason as E;
}
