/**
 * What a page is composed of, measured (pure but for the font file the measurer reads): the
 * story's chains with their role and their length in body lines, each photo, chart and fact box
 * with the heights it may take at each width (and what each costs), the section each visual goes
 * with, and the headline band.
 */
import type { Bound, BoundChain, Segment } from '../bind/figures.js';
import { captionLines, coverPpi, headlineSet, inlineHeadLines } from '../compose/compose.js';
import { headlineLinesFor } from '../compose/headline.js';
import type { Edition } from '../load/edition.js';
import { PT, type Grid } from '../layout/presets.js';
import { measure as chartTextWidth } from '../charts/metrics.js';
import { PPI_MIN, PPI_WANTED } from '../check/report.js';
import { columnMeasure, leadMeasure, Measurer, type House } from './measure.js';
import type { Block } from './thread.js';
import { WEIGHTS } from './rules.js';

export const HEAD_LINES = 3;
/** a section head is set at most this size, and refused below the smallest */
export const HEAD_PT = 15;
export const HEAD_MIN_PT = 10.5;
/** a lead of more characters than this is set as body text */
export const LEAD_MAX_CHARS = 600;

export type Role = 'lead' | 'section' | 'closing';

export interface ChainInfo {
  id: string;
  role: Role;
  /** the section head, set in a head frame over the section's columns */
  head?: string;
  /** paragraphs' text, figures bound */
  paras: string[];
  chars: number;
  /** the chain as the page threads it at the column measure: paragraphs, and heads set in the text */
  blocks: Block[];
  /** body lines at the column measure */
  lines: number;
  /** set as a lead (larger type, one frame across its columns) */
  leadStyle: boolean;
  /** lead lines at a width of `cols` columns (lead style only) */
  leadLines?: (cols: number) => number;
}

/** One height a visual may take at a width, in body lines (captions and titles included). */
export interface SizeOption {
  lines: number;
  cost: number;
  /** share of the grid's area the picture or chart takes */
  share: number;
}

export interface VisualInfo {
  id: string;
  kind: 'photo' | 'chart' | 'factbox';
  /** 1: the lead picture; photos only */
  priority: number;
  /** the editor ranked the photos (else only the lead picture is ranked, by the order of edition.yaml) */
  ranked: boolean;
  lead: boolean;
  /** the chain it goes with; undefined: the page's first module */
  home?: string;
  /** how the home was found */
  homeBy: 'editor' | 'figures' | 'caption' | 'lead picture' | 'page';
  minCols: number;
  maxCols: number;
  /** heights it may take at each width (index: columns); empty where it cannot be that wide */
  options: SizeOption[][];
  /** natural height at each width (body lines) */
  natural: number[];
}

export interface Elements {
  grid: Grid;
  chains: ChainInfo[];
  visuals: VisualInfo[];
  /** the banner and headline band: lines each (0: none) */
  bannerLines: number;
  headlineLines: number;
  /** the room the text leaves for pictures against the sample page's (at least 1) */
  scale: number;
  house: House;
  measurer: Measurer;
  /**
   * 0: the sizes that read best, chains fit exactly; 1: sizes relaxed because nothing fit; 2: also
   * chains that end a few lines short (each empty line costs WEIGHTS.underset)
   */
  relax: 0 | 1 | 2;
}

const flat = (segs: Segment[] | undefined) => (segs ?? []).map((s) => s.s).join('');

export function widthMm(g: Grid, cols: number): number {
  return cols * g.colW + (cols - 1) * g.gutter;
}

/**
 * The headline group's height in body lines, as the page sets it across the page (each part on one
 * line, a part too wide set smaller: compose/headline.ts), with a line of air.
 */
function headlineLines(bound: Bound, g: Grid): number {
  return headlineLinesFor(headlineSet(bound, widthMm(g, g.preset.columns), g), g);
}

