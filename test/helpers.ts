/** Shared test helpers: temporary copies of editions, PDF read-back tools, error matching. */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import * as assert from 'uvu/assert';
import { InputError } from '../src/messages.js';
import { ROOT } from '../src/paths.js';

export const SAMPLE = path.join(ROOT, 'data', 'yuhu-2025');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

let tempRoot: string | undefined;
/**
 * A new empty folder for one test's files. All of them live in one folder of this process's
 * temporary folder (the test runner gives each file its own TMPDIR), removed when it exits.
 */
export function tempDir(prefix = 'tmp-'): string {
  if (!tempRoot) {
    const root = mkdtempSync(path.join(os.tmpdir(), 'broadsheet-test-'));
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
    tempRoot = root;
  }
  return mkdtempSync(path.join(tempRoot, prefix));
}

/** A scratch copy of an edition folder. */
export function copyEdition(src = SAMPLE): string {
  const dir = path.join(tempDir('edition-'), path.basename(src));
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
  /** the font's name (as mutool gives it: NotoSerifSC-Regular) */
  font: string;
}
/** Every character of page 1 with its origin (pt, top-left origin), font and size, from mutool. */
export function pdfChars(pdf: string): PdfChar[] {
  const xml = run('mutool', ['draw', '-F', 'stext', '-o', '-', pdf, '1']);
  const out: PdfChar[] = [];
  let size = 0;
  let font = '';
  for (const m of xml.matchAll(
    /<font name="([^"]*)" [^>]*size="([\d.]+)"|<char [^>]*x="([\d.]+)" y="([\d.]+)"[^>]*c="([^"]*)"/g,
  )) {
    if (m[2]) [font, size] = [m[1]!, Number(m[2])];
    else out.push({ c: decodeXml(m[5]!), x: Number(m[3]), y: Number(m[4]), size, font });
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
  const row = Buffer.alloc(1 + w * 3);
  for (let x = 0; x < w; x++) row.set(rgb, 1 + x * 3);
  return rgbPng(w, h, () => row);
}

/** An 8-bit RGB PNG from its rows (each a filter byte 0 and w × 3 bytes). */
export function rgbPng(w: number, h: number, row: (y: number) => Buffer): Buffer {
  const { deflateSync } = require_('node:zlib') as typeof import('node:zlib');
  const raw = Buffer.concat(Array.from({ length: h }, (_, y) => row(y)));
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

/** An uncompressed 8-bit one-channel TIFF (as Ghostscript's tiffsep writes with -sCompression=none). */
export function readTiffGray(file: string): { width: number; height: number; data: Uint8Array } {
  const b = readFileSync(file);
  const le = b.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const ifd = u32(4);
  const tags = new Map<number, { type: number; count: number; at: number }>();
  for (let i = 0; i < u16(ifd); i++) {
    const e = ifd + 2 + i * 12;
    tags.set(u16(e), { type: u16(e + 2), count: u32(e + 4), at: e + 8 });
  }
  const values = (tag: number): number[] => {
    const t = tags.get(tag);
    if (!t) return [];
    const size = t.type === 3 ? 2 : 4;
    const base = t.count * size > 4 ? u32(t.at) : t.at;
    return Array.from({ length: t.count }, (_, i) => (size === 2 ? u16(base + i * 2) : u32(base + i * 4)));
  };
  const [width] = values(256);
  const [height] = values(257);
  const [compression] = values(259);
  if (compression !== 1) throw new Error(`${file}: compressed TIFF (${compression})`);
  const offsets = values(273);
  const counts = values(279);
  const data = Buffer.concat(offsets.map((o, i) => b.subarray(o, o + counts[i]!)));
  return { width: width!, height: height!, data };
}

export interface Separations {
  width: number;
  height: number;
  /** pixels per pt */
  scale: number;
  /** ink per plate, 0 (none) to 255 (solid), top-left first */
  c: Uint8Array;
  m: Uint8Array;
  y: Uint8Array;
  k: Uint8Array;
}

/** Page 1 separated into its C, M, Y and K plates by Ghostscript's tiffsep device. */
export function separations(pdf: string, dpi = 150): Separations {
  const dir = tempDir('sep-');
  run('gs', [
    '-q',
    '-dBATCH',
    '-dNOPAUSE',
    '-sDEVICE=tiffsep',
    `-r${dpi}`,
    '-sCompression=none',
    '-dFirstPage=1',
    '-dLastPage=1',
    `-sOutputFile=${path.join(dir, 'p.tif')}`,
    pdf,
  ]);
  const plate = (name: string) => {
    const t = readTiffGray(path.join(dir, `p(${name}).tif`));
    // tiffsep: 255 = no ink, 0 = solid
    const ink = new Uint8Array(t.data.length);
    for (let i = 0; i < ink.length; i++) ink[i] = 255 - t.data[i]!;
    return { width: t.width, height: t.height, ink };
  };
  const [c, m, y, k] = ['Cyan', 'Magenta', 'Yellow', 'Black'].map(plate) as [
    ReturnType<typeof plate>,
    ...ReturnType<typeof plate>[],
  ];
  rmSync(dir, { recursive: true, force: true });
  return { width: c.width, height: c.height, scale: dpi / 72, c: c.ink, m: m!.ink, y: y!.ink, k: k!.ink };
}

/**
 * A PDF written by hand from object bodies (object 1 is the catalog): for preflight fixtures
 * that break one rule each. A body may hold `stream\n…\nendstream`; its /Length is filled in.
 */
export function rawPdf(objects: string[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let size = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    const m = /^([\s\S]*?)stream\n([\s\S]*)\nendstream$/.exec(body);
    const text = m
      ? `${m[1]!.replace('>>', ` /Length ${Buffer.byteLength(m[2]!, 'latin1')} >>`)}stream\n${m[2]}\nendstream`
      : body;
    const obj = Buffer.from(`${i + 1} 0 obj\n${text}\nendobj\n`, 'latin1');
    offsets.push(size);
    size += obj.length;
    parts.push(obj);
  });
  const xref = [
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`,
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`),
  ].join('');
  parts.push(
    Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${size}\n%%EOF\n`, 'latin1'),
  );
  return Buffer.concat(parts);
}
