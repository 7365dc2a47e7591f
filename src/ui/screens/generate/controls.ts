/**
 * Generate's settings form: model, labels, seed, steps, images, sampler, η
 * and guidance. Plain fields write straight to the settings store; the model
 * and the labels go through the controller, which carries labels over.
 */
import { REQUEST_SPEC } from '../../../core/request-spec.ts';
import { samplerSpec } from '../../../core/samplers.ts';
import { isGuided } from '../../../core/conditioning.ts';
import type { ModelEntry } from '../../catalog.ts';
import { selectField, specRange } from '../../components/fields.ts';
import { scaleField } from '../../components/scale-field.ts';
import { seedField } from '../../components/seed-field.ts';
import { choiceOf } from '../../conditioning.ts';
import { h } from '../../dom.ts';
import { SAMPLER_OPTIONS, settings, type Settings } from '../../settings.ts';
import { createLabelPickers } from './labels.ts';

const GUIDANCE_HINT = '0 ignores the labels, 1 follows them, higher follows them more strongly.';
const GUIDANCE_OFF_HINT =
  'Off while every label is “Any”: there is nothing to guide towards. Pick a label to use it.';

/** The sampler's hint: the steps the quality gate recommends for it. */
const samplerHint = (name: Settings['sampler']) =>
  `Recommended: about ${samplerSpec(name).recommendedSteps} steps.`;

export interface ControlsView {
  root: HTMLElement;
  /** Re-lists models and labels (a model switch, a catalog change) and shows `note` under the labels. */
  syncModel(models: ModelEntry[], model: ModelEntry | undefined, note: string): void;
  /** Puts the settings' values into the fields (after a change made elsewhere). */
  syncValues(s: Readonly<Settings>): void;
  setBusy(busy: boolean): void;
}

export function createControls(on: {
  model: (id: string) => void;
  labels: (labels: Record<string, string>) => void;
}): ControlsView {
  const s = settings.get();
  const modelField = selectField({
    label: 'Model',
    options: [],
    value: s.modelId,
    onChange: on.model,
  });
  /** The labels the pickers show, so a change made elsewhere (a recipe) rebuilds them and only then. */
  let shownLabels = '';
  const labels = createLabelPickers((l) => {
    shownLabels = JSON.stringify(l);
    on.labels(l);
    syncGuidance();
  });
  const seed = seedField({
    label: 'Seed',
    value: s.seed,
    layout: 'field',
    dice: true,
    testId: 'seed',
    // A new seed starts at its first image; a recipe's own index (firstIndex) is for its seed only.
    onChange: (v) => settings.set({ seed: v, firstIndex: 0 }),
  });
  const firstIndex = h('p', {
    class: 'hint field-note',
    'data-testid': 'first-index',
    hidden: true,
  });
  const steps = scaleField(REQUEST_SPEC.steps, s.steps, (v) => settings.set({ steps: v }));
  const count = specRange(REQUEST_SPEC.count, s.count, (v) => settings.set({ count: v }));
  const sampler = selectField({
    label: REQUEST_SPEC.sampler.label,
    options: SAMPLER_OPTIONS,
    value: s.sampler,
    hint: samplerHint(s.sampler),
    onChange: (v) => {
      settings.set({ sampler: SAMPLER_OPTIONS.find((x) => x.value === v)?.value });
      syncSampler();
    },
  });
  const format = (v: number) => v.toFixed(1);
  const eta = specRange(REQUEST_SPEC.eta, s.eta, (v) => settings.set({ eta: v }), {
    format,
    hint: REQUEST_SPEC.eta.help,
  });
  const guidance = specRange(
    REQUEST_SPEC.guidance,
    s.guidance,
    (v) => settings.set({ guidance: v }),
    { format, hint: GUIDANCE_HINT },
  );
  function syncSampler(): void {
    eta.root.hidden = !samplerSpec(settings.get().sampler).usesEta;
    sampler.hint(samplerHint(settings.get().sampler));
  }
  syncSampler();

  let model: ModelEntry | undefined;
  function syncGuidance(): void {
    const off = !model || !isGuided(choiceOf(model.manifest, settings.get().labels));
    guidance.input.disabled = off;
    guidance.root.classList.toggle('disabled', off);
    guidance.hint(off ? GUIDANCE_OFF_HINT : GUIDANCE_HINT);
  }

  const root = h(
    'form',
    {
      class: 'controls',
      'aria-label': 'Generation settings',
      onsubmit: (e: Event) => e.preventDefault(),
    },
    modelField.root,
    labels.root,
    seed.root,
    firstIndex,
    h('div', { class: 'two' }, steps.root, count.root),
    sampler.root,
    eta.root,
    guidance.root,
  );

  return {
    root,
    syncModel(models, chosen, note) {
      model = chosen;
      modelField.setOptions(
        models.map((m) => ({
          value: m.id,
          label: m.origin === 'imported' ? `${m.name} (imported)` : m.name,
        })),
        model?.id ?? '',
      );
      labels.sync(model, settings.get().labels);
      shownLabels = JSON.stringify(settings.get().labels);
      labels.note(note);
      steps.setMax(model?.manifest.schedule.trainSteps ?? REQUEST_SPEC.steps.max);
      syncGuidance();
    },
    syncValues(st) {
      if (document.activeElement !== seed.input) seed.set(st.seed);
      guidance.set(st.guidance);
      steps.set(st.steps);
      count.set(st.count);
      eta.set(st.eta);
      if (sampler.select.value !== st.sampler) {
        sampler.select.value = st.sampler;
        syncSampler();
      }
      if (JSON.stringify(st.labels) !== shownLabels) {
        labels.sync(model, st.labels);
        shownLabels = JSON.stringify(st.labels);
      }
      firstIndex.hidden = st.firstIndex === 0;
      firstIndex.textContent = `Starts at image #${st.firstIndex} of seed ${st.seed}, as in the recipe. A new seed starts at #0.`;
      syncGuidance();
    },
    setBusy(busy) {
      modelField.select.disabled = busy;
    },
  };
}
