/** The gallery's toast, on top of every screen: a message with an optional action (Undo), gone after a while. */
import { h } from '../../dom.ts';

export interface Toast {
  root: HTMLElement;
  show(
    text: string,
    o?: { action?: string; onAction?: () => void; ms?: number; alert?: boolean },
  ): void;
  hide(): void;
}

export function createToast(): Toast {
  const text = h('span', {});
  const action = h('button', { type: 'button', class: 'button small' });
  const root = h(
    'div',
    { class: 'gallery-toast', hidden: true, 'data-testid': 'gallery-toast' },
    text,
    action,
  );
  let timer: number | undefined;
  let onAction: (() => void) | undefined;
  action.addEventListener('click', () => {
    hide();
    onAction?.();
  });

  function hide(): void {
    window.clearTimeout(timer);
    root.hidden = true;
  }

  return {
    root,
    show(t, o = {}) {
      text.textContent = t;
      root.setAttribute('role', o.alert ? 'alert' : 'status');
      onAction = o.onAction;
      action.hidden = !o.action;
      action.textContent = o.action ?? '';
      root.hidden = false;
      window.clearTimeout(timer);
      timer = window.setTimeout(hide, o.ms ?? 4000);
    },
    hide,
  };
}
