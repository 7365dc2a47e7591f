/**
 * The explorer's formulas in plain text, shown as math: "x_t", "x_{t−1}" and
 * "ᾱ_t" get real subscripts instead of showing their TeX underscores, and
 * labels read aloud say "x t" rather than "x underscore t".
 */

export interface MathPart {
  text: string;
  sub: boolean;
}

const SUBSCRIPT = /_\{([^}]*)\}|_([^\s{}])/g;

/** "q(x_t | x_{t−1})" → q(x, t (sub), " | x", t−1 (sub), ")". */
export function mathParts(text: string): MathPart[] {
  const parts: MathPart[] = [];
  let last = 0;
  for (const m of text.matchAll(SUBSCRIPT)) {
    if (m.index > last) parts.push({ text: text.slice(last, m.index), sub: false });
    parts.push({ text: m[1] ?? m[2] ?? '', sub: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) parts.push({ text: text.slice(last), sub: false });
  return parts;
}

/** For aria-labels and titles: subscripts become plain words ("x_t" → "x t"). */
export function spoken(text: string): string {
  return mathParts(text)
    .map((p) => (p.sub ? ` ${p.text}` : p.text))
    .join('');
}

/** DOM nodes for `text`, subscripts as <sub>; text is never parsed as HTML. */
export function math(text: string): Node[] {
  return mathParts(text).map((p) => {
    if (!p.sub) return document.createTextNode(p.text);
    const sub = document.createElement('sub');
    sub.textContent = p.text;
    return sub;
  });
}
