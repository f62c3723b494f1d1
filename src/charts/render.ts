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
import { fork, type ChildProcess } from 'node:child_process';
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

/**
 * What one chart may take to draw: a spec is a program (vega expressions), and one that allocates
 * or loops without bound must end as an error naming its file, not take the build down with it.
 * Charts are drawn in a child process of their own (a worker thread's heap limit does not hold:
 * one large allocation past it aborts the whole process), with its heap capped; a chart not
 * drawn in time has its process killed. Charts are drawn one at a time, so the one that broke a
 * limit is known; the next is drawn by a new process.
 */
export const CHART_LIMITS = { heapMb: 256, seconds: 30 };

type Outcome = Drawn | { ok: false; limit: 'memory' | 'time' };
interface Job {
  n: number;
  spec: Record<string, unknown>;
  size: ChartSize;
  resolve: (d: Outcome) => void;
  reject: (e: unknown) => void;
}

/** The drawing process, started by the first job and unreferenced when idle. */
let drawer: ChildProcess | undefined;
const queue: Job[] = [];
let current: { job: Job; timer: NodeJS.Timeout } | undefined;
let jobs = 0;

/** The chart process, started if it is not running. */
function chartDrawer(): ChildProcess {
  if (drawer) return drawer;
  const c = fork(fileURLToPath(WORKER), [], {
    execArgv: [`--max-old-space-size=${CHART_LIMITS.heapMb}`, '--stack-size=2000'],
    serialization: 'advanced',
    // its stderr is read only to tell a heap that ran out (V8 prints its own report there)
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let err = '';
  c.stderr?.on('data', (d: Buffer) => {
    if (err.length < 4096) err += d.toString('latin1');
  });
  c.on('message', ({ n, drawn }: { n: number; drawn: Drawn }) => {
    if (drawer === c && current?.job.n === n) finish(drawn);
  });
  c.on('error', () => undefined); // a failed start shows as its exit
  c.on('exit', (code, signal) => {
    // a process killed for its time limit has been let go already: its exit is not the current job's
    if (drawer !== c) return;
    drawer = undefined;
    if (!current) return;
    if (/heap out of memory|Allocation failed|Invalid array length|out of memory/i.test(err))
      finish({ ok: false, limit: 'memory' });
    else {
      const job = end();
      job?.reject(msg.chartWorkerStopped(code ?? -1, signal ?? undefined));
      next();
    }
  });
  unref(c);
  drawer = c;
  return c;
}

/** A drawing process that does not keep Node running (when idle), or does (while it draws). */
function unref(c: ChildProcess): void {
  c.unref();
  (c.channel as { unref?: () => void } | undefined)?.unref?.();
  (c.stderr as { unref?: () => void } | null)?.unref?.();
}
function ref(c: ChildProcess): void {
  c.ref();
  (c.channel as { ref?: () => void } | undefined)?.ref?.();
}

function end(): Job | undefined {
  const c = current;
  if (c) clearTimeout(c.timer);
  current = undefined;
  return c?.job;
}

function finish(d: Outcome): void {
  end()?.resolve(d);
  next();
}

function next(): void {
  const job = queue.shift();
  if (!job) {
    if (drawer) unref(drawer);
    return;
  }
  const c = chartDrawer();
  const timer = setTimeout(() => {
    // the process is busy with this chart: it is killed, and the next chart gets a new one
    drawer = undefined;
    c.kill('SIGKILL');
    finish({ ok: false, limit: 'time' });
  }, CHART_LIMITS.seconds * 1000);
  current = { job, timer };
  ref(c);
  c.send({ n: job.n, spec: job.spec, size: job.size });
}

function draw(spec: Record<string, unknown>, size: ChartSize): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    queue.push({ n: ++jobs, spec, size, resolve, reject });
    if (!current) next();
  });
}

/** Ends the drawing process (on Ctrl-C, or when a command ends). */
export function stopChartDrawer(): void {
  drawer?.kill('SIGKILL');
  drawer = undefined;
}