export function chainInfos(bound: Bound, g: Grid, measurer: Measurer): ChainInfo[] {
  const col = columnMeasure(g);
  return bound.chains.map((c: BoundChain, i) => {
    const heads = c.blocks.filter((b) => b.kind === 'head');
    const headFrame = heads.length === 1 && c.blocks[0]?.kind === 'head';
    const paras = c.blocks.filter((b) => b.kind === 'para').map((b) => flat(b.segs));
    const blocks: Block[] = [];
    for (const b of c.blocks) {
      if (b.kind === 'head') {
        // a head set in the text (page.css .inline-head): a line above and below it, and the lines
        // the page breaks it into (at phrase boundaries, compose/heads.ts)
        if (!headFrame)
          blocks.push({ kind: 'head', lines: 2 + Math.max(1, inlineHeadLines(flat(b.segs), g.colW, g).length) });
      } else blocks.push({ kind: 'para', lines: measurer.lines(flat(b.segs), col) });
    }
    const chars = paras.reduce((n, p) => n + [...p.replace(/\s/g, '')].length, 0);
    const last = i === bound.chains.length - 1;
    const role: Role =
      heads.length === 0 && i === 0 && bound.chains.length > 1
        ? 'lead'
        : heads.length === 0 && last && i > 0
          ? 'closing'
          : 'section';
    const leadStyle = role === 'lead' && chars <= LEAD_MAX_CHARS;
    const info: ChainInfo = {
      id: c.id,
      role,
      paras,
      chars,
      blocks,
      lines: blocks.reduce((n, b) => n + b.lines, 0),
      leadStyle,
      ...(headFrame ? { head: flat(heads[0]!.segs) } : {}),
    };
    if (leadStyle) {
      const memo = new Map<number, number>();
      info.leadLines = (cols) => {
        let n = memo.get(cols);
        if (n === undefined) {
          const m = leadMeasure(g, widthMm(g, cols)).measure;
          n = paras.reduce((s, p) => s + measurer.bold.lines(p, m), 0);
          memo.set(cols, n);
        }
        return n;
      };
    }
    return info;
  });
}

/** Fewest columns a head can be set in at HEAD_MIN_PT (the head frame keeps 6 mm of air). */
export function headMinCols(g: Grid, head: string): number {
  const need = [...head].length * HEAD_MIN_PT * PT + 6;
  for (let k = 1; k <= g.preset.columns; k++) if (widthMm(g, k) >= need) return k;
  return g.preset.columns + 1;
}

/** The head's type size in pt at a width (compose.ts sets it so). */
export function headPt(g: Grid, head: string, cols: number): number {
  return Math.min(HEAD_PT, (widthMm(g, cols) - 6) / [...head].length / PT);
}

// ---------------------------------------------------------------------------------------------
// visuals

/**
 * The most of the type area a picture may take however much room the story leaves (a
 * picture-led page): the lead picture three tenths, reading best at a fifth (a full-width
 * picture of a third of the page's height, or six columns of two fifths of it); any other photo
 * half that. Beyond these a provincial daily's page reads as a poster with a caption, the text
 * squeezed below it: a short story keeps space for other copy instead (composer.ts).
 */
export const LEAD_MAX = 0.3;
export const LEAD_TARGET_MAX = 0.2;
export const PHOTO_MAX = 0.15;
export const PHOTO_TARGET_MAX = 0.08;
/**
 * Target share of the grid's area for a photo by its rank (1: the lead picture), on a page with
 * room for pictures `scale` times the sample's (a short story leaves more: its pictures grow, up
 * to LEAD_TARGET_MAX and PHOTO_TARGET_MAX).
 */
export function photoTarget(rank: number, scale = 1): number {
  return rank === 1
    ? Math.min(LEAD_TARGET_MAX, 0.13 * scale)
    : Math.min(PHOTO_TARGET_MAX, (rank === 2 ? 0.055 : 0.045) * scale);
}
/**
 * The most of the grid a picture may take: the lead picture, another photo, a chart or fact box
 * (a chart's height is held to what its data needs anyway: chartHeights).
 */
