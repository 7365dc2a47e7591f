/**
 * The reverse-process card: "Denoise from here" with its result and status,
 * and the filmstrip of the last run. While another screen's run is going the
 * button stays "Denoise from here", disabled, with the reason beside it.
 */
import type { Run } from '../../app-state.ts';
import { card, h, singleClick } from '../../dom.ts';
import { drawRGBA, imageAt } from '../../images.ts';
import { math, spoken } from '../../math.ts';

/** Who holds the generator: nobody, this screen's own run, or another screen's. */
export type Holder = { kind: 'idle' } | { kind: 'own' } | { kind: 'other'; from: string };

export interface ReverseView {
  root: HTMLElement;
  setHolder(holder: Holder): void;
  status(text: string): void;
  /** Draws a preview of the run in progress; `restore` undoes it. */
  preview(rgba: Uint8ClampedArray, w: number, ht: number): void;
  /** Draws a finished result and keeps it. */
  show(rgba: Uint8ClampedArray, w: number, ht: number): void;
  /** Puts the last finished result back (after a cancel or a failure), or clears. */
  restore(): void;
  film(run: Run): void;
}

const MAX_FRAMES = 12;

export function createReverse(onDenoise: () => void, onCancel: () => void): ReverseView {
  const out = h('canvas', {
    class: 'pixelated',
    role: 'img',
    'aria-label': 'Result of denoising from t',
    'data-testid': 'denoised',
  });
  const statusEl = h('p', {
    class: 'hint',
    'aria-live': 'polite',
    'data-testid': 'denoise-status',
  });
  const reason = h('p', {
    class: 'field-note',
    id: 'denoise-reason',
    'data-testid': 'denoise-reason',
    hidden: true,
  });
  const film = h('div', {
    class: 'filmstrip',
    'data-testid': 'filmstrip',
    tabindex: 0,
    role: 'group',
    'aria-label': spoken('Reverse process, x_T to x_0'),
  });
  const caption = h(
    'p',
    { class: 'hint' },
    ...math('Generate an image (or denoise from here) to see its reverse process, x_T → x₀.'),
  );
  let holder: Holder = { kind: 'idle' };
  let kept: { rgba: Uint8ClampedArray; w: number; ht: number } | undefined;
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button primary',
      'data-testid': 'denoise',
      onclick: singleClick(() => (holder.kind === 'own' ? onCancel() : onDenoise())),
    },
    'Denoise from here',
  );

  return {
    root: card(
      'ex-reverse',
      'Reverse process',
      h('div', { class: 'pair' }, h('figure', {}, out, h('figcaption', {}, 'denoised'))),
      h('div', { class: 'button-row' }, button),
      reason,
      statusEl,
      film,
      caption,
    ),
    setHolder(next) {
      holder = next;
      button.textContent = next.kind === 'own' ? 'Cancel' : 'Denoise from here';
      button.setAttribute(
        'aria-label',
        next.kind === 'own' ? 'Cancel denoising' : 'Denoise from here',
      );
      button.disabled = next.kind === 'other';
      reason.hidden = next.kind !== 'other';
      reason.textContent =
        next.kind === 'other' ? `Waiting for the ${next.from} run to finish.` : '';
      if (next.kind === 'other') button.setAttribute('aria-describedby', reason.id);
      else button.removeAttribute('aria-describedby');
    },
    status: (text) => (statusEl.textContent = text),
    preview: (rgba, w, ht) => drawRGBA(out, imageAt(rgba, 0, w, ht), w, ht),
    show(rgba, w, ht) {
      kept = { rgba: imageAt(rgba, 0, w, ht).slice(), w, ht };
      drawRGBA(out, kept.rgba, w, ht);
    },
    restore() {
      if (kept) drawRGBA(out, kept.rgba, kept.w, kept.ht);
      else out.getContext('2d')?.clearRect(0, 0, out.width, out.height);
    },
    film(run) {
      const frames = run.result.frames;
      if (!frames?.length) return;
      const { width: w, height: ht } = run.result;
      const pick =
        frames.length <= MAX_FRAMES
          ? frames
          : Array.from(
              { length: MAX_FRAMES },
              (_, i) =>
                frames[Math.round((i * (frames.length - 1)) / (MAX_FRAMES - 1))] ?? frames[0]!,
            );
      film.replaceChildren(
        ...pick.map((f, i) => {
          const c = h('canvas', {
            class: 'pixelated',
            role: 'img',
            'aria-label': `Frame ${i + 1} of ${pick.length}`,
          });
          drawRGBA(c, imageAt(f, 0, w, ht), w, ht);
          return c;
        }),
      );
      film.dataset.frames = String(frames.length);
      caption.replaceChildren(
        ...math(`Reverse process of “${run.caption}”: x_T (left) → x₀ (right), ${frames.length} frames.`),
      );
    },
  };
}
