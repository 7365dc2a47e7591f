/**
 * A model's label groups as the UI stores them: the choice is kept per group
 * name as a label id (settings `labels: { class: 'sneaker' }`), so it carries
 * over to another model by name, never by index. The label logic itself is
 * core's (src/core/conditioning.ts); this turns ids into the request's
 * indices and back, and words the note a model switch may need.
 */
import { carryChoice, isGuided, labelGroups, type LabelGroup } from '../core/conditioning.ts';
import type { ModelManifest } from '../core/manifest.ts';

/**
 * Group name → chosen label id, or '' for "any". A group not in the map
 * takes its manifest default (LabelGroup.default), so a model's pre-selected
 * label shows until the user picks otherwise.
 */
export type StoredLabels = Readonly<Record<string, string>>;

export function groupsOf(m: ModelManifest): readonly LabelGroup[] {
  return labelGroups(m.conditioning);
}

/** The guidance w the model asks for, if it has labels. */
export function defaultGuidance(m: ModelManifest): number | undefined {
  return m.conditioning.kind === 'labels' ? m.conditioning.defaultGuidance : undefined;
}

/** The request's labels (one index or null per group) for the stored ids; an id the model lacks is "any". */
export function choiceOf(m: ModelManifest, stored: StoredLabels): (number | null)[] {
  return groupsOf(m).map((g) => {
    const id = Object.hasOwn(stored, g.name) ? stored[g.name] : undefined;
    if (id === undefined) return g.default;
    const i = g.ids.indexOf(id);
    return i >= 0 ? i : null;
  });
}

/** The stored form of a choice: every group's id by group name, '' for "any". */
export function storedOf(
  m: ModelManifest,
  choice: readonly (number | null)[],
): Record<string, string> {
  const out: Record<string, string> = {};
  groupsOf(m).forEach((g, k) => {
    const i = choice[k];
    out[g.name] = i === null || i === undefined ? '' : (g.ids[i] ?? '');
  });
  return out;
}

/** The request's conditioning: with every group "any" the run is unconditional (guidance 0). */
export function requestConditioning(
  m: ModelManifest,
  choice: readonly (number | null)[],
  guidance: number,
): { labels: (number | null)[]; guidance: number } {
  return { labels: [...choice], guidance: isGuided(choice) ? guidance : 0 };
}

/** Caption words for a choice: "Trouser", "any class". */
export function describeLabels(m: ModelManifest, choice: readonly (number | null)[]): string {
  const groups = groupsOf(m);
  const named = groups.flatMap((g, k) => {
    const i = choice[k];
    return i === null || i === undefined ? [] : [g.titles[i] ?? g.ids[i] ?? String(i)];
  });
  if (named.length) return named.join(', ');
  if (groups.length === 0) return 'unconditional';
  return groups.length === 1 ? `any ${groups[0]!.title.toLowerCase()}` : 'any labels';
}

/**
 * What a switch from model `prev` to `next` does to the stored choice: labels
 * carry over by group name and id where `next` has them and reset to "any",
 * with a note saying so, where it does not. Guidance becomes `next`'s default
 * unless it was already set for `next` (`guidanceFor`): so a model is never
 * run at another model's guidance, and the user's own choice for this model
 * survives a reload. Without `prev` (the app starting) the stored ids are
 * only checked, with no note.
 */
export function modelSwitch(
  prev: ModelManifest | undefined,
  next: ModelManifest,
  current: { labels: StoredLabels; guidance: number; guidanceFor: string },
): { labels: Record<string, string>; guidance: number; guidanceFor: string; note: string } {
  const guidance =
    current.guidanceFor === next.id
      ? current.guidance
      : (defaultGuidance(next) ?? current.guidance);
  const kept = { guidance, guidanceFor: next.id };
  if (!prev || prev.id === next.id) {
    return { labels: storedOf(next, choiceOf(next, current.labels)), ...kept, note: '' };
  }
  const before = choiceOf(prev, current.labels);
  const carried = carryChoice(prev.conditioning, before, next.conditioning).choice;
  const nextGroups = groupsOf(next);
  const prevGroups = groupsOf(prev);
  const choice = nextGroups.map((g, k) => {
    // A group the previous model did not have starts at its own default.
    const had = prevGroups.some((x) => x.name === g.name);
    return had ? (carried[k] ?? null) : g.default;
  });
  // Each pick that did not carry over: its label is missing, or its whole group is.
  const lost = prevGroups.flatMap((g, p) => {
    const was = before[p];
    if (was === null || was === undefined) return [];
    const k = nextGroups.findIndex((x) => x.name === g.name);
    if (k >= 0 && choice[k] !== null) return [];
    return [`${g.title.toLowerCase()} “${g.titles[was] ?? was}”`];
  });
  const note = lost.length ? `${next.name} has no ${lost.join(' or ')}: reset to Any.` : '';
  return { labels: storedOf(next, choice), ...kept, note };
}
