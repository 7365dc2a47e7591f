/**
 * An integer field whose slider moves over useful values, not linearly: for
 * steps (1..1000) a linear slider puts 20 at 2 % of the track. The slider
 * walks a list of values (every integer up to 10, then 12, 15, 20, 25, 30,
 * 40, 50, 75, 100, …); a number field beside it takes any value in range.
 */
import type { IntField } from '../../core/request-spec.ts';
import './scale-field.css';
import { h, nextId } from '../dom.ts';

/** Mantissas of the values above 10 in each decade. */
const NICE = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 7.5];

/** The slider's values for `spec` up to `max`: ascending, from spec.min, with `max` and the default included. */
export function usefulValues(spec: IntField, max = spec.max): number[] {
  const top = Math.min(max, spec.max);
  const out = new Set<number>();
  for (let v = spec.min; v <= Math.min(10, top); v++) out.add(v);
  for (let decade = 10; decade <= top; decade *= 10)
    for (const m of NICE) {
      const v = Math.round(m * decade);
      if (v >= spec.min && v <= top) out.add(v);
    }
  out.add(top);
  if (spec.default <= top) out.add(spec.default);
  return [...out].sort((a, b) => a - b);
}

/** The index of the useful value nearest `v`. */
export function nearestIndex(values: readonly number[], v: number): number {
  let best = 0;
  values.forEach((x, i) => {
    if (Math.abs(x - v) < Math.abs((values[best] ?? 0) - v)) best = i;
  });
  return best;
}

export interface ScaleField {
  root: HTMLElement;
  /** The number field: the control labelled with the spec's label. */
  input: HTMLInputElement;
  set(value: number): void;
  /** Caps the field (a model's train steps). */
  setMax(max: number): void;
}

export function scaleField(
  spec: IntField,
  value: number,
  onInput: (v: number) => void,
): ScaleField {
  const id = nextId('scale');
  let values = usefulValues(spec);
  const input = h('input', {
    id,
    type: 'number',
    class: 'scale-number',
    inputmode: 'numeric',
    min: spec.min,
    max: spec.max,
    step: 1,
    value: String(value),
  });
  const slider = h('input', {
    type: 'range',
    class: 'scale-slider',
    min: 0,
    step: 1,
    'aria-label': `${spec.label}, by useful values`,
  });

  function show(v: number): void {
    input.value = String(v);
    slider.max = String(values.length - 1);
    slider.value = String(nearestIndex(values, v));
    slider.setAttribute('aria-valuetext', String(v));
  }

  slider.addEventListener('input', () => {
    const v = values[Number(slider.value)] ?? spec.default;
    show(v);
    onInput(v);
  });
  input.addEventListener('input', () => {
    const v = Number(input.value);
    if (!Number.isInteger(v) || v < spec.min || v > Number(input.max)) return;
    slider.value = String(nearestIndex(values, v));
    slider.setAttribute('aria-valuetext', String(v));
    onInput(v);
  });
  show(value);

  const root = h(
    'div',
    { class: 'field' },
    h('div', { class: 'field-head scale-head' }, h('label', { for: id }, spec.label), input),
    slider,
  );
  return {
    root,
    input,
    set: (v) => {
      if (document.activeElement !== input) show(v);
    },
    setMax(max) {
      const top = Math.min(max, spec.max);
      input.max = String(top);
      values = usefulValues(spec, top);
      show(Number(input.value));
    },
  };
}