/** Replaces {"name": table} data with the table's rows; refuses any url. Returns a new spec. */
function bindData(node: unknown, src: ChartSource, tables: Map<string, BoundTable>, at: (string | number)[]): unknown {
  if (Array.isArray(node)) return node.map((v, i) => bindData(v, src, tables, [...at, i]));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  let bound: BoundTable | undefined;
  for (const [k, v] of Object.entries(node)) {
    const here = [...at, k];
    if (k === 'url')
      throw msg.dataUrlRefused(src.spec.locate(here), typeof v === 'object' ? JSON.stringify(v) : String(v));
    // a link cannot be followed on paper, and vega's link check is a load (refused, and it crashed)
    if (k === 'href') throw msg.hostile.chartLink(src.spec.locate(here));
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
 * A column folded into one value field (a table drawn as a grid: `fold`) keeps each column's
 * decimals: the text is then made by a calculate transform that formats each value as its
 * column is written (a column written with mixed decimals prints as vega prints it).
 */
function withDecimals(node: Record<string, unknown>, decimals: Record<string, number>): Record<string, unknown> {
  const walk = (v: unknown, folds: Fold[]): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, folds));
    if (v === null || typeof v !== 'object') return v;
    const src = v as Record<string, unknown>;
    const here = [...folds, ...foldsOf(src.transform)];
    const o: Record<string, unknown> = {};
    const added: Record<string, unknown>[] = [];
    for (const [k, x] of Object.entries(src)) {
      if (k === 'encoding' && x && typeof x === 'object') {
        const enc: Record<string, unknown> = { ...(x as Record<string, unknown>) };
        const text = enc.text as { field?: unknown; format?: unknown; type?: unknown } | undefined;
        const field = typeof text?.field === 'string' ? text.field : undefined;
        const plain = text && field && text.format === undefined && (text.type ?? 'quantitative') === 'quantitative';
        const d = field ? decimals[field] : undefined;
        const fold = field ? [...here].reverse().find((f) => f.value === field) : undefined;
        if (plain && d) enc.text = { ...text, format: `.${d}f` };
        else if (plain && fold && fold.columns.some((c) => decimals[c])) {
          const as = `${field} (as written)`;
          added.push({ calculate: writtenExpr(fold, decimals), as });
          enc.text = { ...text, field: as, type: 'nominal' };
        }
        o[k] = enc;
      } else o[k] = k === 'data' ? x : walk(x, here);
    }
    if (added.length) o.transform = [...(Array.isArray(o.transform) ? (o.transform as unknown[]) : []), ...added];
    return o;
  };
  return walk(node, []) as Record<string, unknown>;
}

/** A fold transform: the columns it folds, and the fields of their names and values. */
interface Fold {
  columns: string[];
  key: string;
  value: string;
}

function foldsOf(transform: unknown): Fold[] {
  if (!Array.isArray(transform)) return [];
  return transform.flatMap((t): Fold[] => {
    const f = t as { fold?: unknown; as?: unknown };
    if (!Array.isArray(f.fold) || !f.fold.every((c) => typeof c === 'string')) return [];
    const as: unknown[] = Array.isArray(f.as) ? f.as : [];
    const [key, value] = [as[0] ?? 'key', as[1] ?? 'value'];
    const columns = f.fold.filter((c): c is string => typeof c === 'string');
    return typeof key === 'string' && typeof value === 'string' ? [{ columns, key, value }] : [];
  });
}

/** A vega expression: the folded value formatted with its column's written decimals. */
function writtenExpr(fold: Fold, decimals: Record<string, number>): string {
  const q = JSON.stringify;
  const value = `datum[${q(fold.value)}]`;
  return fold.columns.reduceRight(
    (rest, c) =>
      decimals[c] ? `datum[${q(fold.key)}] === ${q(c)} ? format(${value}, ${q(`.${decimals[c]}f`)}) : ${rest}` : rest,
    `format(${value}, "")`,
  );
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
  if (!d.ok && 'limit' in d)
    throw d.limit === 'memory'
      ? msg.hostile.chartMemory({ file: src.file }, CHART_LIMITS.heapMb)
      : msg.hostile.chartTime({ file: src.file }, CHART_LIMITS.seconds);
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
