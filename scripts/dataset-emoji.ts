/**
 * Builds the emoji-32 training set: every categorized icon of three emoji sets
 * from npm, rasterized at 32×32 onto white, deduplicated and split.
 *
 *   npm run dataset:emoji [-- --out DIR]      (default .cache/emoji)
 *
 * Writes DIR/images.bin (uint8, N×32×32×3, row-major RGB) and DIR/index.json
 * (labels, split, names, counts, licences). Deterministic: the same packages
 * give the same bytes.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { mulberry32 } from './mulberry32.ts';

const SIZE = 32;
const SEED = 10;
const TEST_SHARE = 0.1;
// Mean absolute difference (0–255 scale) under which two renders of one set count as the same picture.
const NEAR_DUPLICATE = 4;

interface Style {
  id: string;
  title: string;
  pkg: string;
  license: string;
  attribution: string;
}

const STYLES: Style[] = [
  {
    id: 'noto',
    title: 'Noto',
    pkg: '@iconify-json/noto',
    license: 'Apache-2.0',
    attribution: 'Noto Emoji by Google Inc (Apache-2.0), https://github.com/googlefonts/noto-emoji',
  },
  {
    id: 'fluent',
    title: 'Fluent',
    pkg: '@iconify-json/fluent-emoji-flat',
    license: 'MIT',
    attribution:
      'Fluent Emoji (flat) by Microsoft Corporation (MIT), https://github.com/microsoft/fluentui-emoji',
  },
  {
    id: 'twemoji',
    title: 'Twemoji',
    pkg: '@iconify-json/twemoji',
    license: 'CC-BY-4.0',
    attribution:
      'Twemoji by Twitter, Inc and other contributors (CC-BY-4.0), https://github.com/jdecked/twemoji',
  },
];

// Unicode's groups as the packages' metadata names them. Flags is merged into Symbols (see below).
const CATEGORIES = [
  { id: 'smileys', title: 'Smileys & Emotion' },
  { id: 'people', title: 'People & Body' },
  { id: 'animals', title: 'Animals & Nature' },
  { id: 'food', title: 'Food & Drink' },
  { id: 'travel', title: 'Travel & Places' },
  { id: 'activities', title: 'Activities' },
  { id: 'objects', title: 'Objects' },
  { id: 'symbols', title: 'Symbols' },
];

// Noto and Fluent have only 8–9 flags each (chequered, pirate, rainbow, white …), too few to learn
// as a category; Twemoji's extra ~260 are country flags, which would make "flags" a Twemoji-only
// category (style and category confounded) and mostly stripes at 32 px. So country flags are
// dropped and the generic ones join Symbols, where Unicode's other signs live.
const MERGE: Record<string, string> = { Flags: 'Symbols' };
const COUNTRY_FLAG = /^flag-/;

// Skin-tone variants: the same drawing recoloured, five times over (Fluent writes "-dark",
// the others "-dark-skin-tone"; couples carry two tones). A name is a variant when stripping
// the trailing tones leaves a name the set also has, so "traffic-light" stays.
const TONE = /-(?:medium-light|medium-dark|light|medium|dark)(?:-skin-tone)?$|-tone[1-5]$/;

interface IconSet {
  icons: Record<
    string,
    { body: string; width?: number; height?: number; left?: number; top?: number }
  >;
  width?: number;
  height?: number;
  left?: number;
  top?: number;
}

interface Item {
  name: string;
  style: number;
  category: number;
  pixels: Uint8Array;
}

function baseName(name: string): string {
  let base = name;
  while (TONE.test(base)) base = base.replace(TONE, '');
  return base;
}

function render(set: IconSet, name: string): Uint8Array {
  const icon = set.icons[name]!;
  const w = icon.width ?? set.width ?? 16;
  const h = icon.height ?? set.height ?? 16;
  const left = icon.left ?? set.left ?? 0;
  const top = icon.top ?? set.top ?? 0;
  // resvg 2.6 panics (aborting the process) on an element with opacity that lies wholly outside
  // the canvas, which some Noto drawings have. An invisible canvas-sized rect inside each such
  // group keeps its bounds on the canvas without changing a pixel; a single element with opacity
  // gets a group of its own first (the same rendering: opacity applies to the element as a whole).
  const anchor = `<rect x="${left}" y="${top}" width="${w}" height="${h}" fill-opacity="0" stroke="none"/>`;
  const body = icon.body
    .replace(
      /<(?!g\b)(\w+)([^>]*?)\sopacity="([^"]*)"([^>]*?)\/>/g,
      '<g opacity="$3"><$1$2$4/></g>',
    )
    .replace(/<g\b[^>]*\sopacity="[^"]*"[^>]*>/g, (g) => g + anchor);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${SIZE}" height="${SIZE}" viewBox="${left} ${top} ${w} ${h}">${body}</svg>`;
  const img = new Resvg(svg, { background: 'white' }).render();
  if (img.width !== SIZE || img.height !== SIZE)
    throw new Error(`${name}: rendered ${img.width}×${img.height}`);
  const rgba = img.pixels;
  const rgb = new Uint8Array(SIZE * SIZE * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i]!;
    rgb[j + 1] = rgba[i + 1]!;
    rgb[j + 2] = rgba[i + 2]!;
  }
  return rgb;
}

function meanAbsDiff(a: Uint8Array, b: Uint8Array, limit: number): number {
  let sum = 0;
  const stop = limit * a.length;
  for (let i = 0; i < a.length; i++) {
    sum += Math.abs(a[i]! - b[i]!);
    if (sum >= stop) break;
  }
  return sum / a.length;
}

/** Keeps the first of each group of near-identical renders (e.g. "man-X"/"person-X" drawn alike). */
function dropNearDuplicates(items: Item[]): Item[] {
  // An 8×8 mean thumbnail prunes the pairwise comparison: renders whose thumbnails differ by more
  // than the threshold cannot be near-identical at full size.
  const thumb = (p: Uint8Array) => {
    const t = new Float32Array(8 * 8 * 3);
    for (let y = 0; y < SIZE; y++)
      for (let x = 0; x < SIZE; x++)
        for (let c = 0; c < 3; c++)
          t[((y >> 2) * 8 + (x >> 2)) * 3 + c]! += p[(y * SIZE + x) * 3 + c]! / 16;
    return t;
  };
  const kept: { item: Item; thumb: Float32Array }[] = [];
  for (const item of items) {
    const t = thumb(item.pixels);
    const dup = kept.some((k) => {
      let d = 0;
      for (let i = 0; i < t.length; i++) d += Math.abs(t[i]! - k.thumb[i]!);
      return (
        d / t.length < NEAR_DUPLICATE &&
        meanAbsDiff(item.pixels, k.item.pixels, NEAR_DUPLICATE) < NEAR_DUPLICATE
      );
    });
    if (!dup) kept.push({ item, thumb: t });
  }
  return kept.map((k) => k.item);
}

