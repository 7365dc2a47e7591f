/**
 * "Vary this image": the img2img strength slider (the request spec's range
 * and default) and its button, the same in the gallery's detail view and in
 * Generate's result viewer. The plan it leads to is plans.ts' varyPlan.
 */
import { REQUEST_SPEC } from '../../core/request-spec.ts';
import { h, singleClick } from '../dom.ts';
import { specRange } from './fields.ts';

export interface VaryImage {
  root: HTMLElement;
  /** Off while a run is going, or where there is nothing to vary from. */
  setDisabled(disabled: boolean): void;
  /** While its own run goes the button is that run's Cancel (given `onCancel`). */
  setRunning(running: boolean): void;
}

export function varyImage(onVary: (strength: number) => void, onCancel?: () => void): VaryImage {
  let strength = REQUEST_SPEC.strength.default;
  const slider = specRange(REQUEST_SPEC.strength, strength, (v) => (strength = v), {
    format: (v) => v.toFixed(2),
    hint: 'How far from this image: 0 keeps it, 1 starts from noise.',
  });
  let running = false;
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button',
      onclick: singleClick(() => (running ? onCancel?.() : onVary(strength))),
    },
    'Vary this image',
  );
  return {
    root: h('div', {}, slider.root, h('div', { class: 'button-row' }, button)),
    setDisabled: (disabled) => (button.disabled = disabled),
    setRunning(r) {
      running = r && onCancel !== undefined;
      button.textContent = running ? 'Cancel' : 'Vary this image';
      button.classList.toggle('danger', running);
      slider.root.toggleAttribute('inert', running);
    },
  };
}
