/**
 * One module: a section (its head, its text and the visuals that go with it) in a rectangle of
 * w columns by h lines. Every arrangement of the module is enumerated: a visual above the head,
 * or the body split into column groups, each either text (with a visual over and/or under it)
 * or a stack of visuals; for each arrangement and height the visuals' heights are chosen so
 * the text fills its frames exactly (at most one empty line), by arithmetic on line counts,
 * and the arrangement is checked by threading the chain as the page does (thread.ts).
 */
import type { ChainInfo, SizeOption, VisualInfo, Elements } from './elements.js';
import { HEAD_LINES, HEAD_PT, headMinCols, headPt } from './elements.js';
import { thread } from './thread.js';
import { LEG_LONG, LEG_MIN_HARD, LEG_SHORT, WEIGHTS } from './rules.js';

/** empty lines a chain may end with when nothing fits otherwise */
export const MAX_EMPTY_RELAXED = 5;

export interface ModuleSpec {
  index: number;
  chain: ChainInfo;
  visuals: VisualInfo[];
  /** the section head has a frame of its own over the module */
  head: boolean;
  /** a rule over the text (the closing part) */
  rule: boolean;
  /** a chain set in two modules: which part (0: the whole chain, or its first part; 1: the rest) */
  part?: number;
  /** the text must fill its frames exactly (a first part: the rest follows it) */
  exact?: boolean;
}

/** A frame inside a module, in grid units relative to the module's top left corner. */
export interface Placed {
  kind: 'head' | 'text' | 'photo' | 'chart' | 'factbox';
  /** the chain (head, text) or the visual's id */
  ref: string;
  col: number;
  cols: number;
  top: number;
  lines: number;
  lead?: boolean;
  rule?: boolean;
  /** a photo over text: the heights copy-fit may give it */
  flex?: [number, number];
}

/** Something on a module's edge that a neighbour must not repeat: a head, or a photo's size. */
export interface EdgeMark {
  kind: 'head' | 'photo';
  top: number;
  lines: number;
  cols: number;
}

export interface ModuleConfig {
  module: number;
  w: number;
  h: number;
  cost: number;
  frames: Placed[];
  /** the arrangement without sizes: variants differ in it */
  shape: string;
  left: EdgeMark[];
  right: EdgeMark[];
  emptyLines: number;
  widows: number;
}

interface Group {
  cols: number;
  kind: 'T' | 'V';
  top: number;
  bottom: number;
  stack: number[];
}
interface Structure {
  above: number;
  groups: Group[];
}

function* compositions(w: number, parts: number): Generator<number[]> {
  if (parts === 1) {
    yield [w];
    return;
  }
  yield [w];
  for (let first = 1; first < w; first++) for (const rest of compositions(w - first, parts - 1)) yield [first, ...rest];
}

/** Every way to arrange a module's visuals in a module w columns wide. */
export function structures(m: ModuleSpec, w: number): Structure[] {
  const V = m.visuals.length;
  const out: Structure[] = [];
  const fitsWidth = (v: number, cols: number) => (m.visuals[v]!.options[cols]?.length ?? 0) > 0;
  const maxParts = Math.min(3, V + 1, w);
  const seen = new Set<string>();
  for (const comp of compositions(w, maxParts)) {
    const g = comp.length;
    for (let mask = 0; mask < 1 << g; mask++) {
      // bit set: a visual stack; at least one text group; a lead is one text group
      const kinds = comp.map((_, i): 'T' | 'V' => ((mask >> i) & 1 ? 'V' : 'T'));
      const texts = kinds.filter((k) => k === 'T').length;
      if (texts === 0 || (m.chain.leadStyle && texts !== 1)) continue;
      const groups: Group[] = comp.map((cols, i) => ({ cols, kind: kinds[i]!, top: -1, bottom: -1, stack: [] }));
      let above = -1;
      const assign = (v: number): void => {
        if (v === V) {
          if (groups.some((gr) => gr.kind === 'V' && gr.stack.length === 0)) return;
          for (let i = 1; i < g; i++) {
            const a = groups[i - 1]!;
            const b = groups[i]!;
            if (a.kind === 'T' && b.kind === 'T' && a.top < 0 && a.bottom < 0 && b.top < 0 && b.bottom < 0) return;
            // the reader never jumps over a picture to go on reading
            if (
              b.kind === 'V' &&
              i + 1 < g &&
              groups.slice(0, i).some((x) => x.kind === 'T') &&
              groups.slice(i + 1).some((x) => x.kind === 'T')
            )
              return;
          }
          const s: Structure = { above, groups: groups.map((gr) => ({ ...gr, stack: [...gr.stack] })) };
          const key = shapeOf(s);
          if (!seen.has(key)) {
            seen.add(key);
            out.push(s);
          }
          return;
        }
        // a visual across the module's top (above its head, if it has one); not over a closing rule
        if (!m.rule && above < 0 && fitsWidth(v, w)) {
          above = v;
          assign(v + 1);
          above = -1;
        }
        for (const gr of groups) {
          if (!fitsWidth(v, gr.cols)) continue;
          if (gr.kind === 'V') {
            if (gr.stack.length >= 2) continue;
            gr.stack.push(v);
            assign(v + 1);
            gr.stack.pop();
            continue;
          }
          for (const slot of ['top', 'bottom'] as const) {
            if (gr[slot] >= 0) continue;
            gr[slot] = v;
            assign(v + 1);
            gr[slot] = -1;
          }
        }
      };
      assign(0);
    }
  }
  return out;
}

