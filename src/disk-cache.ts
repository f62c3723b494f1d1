/**
 * Things a build makes that depend only on their inputs (a font cut to a page's characters, a
 * chart drawn at a size) are kept on disk and used by the next build that needs the same:
 * BROADSHEET_CACHE, else $XDG_CACHE_HOME/broadsheet, else ~/.cache/broadsheet. An entry is
 * named by the hash of everything that made it and written by rename, so it is complete or
 * absent; a cache that cannot be read or written costs time, never a wrong page.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeAtomic } from './output/write.js';

export function cacheDir(): string {
  const env = process.env;
  return env.BROADSHEET_CACHE || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'broadsheet');
}

/** A short hash naming an entry. */
export function cacheKey(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 16);
}

export function cachePath(kind: string, name: string): string {
  return path.join(cacheDir(), kind, name);
}

export function readCached(kind: string, name: string): Buffer | undefined {
  try {
    return readFileSync(cachePath(kind, name));
  } catch {
    return undefined;
  }
}

export function writeCached(kind: string, name: string, data: Uint8Array | string): void {
  try {
    writeAtomic(cachePath(kind, name), data);
  } catch {
    /* a read-only home: made again next time */
  }
}

/** A file as an entry's name depends on it: its path, size and time (absent files too). */
export function fileStamp(file: string): string {
  try {
    const s = statSync(file);
    return `${file}:${s.size}:${s.mtimeMs}`;
  } catch {
    return `${file}:absent`;
  }
}

const identities = new Map<string, string>();
/** A file named by the npm package it belongs to and that package's version, e.g. vega@6.4.0/build/vega-node.js. */
export function packageIdentity(file: string): string {
  let id = identities.get(file);
  if (id === undefined) identities.set(file, (id = findPackage(file)));
  return id;
}

function findPackage(file: string): string {
  let dir = path.dirname(file);
  while (dir !== path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name && pkg.version) return `${pkg.name}@${pkg.version}/${path.relative(dir, file)}`;
    } catch {
      /* not a package folder */
    }
    dir = path.dirname(dir);
  }
  return file;
}
