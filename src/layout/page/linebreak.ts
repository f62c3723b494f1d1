/**
 * Chinese line fitting (pure): a paragraph's text → lines that fill the measure exactly, after
 * clreq: compress punctuation first (a full-width mark gives up to half its width), push a
 * character down second, loosen last. Runs in the page (fit.ts) and in Node
 * (tests; anything that needs to count lines): it uses neither the DOM nor Node.
 *
 * Widths are in em of the body face. Han characters and full-width marks are 1 em; runs of
 * Latin letters and digits are measured by the caller and never broken.
 */

export type Kind = 'han' | 'close' | 'open' | 'dash' | 'latin';

export interface Unit {
  kind: Kind;
  /** UTF-16 offsets in the paragraph's text */
  start: number;
  end: number;
  w: number;
}

export interface Line {
  /** unit indices: [from, to) */
  from: number;
  to: number;
  /** em taken from a mark (unit index → em): a closing mark's right half, an opening mark's left */
  comp: [number, number][];
  /** em added (positive) or taken (negative) between every two characters of the line (a Latin run counts as one) */
  spacing: number;
  /** em added on each side of a Latin run that meets Han text (loosening goes there first) */
  latinGap: number;
  last: boolean;
}

const LATIN = /[\u0021-\u024f\u00b7]/;
export const CLOSE = '、，。：；！？”’）》」』】';
export const OPEN = '“‘（《「『【';
/** the most a line may be squeezed (in total) to pull one more character in: invisible */
export const MAX_SQUEEZE = 0.5;

/**
 * `maxWidth`: a run of Latin letters or digits wider than this (a long URL) is cut into pieces
 * that fit, so nothing runs out of its column.
 */
/** `measureLatin(s, start)`: the width in em of the run `s` that starts at UTF-16 offset `start`. */
export function tokenize(
  text: string,
  measureLatin: (s: string, start: number) => number,
  maxWidth = Infinity,
): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if ((c === '—' || c === '…') && text[i + 1] === c) {
      units.push({ kind: 'dash', start: i, end: i + 2, w: 2 });
      i += 2;
    } else if (CLOSE.includes(c)) {
      units.push({ kind: 'close', start: i, end: i + 1, w: 1 });
      i++;
    } else if (OPEN.includes(c)) {
      units.push({ kind: 'open', start: i, end: i + 1, w: 1 });
      i++;
    } else if (LATIN.test(c)) {
      // a run of Latin letters and digits, with the single spaces between its words (the page
      // prints them: "New York", a URL with spaces around it)
      let j = i + 1;
      while (
        j < text.length &&
        ((LATIN.test(text[j]!) && !CLOSE.includes(text[j]!) && !OPEN.includes(text[j]!)) ||
          (text[j] === ' ' && LATIN.test(text[j + 1] ?? '') && !OPEN.includes(text[j + 1]!)))
      )
        j++;
      let from = i;
      while (from < j) {
        if (text[from] === ' ') {
          from++; // a piece of a cut run does not start with the space it was cut at
          continue;
        }
        let to = j;
        let w = measureLatin(text.slice(from, to), from);
        while (w > maxWidth && to - from > 1) w = measureLatin(text.slice(from, --to), from);
        units.push({ kind: 'latin', start: from, end: to, w });
        from = to;
      }
      i = j;
    } else if (/\s/.test(c)) {
      i++; // Chinese text joins without spaces; source line breaks are not printed
    } else {
      const cp = text.codePointAt(i)!;
      const n = cp > 0xffff ? 2 : 1;
      units.push({ kind: 'han', start: i, end: i + n, w: 1 });
      i += n;
    }
  }
  return units;
}

/**
 * A break after unit k (before k + 1) is allowed by the line-start and line-end rules, and
 * keeps a figure with its unit: never between a number and the character after it (647|亿元,
 * 85|分钟), never at a unit's slash (微克/立方米, km/h).
 */
