/**
 * Text measured in Node exactly as the page fits it: the same line fitter
 * (layout/page/linebreak.ts), the same measure in em (a column's width in whole CSS px over the
 * font size, as the page reads clientWidth), Latin runs measured with fontkit on the same font
 * file the page prints the body with (the page measures them with canvas measureText, which
 * shapes with the font's kerning; fontkit's layout does too).
 */
import type * as Fontkit from 'fontkit';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { breakLines, tokenize } from '../layout/page/linebreak.js';
import { FACES, fontFile } from '../fonts/faces.js';
import type { Grid } from '../layout/presets.js';

const PX_PER_MM = 96 / 25.4;

/** Width in em of a Latin run in the body face (regular: the page measures with the frame's font). */
export type LatinWidth = (s: string) => number;

let bodyFont: Fontkit.Font | undefined;
const latinCache = new Map<string, number>();

/** fontkit on the body face's TrueType file, loaded on first use (the file is 15 MB). */
export const bodyLatinWidth: LatinWidth = (s) => {
  let w = latinCache.get(s);
  if (w === undefined) {
    if (!bodyFont) {
      const fontkit = createRequire(import.meta.url)('fontkit') as typeof Fontkit;
      bodyFont = fontkit.create(readFileSync(fontFile(FACES.body)));
    }
    w = bodyFont.layout(s).advanceWidth / bodyFont.unitsPerEm;
    latinCache.set(s, w);
  }
  return w;
};

export interface House {
  indent: number;
  /** em where Han meets Latin (0 or 0.25) */
  hanLatin: number;
}

/** The measure in em the page computes for a frame `widthMm` wide set at `fontPx`. */
export function measureEm(widthMm: number, fontPx: number): number {
  return Math.round((Math.round(widthMm * PX_PER_MM) / fontPx) * 1000) / 1000;
}

/** The body measure of one grid column. */
export function columnMeasure(g: Grid): number {
  return measureEm(g.colW, g.bodyMm * PX_PER_MM);
}

/**
 * A lead frame `widthMm` wide: set larger on a whole number of characters across the frame
 * (compose.ts): the characters per line and the measure the page computes.
 */
export function leadMeasure(g: Grid, widthMm: number): { chars: number; measure: number } {
  const chars = Math.round(widthMm / (g.bodyMm * 1.33));
  return { chars, measure: measureEm(widthMm, (widthMm / chars) * PX_PER_MM) };
}

/** Lines of one paragraph at a measure; memoised (a composer asks for the same ones often). */
export class Measurer {
  private memo = new Map<string, number>();
  constructor(
    private house: House,
    private latin: LatinWidth = bodyLatinWidth,
  ) {}

  lines(text: string, measure: number, indent = this.house.indent): number {
    const key = `${measure}|${indent}|${text}`;
    let n = this.memo.get(key);
    if (n === undefined) {
      const units = tokenize(text, this.latin, measure - indent);
      n = units.length ? breakLines(units, measure, indent, this.house.hanLatin, text).length : 0;
      this.memo.set(key, n);
    }
    return n;
  }
}
