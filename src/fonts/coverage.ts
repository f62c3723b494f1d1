/**
 * Glyph coverage: every character printed in a face must be in one of that face's files. The
 * files a page needs are the ones covering its characters; only those are loaded.
 */
import path from 'node:path';
import { InputError, InputErrors, msg, type Place } from '../messages.js';
import { FACES, fileFor, fontFiles, type FaceName } from './faces.js';

/** Text set in a face, with where it comes from (for messages). */
export interface FaceText { face: FaceName; text: string; place: Place }

export interface FontPlan {
  /** url path → absolute file */
  files: Map<string, string>;
  css: string;
  /** face → the files it uses, in declaration order */
  used: Map<FaceName, string[]>;
}

const IGNORED = /[\s\u200b\u00ad]/u;

export function planFonts(texts: FaceText[]): FontPlan {
  const errors: InputError[] = [];
  const need = new Map<FaceName, Set<string>>();
  const reported = new Set<string>();
  for (const t of texts) {
    const face = FACES[t.face];
    const set = need.get(t.face) ?? new Set<string>();
    need.set(t.face, set);
    for (const ch of t.text) {
      if (IGNORED.test(ch)) continue;
      const f = fileFor(face, ch.codePointAt(0)!);
      if (!f) {
        const key = `${t.face}:${ch}`;
        if (!reported.has(key)) errors.push(msg.glyphMissing(t.place, ch, face.label));
        reported.add(key);
        continue;
      }
      set.add(f.file);
    }
  }
  if (errors.length) throw errors.length === 1 ? errors[0]! : new InputErrors(errors);

  const files = new Map<string, string>();
  const used = new Map<FaceName, string[]>();
  let css = '';
  for (const [name, set] of need) {
    const face = FACES[name];
    // keep @fontsource's declaration order: it decides which file wins where ranges overlap
    const ordered = fontFiles(face).filter((f) => set.has(f.file));
    used.set(name, ordered.map((f) => path.basename(f.file)));
    for (const f of ordered) {
      const url = `/fonts/${path.basename(f.file)}`;
      files.set(url, f.file);
      const spans: string[] = [];
      for (let k = 0; k < f.ranges.length; k += 2) {
        const [a, b] = [f.ranges[k]!, f.ranges[k + 1]!];
        spans.push(a === b ? `U+${hex(a)}` : `U+${hex(a)}-${hex(b)}`);
      }
      const range = spans.join(',');
      css += `@font-face{font-family:'${face.family}';font-weight:${face.weight};font-style:normal;font-display:block;src:url(${url}) format('woff2');unicode-range:${range}}\n`;
    }
  }
  return { files, css, used };
}

function hex(n: number): string {
  return n.toString(16);
}
