/** Two cards: the pixels of x_t against N(0, 1), and the noise schedule with the current t marked. */
import type { ScheduleCurves } from '../../kernels.ts';
import { card, h } from '../../dom.ts';
import { drawHistogram, drawSchedule, moments } from '../../plots.ts';
import { math, spoken } from '../../math.ts';

export interface PlotsView {
  roots: HTMLElement[];
  histogram(x: Float32Array, t: number): void;
  schedule(curves: ScheduleCurves, t: number): void;
}

export function createPlots(): PlotsView {
  const histCanvas = h('canvas', {
    class: 'plot',
    role: 'img',
    'aria-label': spoken('Histogram of the pixel values of x_t against the N(0, 1) density'),
  });
  const histStats = h('p', { class: 'readout', 'data-testid': 'hist-stats', 'aria-live': 'off' });
  const schedCanvas = h('canvas', {
    class: 'plot',
    role: 'img',
    'aria-label': spoken('ᾱ_t and the signal-to-noise ratio over t'),
  });
  let last: { x?: Float32Array; curves?: ScheduleCurves; t: number } = { t: 0 };

  new ResizeObserver(() => {
    if (last.x) drawHistogram(histCanvas, last.x);
    if (last.curves) drawSchedule(schedCanvas, last.curves.alphaBar, last.curves.snr, last.t);
  }).observe(histCanvas);

  return {
    roots: [
      card(
        'ex-hist',
        'Pixels of x_t vs N(0, 1)',
        histCanvas,
        histStats,
        h(
          'p',
          { class: 'legend' },
          h('span', { class: 'swatch a' }),
          ...math('histogram of x_t '),
          h('span', { class: 'swatch b' }),
          'N(0, 1) density',
        ),
        h(
          'p',
          { class: 'hint' },
          'For a colour model the red, green and blue values are pooled in one histogram: the forward process noises every channel alike, so each channel, and all of them together, tend to N(0, 1).',
        ),
      ),
      card(
        'ex-sched',
        'Noise schedule',
        schedCanvas,
        h(
          'p',
          { class: 'legend' },
          h('span', { class: 'swatch a' }),
          ...math('ᾱ_t (0 to 1) '),
          h('span', { class: 'swatch b dashed' }),
          ...math('SNR = ᾱ_t / (1 − ᾱ_t), log scale'),
        ),
      ),
    ],
    histogram(x, t) {
      last = { ...last, x, t };
      const m = moments(x);
      drawHistogram(histCanvas, x);
      histStats.dataset.mean = String(m.mean);
      histStats.dataset.std = String(m.std);
      histStats.dataset.t = String(t);
      histStats.replaceChildren(
        ...math(`pixels of x_t: mean ${m.mean.toFixed(3)}, std ${m.std.toFixed(3)} · N(0, 1): mean 0, std 1`),
      );
    },
    schedule(curves, t) {
      last = { ...last, curves, t };
      drawSchedule(schedCanvas, curves.alphaBar, curves.snr, t);
    },
  };
}
