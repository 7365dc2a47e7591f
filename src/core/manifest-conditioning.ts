/**
 * model.json's "conditioning" section: the one-group "class" form, several
 * label groups, or none (see conditioning.ts for what the groups mean).
 */
import {
  GROUP_NAME,
  MAX_LABEL_ID,
  simplify,
  slug,
  type Conditioning,
  type LabelGroup,
} from './conditioning.ts';
import {
  fail,
  finite,
  integer,
  object,
  oneOf,
  optionalString,
  string,
  type Json,
} from './manifest-fields.ts';
import { REQUEST_SPEC } from './request-spec.ts';

/** 'class' is the one-group form (a [batch] label tensor); 'groups' declares several ([batch, groups]). */
const CONDITIONING_KINDS = ['class', 'groups', 'none'] as const;

/** A label index fits the int32 the kernels and tensors carry; larger ones would wrap. */
const MAX_LABEL = 2 ** 31 - 1;

function names(v: unknown, path: string, count?: number): string[] {
  const want = `${count === undefined ? 'a non-empty array of' : `an array of ${count}`} non-empty strings of at most ${MAX_LABEL_ID} characters`;
  if (
    !Array.isArray(v) ||
    v.length === 0 ||
    !v.every((l) => typeof l === 'string' && l.trim() !== '' && l.length <= MAX_LABEL_ID) ||
    (count !== undefined && v.length !== count)
  )
    fail(path, want, v);
  const list = (v as string[]).map((l) => l.trim());
  const lower = list.map((l) => l.toLowerCase());
  const dup = lower.find((l, i) => lower.indexOf(l) !== i);
  if (dup !== undefined) fail(path, 'an array of distinct names', dup);
  return list;
}

/**
 * The ids as recipes carry them and CLI flags find them: each with a letter
 * or digit, at most MAX_LABEL_ID long, and distinct once case and
 * punctuation are ignored (else a flag or a recipe would pick the wrong label).
 */
function labelIds(ids: string[], path: string, written: readonly string[]): string[] {
  const keys = ids.map(simplify);
  ids.forEach((id, i) => {
    if (keys[i] === '' || id.length > MAX_LABEL_ID)
      fail(
        path,
        `labels that each have a letter or digit, as ids of at most ${MAX_LABEL_ID} characters`,
        written[i],
      );
  });
  const dup = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (dup >= 0)
    fail(
      path,
      `labels that differ in more than case and punctuation ("${written[keys.indexOf(keys[dup]!)]}" and "${written[dup]}" are the same label to a recipe or a flag)`,
      written[dup],
    );
  return ids;
}

function nullLabel(parent: Json, path: string, labels: number): number {
  const n = integer(parent, 'nullLabel', path, 0, MAX_LABEL);
  if (n < labels)
    fail(path, `an integer in ${labels}..${MAX_LABEL} (not one of the ${labels} labels)`, n);
  return n;
}

function validateGroup(g: unknown, path: string): LabelGroup {
  if (typeof g !== 'object' || g === null || Array.isArray(g)) fail(path, 'an object', g);
  const j = g as Json;
  const name = string(j, 'name', `${path}.name`);
  if (!GROUP_NAME.test(name))
    fail(
      `${path}.name`,
      'a name of 1 to 40 lowercase letters, digits, "_" or "-", starting with a letter',
      name,
    );
  const written = names(j.labels, `${path}.labels`);
  const ids = labelIds(written, `${path}.labels`, written);
  const titles = j.titles === undefined ? ids : names(j.titles, `${path}.titles`, ids.length);
  let def: number | null = null;
  if (j.default !== undefined && j.default !== null) {
    def = typeof j.default === 'string' ? ids.indexOf(j.default) : -1;
    if (def < 0) fail(`${path}.default`, `null or one of ${ids.join(', ')}`, j.default);
  }
  return {
    name,
    title: optionalString(j, 'title', `${path}.title`) ?? name,
    ids,
    titles,
    nullLabel: nullLabel(j, `${path}.nullLabel`, ids.length),
    default: def,
  };
}

export function validateConditioning(root: Json): Conditioning {
  const c = object(root, 'conditioning', 'conditioning');
  const kind = oneOf(c, 'kind', 'conditioning.kind', CONDITIONING_KINDS);
  if (kind === 'none') return { kind };
  const defaultGuidance =
    c.defaultGuidance === undefined
      ? REQUEST_SPEC.guidance.default
      : finite(c, 'defaultGuidance', 'conditioning.defaultGuidance');
  if (defaultGuidance < 0) fail('conditioning.defaultGuidance', 'a number ≥ 0', defaultGuidance);
  if (kind === 'class') {
    const titles = names(c.labels, 'conditioning.labels');
    const group: LabelGroup = {
      name: 'class',
      title: 'Class',
      ids: labelIds(titles.map(slug), 'conditioning.labels', titles),
      titles,
      nullLabel: nullLabel(c, 'conditioning.nullLabel', titles.length),
      default: null,
    };
    return { kind: 'labels', groups: [group], defaultGuidance, tensorRank: 1 };
  }
  const list = c.groups;
  if (!Array.isArray(list) || list.length === 0 || list.length > 8)
    fail('conditioning.groups', 'an array of 1 to 8 label groups', list);
  const groups = list.map((g, i) => validateGroup(g, `conditioning.groups[${i}]`));
  const dup = groups.find((g, i) => groups.findIndex((o) => o.name === g.name) !== i);
  if (dup) fail('conditioning.groups', 'groups with distinct names', dup.name);
  return { kind: 'labels', groups, defaultGuidance, tensorRank: 2 };
}
