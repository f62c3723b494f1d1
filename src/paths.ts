/** Where the project's own files are, whether running from src (tsx) or dist. */
import path from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('project root not found');
    dir = up;
  }
  return dir;
}

export const ROOT = findRoot();
export const SCHEMAS = path.join(ROOT, 'schemas');
export const TEMPLATES = path.join(ROOT, 'templates');
export const STYLES = path.join(ROOT, 'styles');
/** the page script: src/layout/page bundled into one file (scripts/bundle.mjs) */
export const PAGE_SCRIPT = path.join(ROOT, 'dist', 'bundle', 'page.js');
