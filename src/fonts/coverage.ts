/**
 * Glyph coverage and the page's fonts: every character printed in a face must have a glyph in
 * it (else the build stops, naming the character and where it is); each face the page uses is
 * served as one file holding the characters the page sets in it, plus a fixed set that figure
 * corrections draw on (digits, Latin, signs, numerals and units), so a corrected number does not
 * change the font and a watch-mode rebuild can update the page in place.
 */
import { inputErrors, msg, type InputError, type Place } from '../messages.js';
import { coverage, FACES, fontFile, type FaceName } from './faces.js';
import { subsetKey, type SubsetJob } from './subset.js';

/** Text set in a face, with where it comes from (for messages). */
export interface FaceText {
  face: FaceName;
  text: string;
  place: Place;
}

export interface FontPlan {
  /** url path → the face's file and the characters to keep */
  files: Map<string, SubsetJob>;
  css: string;
  /** face → its url path, the font file it is cut from, and how many characters it keeps */
  used: Map<FaceName, FaceUse>;
}

export interface FaceUse {
  url: string;
  font: string;
  chars: number;
}

const IGNORED = /[\s\u200b\u00ad]/u;

/** Always in every face (where the face has them): what a corrected figure may need. */
const FIGURE_CHARS =
  Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('') +
  '〇一二三四五六七八九十百千万亿元%‰℃·．，、。；：？！“”‘’（）《》—…～－＋×÷±≈≤≥−';

export function planFonts(texts: FaceText[]): FontPlan {
  const errors: InputError[] = [];
  const need = new Map<FaceName, Set<number>>();
  const reported = new Set<string>();
  for (const t of texts) {
    const face = FACES[t.face];
    const covers = coverage(face);
    let set = need.get(t.face);
    if (!set) need.set(t.face, (set = new Set()));
    for (let i = 0; i < t.text.length; i++) {
      const cp = t.text.codePointAt(i)!;
      if (cp > 0xffff) i++;
      if (set.has(cp)) continue;
      const ch = String.fromCodePoint(cp);
      if (IGNORED.test(ch)) continue;
      if (!covers(cp)) {
        const key = `${t.face}:${ch}`;
        if (!reported.has(key)) errors.push(msg.glyphMissing(t.place, ch, face.label));
        reported.add(key);
        continue;
      }
      set.add(cp);
    }
  }
  if (errors.length) throw inputErrors(errors);

  const files = new Map<string, SubsetJob>();
  const used = new Map<FaceName, FaceUse>();
  let css = '';
  for (const [name, set] of [...need].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const face = FACES[name];
    const covers = coverage(face);
    for (const ch of FIGURE_CHARS) if (covers(ch.codePointAt(0)!)) set.add(ch.codePointAt(0)!);
    const job: SubsetJob = { file: fontFile(face), chars: String.fromCodePoint(...[...set].sort((a, b) => a - b)) };
    // the url names the subset: a changed character set is a new file, never a stale one
    const url = `/fonts/${face.pkg.split('/').pop()}-${face.weight}-${subsetKey(job).slice(0, 12)}.ttf`;
    files.set(url, job);
    used.set(name, { url, font: `${face.pkg}/${face.ttf}`, chars: set.size });
    css +=
      `@font-face{font-family:'${face.family}';font-weight:${face.weight};font-style:normal;` +
      `font-display:block;src:url(${url}) format('truetype')}\n`;
  }
  return { files, css, used };
}
