/**
 * One font file per face, cut down to the characters the page prints (HarfBuzz's subsetter, via
 * subset-font). Chromium prints a page with six small fonts faster than one with ~90
 * unicode-range slices (it serialises every font the page uses into the print job), loads it
 * faster, and the PDF lists six fonts, not ninety.
 *
 * A subset is a pure function of the font file and the character set, so the same edition gives
 * the same bytes. Subsets are kept in memory (watch mode) and on disk (disk-cache.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cacheKey, packageIdentity, readCached, writeCached } from '../disk-cache.js';

const require = createRequire(import.meta.url);

export interface SubsetJob {
  /** the whole TrueType file */
  file: string;
  /** the characters to keep, sorted, each once */
  chars: string;
}

/** What makes a subset's bytes: the font (package and file), the characters, the subsetter's version. */
export function subsetKey(job: SubsetJob): string {
  return cacheKey(packageIdentity(job.file), subsetterVersion(), job.chars);
}

/** The subsetter's own version: subset-font's, and that of the HarfBuzz it loads. */
let subsetter: string | undefined;
function subsetterVersion(): string {
  if (!subsetter) {
    const main = require.resolve('subset-font');
    const wasm = createRequire(main).resolve('harfbuzzjs/dist/harfbuzz-subset.wasm');
    subsetter = `${packageIdentity(main)} ${packageIdentity(wasm)}`;
  }
  return subsetter;
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
    if (memory.size > 32) memory.clear(); // a long watch session: old character sets go
    memory.set(key, p);
    p.catch(() => memory.delete(key));
  }
  return p;
}

async function make(job: SubsetJob, key: string): Promise<Buffer> {
  const cached = readCached('fonts', `${key}.ttf`);
  if (cached) return cached;
  const bytes = await cutFont(job);
  writeCached('fonts', `${key}.ttf`, bytes);
  return bytes;
}

/** The subset made now, without any cache. */
export async function cutFont(job: SubsetJob): Promise<Buffer> {
  // the whole file (15 MB) is read for each new subset and not kept: a watch session would
  // hold 90 MB for the rare correction that brings a new character
  subsetFont ??= require('subset-font') as SubsetFont;
  return subsetFont(readFileSync(job.file), job.chars, { targetFormat: 'truetype' });
}
