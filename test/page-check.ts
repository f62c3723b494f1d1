/**
 * The printed page checked as a whole, read back from the PDF: every glyph (mutool's stext, with
 * its box and font) against the frame boxes of layout.yaml (computed here from the grid's
 * arithmetic, not by the code under test; copy-fit applied from report.json), glyphs printed
 * over glyphs, line starts and ends, spacing within a line, units printed twice, decimals lost,
 * sentences missing. Used by test/corpus.test.ts for what holds today and by test/inspect.ts,
 * which lists every finding of a built edition with its measurements.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { decodeXml, pdftext, run, squash } from './helpers.js';

const PT = 25.4 / 72; // mm per pt

/** Page presets by hand (README "edition.yaml": preset), in mm and pt. */
export const GRIDS = {
  broadsheet: {
    trimW: 390,
    trimH: 545,
    bleed: 3,
    columns: 8,
    chars: 13,
    bodyPt: 9,
    pitchPt: 13.5,
    gutter: 4.5,
    top: 17,
    bottom: 15,
  },
  a4: {
    trimW: 210,
    trimH: 297,
    bleed: 3,
    columns: 3,
    chars: 17,
    bodyPt: 10,
    pitchPt: 16,
    gutter: 5,
    top: 18,
    bottom: 15,
  },
} as const;
export type PresetName = keyof typeof GRIDS;

export interface HandGrid {
  preset: PresetName;
  colW: number;
  gutter: number;
  left: number;
  top: number;
  pitch: number;
  lines: number;
  bleed: number;
  bodyMm: number;
}

/** Body sizes by name (README: house.bodySize), in pt. */
const HAO: Record<string, number> = { 五号: 10.5, 小五: 9, 六号: 7.5 };

/**
 * The grid of a preset; another body size keeps the column's width in whole characters (as
 * many as fit the preset's measure) and the pitch in proportion (README: house.bodySize).
 */
export function handGrid(preset: PresetName, bodySize?: string | number): HandGrid {
  const p = GRIDS[preset];
  const bodyPt = bodySize === undefined ? p.bodyPt : typeof bodySize === 'number' ? bodySize : HAO[bodySize]!;
  const g = {
    ...p,
    bodyPt,
    pitchPt: (p.pitchPt / p.bodyPt) * bodyPt,
    chars: Math.floor((p.chars * p.bodyPt) / bodyPt + 1e-9),
  };
  const bodyMm = g.bodyPt * PT;
  const colW = g.chars * bodyMm;
  const width = g.columns * colW + (g.columns - 1) * g.gutter;
  const pitch = g.pitchPt * PT;
  return {
    preset,
    colW,
    gutter: g.gutter,
    left: (g.trimW - width) / 2,
    top: g.top,
    pitch,
    lines: Math.floor((g.trimH - g.top - g.bottom) / pitch),
    bleed: g.bleed,
    bodyMm,
  };
}

/** The grid of an edition, from its edition.yaml (preset and house body size). */
export function editionGrid(editionDir: string): HandGrid {
  const ed = loadYaml(readFileSync(path.join(editionDir, 'edition.yaml'), 'utf8')) as {
    preset: PresetName;
    house?: { bodySize?: string | number };
  };
  return handGrid(ed.preset, ed.house?.bodySize);
}

interface FrameDef {
  id: string;
  kind: string;
  columns: [number, number];
  top: number;
  lines: number;
  chain?: string;
  ref?: string;
  style?: string;
}

export interface FrameBox {
  id: string;
  kind: string;
  chain?: string;
  lead?: boolean;
  /** mm, trim coordinates */
  x: number;
  y: number;
  w: number;
  h: number;
}

interface ReportLike {
  chains: { id: string; copyFit?: { frame: string; fromLines: number; toLines: number } }[];
}

/**
 * Every frame's box on the page, text frames one box per column (a line may not run into the
 * gutter), with copy-fit's changes from the report: the flexible frame's new height, the text
 * frames directly below it moved and shortened by as much.
 */
