/**
 * The score of a finished layout, rule by rule (rules.ts), for any layout.yaml: the composer's
 * own, or one made by hand. Chains are threaded as the page threads them (thread.ts) with the
 * line counts of the page's own line fitter, so "fit" is what the build will report.
 */
import type { FrameDef } from '../load/edition.js';
import { coverPpi, captionLines } from '../compose/compose.js';
import {
  CROP,
  DOMINANCE,
  maxShare,
  chartHeights,
  factboxCost,
  headPt,
  photoTarget,
  widthMm,
  HEAD_PT,
  type ChartAnalysis,
  type Elements,
  type VisualInfo,
} from './elements.js';
import { leadMeasure } from './measure.js';
import { leadNarrowCost } from './modules.js';
import { thread, type Block } from './thread.js';
import { LEG_LONG, LEG_SHORT, RULES, WEIGHTS, type Rule } from './rules.js';
import { PPI_MIN, PPI_WANTED } from '../check/report.js';
import { composeNotes as N } from '../messages.js';

export interface Score {
  total: number;
  parts: Record<Rule, number>;
  /** what each rule found, in words */
  notes: Record<Rule, string[]>;
  /** what the build will report for each chain */
  chains: { id: string; oversetLines: number; emptyLines: number; widows: number }[];
}

/** A frame in 0-based grid cells. */
interface Cell {
  f: FrameDef;
  c0: number;
  c1: number;
  t0: number;
  t1: number;
}

const cellOf = (f: FrameDef): Cell => ({
  f,
  c0: f.columns[0] - 1,
  c1: f.columns[1] - 1,
  t0: f.top,
  t1: f.top + f.lines,
});
const overlaps = (a: Cell, b: Cell) => a.c0 <= b.c1 && b.c0 <= a.c1 && a.t0 < b.t1 && b.t0 < a.t1;
const cols = (c: Cell) => c.c1 - c.c0 + 1;

export interface ScoreInput {
  el: Elements;
  frames: FrameDef[];
  /** photo id → pixel size and caption; chart id → analysis and source line */
  photos: Map<string, { px: [number, number]; caption: string }>;
  charts: Map<string, { analysis: ChartAnalysis; source: boolean; aspect?: number }>;
  /** fact box id → its heights at a width: [least, natural, most] */
  factboxes: Map<string, (cols: number) => [number, number, number]>;
}

