/**
 * Charts: Vega-Lite → Vega → static SVG, in Node, before the page is composed.
 * - data only from the edition's tables ({"name": "<table>"}); any "url" is refused here, and
 *   the drawing loader refuses every load, so nothing outside the edition can reach a chart;
 * - every encoded field must be a column of its table;
 * - drawn on a worker thread (draw.ts, worker.ts): the main thread meanwhile composes the page
 *   and serves it to the browser. Errors come back as values and get their place here;
 * - a chart drawn once is kept on disk (disk-cache.ts) by its bound spec, its size and the code
 *   and fonts that draw it: a rebuild draws only the charts whose data or size changed, and
 *   the worker is not started at all when none did.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cacheKey, fileStamp, packageIdentity, readCached, writeCached } from '../disk-cache.js';
import { ROOT } from '../paths.js';
import { msg } from '../messages.js';
import type { Bound, BoundTable } from '../bind/figures.js';
import { LIMITS, type ChartSource, type Edition } from '../load/edition.js';
import type { Frame, PageLayout } from '../layout/frames.js';
import type { ChartSize, Drawn } from './draw.js';

export type { ChartSize } from './draw.js';
export interface RenderedChart {
  id: string;
  svg: string;
  widthPx: number;
  heightPx: number;
  texts: string[];
  /** a flexible chart: the chart rendered for every height (in lines) copy-fit may give it */
  variants?: Map<number, RenderedChart>;
}

/**
 * Stage 4: every chart of the page, sized to its frame, and a flexible chart (minLines and
 * maxLines) also at every height copy-fit may give it.
 */
export async function renderCharts(ed: Edition, bound: Bound, layout: PageLayout): Promise<Map<string, RenderedChart>> {
  const pitch = layout.grid.pitch;
  const jobs = layout.frames.flatMap((f) => {
    const src = f.kind === 'chart' && f.ref !== undefined ? ed.charts.get(f.ref) : undefined;
    return src ? [chartOfFrame(src, f, bound.tables, pitch)] : [];
  });
  return new Map(await Promise.all(jobs));
}

async function chartOfFrame(
  src: ChartSource,
  f: Frame,
  tables: Map<string, BoundTable>,
  pitch: number,
): Promise<[string, RenderedChart]> {
  const at = (lines: number) =>
    renderChart(src, tables, chartArea({ ...f, box: { ...f.box, h: lines * pitch } }, pitch, !!src.source));
  const { minLines: min, maxLines: max } = f;
  const heights =
    min !== undefined && max !== undefined ? Array.from({ length: max - min + 1 }, (_, i) => min + i) : [];
  // the chart and its variants awaited together: the first that fails fails the chart, and none
  // is left running unawaited
  const [chart, variants] = await Promise.all([
    at(f.lines),
    Promise.all(heights.map(async (lines) => [lines, await at(lines)] as const)),
  ]);
  return [src.id, heights.length ? { ...chart, variants: new Map(variants) } : chart];
}

/** A chart frame's drawing area: the title line above, the source line (if any) below, the chart between. */
export function chartArea(f: Frame, pitch: number, hasSource: boolean): ChartSize {
  const mmToPx = 96 / 25.4;
  const h = f.box.h - pitch * (1 + (hasSource ? 1 : 0));
  return { widthPx: Math.floor(f.box.w * mmToPx), heightPx: Math.floor(h * mmToPx) };
}

const WORKER = new URL('./worker.js', import.meta.url);

/** One worker for the process, started by its first job and unreferenced when idle. */
let worker: Worker | undefined;
const pending = new Map<number, { resolve: (d: Drawn) => void; reject: (e: unknown) => void }>();
let jobs = 0;

/** The chart worker, started if it is not running. */
function chartWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER);
  w.on('message', ({ n, drawn }: { n: number; drawn: Drawn }) => {
    pending.get(n)?.resolve(drawn);
    pending.delete(n);
    if (pending.size === 0) w.unref();
  });
  const fail = (e: unknown) => {
    worker = undefined;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  w.on('error', fail);
  w.on('exit', (code) => fail(msg.chartWorkerStopped(code)));
  w.unref();
  worker = w;
  return w;
}

function draw(spec: Record<string, unknown>, size: ChartSize): Promise<Drawn> {
  const w = chartWorker();
  const n = ++jobs;
  return new Promise<Drawn>((resolve, reject) => {
    pending.set(n, { resolve, reject });
    w.ref();
    w.postMessage({ n, spec, size });
  });
}

/** Replaces {"name": table} data with the table's rows; refuses any url. Returns a new spec. */
function bindData(node: unknown, src: ChartSource, tables: Map<string, BoundTable>, at: (string | number)[]): unknown {
  if (Array.isArray(node)) return node.map((v, i) => bindData(v, src, tables, [...at, i]));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  let bound: BoundTable | undefined;
  for (const [k, v] of Object.entries(node)) {
    const here = [...at, k];
    if (k === 'url') throw msg.dataUrlRefused(src.spec.locate(here), String(v));
    if (k === 'values' && Array.isArray(v) && v.length > LIMITS.tableRows)
      throw msg.tooManyRows(src.spec.locate(here), v.length, LIMITS.tableRows);
    if (k === 'data' && v && typeof v === 'object' && !Array.isArray(v) && 'name' in v) {
      const name = String((v as { name: unknown }).name);
      const t = tables.get(name);
      if (!t) throw msg.unknownTable(src.spec.locate([...here, 'name']), name);
      out[k] = { values: t.rows.map((r) => ({ ...r })) };
      checkFields(node as Record<string, unknown>, t, src, at);
      bound = t;
      continue;
    }
    out[k] = bindData(v, src, tables, here);
  }
  return bound ? withDecimals(out, bound.decimals) : out;
}

