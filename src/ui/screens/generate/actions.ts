/**
 * What can be done with a result: the same settings with a new seed, its
 * reverse process as a GIF, save all, interpolate to another seed. Varying
 * one image (img2img) is the viewer's "Vary this image".
 */
import { seedField } from '../../components/seed-field.ts';
import { h } from '../../dom.ts';
import { settings } from '../../settings.ts';

export interface ActionsView {
  root: HTMLElement;
  /** Enables what applies: New seed and GIF need a shown result (GIF its frames); nothing while a run is going. */
  sync(o: { busy: boolean; hasResult: boolean; hasFrames: boolean }): void;
  /** Marks the GIF button as working while it encodes. */
  encoding(on: boolean): void;
}

export function createActions(on: {
  newSeed: () => void;
  gif: () => void;
  saveAll: () => void;
  interpolate: (to: number) => void;
}): ActionsView {
  const newSeed = h(
    'button',
    { type: 'button', class: 'button', disabled: true, onclick: on.newSeed },
    'New seed',
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
    newSeed.disabled = o.busy || !o.hasResult;
    gif.disabled = o.busy || !o.hasFrames;
    saveAll.disabled = !o.hasResult;
    go.disabled = o.busy;
  }

  return {
    root: h(
      'div',
      { class: 'result-actions', role: 'group', 'aria-label': 'Result actions' },
      newSeed,
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