function main(): void {
  const outIdx = process.argv.indexOf('--out');
  const out = outIdx > 0 ? process.argv[outIdx + 1]! : '.cache/emoji';
  const require = createRequire(import.meta.url);
  const items: Item[] = [];
  const dropped = {
    aliases: 0,
    skinTones: 0,
    countryFlags: 0,
    nearDuplicates: 0,
    uncategorized: 0,
  };
  const versions: Record<string, string> = {};
  STYLES.forEach((style, s) => {
    const root = dirname(require.resolve(`${style.pkg}/package.json`));
    versions[style.pkg] = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    ).version;
    const set = JSON.parse(readFileSync(join(root, 'icons.json'), 'utf8')) as IconSet;
    const meta = JSON.parse(readFileSync(join(root, 'metadata.json'), 'utf8')) as {
      categories: Record<string, string[]>;
    };
    const categoryOf = new Map<string, number>();
    for (const [title, names] of Object.entries(meta.categories)) {
      const c = CATEGORIES.findIndex((k) => k.title === (MERGE[title] ?? title));
      if (c < 0) throw new Error(`${style.pkg}: unknown category "${title}"`);
      for (const name of names) {
        // Categories also list aliases (other names of the same drawing); only icons are drawn.
        if (!set.icons[name]) dropped.aliases++;
        else categoryOf.set(name, c);
      }
    }
    dropped.uncategorized += Object.keys(set.icons).filter((n) => !categoryOf.has(n)).length;
    const setItems: Item[] = [];
    for (const name of [...categoryOf.keys()].sort()) {
      const base = baseName(name);
      if (base !== name && set.icons[base]) {
        dropped.skinTones++;
        continue;
      }
      if (COUNTRY_FLAG.test(name)) {
        dropped.countryFlags++;
        continue;
      }
      setItems.push({ name, style: s, category: categoryOf.get(name)!, pixels: render(set, name) });
    }
    const kept = dropNearDuplicates(setItems);
    dropped.nearDuplicates += setItems.length - kept.length;
    items.push(...kept);
  });

  // Test split: the same share of every (category, style) pair, drawn by a seeded shuffle.
  const random = mulberry32(SEED); // the split is the same on every machine
  const test = new Set<Item>();
  const counts: Record<string, Record<string, { train: number; test: number }>> = {};
  for (const [c, cat] of CATEGORIES.entries()) {
    counts[cat.id] = {};
    for (const [s, style] of STYLES.entries()) {
      const group = items.filter((it) => it.category === c && it.style === s);
      for (let i = group.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [group[i], group[j]] = [group[j]!, group[i]!];
      }
      const nTest = Math.round(group.length * TEST_SHARE);
      group.slice(0, nTest).forEach((it) => test.add(it));
      counts[cat.id]![style.id] = { train: group.length - nTest, test: nTest };
    }
  }

  mkdirSync(out, { recursive: true });
  const bytes = new Uint8Array(items.length * SIZE * SIZE * 3);
  items.forEach((it, i) => bytes.set(it.pixels, i * SIZE * SIZE * 3));
  writeFileSync(join(out, 'images.bin'), bytes);
  const index = {
    format: 'uint8 N×32×32×3 RGB in images.bin, rows in the order of "items"',
    size: SIZE,
    channels: 3,
    seed: SEED,
    license: `Images rendered from: ${STYLES.map((s) => s.attribution).join('; ')}.`,
    sources: STYLES.map((s) => ({
      style: s.id,
      package: s.pkg,
      version: versions[s.pkg],
      license: s.license,
      attribution: s.attribution,
    })),
    categories: CATEGORIES,
    styles: STYLES.map(({ id, title }) => ({ id, title })),
    dropped,
    counts,
    items: items.map((it) => ({
      name: it.name,
      category: it.category,
      style: it.style,
      split: test.has(it) ? 'test' : 'train',
    })),
  };
  writeFileSync(join(out, 'index.json'), JSON.stringify(index, null, 1) + '\n');

  const pad = (v: string | number, n: number) => String(v).padStart(n);
  console.log(
    `${'category'.padEnd(12)}${STYLES.map((s) => pad(s.id, 14)).join('')}${pad('total', 8)}`,
  );
  for (const cat of CATEGORIES) {
    const row = STYLES.map((s) => counts[cat.id]![s.id]!);
    const total = row.reduce((a, r) => a + r.train + r.test, 0);
    console.log(
      `${cat.id.padEnd(12)}${row.map((r) => pad(`${r.train}+${r.test}`, 14)).join('')}${pad(total, 8)}`,
    );
  }
  console.log(
    `train ${items.length - test.size}, test ${test.size}, total ${items.length} (train+test per cell)`,
  );
  console.log(`dropped: ${JSON.stringify(dropped)}`);
  console.log(`wrote ${join(out, 'images.bin')} and index.json`);
}

main();
