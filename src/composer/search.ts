/**
 * The search: modules (one per chain, in story order) packed into the page by guillotine cuts,
 * solved exactly by dynamic programming over intervals of modules (Gange, Marriott and Stuckey,
 * "Optimal guillotine layout", DocEng 2012). A rectangle w × h holds modules i..j either as one
 * module, or cut down (i..m left of m+1..j, same height) or across (i..m above m+1..j, same
 * width). Reading the leaves of any such tree left to right and top to bottom follows the story.
 * Each state keeps its k best solutions; two modules side by side pay for bumping heads and
 * for photos of the same size at the same height.
 *
 * Pinned frames (an ad, a photo the editor placed) are obstacles: the free part of the page is
 * cut along their edges into rectangles, read in order, and the modules are shared out among
 * them in story order.
 */
import type { EdgeMark, ModuleConfig, Placed } from './modules.js';
import { moduleConfigs, pushBest } from './modules.js';
import type { ModuleSpec } from './modules.js';
import type { Elements } from './elements.js';
import { WEIGHTS } from './rules.js';

export interface Rect {
  col: number;
  top: number;
  cols: number;
  lines: number;
}

export interface Node {
  cost: number;
  w: number;
  h: number;
  leaf?: ModuleConfig;
  cut?: 'v' | 'h';
  /** width of the left part (cut down) or height of the top part (cut across) */
  at?: number;
  a?: Node;
  b?: Node;
  left: EdgeMark[];
  right: EdgeMark[];
  /** what a state keeps distinct: a leaf's arrangement inside, a cut's arrangement of modules */
  shape: string;
  /** the arrangement of modules only (which module where, how wide), not what is inside them */
  tree: string;
}

/** Penalty for two module edges side by side: heads at the same height, photos of one size. */
export function edgePenalty(right: EdgeMark[], left: EdgeMark[]): number {
  let p = 0;
  for (const x of right)
    for (const y of left) {
      if (x.kind === 'head' && y.kind === 'head' && x.top < y.top + y.lines && y.top < x.top + x.lines)
        p += WEIGHTS.bump;
      if (x.kind === 'photo' && y.kind === 'photo' && x.top === y.top && x.lines === y.lines && x.cols === y.cols)
        p += WEIGHTS.twins;
    }
  return p;
}

const shift = (marks: EdgeMark[], dy: number) => marks.map((m) => ({ ...m, top: m.top + dy }));

/** Keeps a module at the columns it had (keep mode): module index → [first column, columns]. */
export type Fixed = Map<number, { col: number; cols: number }>;

export interface SearchOptions {
  k?: number;
  /** module configurations already computed, by chain, visuals and width (shared between searches) */
  leaves?: Map<string, ModuleConfig[][]>;
  /** penalty per module (index) per width it took in an earlier variant: variants differ */
  avoid?: Map<number, Set<string>>;
}

/**
 * The k best ways to fill a w × h rectangle with modules i..j, for every interval, width and
 * height: built bottom up, intervals by length.
 */
export class Packer {
  private table = new Map<number, Node[]>();
  /** heights with a solution, per interval and width */
  private heights = new Map<number, number[]>();
  readonly k: number;
  private C: number;

