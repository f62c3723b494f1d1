/**
 * Text widths for vega, measured with fontkit on the same font files the page uses, so chart
 * labels are laid out with the widths Chromium will print them at (vega's own estimate in Node
 * is 0.8 em a character: Chinese labels 20 % too narrow, digits far too wide).
 */
import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { FACES, fileFor, type FaceSpec } from '../fonts/faces.js';

const fonts = new Map<string, fontkit.Font>();
const advances = new Map<string, number>();

function fontOf(file: string): fontkit.Font {
  let f = fonts.get(file);
  if (!f) {
    f = fontkit.create(readFileSync(file));
    fonts.set(file, f);
  }
  return f;
}

/** Advance of one code point in em. */
function advance(face: FaceSpec, cp: number): number {
  const key = `${face.weight}:${cp}`;
  let a = advances.get(key);
  if (a === undefined) {
    const file = fileFor(face, cp);
    const font = file ? fontOf(file.file) : undefined;
    a = font && font.hasGlyphForCodePoint(cp) ? font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm : 1;
    advances.set(key, a);
  }
  return a;
}

/** Width in px of `text` set in the chart face at `size` px. */
export function measure(text: string, size: number, weight: number | string | undefined): number {
  const w = Number(weight === 'bold' ? 700 : weight ?? 400);
  const face = w >= 600 ? FACES.sansBold : FACES.sans;
  let em = 0;
  for (const ch of text) em += advance(face, ch.codePointAt(0)!);
  return em * size;
}
