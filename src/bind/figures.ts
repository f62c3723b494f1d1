/**
 * Bind: every {name} in the story, the headline group, the fact boxes and the chart tables is
 * replaced by the figure from figures.yaml, so a figure corrected in one place changes every
 * place it is printed. A reference to an unknown figure is an error naming file and line.
 */
import { inputErrors, msg, nearNames, type InputError, type Place } from '../messages.js';
import type { Edition, FigureDef, Table } from '../load/edition.js';
import type { Headline, Run } from '../load/story.js';

/** A printed piece of text; `fig` names the figure it came from. */
export interface Segment {
  s: string;
  bold?: boolean;
  fig?: string;
}

export interface BoundBlock {
  kind: 'para' | 'head';
  segs: Segment[];
  place: Place;
}
export interface BoundChain {
  id: string;
  place: Place;
  blocks: BoundBlock[];
}
export interface BoundHeadline {
  [k: string]: Segment[] | undefined;
}
export interface BoundFactbox {
  id: string;
  title: string;
  items: { figure: string; value: Segment[]; label: string }[];
}
export interface BoundTable {
  name: string;
  file: string;
  rows: Record<string, string | number>[];
  /** column → the decimals all its numbers are written with (12.40: 2), where they agree and are some */
  decimals: Record<string, number>;
}

export interface FigureUse {
  figure: string;
  printed: string;
  place: Place;
  where: string;
}

export interface Bound {
  headline: BoundHeadline;
  chains: BoundChain[];
  captions: { photos: Map<string, string>; charts: Map<string, string> };
  factboxes: Map<string, BoundFactbox>;
  tables: Map<string, BoundTable>;
  /** every place a figure is printed, for the report and the change report */
  uses: FigureUse[];
}

const REF = /\{([a-z][a-z0-9_]*)(?::([a-z]+))?\}/g;

export function formatNumber(f: FigureDef): string {
  let v = f.value;
  if (f.scale === '万') v = v / 1e4;
  if (f.scale === '亿') v = v / 1e8;
  let n = f.decimals !== undefined ? v.toFixed(f.decimals) : String(Number(v.toPrecision(12)));
  if (f.separators) n = n.replace(/^(-?\d+)/, (int) => int.replace(/\B(?=(\d{3})+(?!\d))/g, ','));
  return n + (f.scale ?? '');
}

export function formatFigure(f: FigureDef, format: string | undefined): string {
  if (format === 'num') return formatNumber(f);
  return f.display ?? `${formatNumber(f)}${f.approx ?? ''}${f.unit ?? ''}`;
}

