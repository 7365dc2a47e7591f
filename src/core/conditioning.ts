/**
 * What a model can be conditioned on, and how a request's label choice
 * becomes the label tensor of each branch of classifier-free guidance.
 *
 * A model declares label groups (Fashion: one, "class"; emoji: "category"
 * and "style"). A request picks one label per group, or null for "any".
 * The conditional branch feeds the picked labels with each unpicked group at
 * its null label; the unconditional branch feeds every group's null label, so
 * guidance w pushes towards exactly the groups that were picked:
 *   ε = ε(∅) + w (ε(picked) − ε(∅)).
 */

export interface LabelGroup {
  /** Machine name: "class", "category", "style". */
  name: string;
  /** Shown above the group's picker. */
  title: string;
  /** Short ids, for flags and recipes ("sneaker", "animals"). */
  ids: string[];
  /** Shown in pickers, parallel to ids. */
  titles: string[];
  /** The label fed for "any": the unconditional branch. Not one of the group's labels. */
  nullLabel: number;
  /** Pre-selected label index, or null for "any". */
  default: number | null;
}

export interface LabelConditioning {
  kind: 'labels';
  groups: LabelGroup[];
  /** Guidance w the model was tuned for. */
  defaultGuidance: number;
  /** Shape of the label tensor: 1 is [batch] (one group, the legacy "class" form), 2 is [batch, groups]. */
  tensorRank: 1 | 2;
}

export type Conditioning = LabelConditioning | { kind: 'none' };

/** One entry per group: a label index, or null for "any". */
export type LabelChoice = readonly (number | null)[];

/** A group's machine name: it is a key in recipes and a CLI flag's group, which is matched lowercased. */
export const GROUP_NAME = /^[a-z][a-z0-9_-]{0,39}$/;
/** The longest label id a recipe carries. */
export const MAX_LABEL_ID = 200;

/** What matching compares: letters and digits of any script, lowercased. */
export const simplify = (s: string): string =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');

/**
 * An id from a display name: "T-shirt/top" → "t-shirt-top". A title in the
 * Latin script keeps the ASCII-only id recipes already carry ("Café" →
 * "caf"); one with letters of another script keeps them ("Кошка 1" →
 * "кошка-1"), so its digits alone never become the id.
 */
export function slug(title: string): string {
  const dashed = (s: string, other: RegExp) =>
    s.toLowerCase().replace(other, '-').replace(/^-|-$/g, '');
  return /(?!\p{Script=Latin})\p{L}/u.test(title)
    ? dashed(title.normalize('NFKC'), /[^\p{L}\p{N}]+/gu)
    : dashed(title, /[^a-z0-9]+/g);
}

/**
 * Index of a label by id, title or number; undefined when unknown. Matching
 * ignores case and punctuation, whole or by a "/"-separated part of the
 * title: "sneaker", "ankle-boot", "t-shirt" and "T-shirt/top" all resolve.
 */
export function findLabel(group: LabelGroup, text: string): number | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const i = Number(trimmed);
    return i < group.ids.length ? i : undefined;
  }
  const wanted = simplify(trimmed);
  if (wanted === '') return undefined;
  const whole = group.ids.findIndex(
    (id, i) => simplify(id) === wanted || simplify(group.titles[i] ?? '') === wanted,
  );
  if (whole >= 0) return whole;
  const part = group.titles.findIndex((t) => t.split('/').some((p) => simplify(p) === wanted));
  return part >= 0 ? part : undefined;
}

/** The groups of a model; none for an unconditional one. */
export function labelGroups(c: Conditioning): readonly LabelGroup[] {
  return c.kind === 'labels' ? c.groups : [];
}

/** The choice every group's default makes. */
export function defaultChoice(c: Conditioning): (number | null)[] {
  return labelGroups(c).map((g) => g.default);
}

/** True when at least one group is picked, so guidance has something to push towards. */
export function isGuided(choice: LabelChoice): boolean {
  return choice.some((l) => l !== null);
}