function shapeOf(s: Structure): string {
  const gs = s.groups
    .map((g) =>
      g.kind === 'V'
        ? `${g.cols}V${g.stack.join('+')}`
        : `${g.cols}T${g.top < 0 ? '' : g.top}/${g.bottom < 0 ? '' : g.bottom}`,
    )
    .join('|');
  return `${s.above < 0 ? '' : `^${s.above}`}${gs}`;
}

interface SumEntry {
  cost: number;
  lines: number[];
}

/**
 * The least cost of heights for `vis` (each with its options and weight) summing, weighted,
 * to each total: a small dynamic programme over the visuals (back pointers, the heights read
 * out at the end).
 */
function sumTable(vis: { opts: SizeOption[]; weight: number }[]): Map<number, SumEntry> {
  const stages: Map<number, { cost: number; from: number; lines: number }>[] = [
    new Map([[0, { cost: 0, from: 0, lines: 0 }]]),
  ];
  for (const v of vis) {
    const prev = stages[stages.length - 1]!;
    const next = new Map<number, { cost: number; from: number; lines: number }>();
    for (const [sum, e] of prev)
      for (const o of v.opts) {
        const k = sum + o.lines * v.weight;
        const c = e.cost + o.cost;
        const cur = next.get(k);
        if (!cur || c < cur.cost) next.set(k, { cost: c, from: sum, lines: o.lines });
      }
    stages.push(next);
  }
  const out = new Map<number, SumEntry>();
  for (const [sum, e] of stages[stages.length - 1]!) {
    const lines: number[] = [];
    let at = sum;
    for (let i = stages.length - 1; i > 0; i--) {
      const x = stages[i]!.get(at)!;
      lines.unshift(x.lines);
      at = x.from;
    }
    out.set(sum, { cost: e.cost, lines });
  }
  return out;
}

/** Keeps the k cheapest of a list, sorted by cost, one per shape (the cheaper of two of one shape). */
export function pushBest<T extends { cost: number; shape: string }>(list: T[], c: T, k: number): void {
  const same = list.findIndex((x) => x.shape === c.shape);
  if (same >= 0) {
    if (list[same]!.cost <= c.cost) return;
    list.splice(same, 1);
  }
  let i = list.length;
  while (i > 0 && list[i - 1]!.cost > c.cost) i--;
  if (i >= k) return;
  list.splice(i, 0, c);
  if (list.length > k) list.pop();
}

/**
 * All of a module's configurations w columns wide, by height: the k best at each height up to
 * `maxH` lines (index: height).
 */
/** A lead set large in `cols` of the page's `C` columns: narrower than half the page, or one column. */
export function leadNarrowCost(cols: number, C: number): number {
  return 2 * cols >= C ? 0 : cols <= 1 ? WEIGHTS.leadOneColumn : WEIGHTS.leadNarrow;
}

