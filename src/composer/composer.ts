/**
 * Page composition (pure but for reading the body font): an edition → proposed layouts, best
 * first, each with its score rule by rule. The story's chains become modules in story order,
 * each with the visuals that go with it; pinned frames (and the headline band) stay where they
 * are; the search (search.ts) packs the modules around them; every candidate is scored as a
 * finished layout (score.ts), and the best distinct arrangements are the variants.
 */
import type { Bound } from '../bind/figures.js';
import type { Edition, FrameDef } from '../load/edition.js';
import { editionGrid } from '../layout/frames.js';
import { msg, type InputError } from '../messages.js';
import { analyseChart, elementsOf, HEAD_LINES, widthMm, type Elements, type VisualInfo } from './elements.js';
import type { ModuleConfig, ModuleSpec } from './modules.js';
import { freeRegions, materialise, Packer, solve, type PlacedFrame, type Rect, type Solution } from './search.js';
import { scoreLayout, type Score, type ScoreInput } from './score.js';
import { LEG_MIN_HARD, WEIGHTS } from './rules.js';
import { keptArrangement } from './keep.js';

export interface Variant {
  frames: FrameDef[];
  score: Score;
  /** the search's own cost (the score before the checks a whole page needs) */
  searchCost: number;
  shape: string;
  /** where each visual went */
  homes?: Composed['homes'];
}

export interface Composed {
  variants: Variant[];
  elements: Elements;
  /** where each visual went and why */
  homes: { id: string; kind: string; home: string; by: string }[];
  pinned: FrameDef[];
  /** keep mode: whether the earlier arrangement was kept, and why not */
  kept?: { kept: boolean; reason?: string };
  /** a story too short for its page: the space kept at the foot for other copy */
  space?: { frames: number; area: number };
  ms: number;
}

/** ways of placing the visuals that go with no section in particular, searched at most */
const MAX_WAYS = 12;

export interface ComposeOptions {
  variants?: number;
  /** ignore the arrangement of an existing layout.yaml (search anew) */
  fresh?: boolean;
}

/** What score.ts needs besides the frames: photos' pixels and captions, charts' analyses. */
export function scoreInput(ed: Edition, bound: Bound, el: Elements, frames: FrameDef[]): ScoreInput {
  const photos = new Map(
    [...ed.photos].map(([id, p]) => [
      id,
      { px: [p.width, p.height] as [number, number], caption: bound.captions.photos.get(id) ?? '' },
    ]),
  );
  const charts = new Map(
    [...ed.charts].map(([id, c]) => {
      const aspect = ed.meta.data.charts?.[id]?.aspect;
      return [id, { analysis: analyseChart(c.spec.data, bound), source: !!c.source, ...(aspect ? { aspect } : {}) }];
    }),
  );
  const factboxes = new Map(
    el.visuals
      .filter((v) => v.kind === 'factbox')
      .map((v) => [
        v.id,
        (k: number): [number, number, number] => {
          const o = v.options[k] ?? [];
          return o.length ? [o[0]!.lines, v.natural[k]!, o[o.length - 1]!.lines] : [1, 1, 0];
        },
      ]),
  );
  return { el, frames, photos, charts, factboxes };
}

const rectOf = (f: FrameDef): Rect => ({
  col: f.columns[0] - 1,
  cols: f.columns[1] - f.columns[0] + 1,
  top: f.top,
  lines: f.lines,
});

/** The modules: one per chain not pinned, in story order, with the visuals that go with it. */
function modulesOf(
  el: Elements,
  free: Set<string>,
  visuals: VisualInfo[],
  placeAt = new Map<string, number>(),
): ModuleSpec[] {
  const chains = el.chains.filter((c) => free.has(c.id));
  const mods: ModuleSpec[] = chains.map((c, index) => ({
    index,
    chain: c,
    visuals: [],
    head: !!c.head,
    rule: c.role === 'closing',
  }));
  if (!mods.length) return mods;
  const byChain = new Map(mods.map((m) => [m.chain.id, m]));
  const rest: VisualInfo[] = [];
  for (const v of visuals) {
    const m = placeAt.has(v.id) ? mods[placeAt.get(v.id)!] : v.home ? byChain.get(v.home) : undefined;
    if (m) m.visuals.push(v);
    else if (v.lead || v.kind === 'factbox') mods[0]!.visuals.push(v);
    else rest.push(v);
  }
  // the rest go where there are fewest, sections before the lead and the closing part
  for (const v of rest) {
    const order = [...mods].sort(
      (a, b) =>
        a.visuals.length - b.visuals.length ||
        Number(a.chain.role !== 'section') - Number(b.chain.role !== 'section') ||
        a.index - b.index,
    );
    order[0]!.visuals.push(v);
  }
  // a module holds at most three visuals: the rest move to the nearest module with room
  for (const m of mods)
    while (m.visuals.length > 3) {
      const v = m.visuals.pop()!;
      const near = [...mods]
        .filter((x) => x.visuals.length < 3)
        .sort((a, b) => Math.abs(a.index - m.index) - Math.abs(b.index - m.index))[0];
      (near ?? m).visuals.push(v);
      if (!near) break;
    }
  for (const m of mods) m.visuals.sort((a, b) => order(a) - order(b));
  return mods;
}
const order = (v: VisualInfo) => (v.kind === 'photo' ? v.priority : v.kind === 'chart' ? 100 : 200);

