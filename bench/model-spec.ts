import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelSpec } from './engine-ops.ts';

/**
 * The ModelSpec of an exported model folder, read from its model.json; `id` is
 * the folder relative to public/models/, which is how the engines load it.
 */
export function readModelSpec(dir: string, id: string): ModelSpec {
  const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    image: { channels: number; height: number };
    conditioning?: { kind: string; groups?: unknown[] };
  };
  const groups = m.conditioning?.kind === 'groups' ? (m.conditioning.groups?.length ?? 0) : 0;
  return { id, channels: m.image.channels, size: m.image.height, groups };
}
