/**
 * The stage: a square that holds the grid of the shown result, or the live
 * previews of the run in progress. The finished result is kept aside, so a
 * cancelled or failed run puts it back as it was.
 */
import type { Run, RunProgress } from '../../app-state.ts';
import { h, prefersReducedMotion } from '../../dom.ts';
import { drawRGBA, imageAt } from '../../images.ts';

/** A finished run as the grid shows it. */
export interface Shown {
  run: Run;
  cols: number;
  captions: string[];
}

export interface GridView {
  root: HTMLElement;
  /** Lays out `count` empty cells for a run about to start. */
  begin(count: number, cols: number): void;
  preview(p: RunProgress): void;
  /** Shows a finished run; its cells open the viewer. */
  show(shown: Shown): void;
  /** Puts the last finished result back (or the placeholder). */
  restore(): void;
  /** Forgets the shown result (its model is gone). */
  clear(): void;
  shown(): Shown | undefined;
}

export function createGrid(
  onOpen: (shown: Shown, index: number, from: HTMLElement) => void,
  /** A long press or the context menu on a result: save that image. */
  onSave?: (shown: Shown, index: number) => void,
): GridView {
  const grid = h('div', { class: 'grid', role: 'list', 'aria-label': 'Generated images' });
  const placeholder = h(
    'p',
    { class: 'placeholder' },
    'Your images appear here. Pick a class and press Generate.',
  );
  const caption = h('p', { class: 'hint stage-caption', 'data-testid': 'result-caption' });
  const stage = h('div', { class: 'stage', 'data-testid': 'stage' }, placeholder, grid);
  let canvases: HTMLCanvasElement[] = [];
  let last: Shown | undefined;
  let visible = true;
  new IntersectionObserver(([entry]) => (visible = (entry?.intersectionRatio ?? 0) > 0.5), {
    threshold: [0, 0.5, 1],
  }).observe(stage);

  function layout(count: number, cols: number, shown?: Shown): void {
    placeholder.hidden = true;
    grid.hidden = false;
    grid.style.setProperty('--cols', String(cols));
    const cells = Array.from({ length: count }, (_, k) => {
      const canvas = h('canvas', { class: 'pixelated', width: 1, height: 1 });
      const label = shown
        ? `${shown.captions[k] ?? `Image ${k + 1}`}. Open larger`
        : `Image ${k + 1} of ${count}, in progress`;
      const button = h(
        'button',
        { type: 'button', class: 'cell', disabled: !shown, 'aria-label': label },
        canvas,
      );
      if (shown) button.addEventListener('click', () => onOpen(shown, k, button));
      if (shown && onSave)
        button.addEventListener('contextmenu', (e) => {
          e.preventDefault();
          onSave(shown, k);
        });
      return { button, canvas };
    });
    canvases = cells.map((c) => c.canvas);
    grid.replaceChildren(...cells.map((c) => h('div', { role: 'listitem' }, c.button)));
  }

  function draw(rgba: Uint8ClampedArray, w: number, ht: number): void {
    canvases.forEach((c, k) => drawRGBA(c, imageAt(rgba, k, w, ht), w, ht));
  }

  function show(s: Shown): void {
    last = s;
    const { images, width, height, count } = s.run.result;
    layout(count, s.cols, s);
    draw(images, width, height);
    caption.textContent = `${s.run.caption} · made with ${s.run.model.name}`;
  }

  function clear(): void {
    last = undefined;
    canvases = [];
    grid.replaceChildren();
    grid.hidden = true;
    placeholder.hidden = false;
    caption.textContent = '';
  }

  return {
    root: h('div', {}, stage, caption),
    begin(count, cols) {
      layout(count, cols);
      caption.textContent = 'In progress; the last result comes back if you cancel.';
      if (!visible)
        requestAnimationFrame(() =>
          stage.scrollIntoView({
            behavior: prefersReducedMotion() ? 'auto' : 'smooth',
            block: 'nearest',
          }),
        );
    },
    preview(p) {
      if (p.previews) draw(p.previews, p.width, p.height);
    },
    show,
    restore: () => (last ? show(last) : clear()),
    clear,
    shown: () => last,
  };
}
