/**
 * The page's type faces. Fonts come from npm (@fontsource, TrueType outlines: Chromium embeds
 * them as subset CID TrueType, never Type 3) so the page looks the same on every machine.
 * Each face is split by @fontsource into unicode-range files; we load only the files whose
 * ranges the content needs, and a character no file covers is an error (see coverage.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../paths.js';

export type FaceName = 'body' | 'bodyBold' | 'headline' | 'sans' | 'sansBold' | 'sansHeavy';

export interface FaceSpec {
  family: string;
  /** npm package holding the face */
  pkg: string;
  weight: number;
  /** human name used in messages */
  label: string;
}

/** CSS family names used in styles/page.css and the chart theme. */
export const SERIF = 'Broadsheet Serif';
export const SANS = 'Broadsheet Sans';

export const FACES: Record<FaceName, FaceSpec> = {
  body: { family: SERIF, pkg: '@fontsource/noto-serif-sc', weight: 400, label: 'body (Noto Serif SC Regular)' },
  bodyBold: { family: SERIF, pkg: '@fontsource/noto-serif-sc', weight: 700, label: 'bold serif (Noto Serif SC Bold)' },
  headline: { family: SERIF, pkg: '@fontsource/noto-serif-sc', weight: 900, label: 'headline (Noto Serif SC Black)' },
  sans: { family: SANS, pkg: '@fontsource/noto-sans-sc', weight: 400, label: 'sans (Noto Sans SC Regular)' },
  sansBold: { family: SANS, pkg: '@fontsource/noto-sans-sc', weight: 700, label: 'bold sans (Noto Sans SC Bold)' },
  sansHeavy: { family: SANS, pkg: '@fontsource/noto-sans-sc', weight: 900, label: 'heavy sans (Noto Sans SC Black)' },
};

export interface FontFile {
  /** absolute path of the woff2 file */
  file: string;
  /** inclusive code point ranges, flat: first, last, first, last, … */
  ranges: number[];
}

const require = createRequire(import.meta.url);
const cache = new Map<string, FontFile[]>();

/** The unicode-range split files of a face, in the order @fontsource declares them. */
export function fontFiles(face: FaceSpec): FontFile[] {
  const key = `${face.pkg}/${face.weight}`;
  const hit = cache.get(key);
  if (hit) return hit;
  // read from @fontsource's CSS at compile time (scripts/build-tables.mjs): parsing the CSS of
  // six faces took 70 ms of every build
  tables ??= JSON.parse(readFileSync(FONT_TABLES, 'utf8')) as Record<string, [string, number[]][]>;
  const dir = path.dirname(require.resolve(`${face.pkg}/package.json`));
  const files = (tables[key] ?? []).map(([name, ranges]): FontFile => ({ file: path.join(dir, 'files', name), ranges }));
  if (files.length === 0) throw new Error(`no font files for ${key}: run "npm run compile"`);
  cache.set(key, files);
  return files;
}
let tables: Record<string, [string, number[]][]> | undefined;
export const FONT_TABLES = path.join(ROOT, 'dist/generated/font-files.json');

/** The files of a face and their unicode ranges, read from @fontsource's CSS (for the compile-time table). */
export function parseFontCss(face: FaceSpec): [string, number[]][] {
  const dir = path.dirname(require.resolve(`${face.pkg}/package.json`));
  const css = readFileSync(path.join(dir, `${face.weight}.css`), 'utf8');
  return [...css.matchAll(/src:\s*url\(\.\/files\/([^)]+?\.woff2)\)[^;]*;\s*unicode-range:\s*([^;]+);/g)].map((m) => [m[1]!, parseRanges(m[2]!)]);
}

/** `U+4E00-4E5F, U+3002` → [0x4e00, 0x4e5f, 0x3002, 0x3002] */
function parseRanges(s: string): number[] {
  const out: number[] = [];
  for (const m of s.matchAll(/U\+([0-9a-f]+)(?:-([0-9a-f]+))?/gi)) {
    const lo = parseInt(m[1]!, 16);
    out.push(lo, m[2] === undefined ? lo : parseInt(m[2], 16));
  }
  return out;
}

/**
 * The file Chromium will use for a code point: CSS Fonts says faces of one family with
 * overlapping ranges are tried last-declared first.
 */
export function fileFor(face: FaceSpec, cp: number): FontFile | undefined {
  const { files, bmp, astral } = lookupOf(face);
  const i = cp <= 0xffff ? bmp[cp]! : astral.get(cp) ?? -1;
  return i < 0 ? undefined : files[i];
}

/** Per face: the index of the file that serves each code point (-1: none), later files winning. */
const lookups = new Map<string, { files: FontFile[]; bmp: Int16Array; astral: Map<number, number> }>();
function lookupOf(face: FaceSpec): { files: FontFile[]; bmp: Int16Array; astral: Map<number, number> } {
  const key = `${face.pkg}/${face.weight}`;
  let l = lookups.get(key);
  if (!l) {
    const files = fontFiles(face);
    const bmp = new Int16Array(0x10000).fill(-1);
    const astral = new Map<number, number>();
    files.forEach((f, i) => {
      for (let k = 0; k < f.ranges.length; k += 2) {
        const a = f.ranges[k]!;
        const b = f.ranges[k + 1]!;
        if (a <= 0xffff) bmp.fill(i, a, Math.min(b, 0xffff) + 1);
        for (let cp = Math.max(a, 0x10000); cp <= b; cp++) astral.set(cp, i);
      }
    });
    l = { files, bmp, astral };
    lookups.set(key, l);
  }
  return l;
}
