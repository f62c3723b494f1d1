/** Shared test helpers: temporary copies of editions, PDF read-back tools, error matching. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { InputError, InputErrors } from '../src/messages.js';
import { ROOT } from '../src/paths.js';

export const SAMPLE = path.join(ROOT, 'data', 'yuhu-2025');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** A scratch copy of an edition folder. */
export function copyEdition(src = SAMPLE): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'broadsheet-test-')), path.basename(src));
  cpSync(src, dir, { recursive: true });
  return dir;
}

export function edit(dir: string, file: string, fn: (s: string) => string): void {
  const p = path.join(dir, file);
  const before = readFileSync(p, 'utf8');
  const after = fn(before);
  assert.is.not(after, before, `edit of ${file} changed nothing`);
  writeFileSync(p, after);
}

/** Runs fn, expects an InputError whose text contains every needle. Returns the text. */
export function expectInputError(fn: () => unknown, ...needles: (string | RegExp)[]): string {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  return checkError(err, needles);
}

export async function expectInputErrorAsync(fn: () => Promise<unknown>, ...needles: (string | RegExp)[]): Promise<string> {
  let err: unknown;
  try {
    await fn();
  } catch (e) {
    err = e;
  }
  return checkError(err, needles);
}

function checkError(err: unknown, needles: (string | RegExp)[]): string {
  assert.ok(err, 'expected an error, got none');
  if (!(err instanceof InputError)) throw err;
  const text = err instanceof InputErrors ? err.describe() : err.describe();
  for (const n of needles) {
    if (typeof n === 'string') assert.ok(text.includes(n), `error text lacks "${n}":\n${text}`);
    else assert.match(text, n);
  }
  return text;
}

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
}

export const pdftext = (pdf: string, ...opts: string[]) => run('pdftotext', [...opts, pdf, '-']);
/** Text without any white space, for substring checks across line and column breaks. */
export const squash = (s: string) => s.replace(/\s+/g, '');

export interface Box { x0: number; y0: number; x1: number; y1: number }
export function pdfBoxes(pdf: string): Record<string, Box> {
  const out: Record<string, Box> = {};
  for (const line of run('pdfinfo', ['-box', pdf]).split('\n')) {
    const m = /^(\w+Box):\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)/.exec(line);
    if (m) out[m[1]!] = { x0: +m[2]!, y0: +m[3]!, x1: +m[4]!, y1: +m[5]! };
  }
  return out;
}

export interface FontRow { name: string; type: string; emb: boolean; sub: boolean; uni: boolean }
export function pdfFonts(pdf: string): FontRow[] {
  return run('pdffonts', [pdf])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name, type (one or two words), encoding, emb, sub, uni, object, gen
      const n = cols.length;
      return { name: cols[0]!, type: cols.slice(1, n - 6).join(' '), emb: cols[n - 5] === 'yes', sub: cols[n - 4] === 'yes', uni: cols[n - 3] === 'yes' };
    });
}

export interface ImageRow { width: number; height: number; xppi: number; yppi: number; enc: string }
export function pdfImages(pdf: string): ImageRow[] {
  return run('pdfimages', ['-list', pdf])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const c = l.trim().split(/\s+/);
      return { width: +c[3]!, height: +c[4]!, enc: c[9]!, xppi: +c[12]!, yppi: +c[13]! };
    });
}

export const MM = 72 / 25.4;
