/**
 * Text widths for vega, measured with fontkit on the same fonts the page uses, so chart
 * labels are laid out with the widths Chromium will print them at (vega's own estimate in Node
 * is 0.8 em a character: Chinese labels 20 % too narrow, digits far too wide).
 */
import type * as Fontkit from 'fontkit';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { covers, FACES, fontFile, type FaceSpec } from '../fonts/faces.js';
import { ROOT } from '../paths.js';

const fonts = new Map<string, Fontkit.Font>();
/** fontkit is loaded only for a character the compile-time table lacks (it is slow to load) */
let fontkit: typeof Fontkit | undefined;
const advances = new Map<string, number>();

function fontOf(file: string): Fontkit.Font {
  let f = fonts.get(file);
  if (!f) {
    fontkit ??= createRequire(import.meta.url)('fontkit') as typeof Fontkit;
    f = fontkit.create(readFileSync(file));
    fonts.set(file, f);
  }
  return f;
}

/**
 * Ideographs, CJK punctuation and full-width forms are exactly 1 em in Noto Sans SC, regular and
 * bold (all 12,368 such code points checked with fontkit): no need to decode a font file for
 * them. Everything else (digits, Latin, %) is measured.
 */
const FULL_WIDTH = (cp: number) =>
  (cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff01 && cp <= 0xff5e);

/** Widths of Latin, punctuation, signs and shapes measured once at compile time (scripts/build-tables.mjs). */
let table: Record<string, { widths: Record<string, number> }> | undefined;
function tabled(weight: number, cp: number): number | undefined {
  if (!table) {
    try {
      table = JSON.parse(readFileSync(path.join(ROOT, 'dist/generated/chart-metrics.json'), 'utf8')) as typeof table;
    } catch {
      table = {};
    }
  }
  return table![String(weight)]?.widths[String(cp)];
}

/** Advance of one code point in em. */
function advance(face: FaceSpec, cp: number): number {
  if (FULL_WIDTH(cp)) return 1;
  const t = tabled(face.weight, cp);
  if (t !== undefined) return t;
  const key = `${face.weight}:${cp}`;
  let a = advances.get(key);
  if (a === undefined) {
    const font = covers(face, cp) ? fontOf(fontFile(face)) : undefined;
    a = font ? font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm : 1;
    advances.set(key, a);
  }
  return a;
}

/** Width in px of `text` set in the chart face at `size` px. */
export function measure(text: string, size: number, weight: number | string | undefined): number {
  const w = Number(weight === 'bold' ? 700 : (weight ?? 400));
  const face = w >= 600 ? FACES.sansBold : FACES.sans;
  let em = 0;
  for (const ch of text) em += advance(face, ch.codePointAt(0)!);
  return em * size;
}