export function moduleConfigs(el: Elements, m: ModuleSpec, w: number, maxH: number, k = 3): ModuleConfig[][] {
  const g = el.grid;
  const C = g.preset.columns;
  const out: ModuleConfig[][] = Array.from({ length: maxH + 1 }, () => []);
  const chain = m.chain;
  // a head takes 3 lines, or 4 with more air around it (a slack line for the module)
  const headChoices = m.head ? [HEAD_LINES, HEAD_LINES + 1] : [0];
  if (m.head && chain.head && w < headMinCols(g, chain.head)) return out;
  const headCost = m.head && chain.head ? WEIGHTS.headSize * Math.max(0, HEAD_PT - headPt(g, chain.head, w)) : 0;
  // empty lines a chain may end with: one (more where a head set in the text may leave a gap;
  // a few, at a cost, when nothing else fits)
  const maxEmpty = m.exact ? 0 : el.relax === 2 ? MAX_EMPTY_RELAXED : 1;
  const E = m.exact
    ? [0]
    : Array.from({ length: chain.blocks.some((b) => b.kind === 'head') ? 4 : maxEmpty + 1 }, (_, i) => i);

  const sumMemo = new Map<string, Map<number, SumEntry>>();
  const sumOf = (vis: { v: number; cols: number; opts: SizeOption[]; weight: number }[]) => {
    const key = vis.map((x) => `${x.v}:${x.cols}:${x.weight}`).join(' ');
    let t = sumMemo.get(key);
    if (!t) sumMemo.set(key, (t = sumTable(vis)));
    return t;
  };
  const threadMemo = new Map<string, ReturnType<typeof thread>>();
  const threaded = (caps: number[]) => {
    const key = caps.join(',');
    let r = threadMemo.get(key);
    if (!r) threadMemo.set(key, (r = thread(chain.blocks, caps)));
    return r;
  };

  for (const s of structures(m, w)) {
    const tGroups = s.groups.filter((x) => x.kind === 'T');
    const vGroups = s.groups.filter((x) => x.kind === 'V');
    const tVis: { v: number; cols: number; opts: SizeOption[]; weight: number }[] = [];
    for (const gr of tGroups)
      for (const v of [gr.top, gr.bottom])
        if (v >= 0)
          tVis.push({ v, cols: gr.cols, opts: m.visuals[v]!.options[gr.cols]!, weight: chain.leadStyle ? 1 : gr.cols });
    const sums = sumOf(tVis);
    const stacks = vGroups.map((gr) =>
      sumOf(gr.stack.map((v) => ({ v, cols: gr.cols, opts: m.visuals[v]!.options[gr.cols]!, weight: 1 }))),
    );
    const aboveOpts: SizeOption[] = s.above >= 0 ? m.visuals[s.above]!.options[w]! : [{ lines: 0, cost: 0, share: 0 }];
    const tCols = tGroups.reduce((n, x) => n + x.cols, 0);
    // a lead is read right under the headline: a picture over it comes first
    const leadBelow =
      chain.role === 'lead' && (s.above >= 0 || tGroups.some((x) => x.top >= 0)) ? WEIGHTS.leadBelow : 0;
    // a lead set large reads across at least half the page (score.ts scores its text's width)
    const leadCost = chain.role === 'lead' && chain.leadStyle ? leadNarrowCost(tCols, C) : 0;
    const structCost = WEIGHTS.groups * (s.groups.length - 1) + headCost + leadCost + leadBelow;
    const shape = shapeOf(s);

    // a rule over text at the module's top (the closing part: no head) takes a line of each column
    const ruleCols = m.rule ? tGroups.filter((x) => x.top < 0).reduce((n, x) => n + x.cols, 0) : 0;
    // the body heights H at which the text can fill its frames: from the weighted sums the text
    // groups' visuals can take, never by trying every height
    const bodies: { H: number; entry: SumEntry; e: number }[] = [];
    for (const [sum, entry] of sums) {
      if (chain.leadStyle) {
        const nl = chain.leadLines!(tCols);
        const n0 = Math.ceil(1.5 * nl - 1e-9);
        for (let n = n0; n <= n0 + 2; n++) {
          const e = Math.round(n / 1.5 - nl);
          if (e <= 1) bodies.push({ H: n + sum, entry, e });
        }
      } else
        for (const e of E) {
          const num = sum + chain.lines + e + ruleCols;
          if (num % tCols === 0) bodies.push({ H: num / tCols, entry, e });
        }
    }
    for (const { H, entry, e: e0 } of bodies) {
      if (H < LEG_MIN_HARD || H > maxH) continue;
      let stackCost = 0;
      const stackLines: number[][] = [];
      let ok = true;
      for (const st of stacks) {
        const x = st.get(H);
        if (!x) {
          ok = false;
          break;
        }
        stackCost += x.cost;
        stackLines.push(x.lines);
      }
      if (!ok) continue;
      // heights of each text group's visuals, in the order tVis lists them
      const vl = new Map<number, number>();
      tVis.forEach((x, i) => vl.set(x.v, entry.lines[i]!));
      let legs = 0;
      const caps: number[] = [];
      let bad = false;
      for (const gr of tGroups) {
        const n = H - (vl.get(gr.top) ?? 0) - (vl.get(gr.bottom) ?? 0);
        if (n < (chain.leadStyle ? 3 : LEG_MIN_HARD)) {
          bad = true;
          break;
        }
        if (!chain.leadStyle) {
          if (n < LEG_SHORT) legs += WEIGHTS.shortLeg * (LEG_SHORT - n);
          if (n > LEG_LONG) legs += WEIGHTS.longLeg * (n - LEG_LONG);
          const rule = m.rule && gr.top < 0;
          for (let c = 0; c < gr.cols; c++) caps.push(n - (rule ? 1 : 0));
        }
      }
      if (bad) continue;
      // text starting at several heights across the module looks ragged
      legs += WEIGHTS.ragged * (new Set(tGroups.map((x) => vl.get(x.top) ?? 0)).size - 1);
      let empty = e0;
      let widows = 0;
      if (!chain.leadStyle) {
        const r = threaded(caps);
        if (r.oversetLines > 0 || r.emptyLines > maxEmpty) continue;
        empty = r.emptyLines;
        widows = r.widows;
      }
      const body =
        structCost +
        stackCost +
        entry.cost +
        legs +
        Math.min(empty, 1) * WEIGHTS.oneEmpty +
        Math.max(0, empty - 1) * WEIGHTS.underset +
        widows * WEIGHTS.widow;
      for (const a of aboveOpts)
        for (const headLines of headChoices) {
          const h = H + a.lines + headLines;
          if (h > maxH) continue;
          const total = body + a.cost + (headLines > HEAD_LINES ? WEIGHTS.headAir : 0);
          const best = out[h]!;
          if (best.length >= k && best[best.length - 1]!.cost <= total) continue;
          const frames = place(m, s, w, a.lines, headLines, vl, stackLines, H);
          const edges = edgeMarks(frames, w);
          pushBest(
            best,
            {
              module: m.index,
              w,
              h,
              cost: total,
              frames,
              shape: `${chain.id}${m.part ? `.${m.part}` : ''}:${shape}`,
              left: edges.left,
              right: edges.right,
              emptyLines: empty,
              widows,
            },
            k,
          );
        }
    }
  }
  return out;
}