export function maxShare(kind: 'lead' | 'photo' | 'chart', scale = 1, relax = false): number {
  if (kind === 'lead') return Math.min(LEAD_MAX, 0.25 * scale);
  if (kind === 'photo') return Math.min(PHOTO_MAX, 0.085 * scale);
  return Math.min(0.4, (relax ? 0.12 : 0.085) * scale);
}
/** a chart's or fact box's share of the page when they are sized as on the sample page */
const CHART_SHARE = 0.05;
/** the lead picture is at least this many times the size of any other */
export const DOMINANCE = 1.5;
/** a photo's crop: its aspect ratio stays within this of the source's */
export const CROP = 0.1;

function photoOptions(
  g: Grid,
  px: [number, number],
  caption: string,
  rank: number,
  cols: number,
  gridArea: number,
  scale: number,
): { options: SizeOption[]; natural: number } {
  const w = widthMm(g, cols);
  const aspect = px[0] / px[1];
  const cap = caption ? captionLines(caption, w) : 0;
  const lo = Math.ceil(w / ((1 + CROP) * aspect) / g.pitch - 1e-9);
  const hi = Math.floor(w / ((1 - CROP) * aspect) / g.pitch + 1e-9);
  const options: SizeOption[] = [];
  const max = maxShare(rank === 1 ? 'lead' : 'photo', scale);
  for (let l = Math.max(2, lo); l <= hi; l++) {
    const h = l * g.pitch;
    const share = (w * h) / gridArea;
    const ppi = coverPpi(px, w, h);
    if (ppi < PPI_MIN || share > max) continue;
    const dev = w / h / aspect - 1;
    let cost = WEIGHTS.crop * (dev / CROP) ** 2 + WEIGHTS.size * Math.log(share / photoTarget(rank, scale)) ** 2;
    if (ppi < PPI_WANTED - 0.5) cost += (WEIGHTS.lowPpi * (PPI_WANTED - ppi)) / 10;
    options.push({ lines: l + cap, cost, share });
  }
  return { options, natural: Math.round(w / aspect / g.pitch) + cap };
}

export type ChartShape = 'columns' | 'bars' | 'line' | 'table' | 'other';

export interface ChartAnalysis {
  shape: ChartShape;
  /** categories (rows of its table) */
  n: number;
  /** widest category label, mm */
  labelMm: number;
  /** a table (both axes categories): its columns */
  m?: number;
}

/** The kind of chart and its data: which way its bars go, how many, how wide their labels are. */
export function analyseChart(spec: Record<string, unknown>, bound: Bound): ChartAnalysis {
  const layers = [spec, ...((spec.layer as Record<string, unknown>[] | undefined) ?? [])];
  const markOf = (l: Record<string, unknown>) => {
    const m = l.mark;
    return typeof m === 'string' ? m : typeof m === 'object' && m ? String((m as { type?: unknown }).type) : undefined;
  };
  const marks = layers.map(markOf).filter((m): m is string => !!m);
  type Enc = Record<string, { field?: string; type?: string } | undefined>;
  const enc = layers.map((l) => l.encoding as Enc | undefined).find((e) => e?.x || e?.y) ?? {};
  const data = spec.data as { name?: string; values?: unknown[] } | undefined;
  const rows: Record<string, unknown>[] =
    (data?.name ? bound.tables.get(data.name)?.rows : undefined) ??
    (Array.isArray(data?.values) ? (data.values as Record<string, unknown>[]) : []);
  const discrete = (t?: string) => t === 'nominal' || t === 'ordinal';
  const catAxis = discrete(enc.x?.type) ? 'x' : discrete(enc.y?.type) ? 'y' : undefined;
  const field = catAxis ? enc[catAxis]?.field : undefined;
  const labels = field
    ? rows.map((r) => {
        const x = r[field];
        return typeof x === 'string' || typeof x === 'number' ? String(x) : '';
      })
    : [];
  const labelMm = labels.reduce((m, s) => Math.max(m, chartTextWidth(s, 7 / 0.75, 400) * 0.75 * PT), 0);
  const n = Math.max(1, new Set(labels).size || rows.length);
  // both axes categories (a grid of cells with text): a table, its rows on y and columns on x
  if (discrete(enc.x?.type) && discrete(enc.y?.type)) {
    const yf = enc.y?.field;
    const ys = yf ? new Set(rows.map((r) => JSON.stringify(r[yf] ?? null))) : new Set();
    const folded = (spec.transform as { fold?: unknown[] }[] | undefined)?.find((t) => Array.isArray(t.fold))?.fold;
    const xs = folded?.length ?? new Set(labels).size;
    const rowMm = rows.reduce(
      (mm, r) => Math.max(mm, chartTextWidth(String(yf ? (r[yf] as string) : ''), 13, 700) * 0.75 * PT),
      0,
    );
    return { shape: 'table', n: Math.max(1, ys.size), m: Math.max(1, xs), labelMm: rowMm };
  }
  const shape: ChartShape = marks.includes('line')
    ? 'line'
    : marks.includes('bar') && catAxis === 'x'
      ? 'columns'
      : marks.includes('bar') && catAxis === 'y'
        ? 'bars'
        : 'other';
  return { shape, n, labelMm };
}