export function frameBoxes(editionDir: string, report: ReportLike): FrameBox[] {
  const g = editionGrid(editionDir);
  const defs = (
    loadYaml(readFileSync(path.join(editionDir, 'layout.yaml'), 'utf8')) as { frames: FrameDef[] }
  ).frames.map((d) => ({ ...d }));
  for (const c of report.chains) {
    if (!c.copyFit) continue;
    const f = defs.find((d) => d.id === c.copyFit!.frame)!;
    const d = c.copyFit.toLines - c.copyFit.fromLines;
    for (const t of defs)
      if (
        t.kind === 'text' &&
        t.top === f.top + f.lines &&
        t.columns[0] >= f.columns[0] &&
        t.columns[1] <= f.columns[1]
      ) {
        t.top += d;
        t.lines -= d;
      }
    f.lines += d;
  }
  const box = (c1: number, c2: number, top: number, lines: number) => ({
    x: g.left + (c1 - 1) * (g.colW + g.gutter),
    y: g.top + top * g.pitch,
    w: (c2 - c1 + 1) * g.colW + (c2 - c1) * g.gutter,
    h: lines * g.pitch,
  });
  const out: FrameBox[] = [];
  for (const d of defs) {
    const base = { kind: d.kind, ...(d.chain ? { chain: d.chain } : {}) };
    if (d.kind === 'text' && d.style !== 'lead' && d.columns[1] > d.columns[0]) {
      for (let c = d.columns[0]; c <= d.columns[1]; c++)
        out.push({ id: `${d.id}.${c - d.columns[0] + 1}`, ...base, ...box(c, c, d.top, d.lines) });
    } else
      out.push({
        id: d.id,
        ...base,
        ...(d.style === 'lead' ? { lead: true } : {}),
        ...box(d.columns[0], d.columns[1], d.top, d.lines),
      });
  }
  return out;
}

