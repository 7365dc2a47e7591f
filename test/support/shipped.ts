/** The built-in models' manifests, as the app validates them. */
import { readFileSync } from 'node:fs';
import { validateManifest, type ModelManifest } from '../../src/core/manifest.ts';

export function shippedManifest(id: 'fashion-28' | 'emoji-32'): ModelManifest {
  return validateManifest(JSON.parse(readFileSync(`public/models/${id}/model.json`, 'utf8')));
}

/** The app's default model, as public/models/index.json names it. */
export const DEFAULT_MODEL = (
  JSON.parse(readFileSync('public/models/index.json', 'utf8')) as { default: string }
).default;
