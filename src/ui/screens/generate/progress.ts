/** Progress of the Generate run: a bar, a one-line status with ETA, a live region and the error line. */
import type { RunProgress } from '../../app-state.ts';
import { formatSeconds, h } from '../../dom.ts';

export interface ProgressView {
  root: HTMLElement;
  announce: HTMLElement;
  start(summary: string): void;
  step(p: RunProgress): void;
  done(count: number, seconds: number): void;
  cancelled(): void;
  failed(message: string): void;
  /** An error that is not the run's own (a save that failed): shown ('' hides it), the run's status kept. */
  alert(message: string): void;
}

const plural = (n: number) => `${n} image${n === 1 ? '' : 's'}`;

/** Weight of the newest step in the smoothed time per step (an exponential moving average). */
const SMOOTHING = 0.2;

/** The time per step, smoothed so the ETA does not jump with each step's own time. */
export function smoothMs(previous: number | undefined, ms: number): number {
  if (previous === undefined || !Number.isFinite(previous)) return ms;
  return previous + SMOOTHING * (ms - previous);
}

export function createProgress(): ProgressView {
  const bar = h('progress', {
    max: 1,
    value: 0,
    'aria-label': 'Denoising progress',
    'data-testid': 'progress',
  });
  const text = h('span', { class: 'progress-text', 'data-testid': 'progress-text' }, 'Ready');
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'generate-error' });
  error.hidden = true;
  let ms: number | undefined;

  return {
    root: h('div', {}, h('div', { class: 'progress-row' }, bar, text), error),
    announce,
    start(summary) {
      error.hidden = true;
      bar.value = 0;
      ms = undefined;
      text.textContent = 'Loading model…';
      announce.textContent = `Generating ${summary}.`;
    },
    step(p) {
      bar.max = p.of;
      bar.value = p.step;
      ms = smoothMs(ms, p.msPerStep);
      const eta = ((p.of - p.step) * ms) / 1000;
      // Short enough for a 390 px phone at large text (the status line has the ms per step).
      text.textContent = `Step ${p.step} of ${p.of} · ${formatSeconds(eta)} left`;
      text.title = `${Math.round(p.msPerStep)} ms/step`;
      if (p.notice) announce.textContent = p.notice;
    },
    done(count, seconds) {
      bar.value = bar.max;
      text.textContent = `Done: ${plural(count)} in ${seconds.toFixed(1)} s`;
      announce.textContent = `Done. ${plural(count)} ready.`;
    },
    cancelled() {
      bar.value = 0;
      text.textContent = 'Cancelled';
      announce.textContent = 'Generation cancelled; the last result is shown.';
    },
    failed(message) {
      bar.value = 0;
      text.textContent = 'Failed';
      this.alert(message);
    },
    alert(message) {
      error.textContent = message;
      error.hidden = message === '';
    },
  };
}
