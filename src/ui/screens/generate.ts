/**
 * The Generate screen: settings, a live denoising preview with progress and
 * ETA, the result grid, and what can be done with a result (enlarge, PNG,
 * share, GIF, vary, interpolate). The grid's size is fixed before a run
 * starts, so nothing moves when results arrive.
 */
import type { GenerateProgress, GenerateRequest } from '../../../workers/protocol.ts';
import { app, conditioning, type Run } from '../app-state.ts';
import { catalog, onCatalog, type ModelEntry } from '../catalog.ts';
import { rangeField, selectField } from '../components/fields.ts';
import { createViewer } from '../components/viewer.ts';
import { formatSeconds, h, nextId, prefersReducedMotion } from '../dom.ts';
import { isAbort } from '../generator.ts';
import { download, drawRGBA, encodeGif, imageAt } from '../images.ts';
import { interpolationNoise } from '../kernels.ts';
import { MAX_SEED, randomSeed, SAMPLERS, settings } from '../settings.ts';

const INTERPOLATION_POINTS = 8;

const nextFrame = () => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

function diceIcon(): SVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.innerHTML =
    '<rect x="4" y="4" width="16" height="16" rx="3"/><circle cx="9" cy="9" r="1.3" fill="currentColor"/><circle cx="15" cy="15" r="1.3" fill="currentColor"/><circle cx="15" cy="9" r="1.3" fill="currentColor"/><circle cx="9" cy="15" r="1.3" fill="currentColor"/>';
  return svg;
}

interface Cell {
  button: HTMLButtonElement;
  canvas: HTMLCanvasElement;
}

