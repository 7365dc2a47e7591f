/**
 * A value as error messages quote it: JSON cut to 60 characters, so a hostile
 * file's megabyte of text never becomes the message; a typed array as its length.
 */
export function show(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (ArrayBuffer.isView(v) && 'length' in v) return `${(v as { length: number }).length} values`;
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
