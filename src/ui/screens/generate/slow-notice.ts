/**
 * The warning before a run on a software WebGPU renderer: shown while WebGPU
 * is the chosen backend and the engine holding the chosen model is a
 * software one, with the estimate for the run the form describes now and a
 * way back to Automatic. It never blocks a run: WebGPU stays the user's call.
 */
import { app } from '../../app-state.ts';
import { h } from '../../dom.ts';
import { seedPlan } from '../../plans.ts';
import { settings } from '../../settings.ts';
import { runSize, softwareNotice } from './estimate.ts';

export interface SlowNotice {
  root: HTMLElement;
  /** Reads the engine and the settings again; hands the short line (or '') to the Generate bar. */
  sync(): void;
}

export function createSlowNotice(toBar: (short: string) => void): SlowNotice {
  const text = h('p', { 'data-testid': 'slow-notice-text' });
  const automatic = h(
    'button',
    { type: 'button', class: 'button', onclick: () => settings.set({ backend: 'auto' }) },
    'Use Automatic (CPU here)',
  );
  const root = h(
    'div',
    { class: 'notice', role: 'note', 'data-testid': 'slow-notice', hidden: true },
    text,
    h('div', { class: 'button-row' }, automatic),
  );

  function sync(): void {
    const model = app.model();
    const engine = app.engine();
    const st = settings.get();
    const shown = model && engine?.report.software && st.backend === 'webgpu';
    root.hidden = !shown;
    if (!shown) return toBar('');
    const { request } = seedPlan(model, st, st.backend, st.seed).plan;
    const notice = softwareNotice(engine.speed, runSize(request, model.manifest.conditioning));
    text.textContent = notice.long;
    toBar(notice.short);
  }

  return { root, sync };
}