  constructor(
    el: Elements,
    modules: ModuleSpec[],
    private maxH: number,
    opts: SearchOptions = {},
  ) {
    this.k = opts.k ?? 3;
    this.C = el.grid.preset.columns;
    const n = modules.length;
    // leaves
    for (const m of modules)
      for (let w = 1; w <= this.C; w++) {
        const key = `${m.chain.id}#${m.part ?? 0}:${m.chain.lines}|${m.visuals.map((v) => v.id).join(',')}|${w}|${maxH}|${this.k}`;
        let configs = opts.leaves?.get(key);
        if (!configs) {
          configs = moduleConfigs(el, m, w, maxH, this.k);
          opts.leaves?.set(key, configs);
        }
        configs.forEach((list, h) => {
          for (const c of list) {
            const extra = opts.avoid?.get(m.index)?.has(c.shape) ? 60 : 0;
            this.push(m.index, m.index, w, h, {
              cost: c.cost + extra,
              w,
              h,
              leaf: c,
              left: c.left,
              right: c.right,
              shape: `${c.shape}@${w}`,
              tree: `${m.chain.id}${m.part ? `.${m.part}` : ''}@${w}`,
            });
          }
        });
      }
    for (let len = 2; len <= n; len++)
      for (let i = 0; i + len - 1 < n; i++) {
        const j = i + len - 1;
        for (let w = 1; w <= this.C; w++) this.combine(i, j, w);
      }
  }

  private key(i: number, j: number, w: number, h: number): number {
    return ((i * 64 + j) * 64 + w) * 1024 + h;
  }

  get(i: number, j: number, w: number, h: number): Node[] {
    return this.table.get(this.key(i, j, w, h)) ?? [];
  }

  private push(i: number, j: number, w: number, h: number, n: Node): void {
    const key = this.key(i, j, w, h);
    let list = this.table.get(key);
    if (!list) {
      list = [];
      this.table.set(key, list);
      const hk = (i * 64 + j) * 64 + w;
      const hs = this.heights.get(hk) ?? [];
      hs.push(h);
      this.heights.set(hk, hs);
    }
    pushBest(list, n, this.k);
  }

  private hs(i: number, j: number, w: number): number[] {
    return this.heights.get((i * 64 + j) * 64 + w) ?? [];
  }

  private combine(i: number, j: number, w: number): void {
    for (let m = i; m < j; m++) {
      // cut down: i..m on the left, m+1..j on the right, the same height
      for (let w1 = 1; w1 < w; w1++) {
        const right = new Set(this.hs(m + 1, j, w - w1));
        for (const h of this.hs(i, m, w1)) {
          if (!right.has(h)) continue;
          for (const a of this.get(i, m, w1, h))
            for (const b of this.get(m + 1, j, w - w1, h)) {
              const cost = a.cost + b.cost + edgePenalty(a.right, b.left);
              this.push(i, j, w, h, {
                cost,
                w,
                h,
                cut: 'v',
                at: w1,
                a,
                b,
                left: a.left,
                right: b.right,
                shape: `(${a.tree}|${b.tree})`,
                tree: `(${a.tree}|${b.tree})`,
              });
            }
        }
      }
      // cut across: i..m above m+1..j, the same width
      const below = this.hs(m + 1, j, w);
      if (!below.length) continue;
      for (const h1 of this.hs(i, m, w))
        for (const h2 of below) {
          if (h1 + h2 > this.maxH) continue;
          for (const a of this.get(i, m, w, h1))
            for (const b of this.get(m + 1, j, w, h2))
              this.push(i, j, w, h1 + h2, {
                cost: a.cost + b.cost,
                w,
                h: h1 + h2,
                cut: 'h',
                at: h1,
                a,
                b,
                left: [...a.left, ...shift(b.left, h1)],
                right: [...a.right, ...shift(b.right, h1)],
                shape: `(${a.tree}/${b.tree})`,
                tree: `(${a.tree}/${b.tree})`,
              });
        }
    }
  }
}

/** A module's frames placed on the page. */
export interface PlacedFrame extends Placed {
  module: number;
}

/** The frames of a solution, at page positions (columns 0-based, lines from the grid's top). */
export function materialise(n: Node, col: number, top: number, out: PlacedFrame[] = []): PlacedFrame[] {
  if (n.leaf) {
    for (const f of n.leaf.frames) out.push({ ...f, col: f.col + col, top: f.top + top, module: n.leaf.module });
    return out;
  }
  if (n.cut === 'v') {
    materialise(n.a!, col, top, out);
    materialise(n.b!, col + n.at!, top, out);
  } else {
    materialise(n.a!, col, top, out);
    materialise(n.b!, col, top + n.at!, out);
  }
  return out;
}