/**
 * A chain too big for one module (the only chain of the page, or one with more than three
 * visuals) may be set in two: its first part (with the head and about half the visuals) filling
 * its frames exactly, the rest following. Each way: a split at a paragraph near a third, a half
 * or two thirds of its lines, the visuals shared out by rank.
 */
function splits(mods: ModuleSpec[]): ModuleSpec[][] {
  const out: ModuleSpec[][] = [];
  const at = mods.findIndex((m) => (mods.length === 1 && m.visuals.length >= 2) || m.visuals.length > 3);
  const m = mods[at];
  if (!m || m.chain.leadStyle) return out;
  const blocks = m.chain.blocks;
  const cuts = new Set<number>();
  for (const f of [1 / 3, 1 / 2, 2 / 3]) {
    let sum = 0;
    let best = -1;
    for (let k = 1; k < blocks.length; k++) {
      sum += blocks[k - 1]!.lines;
      // a part ends with a paragraph, never with a head set in the text
      if (blocks[k - 1]!.kind === 'head') continue;
      if (best < 0 || Math.abs(sum - f * m.chain.lines) < Math.abs(bestSum(blocks, best) - f * m.chain.lines)) best = k;
    }
    if (best > 0) cuts.add(best);
  }
  const V = m.visuals.length;
  for (const k of cuts)
    for (const first of new Set([Math.ceil(V / 2), Math.floor(V / 2)])) {
      const part = (from: number, to: number) => {
        const b = blocks.slice(from, to);
        return { ...m.chain, blocks: b, lines: b.reduce((n, x) => n + x.lines, 0) };
      };
      const a: ModuleSpec = { ...m, chain: part(0, k), visuals: m.visuals.slice(0, first), exact: true, rule: false };
      const { head: _h, ...rest } = part(k, blocks.length);
      const b: ModuleSpec = { ...m, chain: rest, visuals: m.visuals.slice(first), head: false, part: 1 };
      const list = [...mods.slice(0, at), a, b, ...mods.slice(at + 1)].map((x, index) => ({ ...x, index }));
      out.push(list);
    }
  return out;
}
const bestSum = (blocks: { lines: number }[], k: number) => blocks.slice(0, k).reduce((n, b) => n + b.lines, 0);