/**
 * How the model is called under classifier-free guidance w: a model without
 * labels has nothing to choose; with nothing picked or w = 1 the picked labels
 * alone run, with w = 0 the null labels alone; otherwise both run, as one batch
 * twice the size (so a guided step costs two passes per image).
 */
export type GuidanceMode = 'unlabelled' | 'conditional' | 'unconditional' | 'guided';

export function guidanceMode(c: Conditioning, choice: LabelChoice, w: number): GuidanceMode {
  if (c.kind === 'none') return 'unlabelled';
  if (!isGuided(choice) || w === 1) return 'conditional';
  return w === 0 ? 'unconditional' : 'guided';
}

/**
 * The choice carried from one model to another by group name and label id:
 * a label the new model also has stays picked; anything else becomes "any",
 * and `dropped` says which picks were lost so the caller can say so.
 */
export function carryChoice(
  from: Conditioning,
  choice: LabelChoice,
  to: Conditioning,
): { choice: (number | null)[]; dropped: string[] } {
  const dropped: string[] = [];
  const old = labelGroups(from);
  const picked = new Map<string, string>();
  old.forEach((g, i) => {
    const l = choice[i];
    if (l !== null && l !== undefined && g.ids[l] !== undefined) picked.set(g.name, g.ids[l]);
  });
  const next = labelGroups(to).map((g) => {
    const id = picked.get(g.name);
    picked.delete(g.name);
    if (id === undefined) return null;
    const i = g.ids.indexOf(id);
    if (i < 0) dropped.push(`${g.title} "${id}"`);
    return i < 0 ? null : i;
  });
  for (const [name, id] of picked) dropped.push(`${name} "${id}"`);
  return { choice: next, dropped };
}

/** Human words for a choice: "Sneaker", "Animals & Nature, Noto", "any". */
export function describeChoice(c: Conditioning, choice: LabelChoice): string {
  const parts = labelGroups(c).flatMap((g, i) => {
    const l = choice[i];
    return l === null || l === undefined ? [] : [g.titles[l] ?? String(l)];
  });
  return parts.length ? parts.join(', ') : 'any';
}

/**
 * The label tensor's values for `count` images (count × groups, row-major):
 * each group's pick, or its null label for "any" (or for every group when
 * `unconditional`). Empty for a model without labels.
 */
export function labelRows(
  c: Conditioning,
  choice: LabelChoice,
  count: number,
  unconditional = false,
): Int32Array {
  const groups = labelGroups(c);
  const row = groups.map((g, i) => (unconditional ? g.nullLabel : (choice[i] ?? g.nullLabel)));
  const out = new Int32Array(count * row.length);
  for (let k = 0; k < count; k++) out.set(row, k * row.length);
  return out;
}

/**
 * A choice from `group=value` pairs (CLI flags, recipes): each value an id,
 * title or index of that group's labels; unnamed groups are "any". Throws
 * with the valid groups or values when a pair names neither.
 */
export function choiceFromPairs(c: Conditioning, pairs: readonly string[]): (number | null)[] {
  const groups = labelGroups(c);
  const choice: (number | null)[] = groups.map(() => null);
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const name = pair.slice(0, at).trim().toLowerCase();
    const value = pair.slice(at + 1);
    // A one-group model takes its labels under any group name ("class", "label").
    const gi =
      groups.length === 1 && name === 'class' ? 0 : groups.findIndex((g) => g.name === name);
    const group = groups[gi];
    if (!group) {
      throw new Error(
        groups.length === 0
          ? `this model has no labels; leave out "${pair}"`
          : `unknown label group "${name}"; valid groups: ${groups.map((g) => g.name).join(', ')}`,
      );
    }
    const label = findLabel(group, value);
    if (label === undefined)
      throw new Error(
        `unknown ${group.name} "${value}"; valid: ${group.ids.join(', ')} (or 0..${group.ids.length - 1})`,
      );
    choice[gi] = label;
  }
  return choice;
}