export function canBreakAfter(units: Unit[], k: number, text?: string): boolean {
  const a = units[k]!;
  const b = units[k + 1];
  if (!b) return true;
  if (b.kind === 'close') return false; // no closing or pause mark at a line start
  if (a.kind === 'open') return false; // no opening mark at a line end
  if (text === undefined) return true;
  const last = text[a.end - 1]!;
  const next = text[b.start]!;
  if (last === '/' || next === '/') return false; // a unit with a slash is one unit
  if (a.kind === 'latin' && /[0-9]/.test(last) && b.kind === 'han') return false; // a figure and its unit
  if (next === '%' || next === '‰' || next === '℃') return false;
  return true;
}

/**
 * Whether unit k must give up half its width in the line [from, to): adjacent marks take
 * 1.5 em together; a closing mark at the line end is half width (its blank is past the edge).
 */
function mustCompress(units: Unit[], from: number, to: number, k: number): boolean {
  const u = units[k]!;
  if (u.kind === 'close') {
    if (k === to - 1) return true;
    const b = units[k + 1]!.kind;
    return b === 'close' || b === 'open';
  }
  return u.kind === 'open' && k > from && units[k - 1]!.kind === 'open';
}

/**
 * Places in units [from, to) where a Latin run meets a Han character, inside the line (not where
 * it meets a mark: a mark's own blank half is the space there, clreq).
 */
export function latinBoundaries(units: Unit[], from: number, to: number): number {
  let n = 0;
  for (let k = from; k < to; k++) {
    if (units[k]!.kind !== 'latin') continue;
    if (k > from && units[k - 1]!.kind === 'han') n++;
    if (k + 1 < to && units[k + 1]!.kind === 'han') n++;
  }
  return n;
}

/**
 * One line, units [from, to): the compression and spacing that make it exactly `avail` wide,
 * and what that costs: 0 for a line filled by compressing punctuation, a little for an
 * invisible squeeze (at most MAX_SQUEEZE), a lot for a loosened line. Undefined: impossible.
 * `comp`, if given, receives the compressed marks (unit index, em): required ones first, then
 * those taken to pull the line in. Allocates nothing else: the paragraph search calls it for
 * every candidate line.
 */
function fitLine(
  units: Unit[],
  from: number,
  to: number,
  avail: number,
  hanLatin: number,
  comp?: [number, number][],
): { cost: number; spacing: number; latinGap: number } | undefined {
  const last = to >= units.length;
  const meets = latinBoundaries(units, from, to);
  let natural = hanLatin * meets; // house style: a space where Latin meets Han, never at a line end
  let mustSum = 0;
  let chars = 0;
  for (let k = from; k < to; k++) {
    const u = units[k]!;
    natural += u.w;
    // a squeeze or loosening goes between characters, but not inside a Latin run or a number
    // (2.24 spaced out reads as four things): a run counts as one
    chars += u.kind === 'latin' ? 1 : u.end - u.start;
    if (mustCompress(units, from, to, k)) {
      mustSum += 0.5;
      comp?.push([k, 0.5]);
    }
  }
  let excess = natural - mustSum - avail; // > 0: too long; < 0: short
  let used = 0;
  if (excess > 1e-9) {
    // compress the optional marks, all by the same amount (JLREQ: an adjustment is spread evenly
    // over the places of one kind), each up to half its width
    let optional = 0;
    for (let k = from; k < to; k++) {
      const kind = units[k]!.kind;
      if ((kind === 'close' || kind === 'open') && !mustCompress(units, from, to, k)) optional++;
    }
    if (optional) {
      const take = Math.min(0.5, excess / optional);
      if (comp)
        for (let k = from; k < to; k++) {
          const kind = units[k]!.kind;
          if ((kind === 'close' || kind === 'open') && !mustCompress(units, from, to, k)) comp.push([k, take]);
        }
      excess -= take * optional;
      used += take * optional;
    }
  }
  const gaps = Math.max(1, chars - 1);
  let spacing = 0;
  let latinGap = meets ? hanLatin : 0;
  let cost = used * 0.01; // prefer natural widths when there is a choice
  if (excess > 1e-9) {
    if (excess > MAX_SQUEEZE + 1e-9 && to - from > 1) return undefined;
    spacing = -excess / gaps; // squeeze what compression could not take
    cost += 1 + excess * 10;
  } else if (excess < -1e-9 && !last) {
    // loosen: with a house space where Latin meets Han, first there (up to a quarter em more
    // each: JLREQ's order); without one, evenly between all characters (a gap beside digits in
    // one line and none in the next reads as uneven, issue 12)
    let slack = -excess;
    if (meets > 0 && hanLatin > 0) {
      const more = Math.min(0.25, slack / meets);
      latinGap += more;
      slack -= more * meets;
      cost += 0.5 + more;
    }
    if (slack > 1e-9) {
      spacing = slack / gaps;
      cost += 100 + slack * 100;
    }
  }
  if (last && isOrphan(units, from, to)) cost += 50; // avoided where other breaks allow
  return { cost, spacing, latinGap };
}