/**
 * Text marks print a table's numbers with the decimals written in the table (12.40, 52.0, and a
 * {figure}'s as it prints): a text encoding of such a column without its own `format` gets one.
 */
function withDecimals(node: Record<string, unknown>, decimals: Record<string, number>): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (k === 'encoding' && x && typeof x === 'object') {
        const enc: Record<string, unknown> = { ...(x as Record<string, unknown>) };
        const text = enc.text as { field?: unknown; format?: unknown; type?: unknown } | undefined;
        const d = typeof text?.field === 'string' ? decimals[text.field] : undefined;
        if (text && d && text.format === undefined && (text.type ?? 'quantitative') === 'quantitative')
          enc.text = { ...text, format: `.${d}f` };
        o[k] = enc;
      } else o[k] = k === 'data' ? x : walk(x);
    }
    return o;
  };
  return walk(node) as Record<string, unknown>;
}

/**
 * Every field a spec encodes must be a column of its table (or made by a transform): vega-lite
 * would otherwise draw an empty chart without a word.
 */
function checkFields(spec: Record<string, unknown>, t: BoundTable, src: ChartSource, at: (string | number)[]): void {
  const columns = Object.keys(t.rows[0] ?? {});
  const made = new Set<string>();
  const walk = (node: unknown, here: (string | number)[]): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, [...here, i]));
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    for (const tr of Array.isArray(o.transform) ? o.transform : []) {
      const as = (tr as { as?: unknown }).as;
      for (const a of Array.isArray(as) ? as : [as]) if (typeof a === 'string') made.add(a);
    }
    if (o.encoding && typeof o.encoding === 'object') {
      for (const [ch, def] of Object.entries(o.encoding as Record<string, unknown>)) {
        const field = (def as { field?: unknown } | null)?.field;
        if (typeof field === 'string' && !columns.includes(field) && !made.has(field)) {
          throw msg.chartField(src.spec.locate([...here, 'encoding', ch, 'field']), field, t.name, columns);
        }
      }
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'data' && k !== 'encoding') walk(v, [...here, k]);
  };
  walk(spec, at);
}

/**
 * Charts by spec, data and size, as promises: a rebuild re-renders only charts that changed,
 * and a size asked for twice at once (a flexible chart's own height is one of its variants)
 * is drawn once.
 */
const cache = new Map<string, Promise<RenderedChart>>();

export async function renderChart(
  src: ChartSource,
  tables: Map<string, BoundTable>,
  size: ChartSize,
): Promise<RenderedChart> {
  const raw = src.spec.data;
  const spec = bindData(raw, src, tables, []) as Record<string, unknown>;
  const key = JSON.stringify([src.id, spec, size]);
  const hit = cache.get(key);
  if (hit) return hit;
  const r = render(src, spec, size);
  if (cache.size > 64) cache.clear();
  cache.set(key, r);
  r.catch(() => cache.delete(key)); // an error is reported each time, not kept
  return r;
}

async function render(src: ChartSource, spec: Record<string, unknown>, size: ChartSize): Promise<RenderedChart> {
  if (!('data' in spec) && !('layer' in spec) && !('vconcat' in spec) && !('hconcat' in spec) && !('concat' in spec)) {
    throw msg.invalidChart({ file: src.file }, 'the spec has no "data"; use "data": {"name": "<table>"}');
  }
  const name = `${cacheKey(drawStamp(), JSON.stringify(spec), JSON.stringify(size))}.json`;
  const kept = fromCache(name);
  if (kept) return { id: src.id, svg: kept.svg, widthPx: size.widthPx, heightPx: size.heightPx, texts: kept.texts };
  const d = await draw(spec, size);
  if (!d.ok)
    throw d.invalid
      ? msg.invalidChart(src.spec.locate(d.segs), d.detail)
      : msg.chartFailed({ file: src.file }, d.detail);
  writeCached('charts', name, JSON.stringify({ svg: d.svg, texts: d.texts }));
  return { id: src.id, svg: d.svg, widthPx: size.widthPx, heightPx: size.heightPx, texts: d.texts };
}

function fromCache(name: string): { svg: string; texts: string[] } | undefined {
  const bytes = readCached('charts', name);
  if (!bytes) return undefined;
  try {
    const v = JSON.parse(bytes.toString('utf8')) as { svg?: unknown; texts?: unknown };
    if (
      typeof v.svg === 'string' &&
      v.svg.startsWith('<svg') &&
      Array.isArray(v.texts) &&
      v.texts.every((t) => typeof t === 'string')
    )
      return { svg: v.svg, texts: v.texts };
  } catch {
    /* not ours or damaged: drawn again */
  }
  return undefined;
}

/**
 * What draws a chart besides its spec and size: the worker's code (the bundle, or the modules
 * beside it), vega, vega-lite and the interpreter, and the text metrics (fonts) it measures with.
 */
let stamp: string | undefined;
function drawStamp(): string {
  if (stamp === undefined) {
    const dir = path.dirname(fileURLToPath(WORKER));
    const code = ['worker.js', 'worker.cjs', 'draw.js', 'metrics.js', 'theme.js'].map((f) =>
      fileStamp(path.join(dir, f)),
    );
    const require = createRequire(import.meta.url);
    const libs = ['vega', 'vega-lite', 'vega-interpreter'].map((p) => packageIdentity(require.resolve(p)));
    stamp = [...code, ...libs, fileStamp(path.join(ROOT, 'dist/generated/chart-metrics.json'))].join('|');
  }
  return stamp;
}
