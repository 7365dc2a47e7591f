/** What can be done with a result: vary it, save its reverse process as a GIF, interpolate to another seed. */
import { seedField } from '../../components/seed-field.ts';
import { h } from '../../dom.ts';
import { settings } from '../../settings.ts';

export interface ActionsView {
  root: HTMLElement;
  /** Enables what applies: vary and GIF need a shown result (GIF its frames); nothing while a run is going. */
  sync(o: { busy: boolean; hasResult: boolean; hasFrames: boolean }): void;
  /** Marks the GIF button as working while it encodes. */
  encoding(on: boolean): void;
}

export function createActions(on: {
  vary: () => void;
  gif: () => void;
  saveAll: () => void;
  interpolate: (to: number) => void;
}): ActionsView {
  const vary = h(
    'button',
    { type: 'button', class: 'button', disabled: true, onclick: on.vary },
    'Vary',
  );
  const gif = h(
    'button',
    { type: 'button', class: 'button', disabled: true, onclick: on.gif },
    'GIF',
  );
  const saveAll = h(
    'button',
    { type: 'button', class: 'button', disabled: true, onclick: on.saveAll },
    'Save all',
  );
  const go = h(
    'button',
    {
      type: 'button',
      class: 'button',
      onclick: () => {
        const to = target.value(settings.get().interpolateTo);
        target.set(to);
        settings.set({ interpolateTo: to });
        on.interpolate(to);
      },
    },
    'Interpolate',
  );
  const target = seedField({
    label: 'Interpolate to seed',
    value: settings.get().interpolateTo,
    layout: 'inline',
    after: [go],
    onChange: (v) => settings.set({ interpolateTo: v }),
  });
  let state = { busy: false, hasResult: false, hasFrames: false };

  function sync(o: typeof state): void {
    state = o;
    vary.disabled = o.busy || !o.hasResult;
    gif.disabled = o.busy || !o.hasFrames;
    saveAll.disabled = !o.hasResult;
    go.disabled = o.busy;
  }

  return {
    root: h(
      'div',
      { class: 'result-actions', role: 'group', 'aria-label': 'Result actions' },
      vary,
      gif,
      saveAll,
      target.root,
    ),
    sync,
    encoding(on) {
      gif.disabled = on || state.busy || !state.hasFrames;
    },
  };
}
