/**
 * The headline group set to its frame (pure but for the font files text is measured with,
 * fonts/widths.ts): the kicker (引题), the main head (主题, its parts side by side), the subhead
 * (副题) and the byline each on one line. A part too wide for the frame at the house size is set
 * smaller, step by step, down to the house's bound (HEADLINE_TYPE: the main head to 70 % of the
 * preset's size, the others to 80 %); one too wide even there is a problem the build reports
 * (never a part wrapped with a character or two on a line of its own). The compose stage writes
 * these sizes into the page's CSS, and the composer sizes the headline frame from the same
 * heights, so the page and the composer's prediction agree.
 */
import { textEm } from '../fonts/widths.js';
import type { FaceName } from '../fonts/faces.js';
import { PT, type Grid } from '../layout/presets.js';

export type PartName = 'kicker' | 'headline' | 'subhead' | 'byline';

/** A part's type: its size at the house size (pt), how small it may go, its line and spacing. */
export interface PartType {
  face: FaceName;
  /** the house size, pt (the main head's is the preset's `headlinePt`) */
  pt: number;
  /** the smallest size as a share of the house size */
  minShare: number;
  /** steps the size is reduced by, pt */
  stepPt: number;
  /** line height, in em */
  lineHeight: number;
  /** letter-spacing, em (after every character, the last one too, as the browser sets it) */
  letterSpacing: number;
  /** space above the part, mm */
  marginTopMm: number;
  /** the space between the main head's parts, em */
  gapEm: number;
  /** what the page prints before the text */
  prefix: string;
}

export const HEADLINE_TYPE: Record<PartName, PartType> = {
  kicker: {
    face: 'sansBold',
    pt: 16,
    minShare: 0.8,
    stepPt: 1,
    lineHeight: 1.4,
    letterSpacing: 0,
    marginTopMm: 0,
    gapEm: 0,
    prefix: '',
  },
  headline: {
    face: 'headline',
    pt: 68,
    minShare: 0.7,
    stepPt: 2,
    lineHeight: 1.1,
    letterSpacing: 0.04,
    marginTopMm: 0,
    gapEm: 1.2,
    prefix: '',
  },
  subhead: {
    face: 'sansBold',
    pt: 20,
    minShare: 0.8,
    stepPt: 1,
    lineHeight: 1.3,
    letterSpacing: 0,
    marginTopMm: 3,
    gapEm: 0,
    prefix: '——',
  },
  byline: {
    face: 'sans',
    pt: 10,
    minShare: 0.8,
    stepPt: 0.5,
    lineHeight: 1.4,
    letterSpacing: 0,
    marginTopMm: 2,
    gapEm: 0,
    prefix: '■ ',
  },
};

/** Air a part keeps across the frame, in em of its size (half an em each side). */
export const AIR_EM = 1;

/** The headline group's texts, figures bound (undefined: the part is not printed). */
export type HeadlineTexts = Partial<Record<PartName, string>>;

export interface SetPart {
  part: PartName;
  /** the size it is set at, pt */
  pt: number;
  /** the house size, pt */
  housePt: number;
  /** the smallest size the house allows, pt */
  minPt: number;
  /** its width at `pt`, mm (air not included) */
  widthMm: number;
  /** the frame's width, mm */
  frameMm: number;
  /** false: too wide even at minPt (set at minPt; the build reports it) */
  fits: boolean;
  /** the main head's parts, as split at white space */
  halves?: string[];
}

export interface SetHeadline {
  parts: SetPart[];
  /** the group's height, mm */
  heightMm: number;
}

/** A part's width in em at 1 em: its characters, their letter-spacing, the gaps between the main head's parts. */
function partEm(t: PartType, text: string): { em: number; halves?: string[] } {
  const opening = /^[“‘（《「『【]/; // the page hangs an opening mark's blank half (compose.ts hangOpening)
  const hang = (s: string) => (opening.test(s) ? 0.5 : 0);
  const one = (s: string) => textEm(t.face, s) + [...s].length * t.letterSpacing - hang(s);
  if (t.gapEm) {
    const halves = text.split(/\s+/).filter(Boolean);
    return { em: halves.reduce((n, h) => n + one(h), 0) + t.gapEm * Math.max(0, halves.length - 1), halves };
  }
  return { em: one(t.prefix + text) };
}

/** The house size of a part on a grid (the main head's from the preset). */
export function housePt(part: PartName, g: Grid): number {
  return part === 'headline' ? g.preset.headlinePt : HEADLINE_TYPE[part].pt;
}

const memo = new Map<string, SetHeadline>();

/** The headline group set in a frame `frameMm` wide: each part's size, and the group's height. */
export function setHeadline(texts: HeadlineTexts, frameMm: number, g: Grid): SetHeadline {
  const key = JSON.stringify([texts, frameMm, g.preset.name, g.preset.headlinePt]);
  const hit = memo.get(key);
  if (hit) return hit;
  const parts: SetPart[] = [];
  let heightMm = 0;
  for (const part of ['kicker', 'headline', 'subhead', 'byline'] as const) {
    const text = texts[part]?.trim();
    if (text === undefined || (part !== 'headline' && !text)) continue;
    const t = HEADLINE_TYPE[part];
    const house = housePt(part, g);
    const minPt = house * t.minShare;
    const { em, halves } = partEm(t, text);
    // the largest size, in whole steps down from the house size, at which the part and its air fit
    let pt = house;
    const fitsAt = (p: number) => (em + AIR_EM) * p * PT <= frameMm + 1e-6;
    while (!fitsAt(pt) && pt - t.stepPt >= minPt - 1e-9) pt -= t.stepPt;
    const fits = fitsAt(pt);
    parts.push({
      part,
      pt,
      housePt: house,
      minPt,
      widthMm: em * pt * PT,
      frameMm,
      fits,
      ...(halves ? { halves } : {}),
    });
    heightMm += t.marginTopMm + pt * t.lineHeight * PT;
  }
  const out = { parts, heightMm };
  if (memo.size > 200) memo.clear();
  memo.set(key, out);
  return out;
}

/** The frame lines the group needs on a grid: its height in whole body lines and a line of air. */
export function headlineLinesFor(set: SetHeadline, g: Grid): number {
  return Math.ceil(set.heightMm / g.pitch - 1e-6) + 1;
}
