/**
 * The page's type faces. Fonts come from npm (@fontsource, TrueType outlines: Chromium embeds
 * them as subset CID TrueType, never Type 3) so the page looks the same on every machine.
 * Each face is split by @fontsource into unicode-range files; we load only the files whose
 * ranges the content needs, and a character no file covers is an error (see coverage.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

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
  /** inclusive code point ranges */
  ranges: [number, number][];
}

const require = createRequire(import.meta.url);
const cache = new Map<string, FontFile[]>();

/** The unicode-range split files of a face, in the order @fontsource declares them. */
export function fontFiles(face: FaceSpec): FontFile[] {
  const key = `${face.pkg}/${face.weight}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const dir = path.dirname(require.resolve(`${face.pkg}/package.json`));
  const css = readFileSync(path.join(dir, `${face.weight}.css`), 'utf8');
  const files: FontFile[] = [];
  for (const m of css.matchAll(/src:\s*url\(\.\/files\/([^)]+?\.woff2)\)[^;]*;\s*unicode-range:\s*([^;]+);/g)) {
    files.push({ file: path.join(dir, 'files', m[1]!), ranges: parseRanges(m[2]!) });
  }
  if (files.length === 0) throw new Error(`no font files found in ${face.pkg}/${face.weight}.css`);
  cache.set(key, files);
  return files;
}

function parseRanges(s: string): [number, number][] {
  return s.split(',').map((r) => {
    const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
    const lo = parseInt(a!, 16);
    return [lo, b === undefined ? lo : parseInt(b, 16)];
  });
}

/**
 * The file Chromium will use for a code point: CSS Fonts says faces of one family with
 * overlapping ranges are tried last-declared first.
 */
export function fileFor(face: FaceSpec, cp: number): FontFile | undefined {
  const key = `${face.pkg}/${face.weight}`;
  let memo = found.get(key);
  if (!memo) found.set(key, (memo = new Map()));
  let hit = memo.get(cp);
  if (hit === undefined) {
    const files = fontFiles(face);
    hit = null;
    for (let i = files.length - 1; i >= 0 && !hit; i--) {
      const f = files[i]!;
      if (f.ranges.some(([a, b]) => cp >= a && cp <= b)) hit = f;
    }
    memo.set(cp, hit);
  }
  return hit ?? undefined;
}
/** face → code point → its file (null: none), filled as text is planned */
const found = new Map<string, Map<number, FontFile | null>>();
