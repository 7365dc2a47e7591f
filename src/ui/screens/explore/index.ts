/**
 * The Diffusion explorer's controller: the seed document's figures, live.
 * Pick an image, slide t from 0 to T to see x_t of the forward process
 * (closed form or the step-by-step Markov chain), its pixels against
 * N(0, 1), ᾱ_t and the SNR of the model's schedule, the filmstrip of the last
 * reverse process, and denoise from the chosen t (img2img). Its run never
 * cancels another screen's: while one is going, "Denoise from here" waits.
 */
import type { ImageShape } from '../../../core/types.ts';
import { app } from '../../app-state.ts';
import { onCatalog } from '../../catalog.ts';
import { h } from '../../dom.ts';
import { errorCode, errorKind, messageOf } from '../../errors.ts';
import { drawRGBA } from '../../images.ts';
import { forwardSample, scheduleCurves, type ScheduleCurves } from '../../kernels.ts';
import { img2imgPlan } from '../../plans.ts';
import { settings } from '../../settings.ts';
import { createForward } from './forward.ts';
import { chwToRGBA, loadImage } from './pixels.ts';
import { createPlots } from './plots.ts';
import { createReverse } from './reverse.ts';
import { createSamplePicker, type Sample } from './samples.ts';

/** Three significant digits; exponent notation below 0.001. */
const sci = (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(3));

export function createExploreScreen(): HTMLElement {
  let x0: Float32Array | undefined;
  /** The chosen sample's class title ("Trouser"), matched by name against the model's labels. */
  let x0Class: string | null = null;
  let curves: ScheduleCurves | undefined;
  let noiseSeed = 1;
  let seq = 0;
  let own: AbortController | undefined;

  const shape = (): ImageShape | undefined => app.model()?.manifest.image;
  const T = () => app.model()?.manifest.schedule.trainSteps ?? 1000;

  const samples = createSamplePicker({
    sample: (s: Sample, blob) => {
      settings.set({ explorerSample: s.file });
      void choose(blob, s.name);
    },
    file: (blob) => void choose(blob, null),
  });
  const forward = createForward({
    t: settings.get().explorerT,
    max: T(),
    markov: settings.get().explorerMarkov,
    picker: samples.picker,
    buttons: samples.buttons,
    onT: (t) => {
      settings.set({ explorerT: t });
      void update();
    },
    onMarkov: (on) => {
      settings.set({ explorerMarkov: on });
      void update();
    },
    onNewNoise: () => {
      noiseSeed += 1;
      void update();
    },
  });
  const plots = createPlots();
  const reverse = createReverse(denoise, () => own?.abort());

  async function choose(blob: Blob, className: string | null): Promise<void> {
    const sh = shape();
    if (!sh) return;
    try {
      x0 = await loadImage(blob, sh, blob instanceof File ? blob.name : 'The sample');
    } catch (e) {
      const tooLarge = errorCode(e) === 'too-large';
      reverse.status(
        tooLarge ? messageOf(e) : 'That file could not be read as an image. Try a PNG or JPEG.',
      );
      return;
    }
    x0Class = className;
    drawRGBA(forward.x0Canvas, chwToRGBA(x0, sh), sh.width, sh.height);
    await update();
  }

  async function update(): Promise<void> {
    const sp = app.model()?.manifest.schedule;
    const sh = shape();
    if (!sp || !sh || !x0) return;
    const t = Math.min(forward.t(), sp.trainSteps);
    const my = ++seq;
    curves ??= await scheduleCurves(sp);
    const x = await forwardSample(
      sp,
      x0,
      t,
      noiseSeed,
      forward.markov() ? 'markov' : 'closed-form',
    );
    if (my !== seq) return;
    drawRGBA(forward.xtCanvas, chwToRGBA(x, sh), sh.width, sh.height);
    const ab = t === 0 ? 1 : (curves.alphaBar[t - 1] ?? 0);
    const snr = t === 0 ? Infinity : (curves.snr[t - 1] ?? 0);
    forward.readout(
      `t = ${t} of ${sp.trainSteps} · ᾱ_t = ${sci(ab)} · SNR = ${Number.isFinite(snr) ? sci(snr) : '∞'}`,
    );
    plots.histogram(x, t);
    plots.schedule(curves, t);
  }

  async function denoise(): Promise<void> {
    const model = app.model();
    if (own || app.busy || !x0 || !model) return;
    const t = forward.t();
    if (t === 0) {
      reverse.status('At t = 0 there is no noise to remove: move the slider right first.');
      return;
    }
    const image = x0.slice();
    const p = img2imgPlan(model, settings.get(), app.backend(), {
      image,
      t,
      noiseSeed,
      className: x0Class,
    });
    const ctl = new AbortController();
    own = ctl;
    syncHolder();
    reverse.status('Denoising…');
    const steps = Math.max(1, Math.round((p.request.steps * t) / T()));
    try {
      const run = await app.run(p, ctl.signal, (pr) => {
        reverse.status(`Denoising: step ${pr.step} of ${pr.of}`);
        if (pr.previews) reverse.preview(pr.previews, pr.width, pr.height);
      });
      const r = run.result;
      reverse.show(r.images, r.width, r.height);
      reverse.status(`Denoised from t = ${t} in about ${steps} of ${p.request.steps} steps.`);
    } catch (e) {
      reverse.restore();
      const kind = ctl.signal.aborted ? 'cancelled' : errorKind(e);
      reverse.status(
        kind === 'cancelled'
          ? 'Cancelled; the last result is shown.'
          : kind === 'busy'
            ? messageOf(e)
            : `Denoising failed: ${messageOf(e)}`,
      );
    } finally {
      own = undefined;
      syncHolder();
    }
  }

  function syncHolder(): void {
    if (own) reverse.setHolder({ kind: 'own' });
    else if (app.active) reverse.setHolder({ kind: 'other', from: app.active.from });
    else reverse.setHolder({ kind: 'idle' });
  }

  app.on('run', (run) => reverse.film(run));
  app.on('busy', syncHolder);
  let modelId: string | undefined;
  /** The model changed (or the catalog did): its schedule and image size may differ. */
  function syncModel(): void {
    modelId = app.model()?.id;
    curves = undefined;
    forward.setMax(T());
    const sh = shape();
    if (!x0 || (sh && x0.length !== sh.channels * sh.height * sh.width))
      void samples.pick(settings.get().explorerSample);
    else void update();
  }
  onCatalog(syncModel);
  settings.subscribe(() => app.model()?.id !== modelId && syncModel());
  syncHolder();

  return h('div', { class: 'screen-body explore' }, forward.root, ...plots.roots, reverse.root);
}
