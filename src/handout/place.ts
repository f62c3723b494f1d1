/**
 * Where each photo and chart goes in the handout's flow: after the paragraph that first
 * mentions it. A chart is mentioned by a paragraph that prints one of the figures its table
 * holds; a photo (or a chart no paragraph mentions) goes with its section: edition.yaml's
 * `section`, else the text frame nearest below it on the page's layout (it illustrates that
 * story), else the first chain; then after that chain's first paragraph, or, when several
 * share a chain so, spread evenly over its paragraphs.
 */
import type { Bound } from '../bind/figures.js';
import type { Edition } from '../load/edition.js';

export interface Placed {
  kind: 'photo' | 'chart';
  id: string;
  chain: string;
  /** after this paragraph of the chain (0-based, heads not counted); -1: before the first */
  after: number;
  /** how the place was found */
  by: 'mention' | 'section' | 'layout' | 'first';
}

export function placeFigures(ed: Edition, bound: Bound): Placed[] {
  const meta = ed.meta.data;
  const chains = bound.chains;
  const out: Placed[] = [];
  const withSection = (kind: 'photo' | 'chart', id: string, section: string | undefined): Placed => {
    if (section && chains.some((c) => c.id === section)) return { kind, id, chain: section, after: 0, by: 'section' };
    const near = layoutChain(ed, id);
    if (near && chains.some((c) => c.id === near)) return { kind, id, chain: near, after: 0, by: 'layout' };
    return { kind, id, chain: chains[0]!.id, after: 0, by: 'first' };
  };
  for (const id of ed.charts.keys()) {
    const figures = chartFigures(ed, id);
    const mention = firstMention(bound, figures);
    out.push(
      mention ? { kind: 'chart', id, ...mention, by: 'mention' } : withSection('chart', id, meta.charts?.[id]?.section),
    );
  }
  for (const id of ed.photos.keys()) out.push(withSection('photo', id, meta.photos?.[id]?.section));
  // figures that found only their chain share it out: spread over its paragraphs, not stacked
  const paras = new Map(chains.map((c) => [c.id, c.blocks.filter((b) => b.kind === 'para').length]));
  for (const c of chains) {
    const loose = out.filter((p) => p.chain === c.id && p.by !== 'mention' && p.after === 0);
    const n = paras.get(c.id) ?? 1;
    loose.forEach((p, i) => (p.after = Math.floor((i * n) / loose.length)));
  }
  // in the order of the flow: chain, paragraph, photos before charts
  const order = new Map(chains.map((c, i) => [c.id, i]));
  return out.sort(
    (a, b) =>
      (order.get(a.chain) ?? 0) - (order.get(b.chain) ?? 0) ||
      a.after - b.after ||
      (a.kind === b.kind ? 0 : a.kind === 'photo' ? -1 : 1),
  );
}

/** The figures a chart's table prints ({name} cells). */
function chartFigures(ed: Edition, id: string): Set<string> {
  const data = ed.charts.get(id)?.spec.data.data as { name?: unknown } | undefined;
  const name = typeof data?.name === 'string' ? data.name : undefined;
  const figures = new Set<string>();
  if (!name) return figures;
  const table = ed.tables.get(name);
  for (const r of table?.rows ?? [])
    for (const cell of r.cells) for (const m of cell.matchAll(/\{([a-z][a-z0-9_]*)/g)) figures.add(m[1]!);
  return figures;
}

function firstMention(bound: Bound, figures: Set<string>): { chain: string; after: number } | undefined {
  if (!figures.size) return undefined;
  for (const c of bound.chains) {
    let para = 0;
    for (const b of c.blocks) {
      if (b.kind !== 'para') continue;
      if (b.segs.some((s) => s.fig !== undefined && figures.has(s.fig))) return { chain: c.id, after: para };
      para++;
    }
  }
  return undefined;
}

/** The chain of the text frame nearest below (else above) a photo or chart frame in layout.yaml. */
function layoutChain(ed: Edition, ref: string): string | undefined {
  const frames = ed.layout.data.frames;
  const f = frames.find((x) => (x.kind === 'photo' || x.kind === 'chart') && x.ref === ref);
  if (!f) return undefined;
  const overlaps = (x: { columns: [number, number] }) => x.columns[0] <= f.columns[1] && x.columns[1] >= f.columns[0];
  const texts = frames.filter((x) => x.kind === 'text' && x.chain && overlaps(x));
  const below = texts.filter((x) => x.top >= f.top + f.lines).sort((a, b) => a.top - b.top)[0];
  const above = texts.filter((x) => x.top + x.lines <= f.top).sort((a, b) => b.top - a.top)[0];
  return (below ?? above)?.chain;
}