/**
 * The free part of a rectangle around obstacles, cut into rectangles along the obstacles'
 * edges (guillotine cuts only): every way to do it, each a list of free rectangles in reading
 * order. An obstacle that no straight cut can separate leaves no way.
 */
export function freeRegions(r: Rect, obstacles: Rect[], limit = 16): Rect[][] {
  const inside = obstacles.filter(
    (o) => o.col < r.col + r.cols && r.col < o.col + o.cols && o.top < r.top + r.lines && r.top < o.top + o.lines,
  );
  if (!inside.length) return [[r]];
  if (inside.length === 1) {
    const o = inside[0]!;
    if (o.col <= r.col && o.top <= r.top && o.col + o.cols >= r.col + r.cols && o.top + o.lines >= r.top + r.lines)
      return [[]];
  }
  const out: Rect[][] = [];
  const seen = new Set<string>();
  const add = (a: Rect[][], b: Rect[][]) => {
    for (const x of a)
      for (const y of b) {
        const list = [...x, ...y];
        const key = JSON.stringify(list);
        if (!seen.has(key) && out.length < limit) {
          seen.add(key);
          out.push(list);
        }
      }
  };
  // cuts across at obstacle edges, then cuts down
  const ys = new Set(inside.flatMap((o) => [o.top, o.top + o.lines]));
  for (const y of [...ys].sort((a, b) => a - b)) {
    if (y <= r.top || y >= r.top + r.lines) continue;
    if (inside.some((o) => o.top < y && y < o.top + o.lines)) continue;
    add(
      freeRegions({ ...r, lines: y - r.top }, inside, limit),
      freeRegions({ ...r, top: y, lines: r.top + r.lines - y }, inside, limit),
    );
  }
  const xs = new Set(inside.flatMap((o) => [o.col, o.col + o.cols]));
  for (const x of [...xs].sort((a, b) => a - b)) {
    if (x <= r.col || x >= r.col + r.cols) continue;
    if (inside.some((o) => o.col < x && x < o.col + o.cols)) continue;
    add(
      freeRegions({ ...r, cols: x - r.col }, inside, limit),
      freeRegions({ ...r, col: x, cols: r.col + r.cols - x }, inside, limit),
    );
  }
  return out;
}

export interface Solution {
  cost: number;
  /** a module interval per free region */
  parts: { region: Rect; node: Node }[];
  shape: string;
}

/**
 * The best ways to share modules 0..n-1 out among the free regions of each decomposition, in
 * order, every region filled by at least one module.
 */
export function solve(packer: Packer, n: number, decompositions: Rect[][], k: number): Solution[] {
  const all: Solution[] = [];
  for (const regions of decompositions) {
    if (regions.length > n) continue;
    // best[r][i]: the k best ways to fill regions 0..r-1 with modules 0..i-1
    let best: Solution[][] = Array.from({ length: n + 1 }, (_, i) =>
      i === 0 ? [{ cost: 0, parts: [], shape: '' }] : [],
    );
    regions.forEach((reg) => {
      const next: Solution[][] = Array.from({ length: n + 1 }, () => []);
      for (let i = 0; i < n; i++) {
        for (const s of best[i]!) {
          for (let j = i; j < n; j++) {
            for (const node of packer.get(i, j, reg.cols, reg.lines)) {
              const sol: Solution = {
                cost: s.cost + node.cost,
                parts: [...s.parts, { region: reg, node }],
                shape: `${s.shape}[${node.tree}]`,
              };
              const list = next[j + 1]!;
              list.push(sol);
              list.sort((a, b) => a.cost - b.cost);
              if (list.length > k) list.pop();
            }
          }
        }
      }
      best = next;
    });
    all.push(...best[n]!);
  }
  return all.sort((a, b) => a.cost - b.cost);
}
