/** Test-only: what a promise rejects with, or a function throws, checked to be an instance of `type`. */
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

/** Calls `f`, expects it to throw an instance of `type` (Error by default) and returns the error; fails when `f` returns. */
export function thrown<E extends Error = Error>(f: () => unknown, type: abstract new (...args: never[]) => E = Error as never): E {
  let value: unknown;
  try {
    value = f();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as E;
  }
  throw new Error(`expected a ${type.name}, but it returned ${String(value)}`);
}
