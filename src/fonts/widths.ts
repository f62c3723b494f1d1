/**
 * Widths in em of text in one of the page's faces, as the browser sets it without letter-spacing:
 * a Han character and a full-width form take 1 em in every face (Noto Serif SC and Noto Sans SC:
 * ideographs, CJK punctuation and full-width forms, curly quotes and the em dash); anything else
 * (Latin, digits, the middle dot, spaces) by its advance in the face's TrueType file: from the
 * table `npm run compile` makes of the common ranges (dist/generated/face-widths.json: ASCII,
 * Latin-1, general punctuation, arrows, maths, enclosed numbers, shapes), else read with fontkit
 * (loaded on first use only: reading a face's file takes 0.1–0.6 s).
 */
import type * as Fontkit from 'fontkit';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FACES, fontFile, type FaceName } from './faces.js';
import { ROOT } from '../paths.js';

const TABLE = path.join(ROOT, 'dist/generated/face-widths.json');
let table: Partial<Record<FaceName, Record<string, number>>> | undefined;

const FULL = /[\p{Script=Han}\u3000-\u303f\uff01-\uff60\u2014\u2018\u2019\u201c\u201d\u2026]/u;
const fonts = new Map<FaceName, Fontkit.Font>();
const advances = new Map<string, number>();

function advance(face: FaceName, ch: string): number {
  const key = `${face}|${ch}`;
  let w = advances.get(key);
  if (w === undefined) {
    table ??= JSON.parse(readFileSync(TABLE, 'utf8')) as typeof table;
    w = table?.[face]?.[String(ch.codePointAt(0))];
  }
  if (w === undefined) {
    const font = fontOf(face);
    w = font.glyphForCodePoint(ch.codePointAt(0) ?? 0).advanceWidth / font.unitsPerEm;
    advances.set(key, w);
  }
  return w;
}

/** A face's TrueType file read by fontkit, once (for what the compile-time table lacks). */
export function fontOf(face: FaceName): Fontkit.Font {
  let font = fonts.get(face);
  if (!font) {
    const fontkit = createRequire(import.meta.url)('fontkit') as typeof Fontkit;
    font = fontkit.create(readFileSync(fontFile(FACES[face])));
    fonts.set(face, font);
  }
  return font;
}

/** The width of one character in em in a face. */
export function charEm(face: FaceName, ch: string): number {
  return FULL.test(ch) ? 1 : advance(face, ch);
}

/** The width of a text in em in a face (characters' advances summed, no kerning). */
export function textEm(face: FaceName, s: string): number {
  let w = 0;
  for (const ch of s) w += charEm(face, ch);
  return w;
}