/** Frame ids: the head `<chain>-head`, text `<chain>` or `<chain>-a`, `-b`…, visuals by their id. */
function framesOf(unordered: PlacedFrame[], el: Elements, taken: Set<string>): FrameDef[] {
  // module by module: the head, the text frames in threading order, then the visuals; the page
  // prints frames in this order, so a chain's text is one run in the PDF (copying, extraction)
  const rank = (p: PlacedFrame) => (p.kind === 'head' ? 0 : p.kind === 'text' ? 1 : 2);
  const placed = unordered
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.module - b.p.module || rank(a.p) - rank(b.p) || a.i - b.i)
    .map((x) => x.p);
  const out: FrameDef[] = [];
  const used = new Set(taken);
  const unique = (id: string, kind: string) => {
    let x = used.has(id) ? `${id}-${kind}` : id;
    for (let n = 2; used.has(x); n++) x = `${id}-${kind}${n}`;
    used.add(x);
    return x;
  };
  const textCount = new Map<string, number>();
  for (const p of placed) if (p.kind === 'text') textCount.set(p.ref, (textCount.get(p.ref) ?? 0) + 1);
  const seen = new Map<string, number>();
  const chainIds = new Set(el.chains.map((c) => c.id));
  for (const c of chainIds) used.add(c);
  for (const p of placed) {
    const columns: [number, number] = [p.col + 1, p.col + p.cols];
    if (p.kind === 'head') {
      out.push({
        id: unique(`${p.ref}-head`, 'head'),
        kind: 'head',
        chain: p.ref,
        columns,
        top: p.top,
        lines: p.lines,
      });
    } else if (p.kind === 'text') {
      const n = seen.get(p.ref) ?? 0;
      seen.set(p.ref, n + 1);
      const id = textCount.get(p.ref) === 1 ? p.ref : `${p.ref}-${String.fromCharCode(97 + n)}`;
      if (id !== p.ref) used.add(id);
      out.push({
        id,
        kind: 'text',
        chain: p.ref,
        columns,
        top: p.top,
        lines: p.lines,
        ...(p.lead ? { style: 'lead' as const } : {}),
        ...(p.rule ? { rule: 'top' as const } : {}),
      });
    } else {
      out.push({ id: unique(p.ref, p.kind), kind: p.kind, ref: p.ref, columns, top: p.top, lines: p.lines });
    }
  }
  // a photo right above text may give and take lines with it at build time (copy-fit)
  for (const f of out) {
    if (f.kind !== 'photo') continue;
    const below = out.filter(
      (t) =>
        t.kind === 'text' && t.top === f.top + f.lines && t.columns[0] >= f.columns[0] && t.columns[1] <= f.columns[1],
    );
    if (!below.length || below.some((t) => t.style === 'lead')) continue;
    const v = el.visuals.find((x) => x.kind === 'photo' && x.id === f.ref);
    const opts = v?.options[f.columns[1] - f.columns[0] + 1] ?? [];
    if (opts.length < 2) continue;
    const room = Math.min(...below.map((t) => t.lines)) - LEG_MIN_HARD;
    const min = Math.max(2, opts[0]!.lines);
    const max = Math.min(opts[opts.length - 1]!.lines, f.lines + Math.max(0, room));
    if (min < max && min <= f.lines && f.lines <= max) Object.assign(f, { minLines: min, maxLines: max });
  }
  return out;
}

/** What the story and its visuals need at their least size against what the free page holds. */
interface Demand {
  need: number;
  area: number;
}

/** Why nothing fits: the story against what the page holds once the visuals have their least size. */
function noFit(el: Elements, mods: ModuleSpec[], regions: Rect[][], file: string): InputError & Demand {
  const area = Math.max(...regions.map((rs) => rs.reduce((n, r) => n + r.cols * r.lines, 0)), 0);
  let need = 0;
  for (const m of mods) {
    need += m.chain.leadStyle ? Math.ceil(1.5 * m.chain.leadLines!(4)) * 4 : m.chain.lines;
    if (m.head) need += HEAD_LINES * 2;
    for (const v of m.visuals) need += v.minCols * (v.options[v.minCols]?.[0]?.lines ?? 0);
  }
  return Object.assign(msg.composeNoFit(file, need, area, el.grid.preset.charsPerColumn), { need, area });
}

/** the least share of the free page a story must fill before compose keeps a space for other copy */
const SPACE_BELOW = 0.75;
/** the story and its visuals are given this much more than their least size when a space is kept */
const SPACE_ROOM = [1.2, 1.45];
/** … and for a band below the story: its least size times these */
const SPACE_BAND = [1.05, 1.15, 1.3, 1.45];

/**
 * A story too short for its page: spaces for other copy (pinned frames marked 留版) that leave the
 * story about 1.05–1.45 times the room it needs at least. Two kinds: one rectangle standing on the
 * page's foot or on the pinned frames there (across the page or a part of it, left or right); or
 * all of the page below a line that no pinned frame holds, so that the story gets the page's top
 * as one rectangle (the usual page: a story above, other copy and ads below).
 */
