/** Text from a model file made safe for a terminal: control characters (ANSI escapes) become "?". */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}
