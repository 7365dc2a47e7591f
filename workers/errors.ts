/**
 * Errors cross the worker boundary as data: comlink's own handler keeps only
 * name, message and stack, so the runtime's `code` (and a request error's
 * `field`) would be lost and the page would have to guess from the text.
 * Installed on both sides; the page then branches on `errorCode`.
 */
import * as Comlink from 'comlink';
import { isAbortError } from '../src/core/abort.ts';
import type { RuntimeErrorCode } from '../src/runtime/errors.ts';

/** What the page can branch on: a runtime error's code, or 'aborted' for a cancelled run. */
export type ErrorCode = RuntimeErrorCode | 'aborted';

interface WireError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
  field?: string;
}

type Thrown = { isError: true; value: WireError } | { isError: false; value: unknown };

function toWire(e: Error): WireError {
  const { code, field } = e as Error & { code?: unknown; field?: unknown };
  return {
    name: e.name,
    message: e.message,
    ...(e.stack === undefined ? {} : { stack: e.stack }),
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof field === 'string' ? { field } : {}),
  };
}

export function installErrorTransfer(): void {
  const original = Comlink.transferHandlers.get('throw');
  if (!original) throw new Error("comlink has no 'throw' transfer handler to replace");
  Comlink.transferHandlers.set('throw', {
    canHandle: original.canHandle,
    serialize(thrown) {
      const { value } = thrown as { value: unknown };
      const wire: Thrown =
        value instanceof Error ? { isError: true, value: toWire(value) } : { isError: false, value };
      return [wire, []];
    },
    deserialize(wire) {
      const t = wire as Thrown;
      if (t.isError) throw Object.assign(new Error(t.value.message), t.value);
      throw t.value;
    },
  });
}

/** The code of anything a worker call rejected with; undefined for errors without one. */
export function errorCode(e: unknown): ErrorCode | undefined {
  if (isAbortError(e)) return 'aborted';
  const code = (e as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (code as RuntimeErrorCode) : undefined;
}