function place(
  m: ModuleSpec,
  s: Structure,
  w: number,
  above: number,
  headLines: number,
  vl: Map<number, number>,
  stackLines: number[][],
  H: number,
): Placed[] {
  const frames: Placed[] = [];
  const vis = (v: number, col: number, cols: number, top: number, lines: number): Placed => {
    const x = m.visuals[v]!;
    return { kind: x.kind, ref: x.id, col, cols, top, lines };
  };
  if (s.above >= 0) frames.push(vis(s.above, 0, w, 0, above));
  if (headLines) frames.push({ kind: 'head', ref: m.chain.id, col: 0, cols: w, top: above, lines: headLines });
  const y = above + headLines;
  let x = 0;
  let vg = 0;
  for (const gr of s.groups) {
    if (gr.kind === 'V') {
      let top = y;
      gr.stack.forEach((v, i) => {
        const l = stackLines[vg]![i]!;
        frames.push(vis(v, x, gr.cols, top, l));
        top += l;
      });
      vg++;
    } else {
      const t = vl.get(gr.top) ?? 0;
      const b = vl.get(gr.bottom) ?? 0;
      if (gr.top >= 0) frames.push(vis(gr.top, x, gr.cols, y, t));
      const n = H - t - b;
      const text: Placed = { kind: 'text', ref: m.chain.id, col: x, cols: gr.cols, top: y + t, lines: n };
      if (m.chain.leadStyle) text.lead = true;
      if (m.rule && y + t === 0) text.rule = true;
      frames.push(text);
      if (gr.bottom >= 0) frames.push(vis(gr.bottom, x, gr.cols, y + t + n, b));
    }
    x += gr.cols;
  }
  return frames;
}

function edgeMarks(frames: Placed[], w: number): { left: EdgeMark[]; right: EdgeMark[] } {
  const left: EdgeMark[] = [];
  const right: EdgeMark[] = [];
  for (const f of frames) {
    if (f.kind !== 'head' && f.kind !== 'photo') continue;
    const mark: EdgeMark = { kind: f.kind, top: f.top, lines: f.lines, cols: f.cols };
    if (f.col === 0) left.push(mark);
    if (f.col + f.cols === w) right.push(mark);
  }
  return { left, right };
}