export function scoreLayout(input: ScoreInput): Score {
  const { el, frames } = input;
  const g = el.grid;
  const C = g.preset.columns;
  const parts = Object.fromEntries(RULES.map((r) => [r, 0])) as Record<Rule, number>;
  const notes = Object.fromEntries(RULES.map((r) => [r, [] as string[]])) as Record<Rule, string[]>;
  const add = (r: Rule, p: number, note?: string) => {
    parts[r] += p;
    if (note) notes[r].push(note);
  };
  const cells = frames.map(cellOf);
  const visualOf = new Map(el.visuals.map((v) => [`${v.kind}:${v.id}`, v]));

  // ---- fit (and widows: legs)
  const chains: Score['chains'] = [];
  const bboxes = new Map<string, { c0: number; c1: number; t0: number; t1: number }>();
  for (const ch of el.chains) {
    const texts = cells.filter((c) => c.f.kind === 'text' && c.f.chain === ch.id);
    const heads = cells.filter((c) => c.f.kind === 'head' && c.f.chain === ch.id);
    const own = [...heads, ...texts];
    if (own.length)
      bboxes.set(ch.id, {
        c0: Math.min(...own.map((c) => c.c0)),
        c1: Math.max(...own.map((c) => c.c1)),
        t0: Math.min(...own.map((c) => c.t0)),
        t1: Math.max(...own.map((c) => c.t1)),
      });
    if (!texts.length) {
      add('fit', WEIGHTS.overset * ch.lines, N.noText(ch.id));
      chains.push({ id: ch.id, oversetLines: ch.lines, emptyLines: 0, widows: 0 });
      continue;
    }
    // the page fits a chain once, at its first frame's measure
    const lead = texts[0]!.f.style === 'lead';
    let blocks: Block[];
    const caps: number[] = [];
    if (lead) {
      const m = leadMeasure(g, widthMm(g, cols(texts[0]!))).measure;
      blocks = ch.paras.map((p) => ({ kind: 'para', lines: el.measurer.bold.lines(p, m) }));
      for (const t of texts) caps.push(Math.floor(t.f.lines / 1.5 + 1e-9));
    } else {
      // a chain with a head frame does not print its head in the text
      blocks = heads.length ? ch.blocks.filter((b) => b.kind === 'para') : ch.blocks;
      if (!heads.length && ch.head) blocks = [{ kind: 'head', lines: 3 }, ...ch.blocks];
      for (const t of texts) for (let c = t.c0; c <= t.c1; c++) caps.push(t.f.lines - (t.f.rule === 'top' ? 1 : 0));
    }
    const r = thread(blocks, caps);
    let empty = r.emptyLines;
    if (lead && !r.oversetLines) {
      empty = 0;
      for (let k = r.lastFrame; k < texts.length; k++) empty += Math.round(texts[k]!.f.lines / 1.5 - r.used[k]!);
    }
    chains.push({ id: ch.id, oversetLines: r.oversetLines, emptyLines: empty, widows: r.widows });
    if (r.oversetLines) add('fit', WEIGHTS.overset * r.oversetLines, N.over(ch.id, r.oversetLines));
    else if (empty > 1) add('fit', WEIGHTS.oneEmpty + WEIGHTS.underset * (empty - 1), N.empty(ch.id, empty));
    else if (empty === 1) add('fit', WEIGHTS.oneEmpty);
    if (r.widows) add('legs', WEIGHTS.widow * r.widows, N.widows(ch.id, r.widows));
    if (!lead)
      for (const t of texts) {
        const n = t.f.lines - (t.f.rule === 'top' ? 1 : 0);
        const k = cols(t);
        if (n < LEG_SHORT) add('legs', WEIGHTS.shortLeg * (LEG_SHORT - n) * k, N.leg(t.f.id, n));
        if (n > LEG_LONG) add('legs', WEIGHTS.longLeg * (n - LEG_LONG) * k, N.leg(t.f.id, n));
      }
    for (const h of heads) {
      const pt = ch.head ? headPt(g, ch.head, cols(h)) : HEAD_PT;
      if (pt < HEAD_PT - 1e-9) add('legs', WEIGHTS.headSize * (HEAD_PT - pt), N.headSize(h.f.id, pt, cols(h)));
    }

    // ---- reading order: head above its text, each frame right of or below the one before
    if (heads.length && ch.head) {
      const h = heads[0]!;
      const first = texts[0]!;
      if (!(h.t1 <= first.t0 && h.c0 <= first.c0 && first.c1 <= h.c1))
        add('order', WEIGHTS.order, N.headNotAbove(ch.id));
    }
    for (let i = 1; i < texts.length; i++) {
      const a = texts[i - 1]!;
      const b = texts[i]!;
      const right = b.c0 > a.c1 && b.t0 < a.t1;
      const below = b.t0 >= a.t1 && b.c0 <= a.c1 && a.c0 <= b.c1;
      if (!right && !below) add('order', WEIGHTS.order, N.backwards(ch.id, b.f.id, a.f.id));
      else if (right) {
        const between = cells.find(
          (c) =>
            c.f.kind === 'text' &&
            c.f.chain !== ch.id &&
            c.c0 > a.c1 &&
            c.c1 < b.c0 &&
            c.t0 < Math.max(a.t1, b.t1) &&
            Math.min(a.t0, b.t0) < c.t1,
        );
        if (between) add('order', WEIGHTS.order, N.jumps(ch.id, between.f.chain ?? '', a.f.id, b.f.id));
      }
    }
  }

  // ---- the lead: read first, right under the headline band (or under its picture), wide
  const lead = el.chains.find((c) => c.role === 'lead');
  const leadBox = lead && bboxes.get(lead.id);
  if (lead && leadBox) {
    const band = Math.max(0, ...cells.filter((c) => c.f.kind === 'banner' || c.f.kind === 'headline').map((c) => c.t1));
    const over = cells.filter((c) => c.t1 <= leadBox.t0 && c.t0 >= band && c.c0 <= leadBox.c1 && leadBox.c0 <= c.c1);
    // another section's text or head over the lead, or beside it starting higher: read before it
    const before = cells.some(
      (c) => (c.f.kind === 'text' || c.f.kind === 'head') && c.f.chain !== lead.id && c.t0 < leadBox.t0,
    );
    if (leadBox.t0 > band && (before || over.some((c) => c.f.kind === 'text' || c.f.kind === 'head')))
      add('order', WEIGHTS.order, N.leadNotFirst(lead.id));
    else if (leadBox.t0 > band) add('order', WEIGHTS.leadBelow, N.leadUnderPicture(lead.id));
    const narrow = lead.leadStyle ? leadNarrowCost(leadBox.c1 - leadBox.c0 + 1, C) : 0;
    if (narrow) add('modules', narrow, N.leadNarrow(lead.id));
  }

  // ---- modules: a section's head and text are a rectangle holding nothing of another's
  for (const [id, bb] of bboxes) {
    const box: Cell = { f: frames[0]!, ...bb };
    const foreign = cells.filter((c) => {
      if (!overlaps(c, box)) return false;
      if ((c.f.kind === 'text' || c.f.kind === 'head') && c.f.chain === id) return false;
      if (c.f.kind === 'text' || c.f.kind === 'head') return true;
      const v = visualOf.get(`${c.f.kind}:${c.f.ref}`);
      // a visual the editor or its figures tie to another section; one matched by its caption
      // alone may go with a neighbour (its distance from its section is scored under visuals)
      const tied = v?.homeBy === 'editor' || v?.homeBy === 'figures';
      return c.f.kind === 'ad' || c.f.kind === 'banner' || c.f.kind === 'headline' || (tied && v.home !== id);
    });
    if (foreign.length)
      add(
        'modules',
        WEIGHTS.module,
        N.foreign(
          id,
          foreign.map((c) => c.f.id),
        ),
      );
  }

  // ---- visuals
  const gridArea = widthMm(g, C) * g.lines * g.pitch;
  const photoAreas: { v: VisualInfo; area: number }[] = [];
  for (const c of cells) {
    if (c.f.kind !== 'photo' && c.f.kind !== 'chart' && c.f.kind !== 'factbox') continue;
    const v = visualOf.get(`${c.f.kind}:${c.f.ref}`);
    if (!v) continue;
    const k = cols(c);
    const w = widthMm(g, k);
    if (v.home) {
      const bb = bboxes.get(v.home);
      if (bb) {
        const dx = Math.max(0, bb.c0 - c.c1 - 1, c.c0 - bb.c1 - 1);
        const dy = Math.max(0, bb.t0 - c.t1, c.t0 - bb.t1);
        const steps = dx + Math.ceil(dy / 5);
        if (steps) add('visuals', WEIGHTS.near * steps, N.far(v.id, steps, v.home));
      }
    }
    if (c.f.kind === 'photo') {
      const p = input.photos.get(v.id);
      if (!p) continue;
      const cap = p.caption ? captionLines(p.caption, w) : 0;
      const h = (c.f.lines - cap) * g.pitch;
      const dev = w / h / (p.px[0] / p.px[1]) - 1;
      if (Math.abs(dev) > CROP + 1e-9) add('visuals', WEIGHTS.cropBeyond, N.cropped(v.id, dev));
      else add('visuals', WEIGHTS.crop * (dev / CROP) ** 2);
      const share = (w * h) / gridArea;
      add('visuals', WEIGHTS.size * Math.log(share / photoTarget(v.priority, el.scale)) ** 2);
      const max = maxShare(v.priority === 1 ? 'lead' : 'photo', el.scale);
      if (share > max + 1e-9) add('visuals', WEIGHTS.share, N.share(v.id, share, max));
      const ppi = coverPpi(p.px, w, h);
      if (ppi < PPI_MIN) add('visuals', WEIGHTS.cropBeyond, N.ppi(v.id, ppi));
      else if (ppi < PPI_WANTED - 0.5) add('visuals', (WEIGHTS.lowPpi * (PPI_WANTED - ppi)) / 10, N.ppi(v.id, ppi));
      photoAreas.push({ v, area: w * h });
    } else if (c.f.kind === 'chart') {
      const ch = input.charts.get(v.id);
      if (!ch) continue;
      const plot = (c.f.lines - 1 - (ch.source ? 1 : 0)) * g.pitch;
      const hs = chartHeights(ch.analysis, w, ch.aspect);
      if (k < v.minCols || k > v.maxCols)
        add('visuals', WEIGHTS.chartIllegible, N.chartWidth(v.id, k, v.minCols, v.maxCols));
      if (plot < hs.min - 0.5 * g.pitch || plot > hs.max + 0.5 * g.pitch)
        add('visuals', WEIGHTS.chartIllegible, N.chartHeight(v.id, plot, hs.min, hs.max));
      else add('visuals', WEIGHTS.chartSize * ((plot - hs.nat) / hs.nat) ** 2);
    } else {
      const fb = input.factboxes.get(v.id);
      if (!fb) continue;
      const [min, nat, max] = fb(k);
      if (c.f.lines < min || c.f.lines > max)
        add('visuals', WEIGHTS.chartIllegible, N.factbox(v.id, c.f.lines, min, max));
      else add('visuals', factboxCost(c.f.lines, nat, k));
    }
  }
  // the lead picture is larger than any chart or fact box
  const leadPic = photoAreas.find((p) => p.v.priority === 1);
  if (leadPic)
    for (const c of cells) {
      if (c.f.kind !== 'chart' && c.f.kind !== 'factbox') continue;
      const area = widthMm(g, cols(c)) * c.f.lines * g.pitch;
      if (area > leadPic.area * 1.02) add('visuals', WEIGHTS.priority, N.overLead(c.f.id, leadPic.v.id));
    }
  // priority: a photo larger than one ranked above it; the lead picture dominant
  photoAreas.sort((a, b) => a.v.priority - b.v.priority);
  for (let i = 0; i < photoAreas.length; i++)
    for (let j = i + 1; j < photoAreas.length; j++) {
      const a = photoAreas[i]!;
      const b = photoAreas[j]!;
      const need = a.v.priority === 1 ? DOMINANCE : 1;
      if (a.v.priority !== 1 && !(a.v.ranked && b.v.ranked)) continue;
      if (b.area * need > a.area * 1.02)
        add(
          'visuals',
          WEIGHTS.priority,
          a.v.priority === 1 ? N.leadNotDominant(a.v.id, b.v.id) : N.ranked(b.v.id, a.v.id),
        );
    }

  // ---- the headline group across the top
  const banner = cells.find((c) => c.f.kind === 'banner');
  const headline = cells.find((c) => c.f.kind === 'headline');
  const full = (c?: Cell) => !!c && c.c0 === 0 && c.c1 === C - 1;
  const bandTop = el.bannerLines ? (banner ? banner.t1 : -1) : 0;
  if (el.bannerLines && !(full(banner) && banner!.t0 === 0)) add('headline', WEIGHTS.headline, N.banner());
  if (!(full(headline) && headline!.t0 === bandTop)) add('headline', WEIGHTS.headline, N.headline());

  // ---- side by side: photos of one size, bumping heads
  for (const a of cells)
    for (const b of cells) {
      if (a.c1 + 1 !== b.c0) continue;
      if (a.f.kind === 'photo' && b.f.kind === 'photo' && a.t0 === b.t0 && a.t1 === b.t1 && cols(a) === cols(b))
        add('twins', WEIGHTS.twins, N.twins(a.f.id, b.f.id));
      if (a.f.kind === 'head' && b.f.kind === 'head' && a.t0 < b.t1 && b.t0 < a.t1)
        add('bumpingHeads', WEIGHTS.bump, N.bump(a.f.id, b.f.id));
    }

  // ---- whitespace: grid cells no frame covers
  let empty = 0;
  const covered = new Uint8Array(C * g.lines);
  for (const c of cells)
    for (let x = Math.max(0, c.c0); x <= Math.min(C - 1, c.c1); x++)
      for (let y = Math.max(0, c.t0); y < Math.min(g.lines, c.t1); y++) covered[y * C + x] = 1;
  for (const v of covered) if (!v) empty++;
  if (empty) add('whitespace', WEIGHTS.whitespace * empty, N.whitespace(empty));

  const total = RULES.reduce((s, r) => s + parts[r], 0);
  return { total, parts, notes, chains };
}
