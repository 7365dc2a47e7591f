/**
 * The Diffusion explorer: the seed document's figures, live. Pick an image
 * (a shipped Fashion-MNIST sample or one from the device), slide t from 0 to
 * T to see x_t of the forward process (closed form, or the step-by-step
 * Markov chain), its pixel histogram against N(0, 1), ᾱ_t and the SNR of the
 * model's schedule, the filmstrip of the last reverse process, and denoise
 * from the chosen t (img2img).
 */
import { app, conditioning, type Run } from '../app-state.ts';
import { onCatalog } from '../catalog.ts';
import { h, nextId } from '../dom.ts';
import { isAbort } from '../generator.ts';
import { drawRGBA, imageAt } from '../images.ts';
import { forwardSample, scheduleCurves, type ScheduleCurves } from '../kernels.ts';
import { drawHistogram, drawSchedule, moments } from '../plots.ts';
import { settings } from '../settings.ts';
import type { ImageShape } from '../../core/types.ts';

interface Sample {
  file: string;
  label: number;
  name: string;
}

/** CHW floats in [-1, 1] → RGBA8 for display (grey for one channel). */
function toRGBA(x: Float32Array, shape: ImageShape): Uint8ClampedArray {
  const { channels: C, height: H, width: W } = shape;
  const out = new Uint8ClampedArray(W * H * 4);
  for (let i = 0; i < W * H; i++) {
    for (let c = 0; c < 3; c++) {
      const v = x[Math.min(c, C - 1) * W * H + i] ?? 0;
      out[i * 4 + c] = Math.round((v + 1) * 127.5);
    }
    out[i * 4 + 3] = 255;
  }
  return out;
}

/** Decodes an image and scales it (centre crop) to the model's size, as CHW floats in [-1, 1]. */
async function loadImage(blob: Blob, shape: ImageShape): Promise<Float32Array> {
  const bitmap = await createImageBitmap(blob);
  const { channels: C, height: H, width: W } = shape;
  const canvas = new OffscreenCanvas(W, H);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  const side = Math.min(bitmap.width, bitmap.height);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, W, H);
  ctx.drawImage(bitmap, (bitmap.width - side) / 2, (bitmap.height - side) / 2, side, side, 0, 0, W, H);
  bitmap.close();
  const px = ctx.getImageData(0, 0, W, H).data;
  const x = new Float32Array(C * H * W);
  for (let i = 0; i < W * H; i++) {
    const r = px[i * 4] ?? 0;
    const g = px[i * 4 + 1] ?? 0;
    const b = px[i * 4 + 2] ?? 0;
    if (C === 1) x[i] = (0.299 * r + 0.587 * g + 0.114 * b) / 127.5 - 1;
    else [r, g, b].slice(0, C).forEach((v, c) => (x[c * W * H + i] = v / 127.5 - 1));
  }
  return x;
}

/** Three significant digits; exponent notation below 0.001. */
const sci = (v: number) => (v !== 0 && Math.abs(v) < 1e-3 ? v.toExponential(2) : v.toPrecision(3));