export function bind(ed: Edition): Bound {
  // a figure prints with the decimals written in figures.yaml (647.0, 4.90) unless `decimals`
  // or `scale` says otherwise
  const figures: Record<string, FigureDef> = Object.fromEntries(
    Object.entries(ed.figures.data).map(([name, f]) => {
      const written = ed.figureDecimals?.[name];
      return [
        name,
        written !== undefined && f.decimals === undefined && f.scale === undefined ? { ...f, decimals: written } : f,
      ];
    }),
  );
  const errors: InputError[] = [];
  const uses: FigureUse[] = [];

  /** Resolves references in a string that starts at `place`. */
  const resolve = (text: string, place: Place, where: string, bold?: boolean): Segment[] => {
    const segs: Segment[] = [];
    let last = 0;
    for (const m of text.matchAll(REF)) {
      // the pattern's name group always takes part in a match
      const [all, name = '', format] = m;
      const at = m.index;
      if (at > last) segs.push(seg(text.slice(last, at), bold));
      const line = place.line !== undefined ? place.line + (text.slice(0, at).match(/\n/g)?.length ?? 0) : undefined;
      const refPlace: Place = { ...place, ...(line !== undefined ? { line } : {}) };
      const f = figures[name];
      if (!f) {
        errors.push(msg.unknownFigure(refPlace, name, nearNames(name, Object.keys(figures))));
      } else if (format !== undefined && format !== 'num') {
        errors.push(msg.badFigureFormat(refPlace, name, format));
      } else {
        const printed = formatFigure(f, format);
        segs.push({ ...seg(printed, bold), fig: name });
        uses.push({ figure: name, printed, place: refPlace, where });
      }
      last = at + all.length;
    }
    if (last < text.length) segs.push(seg(text.slice(last), bold));
    return segs.map((s) => ({ ...s, s: s.s.replace(/\n/g, '') })).filter((s) => s.s !== '');
  };

  const runsToSegs = (runs: Run[], place: Place, where: string): Segment[] => {
    // merge neighbouring runs of the same weight so a reference is never split between runs
    const merged: Run[] = [];
    for (const r of runs) {
      const prev = merged[merged.length - 1];
      if (prev && !!prev.bold === !!r.bold) prev.s += r.s;
      else merged.push({ ...r });
    }
    const out: Segment[] = [];
    let lineOffset = 0;
    for (const r of merged) {
      const p = place.line !== undefined ? { ...place, line: place.line + lineOffset } : place;
      out.push(...resolve(r.s, p, where, r.bold));
      lineOffset += r.s.match(/\n/g)?.length ?? 0;
    }
    return out;
  };

  const headline: BoundHeadline = {};
  const front = ed.story.front;
  for (const key of Object.keys(front.data) as (keyof Headline)[]) {
    const v = front.data[key];
    if (typeof v === 'string') headline[key] = resolve(v, front.locate([key]), `headline group: ${key}`);
  }

  const chains: BoundChain[] = ed.story.chains.map((c) => ({
    id: c.id,
    place: c.place,
    blocks: c.blocks.map((b) => ({
      kind: b.kind,
      place: b.place,
      segs: runsToSegs(b.runs, b.place, `story "${c.id}"`),
    })),
  }));

  const flat = (segs: Segment[]) => segs.map((s) => s.s).join('');
  const photos = new Map(
    ed.story.photos.map((p) => [p.id, flat(resolve(p.text, p.place, `caption of photo "${p.id}"`))]),
  );
  const charts = new Map(
    ed.story.charts.map((p) => [p.id, flat(resolve(p.text, p.place, `title of chart "${p.id}"`))]),
  );

  const factboxes = new Map<string, BoundFactbox>();
  for (const [id, fb] of Object.entries(ed.meta.data.factboxes ?? {})) {
    factboxes.set(id, {
      id,
      title: fb.title,
      items: fb.items.map((it, i) => ({
        figure: it.figure,
        label: it.label,
        value: resolve(`{${it.figure}}`, ed.meta.locate(['factboxes', id, 'items', i, 'figure']), `fact box "${id}"`),
      })),
    });
  }

  const tables = new Map<string, BoundTable>();
  for (const t of ed.tables.values()) tables.set(t.name, bindTable(t, figures, errors, uses));

  if (errors.length) throw inputErrors(errors);
  return { headline, chains, captions: { photos, charts }, factboxes, tables, uses };
}

function seg(s: string, bold?: boolean): Segment {
  return bold ? { s, bold } : { s };
}

/** Table cells: a number, a {figure} (its value, as a number), or text. */
function bindTable(t: Table, figures: Record<string, FigureDef>, errors: InputError[], uses: FigureUse[]): BoundTable {
  // a column whose numbers are all written with the same decimals (12.40, 10.85) keeps them;
  // a column of mixed ones (646.8 and 900) prints each number as it is
  const seen: Record<string, Set<number>> = {};
  const written = (col: string, text: string) => {
    (seen[col] ??= new Set()).add(/\.(\d+)$/.exec(text)?.[1]?.length ?? 0);
  };
  const rows = t.rows.map((r) => {
    const row: Record<string, string | number> = {};
    t.columns.forEach((col, i) => {
      const cell = r.cells[i] ?? '';
      const name = /^\{([a-z][a-z0-9_]*)\}$/.exec(cell)?.[1];
      const place = { file: t.file, line: r.line, column: i + 1 };
      if (name !== undefined) {
        const f = figures[name];
        if (!f) errors.push(msg.unknownFigure(place, name, nearNames(name, Object.keys(figures))));
        else {
          row[col] = f.value;
          written(col, formatNumber(f).replace(/[万亿]$/, ''));
          uses.push({ figure: name, printed: formatNumber(f), place, where: `table "${t.name}"` });
        }
      } else if (cell !== '' && /^-?\d+(\.\d+)?$/.test(cell)) {
        row[col] = Number(cell);
        written(col, cell);
      } else row[col] = cell;
    });
    return row;
  });
  const decimals: Record<string, number> = {};
  for (const [col, ds] of Object.entries(seen)) {
    const [d] = [...ds];
    if (ds.size === 1 && d) decimals[col] = d;
  }
  return { name: t.name, file: t.file, rows, decimals };
}