/** Plot heights (mm) a chart reads well at, at a plot width: natural, least, most. */
export function chartHeights(
  a: ChartAnalysis,
  plotW: number,
  aspect?: number,
): { nat: number; min: number; max: number } {
  if (aspect) {
    const nat = plotW / aspect;
    return { nat, min: nat * 0.85, max: nat * 1.15 };
  }
  switch (a.shape) {
    case 'columns': {
      const nat = Math.min(Math.max(0.6 * plotW, 32), 55);
      return { nat, min: Math.max(26, nat * 0.75), max: nat * 1.35 };
    }
    case 'bars': {
      const nat = a.n * 8 + 10;
      return { nat, min: a.n * 5.5 + 7, max: a.n * 12 + 12 };
    }
    case 'table': {
      // a row of about 9 mm, and the header row
      const nat = (a.n + 1) * 9;
      return { nat, min: (a.n + 1) * 7, max: (a.n + 1) * 13 };
    }
    case 'line': {
      const nat = Math.min(Math.max(0.6 * plotW, 28), 90);
      return { nat, min: Math.max(24, 0.45 * plotW), max: Math.max(30, 0.85 * plotW) };
    }
    default: {
      const nat = Math.min(0.85 * plotW, 90);
      return { nat, min: nat * 0.75, max: nat * 1.2 };
    }
  }
}

/** Columns a chart reads well in: least, most, natural. */
export function chartWidths(a: ChartAnalysis, g: Grid): { min: number; max: number; nat: number } {
  const C = g.preset.columns;
  const fits = (mm: number) => {
    for (let k = 1; k <= C; k++) if (widthMm(g, k) >= mm) return k;
    return C;
  };
  switch (a.shape) {
    case 'columns': {
      const min = fits(a.n * 8 + 10);
      const nat = Math.max(min, fits(a.n * 12 + 12));
      return { min, nat, max: Math.min(C, a.n >= 4 ? nat + 1 : nat) };
    }
    case 'bars': {
      const min = fits(a.labelMm + 28);
      return { min, nat: min, max: Math.min(C, min + 1) };
    }
    case 'table': {
      const m = a.m ?? 1;
      const min = fits(a.labelMm + 8 + m * 18);
      return { min, nat: Math.max(min, fits(a.labelMm + 8 + m * 28)), max: C };
    }
    case 'line': {
      const min = fits(60);
      return { min, nat: Math.min(C, min + 1), max: Math.min(C, Math.max(min + 1, Math.ceil(C / 2))) };
    }
    default: {
      const min = fits(50);
      return { min, nat: min, max: Math.min(C, min + 1) };
    }
  }
}

