/** Shared test helpers: temporary copies of editions, PDF read-back tools, error matching. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { InputError } from '../src/messages.js';
import { ROOT } from '../src/paths.js';

export const SAMPLE = path.join(ROOT, 'data', 'yuhu-2025');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** A scratch copy of an edition folder. */
export function copyEdition(src = SAMPLE): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'broadsheet-test-')), path.basename(src));
  cpSync(src, dir, { recursive: true });
  return dir;
}

/** The 1-based line of a sample edition file that contains `needle`. */
export function lineOf(file: string, needle: string, dir = SAMPLE): number {
  const i = readFileSync(path.join(dir, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`"${needle}" not in ${file}`);
  return i + 1;
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

export async function expectInputErrorAsync(
  fn: () => Promise<unknown>,
  ...needles: (string | RegExp)[]
): Promise<string> {
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
  if (!(err instanceof InputError)) throw err instanceof Error ? err : new Error(JSON.stringify(err));
  const text = err.describe();
  for (const n of needles) {
    if (typeof n === 'string') assert.ok(text.includes(n), `error text lacks "${n}":\n${text}`);
    else assert.match(text, n);
  }
  return text;
}

export function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
}

export const pdftext = (pdf: string, ...opts: string[]) => run('pdftotext', [...opts, pdf, '-']);
/** Text without any white space, for substring checks across line and column breaks. */
export const squash = (s: string) => s.replace(/\s+/g, '');

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
export function pdfBoxes(pdf: string): Record<string, Box> {
  const out: Record<string, Box> = {};
  for (const line of run('pdfinfo', ['-box', pdf]).split('\n')) {
    const m = /^(\w+Box):\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)/.exec(line);
    if (m) out[m[1]!] = { x0: +m[2]!, y0: +m[3]!, x1: +m[4]!, y1: +m[5]! };
  }
  return out;
}

export interface FontRow {
  name: string;
  type: string;
  emb: boolean;
  sub: boolean;
  uni: boolean;
}
export function pdfFonts(pdf: string): FontRow[] {
  return run('pdffonts', [pdf])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      // name, type (one or two words), encoding, emb, sub, uni, object, gen
      const n = cols.length;
      return {
        name: cols[0]!,
        type: cols.slice(1, n - 6).join(' '),
        emb: cols[n - 5] === 'yes',
        sub: cols[n - 4] === 'yes',
        uni: cols[n - 3] === 'yes',
      };
    });
}

export interface ImageRow {
  width: number;
  height: number;
  xppi: number;
  yppi: number;
  enc: string;
}
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

export interface PdfChar {
  c: string;
  x: number;
  y: number;
  size: number;
}
/** Every character of page 1 with its origin (pt, top-left origin) and font size, from mutool. */
export function pdfChars(pdf: string): PdfChar[] {
  const xml = run('mutool', ['draw', '-F', 'stext', '-o', '-', pdf, '1']);
  const out: PdfChar[] = [];
  let size = 0;
  for (const m of xml.matchAll(/<font [^>]*size="([\d.]+)"|<char [^>]*x="([\d.]+)" y="([\d.]+)"[^>]*c="([^"]*)"/g)) {
    if (m[1]) size = Number(m[1]);
    else out.push({ c: decodeXml(m[4]!), x: Number(m[2]), y: Number(m[3]), size });
  }
  return out;
}

/** Text of mutool's XML attributes, entities decoded. */
export function decodeXml(s: string): string {
  return s
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** A PNG of one colour (for fixture photos), with zlib from node. */
export function solidPng(w: number, h: number, rgb: [number, number, number] = [128, 136, 150]): Buffer {
  const { deflateSync } = require_('node:zlib') as typeof import('node:zlib');
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: h }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td));
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(b: Buffer): number {
  let c = ~0;
  for (const byte of b) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

import { createRequire } from 'node:module';
const require_ = createRequire(import.meta.url);