function spacesFor(ed: Edition, el: Elements, d: Demand): FrameDef[][] {
  const C = el.grid.preset.columns;
  const L = el.grid.lines;
  const taken = ed.layout.data.frames.filter((f) => f.pinned || f.kind === 'ad').map(rectOf);
  const top = el.bannerLines + el.headlineLines;
  const meets = (r: Rect) =>
    taken.some(
      (t) => t.col < r.col + r.cols && r.col < t.col + t.cols && t.top < r.top + r.lines && r.top < t.top + t.lines,
    );
  const space = (r: Rect, n: number): FrameDef => ({
    id: n ? `space-${n + 1}` : 'space',
    kind: 'ad',
    mark: '留版',
    label: '另稿',
    columns: [r.col + 1, r.col + r.cols],
    top: r.top,
    lines: r.lines,
    pinned: true,
  });
  const out = new Map<string, Rect[]>();
  for (const room of SPACE_ROOM)
    for (const cols of [...new Set([C, Math.ceil(C / 2), Math.floor(C / 2), C - 2])].filter((w) => w >= 2))
      for (const col of [...new Set([0, C - cols])]) {
        const under = taken.filter((t) => t.col < col + cols && col < t.col + t.cols && t.top >= top);
        const floor = Math.min(L, ...under.map((t) => t.top));
        const lines = Math.round((d.area - d.need * room) / cols);
        const r = { col, cols, top: floor - lines, lines };
        if (lines >= 10 && r.top >= top + 20 && !meets(r)) out.set(`${col}:${cols}:${r.top}:${lines}`, [r]);
      }
  for (const room of SPACE_BAND) {
    const cut = top + Math.ceil((d.need * room) / C);
    if (cut > L - 10) continue;
    // what no pinned frame holds below the cut, column by column, joined into rectangles
    const runs = Array.from({ length: C }, (_, col) => {
      const segs: [number, number][] = [];
      let at = cut;
      for (const t of taken.filter((t) => t.col <= col && col < t.col + t.cols).sort((a, b) => a.top - b.top)) {
        if (t.top + t.lines <= at) continue;
        if (t.top > at) segs.push([at, t.top]);
        at = Math.max(at, t.top + t.lines);
      }
      if (at < L) segs.push([at, L]);
      return segs;
    });
    if (taken.some((t) => t.top < cut && t.top + t.lines > cut)) continue;
    const rects: Rect[] = [];
    for (let col = 0; col < C;) {
      let end = col + 1;
      while (end < C && JSON.stringify(runs[end]) === JSON.stringify(runs[col])) end++;
      for (const [a, b] of runs[col]!) rects.push({ col, cols: end - col, top: a, lines: b - a });
      col = end;
    }
    if (rects.length && rects.every((r) => r.lines >= 5)) out.set(`band:${cut}`, rects);
  }
  return [...out.values()].map((rs) => rs.map(space));
}

export function composeLayout(ed: Edition, bound: Bound, opts: ComposeOptions = {}): Composed {
  const t0 = performance.now();
  const g = editionGrid(ed);
  const strict = elementsOf(ed, bound, g);
  const levels = [strict, ...([1, 2] as const).map((level) => () => elementsOf(ed, bound, g, strict.measurer, level))];
  const elementsAt = (i: number) => {
    const e = levels[i]!;
    return typeof e === 'function' ? (levels[i] = e()) : e;
  };
  // nothing fits at the sizes that read best: a little more freedom, then a few empty lines,
  // each at its cost (the score says what was given up)
  const tryLevels = (
    edition: Edition,
    upTo = levels.length - 1,
    from = 0,
    tried?: ReturnType<typeof composeWith>, // level `from - 1`, already composed
  ) => {
    let first = tried;
    for (let i = from; i <= upTo; i++) {
      const r = composeWith(edition, bound, elementsAt(i), opts);
      first ??= r;
      if (!r.noFit) return { ...r, kept: first.kept ?? r.kept };
    }
    return first!;
  };
  // a story that fills too little of the page: spaces kept for other copy, the best of them
  const withSpaces = (short: Demand, upTo: number) => {
    let best: { c: ReturnType<typeof composeWith>; spaces: FrameDef[] } | undefined;
    for (const spaces of spacesFor(ed, strict, short)) {
      const frames = [...ed.layout.data.frames, ...spaces];
      const c = tryLevels({ ...ed, layout: { ...ed.layout, data: { ...ed.layout.data, frames } } }, upTo);
      const total = c.variants[0]?.score.total;
      if (!c.noFit && total !== undefined && (!best || total < best.c.variants[0]!.score.total)) best = { c, spaces };
    }
    if (!best) return undefined;
    const area = best.spaces.map(rectOf).reduce((n, x) => n + x.cols * x.lines, 0);
    return { ...best.c, space: { frames: best.spaces.length, area } };
  };
  const shortOf = (c: ReturnType<typeof composeWith>) =>
    c.noFit && c.noFit.need < c.noFit.area * SPACE_BELOW ? c.noFit : undefined;
  let r = tryLevels(ed, 0);
  if (r.noFit) {
    // the relaxed levels (visuals let grow or shrink, a few empty lines), and for a short story
    // spaces kept for other copy with its pictures and charts at or near the sizes that read best
    const short = shortOf(r);
    const relaxed = tryLevels(ed, levels.length - 1, 1, r);
    const found = [
      short && withSpaces(short, 1),
      relaxed,
      short && relaxed.noFit && withSpaces(short, levels.length - 1),
    ]
      .filter((c) => c && !c.noFit && c.variants.length)
      .map((c) => c as ReturnType<typeof composeWith>);
    // the best page of these by its score (a space kept for other copy is no cost in itself)
    r = found.sort((x, y) => x.variants[0]!.score.total - y.variants[0]!.score.total)[0] ?? relaxed;
  }
  if (r.noFit) throw r.noFit;
  r.ms = performance.now() - t0;
  return r;
}

