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
import type { BoundTable } from '../bind/figures.js';
import { LIMITS, type ChartSource } from '../load/edition.js';
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

const WORKER = new URL('./worker.js', import.meta.url);

/** One worker for the process, started on first use (or ahead by startCharts) and unreferenced when idle. */
let worker: Worker | undefined;
const pending = new Map<number, { resolve: (d: Drawn) => void; reject: (e: unknown) => void }>();
let jobs = 0;

/** Starts the chart worker (its first job starts it). */
function startCharts(): void {
  if (worker) return;
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
  w.on('exit', (code) => fail(new Error(`the chart worker stopped (exit code ${code})`)));
  w.unref();
  worker = w;
}

function draw(spec: Record<string, unknown>, size: ChartSize): Promise<Drawn> {
  startCharts();
  const n = ++jobs;
  return new Promise<Drawn>((resolve, reject) => {
    pending.set(n, { resolve, reject });
    worker!.ref();
    worker!.postMessage({ n, spec, size });
  });
}

/** Replaces {"name": table} data with the table's rows; refuses any url. Returns a new spec. */
function bindData(node: unknown, src: ChartSource, tables: Map<string, BoundTable>, at: (string | number)[]): unknown {
  if (Array.isArray(node)) return node.map((v, i) => bindData(v, src, tables, [...at, i]));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
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
      continue;
    }
    out[k] = bindData(v, src, tables, here);
  }
  return out;
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
