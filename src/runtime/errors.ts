/**
 * Errors the runtime shows to people. Each carries a code for programs and a
 * message that says what is wrong and what to do about it.
 */
export type RuntimeErrorCode =
  | 'manifest-json'
  | 'manifest-invalid'
  | 'fetch-failed'
  | 'file-empty'
  | 'file-size'
  | 'file-hash'
  | 'onnx-invalid'
  | 'io-mismatch'
  | 'no-backend'
  /** onnxruntime itself could not start (its files, or memory): not the model's fault; a fresh worker may succeed. */
  | 'engine-failed'
  | 'bad-request'
  | 'no-model'
  | 'busy'
  | 'run-failed'
  /** The model returned NaN or ±Inf (core's ModelOutputError). */
  | 'model-output'
  /** A .zip model package that cannot be read, or holds the wrong entries (model-zip.ts). */
  | 'zip-invalid'
  /** A request or file needs more memory than the limits allow (core/limits.ts). */
  | 'too-large';

export class RuntimeError extends Error {
  readonly code: RuntimeErrorCode;
  constructor(code: RuntimeErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuntimeError';
    this.code = code;
  }
}

/** The message of anything thrown, for embedding in another message. */
export function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  return typeof e === 'string' ? e : String(e);
}

export { abortError, isAbortError } from '../core/abort.ts';

/** The gist of an onnxruntime error for a person: its last "message: …" part, one line, ≤ 160 characters. */
export function shortReason(e: unknown): string {
  const full = messageOf(e);
  const at = full.lastIndexOf('message: ');
  const line = (at >= 0 ? full.slice(at + 'message: '.length) : full).split('\n')[0]!.trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