export function createGenerateScreen(): HTMLElement {
  const s = settings.get();
  const viewer = createViewer();

  // Stage: a square that always holds the grid of the current or last run.
  const grid = h('div', { class: 'grid', role: 'list', 'aria-label': 'Generated images' });
  const placeholder = h('p', { class: 'placeholder' }, 'Your images appear here. Pick a class and press Generate.');
  const stage = h('div', { class: 'stage', 'data-testid': 'stage' }, placeholder, grid);
  let cells: Cell[] = [];
  let stageVisible = true;
  let starting = false;
  new IntersectionObserver(([entry]) => (stageVisible = (entry?.intersectionRatio ?? 0) > 0.5), { threshold: [0, 0.5, 1] }).observe(stage);
  let shown: { run?: Run; seeds: number[]; captions: string[] } = { seeds: [], captions: [] };

  const layout = (count: number, cols: number) => {
    placeholder.hidden = true;
    grid.style.setProperty('--cols', String(cols));
    cells = Array.from({ length: count }, (_, k) => {
      const canvas = h('canvas', { class: 'pixelated', width: 1, height: 1 });
      const button = h('button', {
        type: 'button',
        class: 'cell',
        disabled: true,
        'aria-label': `Image ${k + 1} of ${count}, in progress`,
        onclick: () => {
          if (!shown.run) return;
          viewer.open(shown.run, k, shown.captions[k] ?? `Image ${k + 1}`, button);
        },
      }, canvas);
      return { button, canvas };
    });
    grid.replaceChildren(...cells.map((c) => h('div', { role: 'listitem' }, c.button)));
  };

  const drawAll = (rgba: Uint8ClampedArray, w: number, ht: number) => {
    cells.forEach((c, k) => drawRGBA(c.canvas, imageAt(rgba, k, w, ht), w, ht));
  };

  // Progress and status.
  const progress = h('progress', { max: 1, value: 0, 'aria-label': 'Denoising progress', 'data-testid': 'progress' });
  const progressText = h('span', { class: 'progress-text', 'data-testid': 'progress-text' }, 'Ready');
  const announce = h('p', { class: 'visually-hidden', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert', 'data-testid': 'generate-error' });
  error.hidden = true;

  // Result actions.
  const varyBtn = h('button', { type: 'button', class: 'button', disabled: true, onclick: () => vary() }, 'Vary');
  const gifBtn = h('button', { type: 'button', class: 'button', disabled: true, onclick: () => saveGif() }, 'GIF');
  const interpId = nextId('interp');
  const interpInput = h('input', {
    id: interpId,
    type: 'number',
    inputmode: 'numeric',
    min: 0,
    max: MAX_SEED,
    value: String(s.interpolateTo),
    class: 'seed-input',
    onchange: () => settings.set({ interpolateTo: clampSeed(interpInput.value, settings.get().interpolateTo) }),
  });
  const interpBtn = h('button', { type: 'button', class: 'button', onclick: () => interpolate() }, 'Interpolate');
  const actions = h(
    'div',
    { class: 'result-actions', role: 'group', 'aria-label': 'Result actions' },
    varyBtn,
    gifBtn,
    h('span', { class: 'interp' }, h('label', { for: interpId }, 'Interpolate to seed'), interpInput, interpBtn),
  );

  // Controls.
  const modelField = selectField({
    label: 'Model',
    options: [],
    value: s.modelId,
    onChange: (v) => {
      settings.set({ modelId: v });
      syncModel();
    },
  });
  const classField = selectField({
    label: 'Class',
    options: [{ value: '-1', label: 'Any class' }],
    value: String(s.label),
    onChange: (v) => {
      settings.set({ label: Number(v) });
      syncGuidance();
    },
  });
  const seedId = nextId('seed');
  const seedInput = h('input', {
    id: seedId,
    type: 'number',
    inputmode: 'numeric',
    min: 0,
    max: MAX_SEED,
    value: String(s.seed),
    class: 'seed-input',
    'data-testid': 'seed',
    onchange: () => {
      const seed = clampSeed(seedInput.value, settings.get().seed);
      seedInput.value = String(seed);
      settings.set({ seed });
    },
  });
  const setSeed = (seed: number) => {
    seedInput.value = String(seed);
    settings.set({ seed });
  };
  const dice = h(
    'button',
    { type: 'button', class: 'icon-button', 'aria-label': 'Random seed', title: 'Random seed', onclick: () => setSeed(randomSeed()) },
    diceIcon(),
  );
  const seedField = h(
    'div',
    { class: 'field' },
    h('label', { for: seedId }, 'Seed'),
    h('div', { class: 'seed-row' }, seedInput, dice),
  );
  const stepsField = rangeField({
    label: 'Steps',
    min: 1,
    max: 100,
    step: 1,
    value: s.steps,
    onInput: (v) => settings.set({ steps: v }),
  });
  const samplerField = selectField({
    label: 'Sampler',
    options: SAMPLERS,
    value: s.sampler,
    onChange: (v) => {
      settings.set({ sampler: SAMPLERS.find((x) => x.value === v)?.value ?? 'ddim' });
      etaField.root.hidden = settings.get().sampler !== 'ddim';
    },
  });
  const etaField = rangeField({
    label: 'DDIM η (0 deterministic, 1 like DDPM)',
    min: 0,
    max: 1,
    step: 0.1,
    value: s.eta,
    format: (v) => v.toFixed(1),
    onInput: (v) => settings.set({ eta: v }),
  });
  etaField.root.hidden = s.sampler !== 'ddim';
  const guidanceField = rangeField({
    label: 'Guidance',
    min: 0,
    max: 10,
    step: 0.5,
    value: s.guidance,
    format: (v) => v.toFixed(1),
    hint: '0 ignores the class, 1 follows it, higher follows it more strongly.',
    onInput: (v) => settings.set({ guidance: v }),
  });
  const countField = rangeField({
    label: 'Images',
    min: 1,
    max: 16,
    step: 1,
    value: s.count,
    onInput: (v) => settings.set({ count: v }),
  });
  const form = h(
    'form',
    { class: 'controls', 'aria-label': 'Generation settings', onsubmit: (e: Event) => e.preventDefault() },
    modelField.root,
    classField.root,
    seedField,
    h('div', { class: 'two' }, stepsField.root, countField.root),
    samplerField.root,
    etaField.root,
    guidanceField.root,
  );

  const goBtn = h('button', { type: 'button', class: 'button primary wide', 'data-testid': 'generate', onclick: () => goOrCancel() }, 'Generate');

  function clampSeed(text: string, fallback: number): number {
    const n = Math.floor(Number(text));
    return Number.isFinite(n) ? Math.min(MAX_SEED, Math.max(0, n)) : fallback;
  }

  function currentModel(): ModelEntry | undefined {
    return app.model();
  }

  function syncModel(): void {
    const { models } = catalog();
    const model = currentModel();
    modelField.setOptions(
      models.map((m) => ({ value: m.id, label: m.origin === 'imported' ? `${m.name} (imported)` : m.name })),
      model?.id ?? '',
    );
    const cond = model?.manifest.conditioning;
    const labels = cond && cond.kind === 'class' ? cond.labels : [];
    const label = settings.get().label < labels.length ? settings.get().label : -1;
    classField.setOptions(
      [{ value: '-1', label: 'Any class' }, ...labels.map((l, i) => ({ value: String(i), label: l }))],
      String(label),
    );
    classField.select.disabled = labels.length === 0;
    if (model) stepsField.input.max = String(Math.min(model.manifest.schedule.trainSteps, 200));
    syncGuidance();
  }

  function syncGuidance(): void {
    const unconditional = settings.get().label < 0;
    guidanceField.input.disabled = unconditional;
    guidanceField.root.classList.toggle('disabled', unconditional);
  }

  function baseRequest(count: number, seed: number): GenerateRequest {
    const st = settings.get();
    const model = currentModel();
    const cond = model ? conditioning(model, st.label, st.guidance) : { label: null, guidance: 0 };
    return {
      seed,
      count,
      steps: st.steps,
      sampler: st.sampler,
      eta: st.sampler === 'ddim' ? st.eta : undefined,
      ...cond,
      keepFrames: true,
    };
  }

  function labelName(): string {
    const st = settings.get();
    const cond = currentModel()?.manifest.conditioning;
    return st.label >= 0 && cond?.kind === 'class' ? (cond.labels[st.label] ?? '') : 'any class';
  }

  async function start(request: GenerateRequest, cols: number, seeds: number[], captions: string[], summary: string) {
    if (starting || app.busy) return;
    starting = true;
    error.hidden = true;
    // Each piece in its own task, so a tap never turns into one long task.
    await nextFrame();
    layout(request.count, cols);
    if (!stageVisible) {
      requestAnimationFrame(() => stage.scrollIntoView({ behavior: prefersReducedMotion() ? 'auto' : 'smooth', block: 'nearest' }));
    }
    shown = { seeds, captions };
    progress.value = 0;
    progressText.textContent = 'Loading model…';
    announce.textContent = `Generating ${summary}.`;
    const started = performance.now();
    const onProgress = (p: GenerateProgress) => {
      progress.max = p.of;
      progress.value = p.step;
      const eta = ((p.of - p.step) * p.msPerStep) / 1000;
      progressText.textContent = `Step ${p.step} of ${p.of} · ${Math.round(p.msPerStep)} ms/step · ${formatSeconds(eta)} left`;
      if (p.notice) announce.textContent = p.notice;
      const m = currentModel();
      if (p.previews && m) drawAll(p.previews, m.manifest.image.width, m.manifest.image.height);
    };
    try {
      const running = app.run(request, summary, onProgress);
      starting = false;
      const run = await running;
      const { width, height, images } = run.result;
      drawAll(images, width, height);
      shown = { run, seeds, captions };
      cells.forEach((c, k) => {
        c.button.disabled = false;
        c.button.setAttribute('aria-label', `${captions[k] ?? `Image ${k + 1}`}. Open larger`);
      });
      progress.value = progress.max;
      const secs = ((performance.now() - started) / 1000).toFixed(1);
      progressText.textContent = `Done: ${request.count} image${request.count === 1 ? '' : 's'} in ${secs} s`;
      announce.textContent = `Done. ${request.count} image${request.count === 1 ? '' : 's'} ready.`;
      varyBtn.disabled = false;
      gifBtn.disabled = !run.result.frames?.length;
    } catch (e) {
      starting = false;
      progress.value = 0;
      if (isAbort(e)) {
        progressText.textContent = 'Cancelled';
        announce.textContent = 'Generation cancelled.';
      } else {
        progressText.textContent = 'Failed';
        error.textContent = `Generation failed: ${e instanceof Error ? e.message : String(e)}`;
        error.hidden = false;
      }
    }
  }

  function generate(seed = settings.get().seed): Promise<void> {
    const st = settings.get();
    const seeds = Array.from({ length: st.count }, () => seed);
    const captions = seeds.map((sd, k) => `${labelName()}, seed ${sd} #${k + 1}`);
    return start(baseRequest(st.count, seed), Math.ceil(Math.sqrt(st.count)), seeds, captions, `seed ${seed}, ${labelName()}`);
  }

  function vary(): void {
    const seed = randomSeed();
    setSeed(seed);
    void generate(seed);
  }

  async function interpolate(): Promise<void> {
    if (app.busy) return;
    const model = currentModel();
    if (!model) return;
    const a = settings.get().seed;
    const b = clampSeed(interpInput.value, settings.get().interpolateTo);
    settings.set({ interpolateTo: b });
    const n = INTERPOLATION_POINTS;
    try {
      const { channels, height, width } = model.manifest.image;
      const noise = await interpolationNoise(a, b, n, channels * height * width);
      const request = { ...baseRequest(n, a), noise };
      const captions = Array.from({ length: n }, (_, k) => `${labelName()}, seed ${a} → ${b} at ${(k / (n - 1)).toFixed(2)}`);
      await start(request, 4, Array.from({ length: n }, () => a), captions, `interpolation from seed ${a} to ${b}`);
    } catch (e) {
      error.textContent = `Interpolation failed: ${e instanceof Error ? e.message : String(e)}`;
      error.hidden = false;
    }
  }

  async function saveGif(): Promise<void> {
    const run = shown.run;
    if (!run?.result.frames?.length) return;
    const r = run.result;
    gifBtn.disabled = true;
    try {
      download(await encodeGif(run.result.frames, r.width, r.height, r.count, 'all'), `${run.model.id}-reverse-process.gif`);
    } finally {
      gifBtn.disabled = false;
    }
  }

  function goOrCancel(): void {
    if (app.busy) app.cancel();
    else void generate();
  }

  app.on('busy', (busy) => {
    goBtn.textContent = busy ? 'Cancel' : 'Generate';
    goBtn.classList.toggle('danger', busy);
    goBtn.setAttribute('aria-label', busy ? 'Cancel generation' : 'Generate images');
    for (const el of [varyBtn, interpBtn, modelField.select]) el.disabled = busy;
    if (busy) gifBtn.disabled = true;
    else gifBtn.disabled = !shown.run?.result.frames?.length;
    if (!busy && !shown.run) varyBtn.disabled = true;
  });
  onCatalog(syncModel);
  settings.subscribe((st) => {
    if (seedInput.value !== String(st.seed) && document.activeElement !== seedInput) seedInput.value = String(st.seed);
  });
  syncModel();

  return h(
    'div',
    { class: 'screen-body generate' },
    h('div', { class: 'stage-wrap' }, stage, h('div', { class: 'progress-row' }, progress, progressText), error, actions),
    announce,
    form,
    h('div', { class: 'action-bar' }, goBtn),
    viewer.root,
  );
}
