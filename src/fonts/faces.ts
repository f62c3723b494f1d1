/**
 * The page's type faces. Fonts come from npm (Google Fonts' Noto Serif SC and Noto Sans SC as
 * whole TrueType files, packaged by @expo-google-fonts) so the page looks the same on every
 * machine. TrueType outlines matter: Chromium embeds them as subset CID TrueType, never Type 3.
 * Only the files of these faces are installed, into fonts/<package>/ (scripts/fonts.mjs, from
 * the packages locked in fonts/package-lock.json). The page gets one file per face, cut down to
 * the characters it prints (subset.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { msg } from '../messages.js';
import { ROOT } from '../paths.js';

export type FaceName = 'body' | 'bodyBold' | 'headline' | 'sans' | 'sansBold' | 'sansHeavy';

export interface FaceSpec {
  family: string;
  /** npm package holding the face */
  pkg: string;
  /** the TrueType file inside the package */
  ttf: string;
  weight: number;
  /** human name used in messages */
  label: string;
  /** the font's PostScript name, as the PDF names it (after a subset prefix) */
  postscript: string;
}

/** CSS family names used in styles/page.css and the chart theme. */
export const SERIF = 'Broadsheet Serif';
export const SANS = 'Broadsheet Sans';

const serif = (weight: number, style: string) => ({
  family: SERIF,
  pkg: '@expo-google-fonts/noto-serif-sc',
  ttf: `${weight}${style}/NotoSerifSC_${weight}${style}.ttf`,
  weight,
  postscript: `NotoSerifSC-${style}`,
});
const sans = (weight: number, style: string) => ({
  family: SANS,
  pkg: '@expo-google-fonts/noto-sans-sc',
  ttf: `${weight}${style}/NotoSansSC_${weight}${style}.ttf`,
  weight,
  postscript: `NotoSansSC-${style}`,
});

export const FACES: Record<FaceName, FaceSpec> = {
  body: { ...serif(400, 'Regular'), label: 'body (Noto Serif SC Regular)' },
  bodyBold: { ...serif(700, 'Bold'), label: 'bold serif (Noto Serif SC Bold)' },
  headline: { ...serif(900, 'Black'), label: 'headline (Noto Serif SC Black)' },
  sans: { ...sans(400, 'Regular'), label: 'sans (Noto Sans SC Regular)' },
  sansBold: { ...sans(700, 'Bold'), label: 'bold sans (Noto Sans SC Bold)' },
  sansHeavy: { ...sans(900, 'Black'), label: 'heavy sans (Noto Sans SC Black)' },
};

/** Where scripts/fonts.mjs installs the faces' files. */
export const FONTS_DIR = path.join(ROOT, 'fonts');

/** Absolute path of a face's TrueType file. */
export function fontFile(face: FaceSpec): string {
  const file = path.join(FONTS_DIR, face.pkg, face.ttf);
  if (!existsSync(file)) throw msg.fontMissing(file);
  return file;
}

/** A face's key in the compile-time tables. */
export function faceKey(face: FaceSpec): string {
  return `${face.pkg}/${face.weight}`;
}

/**
 * The code points each face has a glyph for, as flat inclusive ranges (first, last, …), made by
 * scripts/build-tables.mjs.
 */
export const FONT_TABLES = path.join(ROOT, 'dist/generated/font-coverage.json');
let tables: Record<string, number[]> | undefined;

/** Per face: one bit per BMP code point, and the astral code points, for the face's glyphs. */
const lookups = new Map<string, (cp: number) => boolean>();

/** Whether the face has a glyph for the code point. */
export function covers(face: FaceSpec, cp: number): boolean {
  return coverage(face)(cp);
}

/** The face's glyph test, for many code points. */
export function coverage(face: FaceSpec): (cp: number) => boolean {
  const key = faceKey(face);
  let l = lookups.get(key);
  if (!l) {
    tables ??= JSON.parse(readFileSync(FONT_TABLES, 'utf8')) as Record<string, number[]>;
    const ranges = tables[key];
    if (!ranges) throw new Error(`no coverage table for ${key}: run "npm run compile"`);
    const bmp = new Uint8Array(0x10000);
    const astral = new Set<number>();
    for (let k = 0; k < ranges.length; k += 2) {
      const [a, b] = [ranges[k]!, ranges[k + 1]!];
      if (a <= 0xffff) bmp.fill(1, a, Math.min(b, 0xffff) + 1);
      for (let cp = Math.max(a, 0x10000); cp <= b; cp++) astral.add(cp);
    }
    l = (cp: number) => (cp <= 0xffff ? bmp[cp] === 1 : astral.has(cp));
    lookups.set(key, l);
  }
  return l;
}

/** Sorted code points → flat inclusive ranges (for the compile-time table). */
export function toRanges(cps: Iterable<number>): number[] {
  const sorted = [...new Set(cps)].sort((a, b) => a - b);
  const out: number[] = [];
  for (const cp of sorted) {
    if (out.length && out[out.length - 1] === cp - 1) out[out.length - 1] = cp;
    else out.push(cp, cp);
  }
  return out;
}
