/**
 * A labelled seed input: a whole number in 0..MAX_SEED, clamped when the
 * user leaves the field, with an optional dice button for a random seed.
 */
import { h, nextId } from '../dom.ts';
import { MAX_SEED, randomSeed } from '../settings.ts';

export interface SeedField {
  root: HTMLElement;
  input: HTMLInputElement;
  /** The field's seed, clamped; `fallback` when it holds no number. */
  value(fallback: number): number;
  set(seed: number): void;
}

/** A typed seed, clamped to 0..MAX_SEED; `fallback` when it is not a number. */
export function clampSeed(text: string, fallback: number): number {
  const n = Math.floor(Number(text));
  return text.trim() !== '' && Number.isFinite(n) ? Math.min(MAX_SEED, Math.max(0, n)) : fallback;
}

function diceIcon(): SVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML =
    '<rect x="4" y="4" width="16" height="16" rx="3"/><circle cx="9" cy="9" r="1.3" fill="currentColor"/><circle cx="15" cy="15" r="1.3" fill="currentColor"/><circle cx="15" cy="9" r="1.3" fill="currentColor"/><circle cx="9" cy="15" r="1.3" fill="currentColor"/>';
  return svg;
}

export function seedField(o: {
  label: string;
  value: number;
  /** 'field': a form row with its label above; 'inline': label, input and `after` on one line. */
  layout: 'field' | 'inline';
  dice?: boolean;
  testId?: string;
  /** Elements after the input, e.g. the button that uses the seed. */
  after?: HTMLElement[];
  onChange: (seed: number) => void;
}): SeedField {
  const id = nextId('seed');
  const input = h('input', {
    id,
    type: 'number',
    inputmode: 'numeric',
    min: 0,
    max: MAX_SEED,
    value: String(o.value),
    class: 'seed-input',
    'data-testid': o.testId,
    onchange: () => {
      const seed = clampSeed(input.value, o.value);
      input.value = String(seed);
      o.value = seed;
      o.onChange(seed);
    },
  });
  const set = (seed: number) => {
    input.value = String(seed);
    o.value = seed;
  };
  const dice = o.dice
    ? h(
        'button',
        {
          type: 'button',
          class: 'icon-button',
          'aria-label': `Random ${o.label.toLowerCase()}`,
          title: `Random ${o.label.toLowerCase()}`,
          onclick: () => {
            set(randomSeed());
            o.onChange(o.value);
          },
        },
        diceIcon(),
      )
    : null;
  const label = h('label', { for: id }, o.label);
  const root =
    o.layout === 'field'
      ? h(
          'div',
          { class: 'field' },
          label,
          h('div', { class: 'seed-row' }, input, dice, ...(o.after ?? [])),
        )
      : h('span', { class: 'interp' }, label, input, dice, ...(o.after ?? []));
  return { root, input, value: (fallback) => clampSeed(input.value, fallback), set };
}