function composeWith(
  ed: Edition,
  bound: Bound,
  el: Elements,
  opts: ComposeOptions,
): Composed & { noFit?: InputError & Demand } {
  const g = el.grid;
  const C = g.preset.columns;
  const old = ed.layout.data.frames;

  // pinned frames stay; a chain with a pinned frame keeps all its frames
  const pinnedChains = new Set(old.filter((f) => f.pinned && f.chain).map((f) => f.chain!));
  const pinned = old.filter((f) => f.pinned || f.kind === 'ad' || (f.chain && pinnedChains.has(f.chain)));
  const placedVisual = new Set(pinned.filter((f) => f.ref).map((f) => `${f.kind}:${f.ref}`));
  const free = new Set(el.chains.filter((c) => !pinnedChains.has(c.id)).map((c) => c.id));
  const visuals = el.visuals.filter((v) => !placedVisual.has(`${v.kind}:${v.id}`));
  const mods = modulesOf(el, free, visuals);
  const homesOf = (ms: ModuleSpec[]) =>
    ms.flatMap((m) =>
      m.visuals.map((v) => ({
        id: v.id,
        kind: v.kind,
        home: m.chain.id,
        by: v.home === m.chain.id ? v.homeBy : 'page',
      })),
    );
  const want = Math.max(1, opts.variants ?? 1);
  const result: Composed = { variants: [], elements: el, homes: homesOf(mods), pinned, ms: 0 };
  if (!mods.length) {
    return result;
  }

  // the banner and headline band across the top (unless pinned), with up to two lines of air
  // more under the headline when that lets the page fit
  const bandOf = (air: number): FrameDef[] => {
    const band: FrameDef[] = [];
    const banner = pinned.find((f) => f.kind === 'banner');
    if (!banner && el.bannerLines)
      band.push({ id: 'banner', kind: 'banner', columns: [1, C], top: 0, lines: el.bannerLines });
    if (!pinned.some((f) => f.kind === 'headline'))
      band.push({
        id: 'headline',
        kind: 'headline',
        columns: [1, C],
        top: banner ? banner.top + banner.lines : el.bannerLines,
        lines: el.headlineLines + air,
      });
    return band;
  };
  const meets = (a: Rect, b: Rect) =>
    a.col < b.col + b.cols && b.col < a.col + a.cols && a.top < b.top + b.lines && b.top < a.top + a.lines;
  const pages = [0, 1, 2]
    .map((air) => {
      const band = bandOf(air);
      // a band that would run into a pinned frame is not an option
      if (band.some((b) => pinned.some((p) => meets(rectOf(b), rectOf(p))))) return undefined;
      const fixed = [...band, ...pinned];
      return {
        air,
        fixed,
        decompositions: freeRegions({ col: 0, cols: C, top: 0, lines: g.lines }, fixed.map(rectOf)),
      };
    })
    .filter((p) => p !== undefined && p.decompositions.length > 0) as {
    air: number;
    fixed: FrameDef[];
    decompositions: Rect[][];
  }[];
  if (!pages.length) throw msg.composePinned(ed.layout.file);
  const candidates = (sols: Solution[], fixed: FrameDef[], extra: number): Variant[] =>
    sols.map((s) => {
      const placed = s.parts.flatMap((p) => materialise(p.node, p.region.col, p.region.top));
      const frames = [...fixed, ...framesOf(placed, el, new Set(fixed.map((f) => f.id)))];
      const score = scoreLayout(scoreInput(ed, bound, el, frames));
      return { frames, score, searchCost: s.cost + extra, shape: s.shape };
    });
  const best = (vs: Variant[]) => vs.sort((a, b) => a.score.total - b.score.total || a.searchCost - b.searchCost);

  // keep mode: the earlier arrangement (and its headline band), resized
  if (!opts.fresh && old.some((f) => f.kind === 'text' && f.chain && free.has(f.chain))) {
    const oldBand = old.filter((f) => (f.kind === 'banner' || f.kind === 'headline') && !f.pinned);
    const fixed = [...(oldBand.length ? oldBand : bandOf(0)), ...pinned];
    const decompositions = freeRegions({ col: 0, cols: C, top: 0, lines: g.lines }, fixed.map(rectOf));
    const kept = keptArrangement(el, mods, old, fixed, decompositions);
    if (kept.solutions.length) {
      result.variants = best(candidates(kept.solutions, fixed, 0)).slice(0, want);
      result.kept = { kept: true };
      return result;
    }
    result.kept = { kept: false, ...(kept.reason ? { reason: kept.reason } : {}) };
  }

  const maxH = Math.max(...pages.flatMap((p) => p.decompositions.flatMap((rs) => rs.map((r) => r.lines))));
  // a visual that goes with no section in particular may go in any section, one matched by its
  // caption alone also in the sections next to that one: each way is searched, fewest moves first
  const where = new Map(mods.flatMap((m) => m.visuals.map((v) => [v.id, m.index] as const)));
  const options = visuals
    .filter((v) => !v.lead && v.kind !== 'factbox' && (v.homeBy === 'page' || v.homeBy === 'caption'))
    .map((v) => {
      const at = where.get(v.id)!;
      const near =
        v.homeBy === 'caption' ? [at - 1, at + 1] : mods.filter((m) => m.chain.role !== 'closing').map((m) => m.index);
      return { id: v.id, at, moves: [...new Set(near)].filter((i) => i !== at && i >= 0 && i < mods.length) };
    });
  let ways: { map: Map<string, number>; moves: number }[] = [{ map: new Map<string, number>(), moves: 0 }];
  for (const o of options)
    ways = ways.flatMap((w) => [
      w,
      ...o.moves.map((i) => ({ map: new Map([...w.map, [o.id, i]]), moves: w.moves + 1 })),
    ]);
  ways = ways.sort((a, b) => a.moves - b.moves).slice(0, MAX_WAYS);
  const leaves = new Map<string, ModuleConfig[][]>();
  const tried = new Set<string>();
  const all = best(
    ways
      .flatMap(({ map }) => {
        const base = map.size ? modulesOf(el, free, visuals, map) : mods;
        // moving a visual is tried only where it leaves at most three in a module; a module of
        // more has many arrangements: beside other modules only its parts are tried
        if (map.size && base.some((m) => m.visuals.length > 3)) return [];
        const parts = splits(base);
        return parts.length && base.length > 1 && base.some((m) => m.visuals.length > 3) ? parts : [base, ...parts];
      })
      .flatMap((ms) => {
        const key = ms
          .map((m) => `${m.chain.id}.${m.part ?? 0}:${m.chain.lines}:${m.visuals.map((v) => v.id).join(',')}`)
          .join('|');
        if (tried.has(key)) return [];
        tried.add(key);
        const packer = new Packer(el, ms, maxH, { k: 3, leaves });
        const homes = homesOf(ms);
        return pages.flatMap((p) =>
          candidates(
            solve(packer, ms.length, p.decompositions, Math.max(12, 4 * want)),
            p.fixed,
            p.air * WEIGHTS.headAir,
          ).map((v) => ({ ...v, homes })),
        );
      }),
  );
  if (!all.length) return { ...result, noFit: noFit(el, mods, pages[0]!.decompositions, ed.layout.file) };
  // variants: distinct arrangements of the modules (not only other sizes of one)
  const seen = new Set<string>();
  for (const v of all) {
    // the arrangement: which module is where (sizes and the headline's air aside)
    const key = v.frames
      .filter((f) => f.kind === 'head' || f.kind === 'photo' || f.kind === 'chart' || f.kind === 'factbox')
      .map((f) => `${f.id}@${f.columns.join('-')}`)
      .sort()
      .join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    result.variants.push(v);
    if (result.variants.length >= want) break;
  }
  result.homes = all[0]!.homes ?? result.homes;
  return result;
}

/** The share of the grid a frame takes (for reports). */
export function shareOf(el: Elements, f: FrameDef): number {
  const g = el.grid;
  const C = g.preset.columns;
  return (widthMm(g, f.columns[1] - f.columns[0] + 1) * f.lines) / (widthMm(g, C) * g.lines);
}