function chartOptions(
  g: Grid,
  a: ChartAnalysis,
  cols: number,
  hasSource: boolean,
  natCols: number,
  gridArea: number,
  aspect: number | undefined,
  relax: boolean,
  scale: number,
): { options: SizeOption[]; natural: number } {
  const w = widthMm(g, cols);
  const extra = 1 + (hasSource ? 1 : 0); // title line, source line
  const hs = chartHeights(a, w, aspect);
  // relaxed (when nothing fits otherwise): a little smaller, or taller, than reads best
  const [lo, hi] = relax ? [hs.min * 0.85, hs.max * 1.3] : [hs.min, hs.max];
  const options: SizeOption[] = [];
  for (let l = Math.max(1, Math.ceil(lo / g.pitch - 1e-9)); l * g.pitch <= hi + 1e-9; l++) {
    const h = l * g.pitch;
    // relaxed sizes outside what reads well cost what the page's score charges for them (score.ts)
    const illegible = h < hs.min - 0.5 * g.pitch || h > hs.max + 0.5 * g.pitch ? WEIGHTS.chartIllegible : 0;
    const cost =
      WEIGHTS.chartSize * ((h - hs.nat) / hs.nat) ** 2 + WEIGHTS.chartWidth * Math.abs(cols - natCols) + illegible;
    const share = (w * (h + extra * g.pitch)) / gridArea;
    if (share > maxShare('chart', scale, relax)) continue; // no chart outweighs the pictures
    options.push({ lines: l + extra, cost, share });
  }
  return { options, natural: Math.round(hs.nat / g.pitch) + extra };
}

/** A fact box `lines` tall at `cols` columns against its natural height: off it, and its empty tint. */
export function factboxCost(lines: number, nat: number, cols: number): number {
  return WEIGHTS.factbox * ((lines - nat) / nat) ** 2 + WEIGHTS.factboxAir * Math.max(0, lines - nat) * cols;
}

/** A fact box: its title band and rows of items, two or three to a row. */
function factboxOptions(
  g: Grid,
  items: { label: string }[],
  cols: number,
  gridArea: number,
  relax: boolean,
  scale: number,
): { options: SizeOption[]; natural: number } {
  const w = widthMm(g, cols);
  const perRow = cols >= 4 ? 3 : 2;
  const rows = Math.ceil(items.length / perRow);
  const itemW = (w - 6) / perRow;
  const labelLines = Math.max(...items.map((i) => Math.ceil(([...i.label].length * 7.5 * PT) / itemW)));
  const rowPt = 17 * 1.25 + 7.5 * 1.4 * labelLines;
  const pitchPt = g.pitch / PT;
  const title = 2;
  const min = title + Math.ceil((rows * rowPt * 1.15) / pitchPt);
  const nat = title + Math.round((rows * rowPt * 1.6) / pitchPt);
  // at most a little taller than its rows need (more only when nothing fits otherwise): the page
  // spreads the rows over the box's height, and a stretched box prints large empty tinted areas
  const max = title + Math.floor((rows * rowPt * (relax ? 2.6 : 2)) / pitchPt);
  const options: SizeOption[] = [];
  for (let l = min; l <= max; l++) {
    const share = (w * l * g.pitch) / gridArea;
    if (share <= maxShare('chart', scale, relax)) options.push({ lines: l, cost: factboxCost(l, nat, cols), share });
  }
  return { options, natural: nat };
}

/** Han bigrams of a text with their counts, for matching a caption to a section. */
function bigrams(s: string): Map<string, number> {
  const m = new Map<string, number>();
  const h = s.replace(/[^\u4e00-\u9fff]/g, '');
  for (let i = 0; i + 1 < h.length; i++) m.set(h.slice(i, i + 2), (m.get(h.slice(i, i + 2)) ?? 0) + 1);
  return m;
}

/**
 * The section a caption belongs to: bigrams it shares with each section's text, by their
 * frequency there and their rarity across sections; only a clear winner counts.
 */
