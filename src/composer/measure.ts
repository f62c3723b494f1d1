/**
 * Text measured in Node exactly as the page fits it: the same line fitter
 * (layout/page/linebreak.ts), the same measure in em (a column's width in whole CSS px over the
 * font size, as the page reads clientWidth), Latin runs measured with fontkit on the same font
 * file the page prints the body with (the page measures them with canvas measureText, which
 * shapes with the font's kerning; fontkit's layout does too).
 */
import { breakLines, tokenize } from '../layout/page/linebreak.js';
import type { FACES } from '../fonts/faces.js';
import { fontOf } from '../fonts/widths.js';
import type { Grid } from '../layout/presets.js';

const PX_PER_MM = 96 / 25.4;

/** Width in em of a Latin run in the body face (regular: the page measures with the frame's font). */
export type LatinWidth = (s: string) => number;

const latinCache = new Map<string, number>();

/** Widths in em of Latin runs in one face, by fontkit on its TrueType file (loaded on first use). */
function latinWidthIn(face: keyof typeof FACES): LatinWidth {
  return (s) => {
    const key = `${face}|${s}`;
    let w = latinCache.get(key);
    if (w === undefined) {
      const font = fontOf(face);
      w = font.layout(s).advanceWidth / font.unitsPerEm;
      latinCache.set(key, w);
    }
    return w;
  };
}

/** The body face (the page measures a paragraph in the face it prints in). */
export const bodyLatinWidth: LatinWidth = latinWidthIn('body');
/** The bold body face: a lead prints bold. */
export const boldLatinWidth: LatinWidth = latinWidthIn('bodyBold');

export interface House {
  indent: number;
  /** em where Han meets Latin (0 or 0.25) */
  hanLatin: number;
}

/** The measure in em the page computes for a frame `widthMm` wide set at `fontPx`. */
export function measureEm(widthMm: number, fontPx: number): number {
  // the page reads the frame's fractional width (getBoundingClientRect), not whole px
  return Math.round(((widthMm * PX_PER_MM) / fontPx) * 1000) / 1000;
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
  private boldMeasurer: Measurer | undefined;
  constructor(
    private house: House,
    private latin: LatinWidth = bodyLatinWidth,
  ) {}

  /** The same, for text that prints bold (a lead). */
  get bold(): Measurer {
    return (this.boldMeasurer ??= new Measurer(this.house, boldLatinWidth));
  }

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
