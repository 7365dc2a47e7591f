/**
 * The import check's trial call. Creating a session checks names and shapes
 * but not values: a nullLabel or a label count past the model's label
 * embedding fails only when the model runs, and would fail at the first
 * Generate with nothing to say what is wrong.
 */
import { labelGroups } from '../core/conditioning.ts';
import type { Denoiser } from './denoiser.ts';
import { RuntimeError, shortReason } from './errors.ts';

/** Runs `d` once per row at the last timestep: every group's null label, then every group's last label. */
export async function trialCall(d: Denoiser): Promise<void> {
  const m = d.manifest;
  const groups = labelGroups(m.conditioning);
  const rows =
    groups.length === 0
      ? [null]
      : [groups.map((g) => g.nullLabel), groups.map((g) => g.ids.length - 1)];
  const { channels, height, width } = m.image;
  const x = new Float32Array(channels * height * width);
  const denoise = d.denoiseFor({});
  for (const row of rows) {
    let out: Float32Array;
    try {
      out = await denoise(x, m.schedule.trainSteps - 1, row && Int32Array.from(row), 1);
    } catch (e) {
      // The denoiser's own wrapping says to reload; the cause is what onnxruntime said.
      const cause = e instanceof RuntimeError && e.cause !== undefined ? e.cause : e;
      throw new RuntimeError(
        'io-mismatch',
        `The model does not run with what model.json says (${shortReason(cause)}). ` +
          (row
            ? "Check each label group's labels and nullLabel: the model's label input must take every label index up to nullLabel."
            : 'Check its image size and io names against the model.'),
        { cause },
      );
    }
    const bad = out.find((v) => !Number.isFinite(v));
    if (bad !== undefined)
      throw new RuntimeError(
        'model-output',
        `The model returned ${bad} on a trial call, so it cannot make images. Export it again, or report it to whoever made it.`,
      );
  }
}
