/**
 * Composing again after a text change: the arrangement of the existing layout.yaml is kept
 * (each section in the columns it had, the same cuts between sections, in the same free region)
 * and only heights change: the cuts across move, the visuals take other heights within their
 * ranges, the text frames follow. Each module keeps its inner arrangement where it can (a frame
 * that moves to other columns inside it costs WEIGHTS.moved). When the earlier layout is not a
 * guillotine of sections in story order, or no heights fit, the caller searches anew.
 */
import type { FrameDef } from '../load/edition.js';
import type { Elements } from './elements.js';
import { moduleConfigs, type ModuleConfig, type ModuleSpec } from './modules.js';
import { edgePenalty, type Node, type Rect, type Solution } from './search.js';
import { WEIGHTS } from './rules.js';
import { composeNotes as N } from '../messages.js';

export interface Kept {
  solutions: Solution[];
  reason?: string;
}

type Tree = { module: number; rect: Rect } | { cut: 'v' | 'h'; at: number; a: Tree; b: Tree; rect: Rect };

const inside = (r: Rect, o: Rect) =>
  o.col >= r.col && o.top >= r.top && o.col + o.cols <= r.col + r.cols && o.top + o.lines <= r.top + r.lines;

/** The guillotine tree of module rectangles filling `r`, read in story order; undefined if none. */
function treeOf(r: Rect, mods: { index: number; rect: Rect }[]): Tree | undefined {
  if (mods.length === 1) {
    const m = mods[0]!;
    const same = m.rect.col === r.col && m.rect.cols === r.cols && m.rect.top === r.top && m.rect.lines === r.lines;
    return same ? { module: m.index, rect: r } : undefined;
  }
  const tryCut = (cut: 'v' | 'h', at: number): Tree | undefined => {
    const [ra, rb]: [Rect, Rect] =
      cut === 'h'
        ? [
            { ...r, lines: at },
            { ...r, top: r.top + at, lines: r.lines - at },
          ]
        : [
            { ...r, cols: at },
            { ...r, col: r.col + at, cols: r.cols - at },
          ];
    const a = mods.filter((m) => inside(ra, m.rect));
    const b = mods.filter((m) => inside(rb, m.rect));
    if (!a.length || !b.length || a.length + b.length !== mods.length) return undefined;
    // story order: every module of the first part comes before every module of the second
    if (Math.max(...a.map((m) => m.index)) > Math.min(...b.map((m) => m.index))) return undefined;
    const ta = treeOf(ra, a);
    const tb = ta && treeOf(rb, b);
    return ta && tb ? { cut, at, a: ta, b: tb, rect: r } : undefined;
  };
  for (let at = 1; at < r.lines; at++) {
    const t = tryCut('h', at);
    if (t) return t;
  }
  for (let at = 1; at < r.cols; at++) {
    const t = tryCut('v', at);
    if (t) return t;
  }
  return undefined;
}

const rectOf = (f: FrameDef): Rect => ({
  col: f.columns[0] - 1,
  cols: f.columns[1] - f.columns[0] + 1,
  top: f.top,
  lines: f.lines,
});

function bbox(rs: Rect[]): Rect {
  const c0 = Math.min(...rs.map((r) => r.col));
  const t0 = Math.min(...rs.map((r) => r.top));
  const c1 = Math.max(...rs.map((r) => r.col + r.cols));
  const t1 = Math.max(...rs.map((r) => r.top + r.lines));
  return { col: c0, top: t0, cols: c1 - c0, lines: t1 - t0 };
}

