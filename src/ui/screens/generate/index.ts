/**
 * The Generate screen's controller: builds plans from the settings, runs them
 * through AppState with this screen's own AbortController, and keeps the
 * views in step. The shown result survives a cancelled or failed run; a model
 * switch carries labels over by name (or says what it reset).
 */
import { fitImage } from '../../../media/resize.ts';
import { app, type Run, type RunPlan } from '../../app-state.ts';
import { catalog, onCatalog, type ModelEntry } from '../../catalog.ts';
import { modelSwitch } from '../../conditioning.ts';
import { createViewer } from '../../components/viewer.ts';
import { h } from '../../dom.ts';
import { errorKind, messageOf } from '../../errors.ts';
import { saveAll, saveOne } from '../../export.ts';
import { download, encodeGif, imageAt } from '../../images.ts';
import { interpolationPlan, seedPlan, varyPlan } from '../../plans.ts';
import { recipeOf } from '../../recipes.ts';
import { randomSeed, settings } from '../../settings.ts';
import { createActionBar } from './action-bar.ts';
import { createActions } from './actions.ts';
import { createControls } from './controls.ts';
import { createGrid } from './grid.ts';
import { createProgress } from './progress.ts';
import { createSlowNotice } from './slow-notice.ts';
import { tellInTitle } from '../../title.ts';

const INTERPOLATION_POINTS = 8;
const nextFrame = () =>
  new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

