/**
 * The thumb-reach bar: Generate, or Cancel while this screen's own run goes.
 * While another screen's run holds the generator it stays "Generate",
 * disabled, and says what it waits for. A note above the button (a slow
 * renderer's estimate) describes it too, until a run starts.
 */
import { h, singleClick } from '../../dom.ts';

export interface ActionBar {
  root: HTMLElement;
  /** `own`: this screen's run is going; `other`: the screen whose run is going, if another's. */
  sync(own: boolean, other: string | undefined): void;
  /** The note above the button ('' for none). */
  note(text: string): void;
  /** Puts keyboard focus on the button (Cancel, once a run started elsewhere on the screen). */
  focus(): void;
}

export function createActionBar(onClick: () => void): ActionBar {
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button primary wide',
      'data-testid': 'generate',
      onclick: singleClick(onClick),
    },
    'Generate',
  );
  const reason = h('p', {
    id: 'generate-reason',
    class: 'hint action-reason',
    'data-testid': 'generate-waiting',
    hidden: true,
  });
  const noteLine = h('p', {
    id: 'generate-note',
    class: 'hint action-reason',
    'data-testid': 'generate-note',
    hidden: true,
  });
  let own = false;

  function describe(): void {
    noteLine.hidden = own || noteLine.textContent === '';
    const by = [reason, noteLine].filter((p) => !p.hidden).map((p) => p.id);
    if (by.length) button.setAttribute('aria-describedby', by.join(' '));
    else button.removeAttribute('aria-describedby');
  }

  return {
    root: h('div', { class: 'action-bar' }, reason, noteLine, button),
    sync(mine, other) {
      own = mine;
      button.textContent = own ? 'Cancel' : 'Generate';
      button.classList.toggle('danger', own);
      button.setAttribute('aria-label', own ? 'Cancel generation' : 'Generate images');
      button.disabled = other !== undefined;
      reason.hidden = other === undefined;
      reason.textContent = other ? `Waiting for the ${other} run to finish.` : '';
      describe();
    },
    note(text) {
      noteLine.textContent = text;
      describe();
    },
    focus: () => button.focus(),
  };
}