/** The line [from, to) as fitted by fitLine. */
function lineOf(units: Unit[], from: number, to: number, avail: number, hanLatin: number): Line {
  const comp: [number, number][] = [];
  const f = fitLine(units, from, to, avail, hanLatin, comp)!;
  return { from, to, comp, spacing: f.spacing, latinGap: f.latinGap, last: to >= units.length };
}

/** A paragraph's last line of one character, or one character and a mark (clreq: avoid). */
export function isOrphan(units: Unit[], from: number, to: number): boolean {
  const n = to - from;
  return from > 0 && (n === 1 || (n === 2 && units[from + 1]!.kind === 'close')) && units[from]!.kind !== 'latin';
}

/**
 * The breaks of a whole paragraph chosen together (dynamic programming over break points):
 * the sum of the lines' costs is least, so a loose line is avoided wherever breaking earlier
 * lines differently can avoid it.
 */
export function breakLines(
  units: Unit[],
  measure: number,
  firstIndent: number,
  hanLatin = 0,
  /** the paragraph's text (the units' offsets are in it): keeps figures with their units */
  text?: string,
): Line[] {
  const n = units.length;
  const cost = new Float64Array(n + 1).fill(Infinity);
  const prev = new Int32Array(n + 1).fill(-1);
  cost[0] = 0;
  const availFrom = (from: number) => measure - (from === 0 ? firstIndent : 0);
  let reached = 0; // the furthest break any line has reached so far
  for (let from = 0; from < n; from++) {
    if (cost[from] === Infinity) continue;
    const avail = availFrom(from);
    let natural = 0;
    let marks = 0; // only marks compress, by half an em at most
    for (let to = from + 1; to <= n; to++) {
      const u = units[to - 1]!;
      natural += u.w;
      if (u.kind === 'close' || u.kind === 'open') marks++;
      if (natural - 0.5 * marks - MAX_SQUEEZE > avail && to - from > 1) break; // cannot fit even fully compressed
      if (!canBreakAfter(units, to - 1, text)) continue;
      const f = fitLine(units, from, to, avail, hanLatin);
      if (!f) continue;
      const c = cost[from]! + f.cost;
      if (c < cost[to]!) {
        cost[to] = c;
        prev[to] = from;
      }
      reached = Math.max(reached, to);
    }
    if (reached <= from) {
      // nothing legal fits (a unit wider than the line): let the next unit stand alone
      cost[from + 1] = cost[from]! + 1000;
      prev[from + 1] = from;
      reached = from + 1;
    }
  }
  // the lines themselves, built for the chosen breaks only
  const lines: Line[] = [];
  for (let at = n; at > 0; at = prev[at]!) lines.unshift(lineOf(units, prev[at]!, at, availFrom(prev[at]!), hanLatin));
  return lines;
}
