/**
 * Reads the body text of a printed page back from the PDF (glyph origins from mutool) and
 * measures it against the rules of ../shared/guides/print-typography.md. Groundwork for the clreq
 * line-fitting issue; the tests assert what holds today.
 */
import { pdfChars, type PdfChar } from './helpers.js';
import { gridOf, PRESETS, type Grid } from '../src/layout/presets.js';

const MM = 72 / 25.4;
export const NO_START = new Set([...'、，。：；！？”’）》」』】·']);
export const NO_END = new Set([...'“‘（《「『【']);
const PUNCT = /[、，。：；！？”’）》」』】“‘（《「『【·]/;
const HAN = /[\u3400-\u9fff]/;

export interface BodyLine {
  column: number;
  y: number;
  chars: PdfChar[];
  text: string;
  full: boolean;
}

/** Body lines (body size only), grouped by column of the grid and baseline. */
export function bodyLines(pdf: string, grid: Grid = gridOf(PRESETS.broadsheet!), bodyPt = 9): BodyLine[] {
  const bleed = grid.preset.bleed;
  const colLeft = (c: number) => (bleed + grid.left + c * (grid.colW + grid.gutter)) * MM;
  const sized = pdfChars(pdf).filter((c) => Math.abs(c.size - bodyPt) < 0.05 && c.c.trim() !== '');
  // the body family: the one most characters of the body size are set in, any weight (a chart's
  // title is set at the body size in the sans, across columns: its characters are no body line)
  const family = (font: string) => font.replace(/-[^-]*$/, '');
  const count = new Map<string, number>();
  for (const c of sized) count.set(family(c.font), (count.get(family(c.font)) ?? 0) + 1);
  const body = [...count].sort((a, b) => b[1] - a[1])[0]?.[0];
  const chars = sized.filter((c) => family(c.font) === body);
  const lines = new Map<string, BodyLine>();
  for (const c of chars) {
    let col = -1;
    for (let k = 0; k < grid.preset.columns; k++)
      if (c.x >= colLeft(k) - 1 && c.x < colLeft(k) + grid.colW * MM) col = k;
    if (col < 0) continue;
    const key = `${col}|${Math.round(c.y * 4)}`;
    const l = lines.get(key) ?? { column: col, y: c.y, chars: [], text: '', full: false };
    l.chars.push(c);
    lines.set(key, l);
  }
  const em = bodyPt;
  for (const l of lines.values()) {
    l.chars.sort((a, b) => a.x - b.x);
    l.text = l.chars.map((c) => c.c).join('');
    const last = l.chars[l.chars.length - 1]!;
    const right = colLeft(l.column) + grid.colW * MM;
    // a full line reaches the right edge: its last glyph (1 em, or ½ em for a mark) ends there
    l.full = last.x + em * (PUNCT.test(last.c) ? 0.5 : 1) >= right - 0.2 * em;
  }
  return [...lines.values()].sort((a, b) => a.column - b.column || a.y - b.y);
}

export interface TypographyCounts {
  lines: number;
  forbiddenStarts: string[];
  forbiddenEnds: string[];
  splitDashes: number;
  allHanFull: number;
  looseAllHan: number;
  punctPairs: number;
  pairsCompressed: number;
}

export function measureTypography(lines: BodyLine[], em = 9): TypographyCounts {
  const out: TypographyCounts = {
    lines: lines.length,
    forbiddenStarts: [],
    forbiddenEnds: [],
    splitDashes: 0,
    allHanFull: 0,
    looseAllHan: 0,
    punctPairs: 0,
    pairsCompressed: 0,
  };
  for (const l of lines) {
    const first = l.text[0]!;
    const last = l.text[l.text.length - 1]!;
    if (NO_START.has(first)) out.forbiddenStarts.push(l.text);
    if (NO_END.has(last)) out.forbiddenEnds.push(l.text);
    if ((first === '—' && l.text[1] !== '—') || (first === '…' && l.text[1] !== '…')) out.splitDashes++;
    const allHan = [...l.text].every((c) => HAN.test(c) || PUNCT.test(c));
    if (allHan && l.full) {
      out.allHanFull++;
      // loose: two neighbouring Han characters set visibly further apart than 1 em (more than
      // 0.05 em: as much as a squeezed line may lose, the invisible range; a figure kept with its
      // unit can leave a neighbouring line 0.04 em loose)
      const gaps = l.chars.slice(1).map((c, i) => (HAN.test(l.chars[i]!.c) && HAN.test(c.c) ? c.x - l.chars[i]!.x : 0));
      if (gaps.some((g) => g > em * 1.05)) out.looseAllHan++;
    }
    for (let i = 0; i + 1 < l.chars.length; i++) {
      const a = l.chars[i]!;
      const b = l.chars[i + 1]!;
      if (PUNCT.test(a.c) && PUNCT.test(b.c)) {
        out.punctPairs++;
        const after = l.chars[i + 2];
        const span = after ? after.x - a.x : b.x + em * 0.5 - a.x; // at a line end the second is ½ em
        if (span <= em * 1.55) out.pairsCompressed++;
      }
    }
  }
  return out;
}
