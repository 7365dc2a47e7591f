/**
 * Keeping runs: every finished run (a cancelled one never emits 'run') goes
 * to the gallery as one row per image, its recipe inside its PNG. An
 * interpolation has no per-image recipe and is not kept.
 */
import { app } from '../../app-state.ts';
import { gallery } from '../../gallery-store.ts';
import { messageOf } from '../../errors.ts';
import { galleryItems } from '../../recipes.ts';

/** Keeps each finished run; `onError` hears a full quota or a failed write (nothing kept is lost). */
export function keepRuns(onError: (message: string) => void): void {
  let queue = Promise.resolve();
  app.on('run', (run) => {
    // One write after another, so rows land in the order runs finished.
    queue = queue.then(async () => {
      try {
        await gallery.add(await galleryItems(run));
      } catch (e) {
        onError(messageOf(e));
      }
    });
  });
}
