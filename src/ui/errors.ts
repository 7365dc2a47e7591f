/**
 * How the UI tells errors apart: by code, never by the wording of a message.
 * Errors cross the worker boundary with their code (workers/errors.ts; its
 * transfer handler is installed on this side here, before any worker call);
 * cancellation is code 'aborted' (an error named 'AbortError').
 */
import { errorCode, installErrorTransfer } from '../../workers/errors.ts';

installErrorTransfer();

export type ErrorKind = 'cancelled' | 'busy' | 'failed';

export function errorKind(e: unknown): ErrorKind {
  const code = errorCode(e);
  if (code === 'aborted') return 'cancelled';
  if (code === 'busy') return 'busy';
  return 'failed';
}

export { errorCode };
export { messageOf } from '../runtime/errors.ts';
export { abortError } from '../core/abort.ts';