export interface Glyph {
  c: string;
  font: string;
  /** pt */
  size: number;
  /** origin and advance box in mm, trim coordinates; y0..y1 is the em box (0.88 above, 0.12 below the baseline) */
  ox: number;
  oy: number;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Every glyph of page 1 from mutool's stext, in trim millimetres. */
export function pdfGlyphs(pdf: string, bleed: number): Glyph[] {
  const xml = run('mutool', ['draw', '-F', 'stext', '-o', '-', pdf, '1']);
  const out: Glyph[] = [];
  let font = '';
  let size = 0;
  const re =
    /<font name="([^"]*)" size="([\d.]+)"|<char quad="([\d. -]+)" x="([\d.-]+)" y="([\d.-]+)"[^>]*c="([^"]*)"/g;
  for (const m of xml.matchAll(re)) {
    if (m[1] !== undefined) {
      font = m[1];
      size = Number(m[2]);
      continue;
    }
    const q = m[3]!.trim().split(/\s+/).map(Number);
    const c = decodeXml(m[6]!);
    const ox = Number(m[4]) * PT - bleed;
    const oy = Number(m[5]) * PT - bleed;
    const em = size * PT;
    // a turned glyph (a chart's y-axis title, read bottom to top): its advance runs down the
    // page, and across it the em box is 1 em about the quad's middle, as the page check takes it
    // (the quad's other side is the font's ascent to descent, about 1.45 em)
    const turned = Math.abs(q[3]! - q[1]!) > Math.abs(q[2]! - q[0]!);
    if (turned) {
      const xs = [q[0]!, q[2]!, q[4]!, q[6]!].map((v) => v * PT - bleed);
      const ys = [q[1]!, q[3]!, q[5]!, q[7]!].map((v) => v * PT - bleed);
      const mid = (Math.min(...xs) + Math.max(...xs)) / 2;
      out.push({ c, font, size, ox, oy, x0: mid - em / 2, x1: mid + em / 2, y0: Math.min(...ys), y1: Math.max(...ys) });
      continue;
    }
    out.push({
      c,
      font,
      size,
      ox,
      oy,
      x0: Math.min(q[0]!, q[4]!) * PT - bleed,
      x1: Math.max(q[2]!, q[6]!) * PT - bleed,
      y0: oy - 0.88 * em,
      y1: oy + 0.12 * em,
    });
  }
  return out;
}

const CLOSING = /[、，。：；！？”’）》」』】]/;
const OPENING = /[“‘（《「『【]/;

/**
 * The part of a glyph's box that holds ink: a full-width mark of the mainland style fills only
 * its left half (closing marks) or its right half (opening marks); a compressed mark keeps its
 * full advance in the PDF, so its blank half may lie past the frame without any ink there.
 */
export function inkBox(g: Glyph): { x0: number; x1: number } {
  const half = (g.size * PT) / 2;
  if (CLOSING.test(g.c)) return { x0: g.x0, x1: Math.min(g.x1, g.x0 + half) };
  if (OPENING.test(g.c)) return { x0: Math.max(g.x0, g.x1 - half), x1: g.x1 };
  return { x0: g.x0, x1: g.x1 };
}

const inside = (g: Glyph, f: FrameBox, tol = 0) => {
  const { x0, x1 } = inkBox(g);
  const cx = (x0 + x1) / 2;
  const cy = (g.y0 + g.y1) / 2;
  return cx >= f.x - tol && cx <= f.x + f.w + tol && cy >= f.y - tol && cy <= f.y + f.h + tol;
};

export interface PastFrame {
  frame: string;
  /** the glyphs past the edge */
  text: string;
  /** the whole line they are in (the glyphs on that baseline in the frame's reach) */
  line: string;
  /** how far the glyphs reach past the frame's box, mm, by side */
  right: number;
  left: number;
  top: number;
  bottom: number;
}

/**
 * Glyphs past their frame: a glyph whose centre lies in a frame but whose box crosses its edge
 * (more than `tol` mm), or whose centre lies in no frame at all (outside the folio above the
 * grid), grouped by frame and baseline.
 */
export function glyphsPastFrames(glyphs: Glyph[], frames: FrameBox[], gridTop: number, tol = 0.1): PastFrame[] {
  const groups = new Map<string, PastFrame>();
  for (const g of glyphs) {
    if (!g.c.trim()) continue;
    if (g.y1 < gridTop) continue; // the folio, in the top margin
    let f = frames.find((x) => inside(g, x));
    let where = f?.id;
    if (!f) {
      // nearest frame by distance from the glyph's centre
      const ink = inkBox(g);
      const cx = (ink.x0 + ink.x1) / 2;
      const cy = (g.y0 + g.y1) / 2;
      const dist = (x: FrameBox) =>
        Math.hypot(Math.max(x.x - cx, 0, cx - x.x - x.w), Math.max(x.y - cy, 0, cy - x.y - x.h));
      f = [...frames].sort((a, b) => dist(a) - dist(b))[0];
      if (!f) continue;
      where = `${f.id} (outside every frame)`;
    }
    const ink = inkBox(g);
    const right = ink.x1 - (f.x + f.w);
    const left = f.x - ink.x0;
    const top = f.y - g.y0;
    const bottom = g.y1 - (f.y + f.h);
    if (Math.max(right, left, top, bottom) <= tol) continue;
    const key = `${where}|${Math.round(g.oy * 4)}`;
    const e = groups.get(key) ?? { frame: where!, text: '', line: '', right: 0, left: 0, top: 0, bottom: 0 };
    e.text += g.c;
    e.right = Math.max(e.right, right);
    e.left = Math.max(e.left, left);
    e.top = Math.max(e.top, top);
    e.bottom = Math.max(e.bottom, bottom);
    groups.set(key, e);
  }
  for (const [key, e] of groups) {
    const y = Number(key.split('|')[1]) / 4;
    const f = frames.find((x) => x.id === e.frame.split(' ')[0]);
    e.line = glyphs
      .filter((g) => Math.round(g.oy * 4) / 4 === y && f && g.x1 > f.x - 2 && g.x0 < f.x + f.w + 2)
      .sort((a, b) => a.x0 - b.x0)
      .map((g) => g.c)
      .join('');
  }
  return [...groups.values()];
}

export interface Overlap {
  a: string;
  b: string;
  /** overlapping area as a share of the smaller glyph's em box */
  share: number;
  at: { x: number; y: number };
}

/** Glyphs printed over other glyphs of another line (em boxes overlapping by more than `min`). */
export function overlaps(glyphs: Glyph[], min = 0.25): Overlap[] {
  const gs = glyphs.filter((g) => g.c.trim());
  const cell = 5; // mm
  const buckets = new Map<string, number[]>();
  gs.forEach((g, i) => {
    for (let x = Math.floor(g.x0 / cell); x <= Math.floor(g.x1 / cell); x++)
      for (let y = Math.floor(g.y0 / cell); y <= Math.floor(g.y1 / cell); y++) {
        const k = `${x},${y}`;
        const b = buckets.get(k) ?? [];
        b.push(i);
        buckets.set(k, b);
      }
  });
  const seen = new Set<string>();
  const out: Overlap[] = [];
  for (const b of buckets.values())
    for (let p = 0; p < b.length; p++)
      for (let q = p + 1; q < b.length; q++) {
        const [i, j] = [b[p]!, b[q]!];
        const key = `${i},${j}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const A = gs[i]!;
        const B = gs[j]!;
        if (Math.abs(A.oy - B.oy) < 0.05) continue; // the same line: compression is measured elsewhere
        const w = Math.min(A.x1, B.x1) - Math.max(A.x0, B.x0);
        const h = Math.min(A.y1, B.y1) - Math.max(A.y0, B.y0);
        if (w <= 0 || h <= 0) continue;
        const area = (g: Glyph) => (g.x1 - g.x0) * (g.y1 - g.y0);
        const share = (w * h) / Math.min(area(A), area(B));
        if (share > min) out.push({ a: A.c, b: B.c, share, at: { x: A.ox, y: A.oy } });
      }
  return out;
}

export interface PrintedLine {
  frame: string;
  y: number;
  glyphs: Glyph[];
  text: string;
}

/** The lines of text frames (body and lead): glyphs of one frame and one baseline, in text order. */
export function textLines(glyphs: Glyph[], frames: FrameBox[]): PrintedLine[] {
  const lines = new Map<string, PrintedLine>();
  for (const g of glyphs) {
    if (!g.c.trim()) continue;
    const f = frames.find((x) => x.kind === 'text' && inside(g, x, 0.5));
    if (!f) continue;
    const key = `${f.id}|${Math.round(g.oy * 4)}`;
    const l = lines.get(key) ?? { frame: f.id, y: g.oy, glyphs: [], text: '' };
    l.glyphs.push(g);
    lines.set(key, l);
  }
  // in the PDF's order, which is the text's (a compressed pair such as ，“ may set the opener
  // to the left of the comma's box: sorting by position would swap them)
  for (const l of lines.values()) l.text = l.glyphs.map((g) => g.c).join('');
  return [...lines.values()].sort((a, b) => a.frame.localeCompare(b.frame) || a.y - b.y);
}

export const NO_START = new Set([...'、，。：；！？”’）》」』】·/%']);
export const NO_END = new Set([...'“‘（《「『【/']);
const MARK = /[、，。：；！？”’）》」』】“‘（《「『【·]/;
const HAN = /[\u3400-\u9fff]/;
const LATIN = /[A-Za-z0-9.%&]/;

/** Lines that start with a mark no line may start with (or a unit's slash, a percent sign), or end with an opener. */
export function forbiddenEdges(lines: PrintedLine[]): { frame: string; text: string; where: 'start' | 'end' }[] {
  const out: { frame: string; text: string; where: 'start' | 'end' }[] = [];
  for (const l of lines) {
    if (NO_START.has(l.text[0]!)) out.push({ frame: l.frame, text: l.text, where: 'start' });
    if (NO_END.has(l.text[l.text.length - 1]!)) out.push({ frame: l.frame, text: l.text, where: 'end' });
  }
  return out;
}

export interface UnevenLine {
  frame: string;
  text: string;
  /** the same kind of spacing set two ways in the line (not only closing beside opening marks) */
  strong: boolean;
  /** what differs within the line, in em */
  detail: string;
}

/**
 * Uneven spacing within one line: Han–Latin boundaries with different gaps, or single marks in
 * mid-line some compressed to half width and others not.
 */
export function unevenLines(lines: PrintedLine[]): UnevenLine[] {
  const out: UnevenLine[] = [];
  for (const l of lines) {
    const gs = l.glyphs;
    if (gs.length < 3) continue;
    const em = gs[0]!.size * PT;
    const pitch = (i: number) => (gs[i + 1]!.x0 - gs[i]!.x0) / em;
    const adv = (i: number) => (gs[i]!.x1 - gs[i]!.x0) / em;
    const hanHan: number[] = [];
    for (let i = 0; i + 1 < gs.length; i++)
      if (HAN.test(gs[i]!.c) && HAN.test(gs[i + 1]!.c)) hanHan.push(pitch(i) - adv(i));
    const spacing = hanHan.length ? hanHan.sort((a, b) => a - b)[hanHan.length >> 1]! : 0;
    const boundaries: { at: string; gap: number }[] = [];
    for (let i = 0; i + 1 < gs.length; i++) {
      const a = gs[i]!.c;
      const b = gs[i + 1]!.c;
      const crossing = (HAN.test(a) && LATIN.test(b)) || (LATIN.test(a) && HAN.test(b));
      if (crossing) boundaries.push({ at: a + b, gap: pitch(i) - adv(i) - spacing });
    }
    const details: string[] = [];
    if (boundaries.length > 1) {
      const gaps = boundaries.map((b) => b.gap);
      if (Math.max(...gaps) - Math.min(...gaps) > 0.08)
        details.push(`Han–Latin gaps ${boundaries.map((b) => `${b.at} ${b.gap.toFixed(2)}`).join(', ')}`);
    }
    // single marks in mid-line (not in a pair, not at the line's end): the same kind (closing,
    // or opening) compressed in one place and full in another is uneven; kinds mixed is noted
    const single: { c: string; w: number; open: boolean }[] = [];
    for (let i = 1; i + 1 < gs.length; i++) {
      if (!MARK.test(gs[i]!.c) || MARK.test(gs[i - 1]!.c) || MARK.test(gs[i + 1]!.c)) continue;
      // the room the mark takes between its neighbours' advances (an opening mark is compressed
      // by moving it left into its blank half: its own pitch to the next glyph stays 1 em)
      const room = (gs[i + 1]!.x0 - gs[i - 1]!.x1) / em - 2 * spacing;
      single.push({ c: gs[i]!.c, w: room, open: OPENING.test(gs[i]!.c) });
    }
    const show = (xs: { c: string; w: number }[]) => xs.map((x) => `${x.c}${x.w.toFixed(2)}`).join(' ');
    for (const open of [false, true]) {
      const kind = single.filter((x) => x.open === open);
      const half = kind.filter((x) => x.w < 0.75);
      const full = kind.filter((x) => x.w >= 0.9);
      if (half.length && full.length)
        details.push(`${open ? 'opening' : 'closing'} marks compressed ${show(half)} beside full ${show(full)}`);
    }
    if (!details.length) {
      const half = single.filter((x) => x.w < 0.75);
      const full = single.filter((x) => x.w >= 0.9);
      if (half.length && full.length) details.push(`(mixed kinds) compressed ${show(half)} beside full ${show(full)}`);
    }
    if (details.length)
      out.push({ frame: l.frame, text: l.text, detail: details.join('; '), strong: !details[0]!.startsWith('(mixed') });
  }
  return out;
}

/** Fonts in the PDF (subset prefix removed). */
export function pdfFontNames(pdf: string): string[] {
  return run('pdffonts', [pdf])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim())
    .map((l) =>
      l
        .trim()
        .split(/\s+/)[0]!
        .replace(/^[A-Z]{6}\+/, ''),
    );
}

export const PLANNED_FONTS = [
  'NotoSansSC-Black',
  'NotoSansSC-Bold',
  'NotoSansSC-Regular',
  'NotoSerifSC-Black',
  'NotoSerifSC-Bold',
  'NotoSerifSC-Regular',
];

/** Sentences of a text (ending in 。！？ and any closing marks), without white space. */
export function sentences(text: string): string[] {
  return squash(text).match(/[^。！？]+[。！？]*[”’」』）]*/g) ?? [];
}

/** Which of `wanted` are not in the PDF's text (white space ignored), in order or not. */
export function missingFrom(pdf: string, wanted: string[]): string[] {
  const text = squash(pdftext(pdf, '-raw'));
  return wanted.filter((s) => s && !text.includes(squash(s)));
}

/**
 * Figures written in figures.yaml with decimals (647.0, 4.90) and printed as numbers (no
 * `display`, no `decimals`, no `scale`): the literal as written, which the page should print.
 */
export function writtenDecimals(editionDir: string): { name: string; written: string }[] {
  const text = readFileSync(path.join(editionDir, 'figures.yaml'), 'utf8');
  const defs = loadYaml(text) as Record<string, { display?: string; decimals?: number; scale?: string }>;
  const out: { name: string; written: string }[] = [];
  let name = '';
  for (const line of text.split('\n')) {
    const head = /^([a-z][a-z0-9_]*):/.exec(line);
    if (head) name = head[1]!;
    const v = /value:\s*(-?\d+\.\d+)\b/.exec(line);
    const d = defs[name];
    if (v && d && d.display === undefined && d.decimals === undefined && d.scale === undefined)
      out.push({ name, written: v[1]! });
  }
  return out;
}

/** Lines where Han meets a Latin letter or digit with a gap (em), for a house style of none. */
export function hanLatinGaps(lines: PrintedLine[], min = 0.1): { frame: string; text: string; gaps: number[] }[] {
  const out: { frame: string; text: string; gaps: number[] }[] = [];
  for (const l of lines) {
    const gs = l.glyphs;
    const em = (gs[0]?.size ?? 9) * PT;
    const gaps: number[] = [];
    for (let i = 0; i + 1 < gs.length; i++) {
      const [a, b] = [gs[i]!.c, gs[i + 1]!.c];
      if ((HAN.test(a) && LATIN.test(b)) || (LATIN.test(a) && HAN.test(b))) {
        const gap = (gs[i + 1]!.x0 - gs[i]!.x1) / em;
        if (gap >= min) gaps.push(Math.round(gap * 100) / 100);
      }
    }
    if (gaps.length) out.push({ frame: l.frame, text: l.text, gaps });
  }
  return out;
}
