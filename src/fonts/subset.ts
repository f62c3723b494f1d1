/**
 * One font file per face, cut down to the characters the page prints (HarfBuzz's subsetter, via
 * subset-font). Chromium prints a page with six small fonts about 70 ms faster than one with
 * ~90 unicode-range slices (it serialises every font the page uses into the print job), loads it
 * faster, and the PDF lists six fonts, not ninety.
 *
 * A subset is a pure function of the font file and the character set, so the same edition gives
 * the same bytes. Subsets are kept in memory (watch mode) and on disk: BROADSHEET_CACHE, else
 * $XDG_CACHE_HOME/broadsheet, else ~/.cache/broadsheet; a file there is named by the hash of
 * what made it and written by rename, so it is complete or absent.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { writeAtomic } from '../output/write.js';

const require = createRequire(import.meta.url);

export interface SubsetJob {
  /** the whole TrueType file */
  file: string;
  /** the characters to keep, sorted, each once */
  chars: string;
}

/** What makes a subset's bytes: the font (package and file), the characters, the subsetter's version. */
export function subsetKey(job: SubsetJob): string {
  return createHash('sha256').update(`${fontIdentity(job.file)}\0${subsetterVersion()}\0${job.chars}`).digest('hex').slice(0, 16);
}

/** The subsetter's own version: subset-font's, and that of the HarfBuzz it loads. */
let subsetter: string | undefined;
function subsetterVersion(): string {
  if (!subsetter) {
    const version = (file: string) => (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    const main = require.resolve('subset-font');
    const wasm = createRequire(main).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');
    subsetter = `subset-font ${version(path.join(path.dirname(main), 'package.json'))}, harfbuzzjs ${version(path.join(path.dirname(wasm), '..', 'package.json'))}`;
  }
  return subsetter;
}

/** A font file named by its package and version (no need to read 15 MB to hash it). */
function fontIdentity(file: string): string {
  let dir = path.dirname(file);
  while (dir !== path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return `${pkg.name}@${pkg.version}/${path.relative(dir, file)}`;
    } catch {
      /* not a package folder */
    }
    dir = path.dirname(dir);
  }
  return file;
}

export function cacheDir(): string {
  const env = process.env;
  return env.BROADSHEET_CACHE || path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'broadsheet');
}

const memory = new Map<string, Promise<Buffer>>();
type SubsetFont = (font: Buffer, text: string, o: { targetFormat: 'truetype' }) => Promise<Buffer>;
let subsetFont: SubsetFont | undefined;

/** The subset's bytes: from memory, from the disk cache, or made now. */
export function subsetBytes(job: SubsetJob): Promise<Buffer> {
  const key = subsetKey(job);
  let p = memory.get(key);
  if (!p) {
    p = make(job, key);
    memory.set(key, p);
    p.catch(() => memory.delete(key));
  }
  return p;
}

async function make(job: SubsetJob, key: string): Promise<Buffer> {
  const cached = path.join(cacheDir(), 'fonts', `${key}.ttf`);
  try {
    return readFileSync(cached);
  } catch {
    /* not made yet */
  }
  const bytes = await cutFont(job);
  try {
    writeAtomic(cached, bytes);
  } catch {
    /* a read-only home: the subset is made again next time */
  }
  return bytes;
}

/** The subset made now, without any cache. */
export async function cutFont(job: SubsetJob): Promise<Buffer> {
  // the whole file (15 MB) is read for each new subset and not kept: a watch session would
  // hold 90 MB for the rare correction that brings a new character
  subsetFont ??= require('subset-font') as SubsetFont;
  return subsetFont(readFileSync(job.file), job.chars, { targetFormat: 'truetype' });
}