export function keptArrangement(
  el: Elements,
  mods: ModuleSpec[],
  old: FrameDef[],
  _fixed: FrameDef[],
  decompositions: Rect[][],
  k = 4,
): Kept {
  // each module's rectangle in the earlier layout: its chain's frames and its visuals'
  const rects: { index: number; rect: Rect; frames: FrameDef[] }[] = [];
  for (const m of mods) {
    const refs = new Set(m.visuals.map((v) => `${v.kind}:${v.id}`));
    const frames = old.filter(
      (f) =>
        ((f.kind === 'text' || f.kind === 'head') && f.chain === m.chain.id) ||
        (f.ref !== undefined && refs.has(`${f.kind}:${f.ref}`)),
    );
    if (!frames.some((f) => f.kind === 'text')) return { solutions: [], reason: N.keepNoFrame(m.chain.id) };
    rects.push({ index: m.index, rect: bbox(frames.map(rectOf)), frames });
  }
  // which free regions the modules filled
  let regions: { region: Rect; tree: Tree }[] | undefined;
  for (const rs of decompositions) {
    const trees = rs.map((region) => {
      const here = rects.filter((x) => inside(region, x.rect));
      return here.length ? treeOf(region, here) : undefined;
    });
    if (
      trees.every((t) => t) &&
      rs.reduce((n, r) => n + rects.filter((x) => inside(r, x.rect)).length, 0) === rects.length
    ) {
      regions = rs.map((region, i) => ({ region, tree: trees[i]! }));
      break;
    }
  }
  if (!regions)
    return {
      solutions: [],
      reason: N.keepNotModular(),
    };

  // what a module looked like inside, to keep it so
  const before = new Map(
    rects.map((x) => [
      x.index,
      new Set(
        x.frames.map(
          (f) => `${f.kind}:${f.ref ?? f.chain}:${f.columns[0] - 1 - x.rect.col}:${f.columns[1] - f.columns[0] + 1}`,
        ),
      ),
    ]),
  );
  const moved = (c: ModuleConfig) => {
    const was = before.get(c.module)!;
    let n = 0;
    for (const f of c.frames) if (!was.has(`${f.kind}:${f.ref}:${f.col}:${f.cols}`)) n++;
    return n * WEIGHTS.moved;
  };
  const maxH = el.grid.lines;
  const leafConfigs = new Map<string, ModuleConfig[][]>();
  const leaves = (m: number, w: number) => {
    const key = `${m}:${w}`;
    let c = leafConfigs.get(key);
    if (!c) {
      c = moduleConfigs(el, mods[m]!, w, maxH, 8);
      leafConfigs.set(key, c);
    }
    return c;
  };

  const memo = new Map<string, Node[]>();
  const solveTree = (t: Tree, h: number): Node[] => {
    const key = `${t.rect.col},${t.rect.top},${t.rect.cols},${t.rect.lines}:${h}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const w = t.rect.cols;
    const out: Node[] = [];
    const push = (n: Node) => {
      out.push(n);
      out.sort((x, y) => x.cost - y.cost);
      if (out.length > k) out.pop();
    };
    if ('module' in t) {
      for (const c of leaves(t.module, w)[h] ?? [])
        push({ cost: c.cost + moved(c), w, h, leaf: c, left: c.left, right: c.right, shape: c.shape, tree: c.shape });
    } else if (t.cut === 'v') {
      for (const a of solveTree(t.a, h))
        for (const b of solveTree(t.b, h))
          push({
            cost: a.cost + b.cost + edgePenalty(a.right, b.left),
            w,
            h,
            cut: 'v',
            at: t.at,
            a,
            b,
            left: a.left,
            right: b.right,
            shape: `(${a.shape}|${b.shape})`,
            tree: `(${a.tree}|${b.tree})`,
          });
    } else {
      for (let h1 = 1; h1 < h; h1++) {
        const as = solveTree(t.a, h1);
        if (!as.length) continue;
        const bs = solveTree(t.b, h - h1);
        for (const a of as)
          for (const b of bs)
            push({
              cost: a.cost + b.cost + Math.abs(h1 - t.at) * 0.1,
              w,
              h,
              cut: 'h',
              at: h1,
              a,
              b,
              left: [...a.left, ...b.left.map((x) => ({ ...x, top: x.top + h1 }))],
              right: [...a.right, ...b.right.map((x) => ({ ...x, top: x.top + h1 }))],
              shape: `(${a.shape}/${b.shape})`,
              tree: `(${a.tree}/${b.tree})`,
            });
      }
    }
    memo.set(key, out);
    return out;
  };

  // the regions' solutions combined (each region independently: they share no module)
  let sols: Solution[] = [{ cost: 0, parts: [], shape: '' }];
  for (const { region, tree } of regions) {
    const nodes = solveTree(tree, region.lines);
    if (!nodes.length)
      return {
        solutions: [],
        reason: N.keepNoHeights(region.col + 1, region.col + region.cols),
      };
    const next: Solution[] = [];
    for (const s of sols)
      for (const n of nodes)
        next.push({ cost: s.cost + n.cost, parts: [...s.parts, { region, node: n }], shape: `${s.shape}[${n.tree}]` });
    sols = next.sort((a, b) => a.cost - b.cost).slice(0, k);
  }
  return { solutions: sols };
}
