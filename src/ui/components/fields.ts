/** Labelled form controls. Every control has a visible <label>; ranges show their value. */
import type { IntField, NumberField } from '../../core/request-spec.ts';
import { h, nextId } from '../dom.ts';

export interface RangeField {
  root: HTMLElement;
  input: HTMLInputElement;
  set(value: number): void;
  /** Replaces the hint's text (when the field was made with one). */
  hint(text: string): void;
}

export function rangeField(o: {
  label: string;
  min: number;
  max: number;
  step: number;
  value: number;
  format?: (v: number) => string;
  hint?: string;
  onInput: (v: number) => void;
}): RangeField {
  const id = nextId('range');
  const fmt = o.format ?? String;
  const output = h('output', { for: id, class: 'field-value' }, fmt(o.value));
  const hint = o.hint ? h('small', { id: `${id}-hint`, class: 'hint' }, o.hint) : null;
  const input = h('input', {
    id,
    type: 'range',
    min: o.min,
    max: o.max,
    step: o.step,
    value: String(o.value),
    'aria-describedby': hint ? `${id}-hint` : undefined,
    oninput: () => {
      const v = Number(input.value);
      output.textContent = fmt(v);
      input.setAttribute('aria-valuetext', fmt(v));
      o.onInput(v);
    },
  });
  input.setAttribute('aria-valuetext', fmt(o.value));
  const root = h(
    'div',
    { class: 'field' },
    h('div', { class: 'field-head' }, h('label', { for: id }, o.label), output),
    input,
    hint,
  );
  return {
    root,
    input,
    set(v: number) {
      input.value = String(v);
      output.textContent = fmt(v);
      input.setAttribute('aria-valuetext', fmt(v));
    },
    hint: (text) => hint && (hint.textContent = text),
  };
}

/** A slider with the label, bounds and step of a request field (src/core/request-spec.ts). */
export function specRange(
  spec: IntField | NumberField,
  value: number,
  onInput: (v: number) => void,
  o: { hint?: string; format?: (v: number) => string } = {},
): RangeField {
  const step = spec.kind === 'number' ? spec.step : 1;
  return rangeField({
    label: spec.label,
    min: spec.min,
    max: spec.max,
    step,
    value,
    onInput,
    ...o,
  });
}

export interface SelectField {
  root: HTMLElement;
  select: HTMLSelectElement;
  setOptions(options: { value: string; label: string }[], value: string): void;
  /** Replaces the hint's text (when the field was made with one). */
  hint(text: string): void;
}

export function selectField(o: {
  label: string;
  options: { value: string; label: string }[];
  value: string;
  hint?: string;
  onChange: (v: string) => void;
}): SelectField {
  const id = nextId('select');
  const select = h('select', { id, onchange: () => o.onChange(select.value) });
  const setOptions = (options: { value: string; label: string }[], value: string) => {
    select.replaceChildren(...options.map((opt) => h('option', { value: opt.value }, opt.label)));
    select.value = value;
  };
  setOptions(o.options, o.value);
  const hint = o.hint ? h('small', { class: 'hint' }, o.hint) : null;
  const root = h('div', { class: 'field' }, h('label', { for: id }, o.label), select, hint);
  return { root, select, setOptions, hint: (text) => hint && (hint.textContent = text) };
}