export function createExploreScreen(): HTMLElement {
  let samples: Sample[] = [];
  let x0: Float32Array | undefined;
  let x0Label: number | null = null;
  let curves: ScheduleCurves | undefined;
  let noiseSeed = 1;
  let seq = 0;
  let xt: Float32Array | undefined;

  const shape = (): ImageShape | undefined => app.model()?.manifest.image;
  const spec = () => app.model()?.manifest.schedule;
  const T = () => spec()?.trainSteps ?? 1000;

  // Image source.
  const picker = h('div', { class: 'samples', role: 'radiogroup', 'aria-label': 'Sample image' });
  const fileId = nextId('file');
  const fileInput = h('input', {
    id: fileId,
    type: 'file',
    accept: 'image/*',
    hidden: true,
    tabindex: -1,
    'aria-label': 'Image from this device',
    onchange: async () => {
      const f = fileInput.files?.[0];
      if (!f) return;
      await choose(f, null, 'device');
      fileInput.value = '';
    },
  });
  const fromDevice = h('button', { type: 'button', class: 'button', onclick: () => fileInput.click() }, 'From device…');

  // x_t and its readouts.
  const x0Canvas = h('canvas', { class: 'pixelated', role: 'img', 'aria-label': 'x₀, the chosen image' });
  const xtCanvas = h('canvas', { class: 'pixelated', role: 'img', 'aria-label': 'x_t, the image after t noising steps', 'data-testid': 'xt' });
  const tId = nextId('t');
  const readout = h('output', { for: tId, class: 'readout', 'data-testid': 't-readout' });
  const slider = h('input', {
    id: tId,
    type: 'range',
    min: 0,
    max: T(),
    step: 1,
    value: String(settings.get().explorerT),
    'data-testid': 't-slider',
    oninput: () => {
      settings.set({ explorerT: Number(slider.value) });
      void update();
    },
  });
  const markovId = nextId('markov');
  const markov = h('input', {
    id: markovId,
    type: 'checkbox',
    checked: settings.get().explorerMarkov,
    'data-testid': 'markov',
    onchange: () => {
      settings.set({ explorerMarkov: markov.checked });
      void update();
    },
  });
  const resample = h(
    'button',
    {
      type: 'button',
      class: 'button',
      onclick: () => {
        noiseSeed += 1;
        void update();
      },
    },
    'New noise',
  );

  const histCanvas = h('canvas', { class: 'plot', role: 'img', 'aria-label': 'Histogram of the pixel values of x_t against the N(0, 1) density' });
  const histStats = h('p', { class: 'readout', 'data-testid': 'hist-stats', 'aria-live': 'off' });
  const schedCanvas = h('canvas', { class: 'plot', role: 'img', 'aria-label': 'ᾱ_t and the signal-to-noise ratio over t' });

  // Reverse process.
  const film = h('div', { class: 'filmstrip', 'data-testid': 'filmstrip', tabindex: 0, role: 'group', 'aria-label': 'Reverse process, x_T to x_0' });
  const filmCaption = h('p', { class: 'hint' }, 'Generate an image (or denoise from here) to see its reverse process, x_T → x₀.');
  const denoiseOut = h('canvas', { class: 'pixelated', role: 'img', 'aria-label': 'Result of denoising from t', 'data-testid': 'denoised' });
  const denoiseStatus = h('p', { class: 'hint', 'aria-live': 'polite', 'data-testid': 'denoise-status' });
  const denoiseBtn = h('button', { type: 'button', class: 'button primary', 'data-testid': 'denoise', onclick: () => denoise() }, 'Denoise from here');

  async function loadSamples(): Promise<void> {
    const res = await fetch(new URL('samples/index.json', document.baseURI));
    samples = ((await res.json()) as { samples: Sample[] }).samples;
    picker.replaceChildren(
      ...samples.map((s) => {
        const b = h(
          'button',
          {
            type: 'button',
            class: 'sample',
            role: 'radio',
            'aria-checked': 'false',
            'aria-label': s.name,
            title: s.name,
            dataset: { file: s.file },
            onclick: () => void pickSample(s),
          },
          h('img', { src: `samples/${s.file}`, alt: '', width: 28, height: 28, class: 'pixelated' }),
        );
        return b;
      }),
    );
    picker.addEventListener('keydown', (e) => {
      const buttons = [...picker.querySelectorAll<HTMLButtonElement>('.sample')];
      const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
      if (i < 0) return;
      const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
      if (!d) return;
      e.preventDefault();
      const next = buttons[(i + d + buttons.length) % buttons.length];
      next?.focus();
      next?.click();
    });
    const wanted = samples.find((s) => s.file === settings.get().explorerSample) ?? samples[0];
    if (wanted) await pickSample(wanted);
  }

  function markChecked(file: string | null): void {
    for (const b of picker.querySelectorAll<HTMLButtonElement>('.sample')) {
      const on = b.dataset.file === file;
      b.setAttribute('aria-checked', String(on));
      b.tabIndex = on || (file === null && b === picker.firstElementChild) ? 0 : -1;
    }
  }

  async function pickSample(s: Sample): Promise<void> {
    settings.set({ explorerSample: s.file });
    markChecked(s.file);
    const blob = await (await fetch(new URL(`samples/${s.file}`, document.baseURI))).blob();
    await choose(blob, s.label, s.name);
  }

  async function choose(blob: Blob, label: number | null, _name: string): Promise<void> {
    const sh = shape();
    if (!sh) return;
    try {
      x0 = await loadImage(blob, sh);
    } catch {
      denoiseStatus.textContent = 'That file could not be read as an image. Try a PNG or JPEG.';
      return;
    }
    x0Label = label;
    if (label === null) markChecked(null);
    drawRGBA(x0Canvas, toRGBA(x0, sh), sh.width, sh.height);
    await update();
  }

  async function update(): Promise<void> {
    const sp = spec();
    const sh = shape();
    if (!sp || !sh || !x0) return;
    const t = Math.min(Number(slider.value), sp.trainSteps);
    const my = ++seq;
    curves ??= await scheduleCurves(sp);
    const x = await forwardSample(sp, x0, t, noiseSeed, markov.checked ? 'markov' : 'closed-form');
    if (my !== seq) return;
    xt = x;
    drawRGBA(xtCanvas, toRGBA(x, sh), sh.width, sh.height);
    const ab = t === 0 ? 1 : (curves.alphaBar[t - 1] ?? 0);
    const snr = t === 0 ? Infinity : (curves.snr[t - 1] ?? 0);
    readout.textContent = `t = ${t} of ${sp.trainSteps} · ᾱ_t = ${sci(ab)} · SNR = ${Number.isFinite(snr) ? sci(snr) : '∞'}`;
    const m = moments(x);
    drawHistogram(histCanvas, x);
    histStats.dataset.mean = String(m.mean);
    histStats.dataset.std = String(m.std);
    histStats.dataset.t = String(t);
    histStats.textContent = `pixels of x_t: mean ${m.mean.toFixed(3)}, std ${m.std.toFixed(3)} · N(0, 1): mean 0, std 1`;
    drawSchedule(schedCanvas, curves.alphaBar, curves.snr, t);
  }

  function showFilm(run: Run): void {
    const frames = run.result.frames;
    if (!frames?.length) return;
    const { width: w, height: ht } = run.result;
    const max = 12;
    const pick = frames.length <= max ? frames : Array.from({ length: max }, (_, i) => frames[Math.round((i * (frames.length - 1)) / (max - 1))] ?? frames[0]!);
    film.replaceChildren(
      ...pick.map((f, i) => {
        const c = h('canvas', { class: 'pixelated', role: 'img', 'aria-label': `Frame ${i + 1} of ${pick.length}` });
        drawRGBA(c, imageAt(f, 0, w, ht), w, ht);
        return c;
      }),
    );
    film.dataset.frames = String(frames.length);
    filmCaption.textContent = `Reverse process of “${run.caption}”: x_T (left) → x₀ (right), ${frames.length} frames.`;
  }

  async function denoise(): Promise<void> {
    if (app.busy) {
      app.cancel();
      return;
    }
    const model = app.model();
    if (!model || !x0) return;
    const t = Number(slider.value);
    if (t === 0) {
      denoiseStatus.textContent = 'At t = 0 there is no noise to remove: move the slider right first.';
      return;
    }
    const st = settings.get();
    const { label, guidance } = conditioning(model, x0Label ?? st.label, st.guidance);
    const steps = Math.max(1, Math.round((st.steps * t) / T()));
    denoiseStatus.textContent = 'Denoising…';
    try {
      const run = await app.run(
        {
          seed: noiseSeed,
          count: 1,
          steps: st.steps,
          sampler: st.sampler,
          eta: st.sampler === 'ddim' ? st.eta : undefined,
          guidance,
          label,
          init: { image: x0.slice(), strength: t / T() },
          keepFrames: true,
        },
        `denoised from t = ${t}`,
        (p) => {
          denoiseStatus.textContent = `Denoising: step ${p.step} of ${p.of}`;
          const sh = shape();
          if (p.previews && sh) drawRGBA(denoiseOut, imageAt(p.previews, 0, sh.width, sh.height), sh.width, sh.height);
        },
      );
      const r = run.result;
      drawRGBA(denoiseOut, imageAt(r.images, 0, r.width, r.height), r.width, r.height);
      denoiseStatus.textContent = `Denoised from t = ${t} in about ${steps} of ${st.steps} steps.`;
    } catch (e) {
      denoiseStatus.textContent = isAbort(e) ? 'Cancelled.' : `Denoising failed: ${e instanceof Error ? e.message : String(e)}`;
    }
  }

  app.on('run', showFilm);
  app.on('busy', (busy) => {
    denoiseBtn.textContent = busy ? 'Cancel' : 'Denoise from here';
  });
  onCatalog(() => {
    curves = undefined;
    slider.max = String(T());
    const sh = shape();
    if (samples.length === 0) void loadSamples();
    else if (sh && x0 && x0.length !== sh.channels * sh.height * sh.width) {
      const s = samples.find((x) => x.file === settings.get().explorerSample) ?? samples[0];
      if (s) void pickSample(s);
    } else void update();
  });
  new ResizeObserver(() => {
    if (xt) drawHistogram(histCanvas, xt);
    if (curves) drawSchedule(schedCanvas, curves.alphaBar, curves.snr, Number(slider.value));
  }).observe(histCanvas);

  return h(
    'div',
    { class: 'screen-body explore' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ex-forward' },
      h('h2', { id: 'ex-forward' }, 'Forward process'),
      h('p', { class: 'hint' }, 'q(x_t | x₀) = N(√ᾱ_t x₀, (1 − ᾱ_t) I): noise is added until the image is a sample of N(0, I).'),
      picker,
      h('div', { class: 'button-row' }, fromDevice, fileInput, resample),
      h(
        'div',
        { class: 'pair' },
        h('figure', {}, x0Canvas, h('figcaption', {}, 'x₀')),
        h('figure', {}, xtCanvas, h('figcaption', {}, 'x_t')),
      ),
      h('label', { for: tId, class: 'field-label' }, 'Timestep t'),
      slider,
      readout,
      h('div', { class: 'check' }, markov, h('label', { for: markovId }, 'Step-by-step Markov chain q(x_t | x_{t−1}) instead of the closed form')),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ex-hist' },
      h('h2', { id: 'ex-hist' }, 'Pixels of x_t vs N(0, 1)'),
      histCanvas,
      histStats,
      h('p', { class: 'legend' }, h('span', { class: 'swatch a' }), 'histogram of x_t ', h('span', { class: 'swatch b' }), 'N(0, 1) density'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ex-sched' },
      h('h2', { id: 'ex-sched' }, 'Noise schedule'),
      schedCanvas,
      h('p', { class: 'legend' }, h('span', { class: 'swatch a' }), 'ᾱ_t (0 to 1) ', h('span', { class: 'swatch b dashed' }), 'SNR = ᾱ_t / (1 − ᾱ_t), log scale'),
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'ex-reverse' },
      h('h2', { id: 'ex-reverse' }, 'Reverse process'),
      h('div', { class: 'pair' }, h('figure', {}, denoiseOut, h('figcaption', {}, 'denoised'))),
      h('div', { class: 'button-row' }, denoiseBtn),
      denoiseStatus,
      film,
      filmCaption,
    ),
  );
}