export function createGenerateScreen(): HTMLElement {
  const viewer = createViewer(varyImage);
  const grid = createGrid(
    (shown, k, from) => viewer.open(shown.run, k, shown.captions[k] ?? `Image ${k + 1}`, from),
    (shown, k) => void saved(saveOne(shown.run, k).then((name) => `Saved ${name}.`)),
  );
  const progress = createProgress();
  const actions = createActions({
    newSeed,
    gif: saveGif,
    interpolate,
    saveAll: () => {
      const run = grid.shown()?.run;
      if (run) void saved(saveAll(run));
    },
  });
  const controls = createControls({
    model: (id) => settings.set({ modelId: id }),
    labels: (labels) => settings.set({ labels }),
  });
  const bar = createActionBar(() => (own ? own.abort() : generate()));
  const slow = createSlowNotice(bar.note);
  /** This screen's run, if one is going: only it can be cancelled from here. */
  let own: AbortController | undefined;
  let model: ModelEntry | undefined;

  async function start(plan: RunPlan, cols: number, captions: string[]): Promise<void> {
    if (own || app.busy) return;
    const ctl = new AbortController();
    own = ctl;
    syncBusy();
    // The status changes with the tap itself, so nothing still reads the last run's "Done".
    progress.start(plan.caption);
    // The grid in its own task, so a tap never turns into one long task.
    await nextFrame();
    grid.begin(plan.request.count, cols);
    const started = performance.now();
    try {
      const run = await app.run(plan, ctl.signal, (p) => {
        progress.step(p);
        grid.preview(p);
      });
      grid.show({ run, cols, captions });
      progress.done(run.result.count, (performance.now() - started) / 1000);
      const n = run.result.count;
      tellInTitle(`✓ Done: ${n} image${n === 1 ? '' : 's'}`);
    } catch (e) {
      grid.restore();
      const kind = ctl.signal.aborted ? 'cancelled' : errorKind(e);
      if (kind === 'cancelled') progress.cancelled();
      else if (kind === 'busy') progress.failed(`Not started: ${messageOf(e)}`);
      else progress.failed(`Generation failed: ${messageOf(e)}`);
      if (kind === 'failed') tellInTitle('✗ Generation failed');
    } finally {
      own = undefined;
      syncBusy();
    }
  }

  function generate(seed = settings.get().seed): void {
    const m = app.model();
    if (!m) return;
    const { plan, captions } = seedPlan(m, settings.get(), app.backend(), seed);
    void start(plan, Math.ceil(Math.sqrt(plan.request.count)), captions);
  }

  function newSeed(): void {
    const seed = randomSeed();
    settings.set({ seed, firstIndex: 0 });
    generate(seed);
  }

  /** The viewer's "Vary this image": img2img from image k of a shown run, into this grid. */
  function varyImage(run: Run, k: number, caption: string, strength: number): void {
    const recipe = recipeOf(run, k);
    if (!recipe) return;
    const { images, width, height } = run.result;
    const pixels = imageAt(images, k, width, height);
    const image = fitImage(pixels, width, height, run.model.manifest.image);
    const plan = varyPlan(recipe, run.model, image, strength, app.backend(), 'Generate');
    void start(plan, 1, [`${caption}, varied at strength ${strength.toFixed(2)}`]);
    bar.focus();
  }

  function interpolate(to: number): void {
    const m = app.model();
    if (!m) return;
    const st = settings.get();
    const { plan, captions } = interpolationPlan(
      m,
      st,
      app.backend(),
      st.seed,
      to,
      INTERPOLATION_POINTS,
    );
    void start(plan, 4, captions);
  }

  /** Says in the announcement region what a save did (or why it failed). */
  async function saved(what: Promise<string>): Promise<void> {
    try {
      progress.announce.textContent = await what;
      progress.alert('');
    } catch (e) {
      progress.alert(`Could not save: ${messageOf(e)}`);
    }
  }

  async function saveGif(): Promise<void> {
    const run = grid.shown()?.run;
    const r = run?.result;
    if (!run || !r?.frames?.length) return;
    actions.encoding(true);
    try {
      const name = `${run.model.id}-reverse-process.gif`;
      download(await encodeGif(r.frames, r.width, r.height, r.count, 'all'), name);
      progress.announce.textContent = `Saved ${name}.`;
      progress.alert('');
    } catch (e) {
      progress.alert(`Could not save the GIF: ${messageOf(e)}`);
    } finally {
      actions.encoding(false);
    }
  }

  function syncBusy(): void {
    bar.sync(Boolean(own), app.active && !own ? app.active.from : undefined);
    const shown = grid.shown();
    const hasFrames = Boolean(shown?.run.result.frames?.length);
    actions.sync({ busy: app.busy || Boolean(own), hasResult: Boolean(shown), hasFrames });
    controls.setBusy(app.busy);
    viewer.setBusy(app.busy || Boolean(own));
  }

  /** A different model is chosen (or the chosen one is gone): carry labels over, take its guidance. */
  function syncModel(): void {
    const next = app.model();
    let note = '';
    if (next && next.id !== model?.id) {
      const sw = modelSwitch(model?.manifest, next.manifest, settings.get());
      model = next;
      note = sw.note;
      settings.set({
        modelId: next.id,
        labels: sw.labels,
        guidance: sw.guidance,
        guidanceFor: sw.guidanceFor,
      });
    }
    model = next;
    controls.syncModel(catalog().models, next, note);
    const shown = grid.shown();
    if (shown && !catalog().models.some((m) => m.id === shown.run.model.id)) {
      grid.clear();
      syncBusy();
    }
  }

  app.on('busy', syncBusy);
  app.on('engine', slow.sync);
  onCatalog(syncModel);
  settings.subscribe(() => {
    if (app.model()?.id !== model?.id) syncModel();
    // Read again: a model switch has just written labels and guidance.
    controls.syncValues(settings.get());
    slow.sync();
  });
  syncModel();
  syncBusy();
  slow.sync();

  return h(
    'div',
    { class: 'screen-body generate' },
    h('div', { class: 'stage-wrap' }, grid.root, progress.root),
    progress.announce,
    // The form before the secondary actions, on screen and in the Tab order: Model, labels, Seed first.
    controls.root,
    slow.root,
    actions.root,
    bar.root,
    viewer.root,
  );
}
