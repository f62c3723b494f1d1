/**
 * A section head broken into lines as an editor breaks it (pure but for the font files text is
 * measured with): on one line when it fits; else at phrase boundaries (after ：，、；。！？ and a
 * closing mark, before an opening one, at a space), on as few lines as the phrases allow, with
 * lines as even as they can be (no "修/岸一起上", no "水上/有人" unless nothing better exists).
 * A phrase longer than the line is broken between its characters (a closing mark kept with the
 * character before it, a Latin word or number whole when it fits), so nothing runs past the
 * column. The compose stage prints the lines as chosen here (one block each) and the composer
 * counts them, so page and prediction agree.
 */
import { charEm } from '../fonts/widths.js';
import type { FaceName } from '../fonts/faces.js';

const CLOSE = /[：，、；。！？）》」』】”’]/u;
const OPEN = /[（《「『【“‘]/u;
const LATIN = /[0-9A-Za-z.%]/;

interface Unit {
  /** offsets in the text (UTF-16), the unit's characters */
  from: number;
  to: number;
  em: number;
  /** a space after it (printed only inside a line) */
  spaceEm: number;
  /** how many characters */
  chars: number;
  /** what a break after it costs: 0 after ：，、；。！？ or at a space, more elsewhere */
  breakCost: number;
}

const STRONG = /[：，、；。！？]$/u;
/** a break before an opening mark or after a closing one (inside a clause) */
const WEAK_BREAK = 25;
/** a break between the characters of a phrase longer than the line */
const INNER_BREAK = 100;

/** Characters with their offsets. */
function charsOf(text: string): { ch: string; at: number }[] {
  const out: { ch: string; at: number }[] = [];
  let at = 0;
  for (const ch of text) {
    out.push({ ch, at });
    at += ch.length;
  }
  return out;
}

/** The text in units: phrases, and a phrase too long for the line in its characters. */
function units(text: string, measure: number, face: FaceName): Unit[] {
  const cs = charsOf(text);
  const phrases: { ch: string; at: number }[][] = [];
  let cur: { ch: string; at: number }[] = [];
  const end = () => {
    if (cur.length) phrases.push(cur);
    cur = [];
  };
  cs.forEach((c, i) => {
    if (/\s/.test(c.ch)) {
      end();
      return;
    }
    if (OPEN.test(c.ch) && cur.length && !cur.every((x) => OPEN.test(x.ch))) end();
    cur.push(c);
    const next = cs[i + 1]?.ch ?? '';
    if (CLOSE.test(c.ch) && !CLOSE.test(next)) end();
  });
  end();
  const out: Unit[] = [];
  const em = (xs: { ch: string }[]) => xs.reduce((n, x) => n + charEm(face, x.ch), 0);
  for (const p of phrases) {
    const last = p[p.length - 1]!;
    const to = last.at + last.ch.length;
    const space = /\s/.test(text.slice(to, to + 1)) ? charEm(face, ' ') : 0;
    const chars = p.map((x) => x.ch).join('');
    const breakCost = space || STRONG.test(chars) ? 0 : WEAK_BREAK;
    if (em(p) <= measure + 1e-9) {
      out.push({ from: p[0]!.at, to, em: em(p), spaceEm: space, chars: p.length, breakCost });
      continue;
    }
    // too long for a line: its characters, closing marks kept with the one before, Latin runs whole
    const pieces: { ch: string; at: number }[][] = [];
    for (const c of p) {
      const prev = pieces[pieces.length - 1];
      const prevCh = prev?.[prev.length - 1]?.ch ?? '';
      const join =
        prev &&
        (CLOSE.test(c.ch) ||
          OPEN.test(prevCh) ||
          (LATIN.test(c.ch) && LATIN.test(prevCh) && em([...prev, c]) <= measure + 1e-9));
      if (join) prev.push(c);
      else pieces.push([c]);
    }
    pieces.forEach((x, i) => {
      const l = x[x.length - 1]!;
      const t = l.at + l.ch.length;
      const last = i === pieces.length - 1;
      out.push({
        from: x[0]!.at,
        to: t,
        em: em(x),
        spaceEm: last ? space : 0,
        chars: x.length,
        breakCost: last ? breakCost : INNER_BREAK,
      });
    });
  }
  return out;
}

/**
 * The lines of a head `measure` em wide (em of its own size), as [from, to) offsets in `text`
 * (white space at a break is not printed).
 */
export function headLines(text: string, measure: number, face: FaceName): [number, number][] {
  const t = text.trim();
  const us = units(t, measure, face);
  const base = text.indexOf(t);
  const n = us.length;
  if (!n) return [];
  // width of units i..j-1 on one line
  const width = (i: number, j: number) => {
    let w = 0;
    for (let k = i; k < j; k++) w += us[k]!.em + (k < j - 1 ? us[k]!.spaceEm : 0);
    return w;
  };
  const lineCost = (i: number, j: number) => {
    const w = width(i, j);
    if (w > measure + 1e-9 && j - i > 1) return Infinity;
    const chars = us.slice(i, j).reduce((c, u) => c + u.chars, 0);
    const slack = Math.max(0, measure - w);
    const brk = j < n ? us[j - 1]!.breakCost : 0;
    // a line of one character (or one and its mark) costs more than any unevenness
    const alone = chars <= 1 || (chars === 2 && CLOSE.test(t.slice(us[j - 1]!.to - 1, us[j - 1]!.to)));
    return slack * slack + brk + (alone ? 1e6 : 0);
  };
  // fewest lines first, then the most even: best[k][i] = cost of units i.. on k lines
  for (let lines = 1; lines <= n; lines++) {
    const best: number[][] = Array.from({ length: lines + 1 }, () => new Array<number>(n + 1).fill(Infinity));
    const cut: number[][] = Array.from({ length: lines + 1 }, () => new Array<number>(n + 1).fill(-1));
    best[0]![n] = 0;
    for (let k = 1; k <= lines; k++)
      for (let i = n - 1; i >= 0; i--)
        for (let j = i + 1; j <= n; j++) {
          const rest = best[k - 1]![j]!;
          if (rest === Infinity) continue;
          const c = lineCost(i, j) + rest;
          if (c < best[k]![i]!) {
            best[k]![i] = c;
            cut[k]![i] = j;
          }
        }
    if (best[lines]![0] === Infinity) continue;
    const out: [number, number][] = [];
    let i = 0;
    for (let k = lines; k > 0; k--) {
      const j = cut[k]![i]!;
      out.push([base + us[i]!.from, base + us[j - 1]!.to]);
      i = j;
    }
    return out;
  }
  return [[base, base + t.length]];
}
