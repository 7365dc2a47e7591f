/** The forward-process card: x₀ and x_t side by side, the t slider and its readout, closed form or Markov chain. */
import { card, h, nextId } from '../../dom.ts';
import { math, spoken } from '../../math.ts';

export interface ForwardView {
  root: HTMLElement;
  x0Canvas: HTMLCanvasElement;
  xtCanvas: HTMLCanvasElement;
  t(): number;
  setMax(T: number): void;
  markov(): boolean;
  readout(text: string): void;
}

export function createForward(o: {
  t: number;
  max: number;
  markov: boolean;
  /** The sample picker and its buttons (from the samples view). */
  picker: HTMLElement;
  buttons: HTMLElement[];
  onT: (t: number) => void;
  onMarkov: (on: boolean) => void;
  onNewNoise: () => void;
}): ForwardView {
  const x0Canvas = h('canvas', {
    class: 'pixelated',
    role: 'img',
    'aria-label': 'x₀, the chosen image',
  });
  const xtCanvas = h('canvas', {
    class: 'pixelated',
    role: 'img',
    'aria-label': spoken('x_t, the image after t noising steps'),
    'data-testid': 'xt',
  });
  const tId = nextId('t');
  const readout = h('output', { for: tId, class: 'readout', 'data-testid': 't-readout' });
  const slider = h('input', {
    id: tId,
    type: 'range',
    min: 0,
    max: o.max,
    step: 1,
    value: String(o.t),
    'data-testid': 't-slider',
    oninput: () => o.onT(Number(slider.value)),
  });
  const markovId = nextId('markov');
  const markov = h('input', {
    id: markovId,
    type: 'checkbox',
    checked: o.markov,
    'data-testid': 'markov',
    onchange: () => o.onMarkov(markov.checked),
  });
  const resample = h(
    'button',
    { type: 'button', class: 'button', onclick: o.onNewNoise },
    'New noise',
  );

  const root = card(
    'ex-forward',
    'Forward process',
    h(
      'p',
      { class: 'hint' },
      ...math('q(x_t | x₀) = N(√ᾱ_t x₀, (1 − ᾱ_t) I): noise is added until the image is a sample of N(0, I).'),
    ),
    o.picker,
    h('div', { class: 'button-row' }, ...o.buttons, resample),
    h(
      'div',
      { class: 'pair' },
      h('figure', {}, x0Canvas, h('figcaption', {}, 'x₀')),
      h('figure', {}, xtCanvas, h('figcaption', {}, ...math('x_t'))),
    ),
    h('label', { for: tId, class: 'field-label' }, 'Timestep t'),
    slider,
    readout,
    h(
      'div',
      { class: 'check' },
      markov,
      h(
        'label',
        { for: markovId },
        ...math('Step-by-step Markov chain q(x_t | x_{t−1}) instead of the closed form'),
      ),
    ),
  );
  return {
    root,
    x0Canvas,
    xtCanvas,
    t: () => Number(slider.value),
    setMax: (T) => (slider.max = String(T)),
    markov: () => markov.checked,
    readout: (text) => readout.replaceChildren(...math(text)),
  };
}