function matchCaption(caption: string, chains: ChainInfo[]): string | undefined {
  const sections = chains.filter((c) => c.role === 'section');
  if (sections.length < 2) return sections[0]?.id;
  const tfs = sections.map((c) => ({
    id: c.id,
    m: bigrams(c.paras.join('') + (c.head ?? '')),
    n: Math.max(1, c.chars),
  }));
  const df = new Map<string, number>();
  for (const t of tfs) for (const k of t.m.keys()) df.set(k, (df.get(k) ?? 0) + 1);
  const scores = tfs
    .map((t) => {
      let s = 0;
      for (const k of bigrams(caption).keys())
        if (t.m.has(k)) s += (t.m.get(k)! / t.n) * 1000 * Math.log((tfs.length + 1) / df.get(k)!);
      return { id: t.id, s };
    })
    .sort((a, b) => b.s - a.s);
  return scores[0]!.s >= 3 && scores[0]!.s >= 1.5 * scores[1]!.s ? scores[0]!.id : undefined;
}

/**
 * `level` > 0: when nothing fits at the sizes that read best, charts and fact boxes may be a little
 * smaller or larger and the lead picture narrower (each still costs what it is off).
 */
export function elementsOf(ed: Edition, bound: Bound, g: Grid, measurer?: Measurer, level: 0 | 1 | 2 = 0): Elements {
  const relax = level > 0;
  const meta = ed.meta.data;
  const house: House = { indent: meta.house?.indent ?? 2, hanLatin: meta.house?.hanLatin === 'quarter' ? 0.25 : 0 };
  const m = measurer ?? new Measurer(house);
  const chains = chainInfos(bound, g, m);
  const chainIds = new Set(chains.map((c) => c.id));
  const C = g.preset.columns;
  const gridArea = widthMm(g, C) * g.lines * g.pitch;
  // the room the text leaves for pictures, against the sample page's: a short story's pictures
  // may be larger (and wider) than a long one's
  const front = ed.story.front.data;
  const bannerLines = front.banner || front.series ? Math.ceil(23.8 / g.pitch - 1e-9) : 0;
  const band = bannerLines + headlineLines(bound, g);
  const half = Math.ceil(C / 2);
  const textCells = chains.reduce(
    (n, c) =>
      n +
      (c.leadStyle ? Math.ceil(1.5 * c.leadLines!(half)) * half : c.lines + (c.head ? HEAD_LINES * Math.min(C, 3) : 0)),
    0,
  );
  const room = Math.max(0, 1 - textCells / (C * (g.lines - band)));
  // what the pictures would take at their sizes on the sample page
  const nominal =
    [...ed.photos.keys()].reduce((n, _, i) => n + photoTarget(i + 1), 0) +
    CHART_SHARE * (ed.charts.size + Object.keys(meta.factboxes ?? {}).length);
  const scale = Math.min(4, Math.max(1, room / Math.max(nominal, 0.05)));
  const roomy = scale > 1.3;
  const visuals: VisualInfo[] = [];
  const range = <T>(f: (k: number) => T) => Array.from({ length: C + 1 }, (_, k) => f(k));
  const explicit = (s: string | undefined) => (s && chainIds.has(s) ? s : undefined);

  // photos by priority (the editor's, else the order in edition.yaml); the first is the lead picture
  const photoIds = [...ed.photos.keys()];
  const ranked = photoIds
    .map((id, i) => ({ id, p: meta.photos?.[id]?.priority ?? 1000 + i }))
    .sort((a, b) => a.p - b.p)
    .map((x) => x.id);
  ranked.forEach((id, i) => {
    const p = ed.photos.get(id)!;
    const hint = meta.photos?.[id];
    const rank = i + 1;
    const caption = bound.captions.photos.get(id) ?? '';
    // the lead picture is at least three eighths of the page wide, the others two columns
    const minCols = Math.min(C, hint?.minColumns ?? (rank === 1 && !relax ? Math.ceil(C * 0.375) : C >= 6 ? 2 : 1));
    const maxCols = Math.max(
      minCols,
      rank === 1 ? (roomy ? C : Math.ceil(C * 0.625)) : roomy ? Math.ceil(C * 0.625) : Math.ceil(C / 2),
    );
    const sized = range((k) =>
      k < minCols || k > maxCols ? undefined : photoOptions(g, [p.width, p.height], caption, rank, k, gridArea, scale),
    );
    const home = explicit(hint?.section);
    const byCaption = home ? undefined : rank > 1 ? matchCaption(caption, chains) : undefined;
    visuals.push({
      id,
      kind: 'photo',
      priority: rank,
      ranked: hint?.priority !== undefined,
      lead: rank === 1,
      ...(home ? { home } : byCaption ? { home: byCaption } : {}),
      homeBy: home ? 'editor' : byCaption ? 'caption' : rank === 1 ? 'lead picture' : 'page',
      minCols,
      maxCols,
      options: sized.map((s) => s?.options ?? []),
      natural: sized.map((s) => s?.natural ?? 0),
    });
  });

  for (const [id, src] of ed.charts) {
    const hint = meta.charts?.[id];
    const a = analyseChart(src.spec.data, bound);
    const ws = chartWidths(a, g);
    const minCols = Math.min(C, hint?.minColumns ?? ws.min);
    const maxCols = Math.min(C, Math.max(minCols, hint?.maxColumns ?? ws.max + (roomy ? 1 : 0)));
    const natCols = Math.min(maxCols, Math.max(minCols, ws.nat));
    const sized = range((k) =>
      k < minCols || k > maxCols
        ? undefined
        : chartOptions(g, a, k, !!src.source, natCols, gridArea, hint?.aspect, relax, scale),
    );
    // the chain that prints the figures the chart's table holds
    const figs = new Set(
      bound.uses
        .filter((u) => u.where === `table "${String((src.spec.data.data as { name?: unknown })?.name)}"`)
        .map((u) => u.figure),
    );
    const counts = chains
      .map((c) => ({
        id: c.id,
        n: bound.uses.filter((u) => u.where === `story "${c.id}"` && figs.has(u.figure)).length,
      }))
      .sort((x, y) => y.n - x.n);
    const byFigures = counts[0] && counts[0].n > 0 && counts[0].n > (counts[1]?.n ?? 0) ? counts[0].id : undefined;
    const home = explicit(hint?.section);
    const byCaption = home || byFigures ? undefined : matchCaption(bound.captions.charts.get(id) ?? '', chains);
    const h = home ?? byFigures ?? byCaption;
    visuals.push({
      id,
      kind: 'chart',
      priority: 100,
      ranked: false,
      lead: false,
      ...(h ? { home: h } : {}),
      homeBy: home ? 'editor' : byFigures ? 'figures' : byCaption ? 'caption' : 'page',
      minCols,
      maxCols,
      options: sized.map((s) => s?.options ?? []),
      natural: sized.map((s) => s?.natural ?? 0),
    });
  }

  for (const [id, fb] of Object.entries(meta.factboxes ?? {})) {
    // at least as wide as lets every value stand on one line (a value wrapped inside an item,
    // "31.2微克/立方" over "米", reads as a mistake); the values are set in the bold sans at 17 pt
    const values = (bound.factboxes.get(id)?.items ?? []).map((it) => flat(it.value));
    const valueMm = values.reduce((m, v) => Math.max(m, chartTextWidth(v, 17 / 0.75, 700) * 0.75 * PT), 0);
    const fitsValues = (k: number) => (widthMm(g, k) - 6) / (k >= 4 ? 3 : 2) >= valueMm;
    let minCols = Math.min(C, C >= 6 ? 2 : 1);
    const maxCols = Math.min(C, 4);
    while (minCols < maxCols && !fitsValues(minCols)) minCols++;
    const sized = range((k) =>
      k < minCols || k > maxCols ? undefined : factboxOptions(g, fb.items, k, gridArea, relax, scale),
    );
    const home = explicit(fb.section);
    visuals.push({
      id,
      kind: 'factbox',
      priority: 50,
      ranked: false,
      lead: false,
      ...(home ? { home } : {}),
      homeBy: home ? 'editor' : 'page',
      minCols,
      maxCols,
      options: sized.map((s) => s?.options ?? []),
      natural: sized.map((s) => s?.natural ?? 0),
    });
  }

  return {
    grid: g,
    chains,
    visuals,
    scale,
    bannerLines,
    headlineLines: headlineLines(bound, g),
    house,
    measurer: m,
    relax: level,
  };
}
