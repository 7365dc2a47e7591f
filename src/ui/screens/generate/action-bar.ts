/**
 * The thumb-reach bar: Generate, or Cancel while this screen's own run goes.
 * While another screen's run holds the generator it stays "Generate",
 * disabled, and says what it waits for.
 */
import { h } from '../../dom.ts';

export interface ActionBar {
  root: HTMLElement;
  /** `own`: this screen's run is going; `other`: the screen whose run is going, if another's. */
  sync(own: boolean, other: string | undefined): void;
}

export function createActionBar(onClick: () => void): ActionBar {
  const button = h(
    'button',
    { type: 'button', class: 'button primary wide', 'data-testid': 'generate', onclick: onClick },
    'Generate',
  );
  const reason = h('p', {
    id: 'generate-reason',
    class: 'hint action-reason',
    'data-testid': 'generate-waiting',
    hidden: true,
  });
  return {
    root: h('div', { class: 'action-bar' }, reason, button),
    sync(own, other) {
      button.textContent = own ? 'Cancel' : 'Generate';
      button.classList.toggle('danger', own);
      button.setAttribute('aria-label', own ? 'Cancel generation' : 'Generate images');
      button.disabled = other !== undefined;
      reason.hidden = other === undefined;
      reason.textContent = other ? `Waiting for the ${other} run to finish.` : '';
      if (other) button.setAttribute('aria-describedby', reason.id);
      else button.removeAttribute('aria-describedby');
    },
  };
}
